import type { INodeProperties } from 'n8n-workflow';

import type { BoosterOperation } from '../operation';
import * as exportCustomers from './export.operation';
import * as getKpi from './getKpi.operation';

export const operations: Record<'export' | 'getKpi', BoosterOperation> = {
	export: exportCustomers,
	getKpi,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Export',
				value: 'export',
				description: 'Start an export of the customers matching filters',
				action: 'Export customers',
			},
			{
				name: 'Get KPI',
				value: 'getKpi',
				description: 'Get the purchase KPIs of a customer',
				action: 'Get customer KPIs',
			},
		],
		default: 'export',
	},
	...exportCustomers.description,
	...getKpi.description,
];
