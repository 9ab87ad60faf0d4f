import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { API, GetCustomerKpi } from '../../api/dtos';
import { requestFromParameters } from '../../helpers/request';
import { requestSettings, settingsOf, wholeNumberIn } from '../../helpers/settings';
import { type BoosterSession, callBooster } from '../../transport';
import { advancedCollection, optionsCollection } from '../common.descriptions';
import { parameterFor, parametersFor } from '../parameters';
import { WHOLE_DAY } from './customer.descriptions';

export const DEFAULT_CONCURRENCY = 16;

const properties: INodeProperties[] = [
	...parameterFor(GetCustomerKpi, 'boosterCustomerId', {
		type: 'string',
		default: '',
		placeholder: 'e.g. 1234567',
		description: 'ID of the customer in Booster, usually mapped from the boosterCustomerId field of an earlier node',
	}),
	optionsCollection([
		{
			displayName: 'Include Input Fields',
			name: 'includeInputFields',
			type: 'boolean',
			default: false,
			description: 'Whether to output the fields of the input item with the KPIs added, so that a list of customers keeps its own columns',
		},
		...parametersFor(GetCustomerKpi, {
			transactionDateFrom: { description: `Count only transactions on or after this day. ${WHOLE_DAY}` },
			transactionDateTo: { description: `Count only transactions on or before this day. ${WHOLE_DAY}` },
		}),
		// Saved here before it moved to Advanced.
		{ displayName: 'Concurrency', name: 'concurrency', type: 'hidden', default: DEFAULT_CONCURRENCY },
	]),
	advancedCollection([
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			default: DEFAULT_CONCURRENCY,
			typeOptions: { minValue: 1, maxValue: 64 },
			description: 'How many customers to ask Booster about at the same time',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['getKpi'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const { options, advanced } = settingsOf(this, itemIndex);
	const parameters: IDataObject = {
		boosterCustomerId: this.getNodeParameter('boosterCustomerId', itemIndex),
		transactionDateFrom: options.transactionDateFrom,
		transactionDateTo: options.transactionDateTo,
	};
	const request = requestFromParameters(GetCustomerKpi, parameters, this.getTimezone());
	const kpi = await callBooster(session, API.getCustomerKpi, request, requestSettings(advanced, itemIndex));
	const input = options.includeInputFields === true ? this.getInputData()[itemIndex].json : {};
	return this.helpers.returnJsonArray({ ...input, ...kpi });
}

export function concurrency(this: IExecuteFunctions): number {
	const { advanced } = settingsOf(this, 0);
	return wholeNumberIn(advanced.concurrency, DEFAULT_CONCURRENCY, 1, 64);
}
