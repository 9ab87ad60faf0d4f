import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { settingsOf, requestSettings } from '../../helpers/settings';
import { asyncTaskIdOf, downloadTaskFile, getTask, itemWithFile } from '../../helpers/tasks';
import type { BoosterSession } from '../../transport';
import { advancedCollection, asyncTaskIdParameter, binaryPropertyOption, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	...asyncTaskIdParameter,
	optionsCollection([binaryPropertyOption]),
	advancedCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['downloadFile'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession<IExecuteFunctions>): Promise<INodeExecutionData[]> {
	const { options, advanced } = settingsOf(this, itemIndex);
	const settings = requestSettings(advanced, itemIndex);
	const asyncTaskId = asyncTaskIdOf.call(this, itemIndex);
	const task = await getTask(session, asyncTaskId, settings);
	const file = await downloadTaskFile(session, task, settings);
	return [itemWithFile(task, file, options.binaryPropertyName)];
}
