import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { requestSettings } from '../../helpers/settings';
import { asyncTaskIdOf, getTask } from '../../helpers/tasks';
import type { BoosterSession } from '../../transport';
import { asyncTaskIdParameter, transportOptions, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	...asyncTaskIdParameter,
	optionsCollection([...transportOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const asyncTaskId = asyncTaskIdOf.call(this, itemIndex);
	return this.helpers.returnJsonArray(await getTask(session, asyncTaskId, requestSettings(options, itemIndex)));
}
