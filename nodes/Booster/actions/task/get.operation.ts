import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { GetTaskDetail } from '../../api/dtos';
import { getTask } from '../../helpers/tasks';
import { requestFromParameters } from '../../helpers/request';
import { asyncTaskIdParameter, requestSettings, transportOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	asyncTaskIdParameter,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...transportOptions],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { asyncTaskId } = requestFromParameters(
		GetTaskDetail,
		{ asyncTaskId: this.getNodeParameter('asyncTaskId', itemIndex) },
		this.getTimezone(),
	);
	return await getTask.call(this, asyncTaskId as string, requestSettings(options, itemIndex));
}
