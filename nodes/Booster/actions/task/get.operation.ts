import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { itemRequestSettings } from '../../helpers/settings';
import { asyncTaskIdOf, getTask } from '../../helpers/tasks';
import type { BoosterSession } from '../../transport';
import { advancedCollection, asyncTaskIdParameter, formerOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	...asyncTaskIdParameter,
	formerOptions,
	advancedCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const asyncTaskId = asyncTaskIdOf.call(this, itemIndex);
	return this.helpers.returnJsonArray(await getTask(session, asyncTaskId, itemRequestSettings(this, itemIndex)));
}
