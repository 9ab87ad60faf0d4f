import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { API, GetCustomerKpi } from '../../api/dtos';
import { requestFromParameters } from '../../helpers/request';
import { requestSettings, wholeNumberIn } from '../../helpers/settings';
import { type BoosterSession, callBooster } from '../../transport';
import { optionsCollection, transportOptions } from '../common.descriptions';
import { parameterFor, parametersFor } from '../parameters';

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
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			default: DEFAULT_CONCURRENCY,
			typeOptions: { minValue: 1, maxValue: 64 },
			description: 'How many customers to ask Booster about at the same time',
		},
		...transportOptions,
		...parametersFor(GetCustomerKpi, {
			transactionDateFrom: { description: 'Count only transactions on or after this date' },
			transactionDateTo: { description: 'Count only transactions on or before this date' },
		}),
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['getKpi'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const parameters: IDataObject = {
		boosterCustomerId: this.getNodeParameter('boosterCustomerId', itemIndex),
		transactionDateFrom: options.transactionDateFrom,
		transactionDateTo: options.transactionDateTo,
	};
	const request = requestFromParameters(GetCustomerKpi, parameters, this.getTimezone());
	const kpi = await callBooster(session, API.getCustomerKpi, request, requestSettings(options, itemIndex));
	return this.helpers.returnJsonArray(kpi);
}

export function concurrency(this: IExecuteFunctions): number {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	return wholeNumberIn(options.concurrency, DEFAULT_CONCURRENCY, 1, 64);
}
