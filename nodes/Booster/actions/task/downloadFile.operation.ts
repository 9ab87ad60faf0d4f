import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { GetTaskDetail } from '../../api/dtos';
import { requestFromParameters } from '../../helpers/request';
import { downloadTaskFile, getTask } from '../../helpers/tasks';
import { asyncTaskIdParameter, binaryPropertyOption, requestSettings, transportOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	asyncTaskIdParameter,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [binaryPropertyOption, ...transportOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['downloadFile'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const settings = requestSettings(options, itemIndex);
	const { asyncTaskId } = requestFromParameters(
		GetTaskDetail,
		{ asyncTaskId: this.getNodeParameter('asyncTaskId', itemIndex) },
		this.getTimezone(),
	);
	const task = await getTask.call(this, asyncTaskId as string, settings);
	const file = await downloadTaskFile.call(this, task, settings);
	return [{ json: task, binary: { [String(options.binaryPropertyName ?? 'data')]: file } }];
}
