import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { limitOf } from '../../helpers/pages';
import { itemRequestSettings } from '../../helpers/settings';
import { type TaskFilter, listTasks, matchesTaskFilter } from '../../helpers/tasks';
import type { BoosterSession } from '../../transport';
import { TASK_STATUS_OPTIONS, TASK_TYPE_OPTIONS, advancedCollection, formerOptions, returnAllParameters } from '../common.descriptions';

const properties: INodeProperties[] = [
	...returnAllParameters,
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
				type: 'options',
				options: TASK_TYPE_OPTIONS,
				default: 'crm',
				description: 'Kind of export. Choose from the list, or specify another type using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	},
	formerOptions,
	advancedCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['getMany'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const filter = this.getNodeParameter('filters', itemIndex, {}) as TaskFilter;
	const limit = limitOf(this, itemIndex);
	const tasks = (await listTasks(session, itemRequestSettings(this, itemIndex))).filter((task) => matchesTaskFilter(task, filter));
	return this.helpers.returnJsonArray(limit === undefined ? tasks : tasks.slice(0, limit));
}
