import type { INodeProperties } from 'n8n-workflow';

import type { BoosterOperation } from '../operation';
import * as downloadFile from './downloadFile.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const operations: Record<'get' | 'getMany' | 'downloadFile', BoosterOperation> = {
	get,
	getMany,
	downloadFile,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['task'] } },
		options: [
			{
				name: 'Download File',
				value: 'downloadFile',
				description: 'Download the file of a completed export task',
				action: 'Download the file of a task',
			},
			{ name: 'Get', value: 'get', description: 'Get an export task', action: 'Get a task' },
			{ name: 'Get Many', value: 'getMany', description: 'List the export tasks of the account', action: 'Get many tasks' },
		],
		default: 'get',
	},
	...get.description,
	...getMany.description,
	...downloadFile.description,
];
