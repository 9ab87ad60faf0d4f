import type { INodeProperties } from 'n8n-workflow';

import * as customer from './customer';

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Customer', value: 'customer' }],
		default: 'customer',
	},
	...customer.description,
];
