import type { INodeProperties } from 'n8n-workflow';

import type { BoosterOperation } from '../operation';
import * as getMany from './getMany.operation';

export const operations: Record<'getMany', BoosterOperation> = { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['pointOfSale'] } },
		options: [{ name: 'Get Many', value: 'getMany', description: 'List the points of sale of a brand', action: 'Get many points of sale' }],
		default: 'getMany',
	},
	...getMany.description,
];
