import type { INodeProperties } from 'n8n-workflow';

import * as customer from './customer';
import * as task from './task';

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Customer', value: 'customer' },
			{ name: 'Task', value: 'task' },
		],
		default: 'customer',
	},
	...customer.description,
	...task.description,
];
