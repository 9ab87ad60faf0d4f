import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { asyncTaskIdOf, getTask } from '../../helpers/tasks';
import { asyncTaskIdParameter, requestSettings, transportOptions, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	asyncTaskIdParameter,
	optionsCollection([...transportOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const asyncTaskId = asyncTaskIdOf.call(this, itemIndex);
	return await getTask.call(this, asyncTaskId, requestSettings(options, itemIndex));
}
