import type { INodeProperties } from 'n8n-workflow';

import * as customer from './customer';
import * as pointOfSale from './pointOfSale';
import * as task from './task';

export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Customer', value: 'customer' },
			{ name: 'Point of Sale', value: 'pointOfSale' },
			{ name: 'Task', value: 'task' },
		],
		default: 'customer',
	},
	...customer.description,
	...pointOfSale.description,
	...task.description,
];
