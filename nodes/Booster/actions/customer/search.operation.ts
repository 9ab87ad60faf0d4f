import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { API, GetCustomerPaginated } from '../../api/dtos';
import { collectPages, limitOf } from '../../helpers/pages';
import { requestFromParameters } from '../../helpers/request';
import { requestSettings, settingsOf } from '../../helpers/settings';
import { type BoosterSession, callBooster } from '../../transport';
import { advancedCollection, optionsCollection, returnAllParameters } from '../common.descriptions';
import { parameterFor } from '../parameters';
import { brandAndPosCodes, searchFilters } from './customer.descriptions';

const SORT_OPTIONS = [
	{ name: 'Booster Order', value: '' },
	{ name: 'Name (A to Z)', value: 'NameASC' },
	{ name: 'Name (Z to A)', value: 'NameDESC' },
	{ name: 'Registration Date (Newest First)', value: 'RegDESC' },
	{ name: 'Registration Date (Oldest First)', value: 'RegASC' },
];

const properties: INodeProperties[] = [
	...brandAndPosCodes(GetCustomerPaginated, 'search'),
	...returnAllParameters,
	searchFilters(GetCustomerPaginated),
	optionsCollection([
		...parameterFor(GetCustomerPaginated, 'sortBy', { type: 'options', options: SORT_OPTIONS, default: '', description: 'Order of the customers' }),
	]),
	advancedCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['search'] } }, properties);

/** The slim customer list, page by page; answers at once, where an export prepares a file. */
export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const { options, advanced } = settingsOf(this, itemIndex);
	const parameters: IDataObject = {
		brand: this.getNodeParameter('brand', itemIndex),
		posCodes: this.getNodeParameter('posCodes', itemIndex),
		...(this.getNodeParameter('filters', itemIndex, {}) as IDataObject),
		sortBy: options.sortBy,
	};
	const search = requestFromParameters(GetCustomerPaginated, parameters, this.getTimezone());
	const limit = limitOf(this, itemIndex);
	const settings = requestSettings(advanced, itemIndex);
	const customers = await collectPages(
		async (page, items) => await callBooster(session, API.getCustomerPaginated, { ...search, page, items }, settings),
		limit,
	);
	return this.helpers.returnJsonArray(customers);
}
