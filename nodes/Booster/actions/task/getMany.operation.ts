import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { FieldError } from '../../api/validation';
import { requestSettings } from '../../helpers/settings';
import { type TaskFilter, listTasks, matchesTaskFilter } from '../../helpers/tasks';
import type { BoosterSession } from '../../transport';
import { TASK_STATUS_OPTIONS, transportOptions, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Brand', name: 'brand', type: 'string', default: '', placeholder: 'e.g. CAR' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: TASK_STATUS_OPTIONS,
				default: [],
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'string',
				default: 'crm',
				description: 'Task type, such as crm (customer exports), stock or sellout',
			},
		],
	},
	optionsCollection([...transportOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['getMany'] } }, properties);

/** How many tasks to return, checked before anything is sent; undefined means all. */
function limitOf(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex) as boolean) return undefined;
	const limit = this.getNodeParameter('limit', itemIndex);
	if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
		throw new FieldError('limit', 'Limit', limit, 'Enter a whole number of at least 1, or turn on Return All.');
	}
	return limit;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const filter = this.getNodeParameter('filters', itemIndex, {}) as TaskFilter;
	const limit = limitOf.call(this, itemIndex);
	const tasks = (await listTasks(session, requestSettings(options, itemIndex))).filter((task) => matchesTaskFilter(task, filter));
	return this.helpers.returnJsonArray(limit === undefined ? tasks : tasks.slice(0, limit));
}
