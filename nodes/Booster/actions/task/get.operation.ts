import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { GetTaskDetail } from '../../api/dtos';
import { requestSettings } from '../../helpers/settings';
import { asyncTaskIdOf, getTask } from '../../helpers/tasks';
import type { BoosterSession } from '../../transport';
import { transportOptions, optionsCollection } from '../common.descriptions';
import { parameterFor } from '../parameters';

const properties: INodeProperties[] = [
	...parameterFor(GetTaskDetail, 'asyncTaskId', {
		placeholder: 'e.g. 3f2b8c1e-9a4d-4e7b-8c1f-2a3b4c5d6e7f',
		description: 'ID of the task returned by an export, usually mapped from the asyncTaskId field of an earlier node',
	}),
	optionsCollection([...transportOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const asyncTaskId = asyncTaskIdOf.call(this, itemIndex);
	return this.helpers.returnJsonArray(await getTask(session, asyncTaskId, requestSettings(options, itemIndex)));
}
