import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { asyncTaskIdOf, downloadTaskFile, getTask, itemWithFile } from '../../helpers/tasks';
import { asyncTaskIdParameter, binaryPropertyOption, requestSettings, transportOptions, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	asyncTaskIdParameter,
	optionsCollection([binaryPropertyOption, ...transportOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['downloadFile'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const settings = requestSettings(options, itemIndex);
	const asyncTaskId = asyncTaskIdOf.call(this, itemIndex);
	const task = await getTask.call(this, asyncTaskId, settings);
	const file = await downloadTaskFile.call(this, task, settings);
	return [itemWithFile(task, file, options.binaryPropertyName)];
}
