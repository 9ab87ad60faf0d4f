import type { INodeProperties } from 'n8n-workflow';

import type { BoosterOperation } from '../operation';
import * as exportCustomers from './export.operation';
import * as get from './get.operation';
import * as getKpi from './getKpi.operation';
import * as search from './search.operation';
import * as updateConsents from './updateConsents.operation';

export const operations: Record<'export' | 'get' | 'getKpi' | 'search' | 'updateConsents', BoosterOperation> = {
	export: exportCustomers,
	get,
	getKpi,
	search,
	updateConsents,
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
				description: 'Export the customers matching filters, as items or as a file',
				action: 'Export customers',
			},
			{ name: 'Get', value: 'get', description: 'Get one customer with e-mails, phones and events', action: 'Get a customer' },
			{
				name: 'Get KPI',
				value: 'getKpi',
				description: 'Get the purchase KPIs of a customer',
				action: 'Get KPI of a customer',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find customers matching filters, without waiting for an export',
				action: 'Search customers',
			},
			{
				name: 'Update Consents',
				value: 'updateConsents',
				description: 'Change how a customer may be contacted',
				action: 'Update the consents of a customer',
			},
		],
		default: 'export',
	},
	...exportCustomers.description,
	...get.description,
	...getKpi.description,
	...search.description,
	...updateConsents.description,
];
