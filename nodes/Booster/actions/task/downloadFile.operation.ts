import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { GetTaskDetail } from '../../api/dtos';
import { requestSettings } from '../../helpers/settings';
import { asyncTaskIdOf, downloadTaskFile, getTask, itemWithFile } from '../../helpers/tasks';
import type { BoosterSession } from '../../transport';
import { binaryPropertyOption, transportOptions, optionsCollection } from '../common.descriptions';
import { parameterFor } from '../parameters';

const properties: INodeProperties[] = [
	...parameterFor(GetTaskDetail, 'asyncTaskId', {
		placeholder: 'e.g. 3f2b8c1e-9a4d-4e7b-8c1f-2a3b4c5d6e7f',
		description: 'ID of the task returned by an export, usually mapped from the asyncTaskId field of an earlier node',
	}),
	optionsCollection([binaryPropertyOption, ...transportOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['downloadFile'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession<IExecuteFunctions>): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const settings = requestSettings(options, itemIndex);
	const asyncTaskId = asyncTaskIdOf.call(this, itemIndex);
	const task = await getTask(session, asyncTaskId, settings);
	const file = await downloadTaskFile(session, task, settings);
	return [itemWithFile(task, file, options.binaryPropertyName)];
}
