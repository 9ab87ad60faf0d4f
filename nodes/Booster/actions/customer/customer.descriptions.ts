import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { GetCustomer } from '../../api/dtos';
import type { Dto } from '../../api/schema';
import { FieldError } from '../../api/validation';
import { requestFromParameters } from '../../helpers/request';
import { MONTH_OPTIONS } from '../common.descriptions';
import { COUNTRY_OPTIONS } from '../countries';
import { parameterFor, parametersFor } from '../parameters';

const LIST_HINT = 'Separate values with commas, or use an expression returning a list';
export const WHOLE_DAY =
	'A day picked without a time covers the whole day; a time, if you pick one, is kept. Sent as the time in the workflow\'s time zone.';
const SPENDING = "Amount in the currency of the customer's boutique (for example CHF for a Geneva boutique), in plain digits";

/** The filters of Booster's customer search (SearchCustomer), shared by Export and Search. */
export function searchFilters(dto: Dto): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: parametersFor(dto, {
			birthdateMonths: { type: 'multiOptions', options: MONTH_OPTIONS, default: [], description: 'Customers born in any of these months' },
			boosterCustomerIds: { placeholder: 'e.g. 1234567, 7654321', description: `Only these customers. ${LIST_HINT}.` },
			canBeContactedByMaison: { description: 'Whether the customer agreed to be contacted by the Maison' },
			clientSpendingFrom: { placeholder: 'e.g. 10000', description: `Lowest total spending. ${SPENDING}.` },
			clientSpendingTo: { placeholder: 'e.g. 50000', description: `Highest total spending. ${SPENDING}.` },
			creationDateFrom: { description: `Customers created on or after this day. ${WHOLE_DAY}` },
			creationDateTo: { description: `Customers created on or before this day. ${WHOLE_DAY}` },
			customerStatus: { description: 'Clients have bought; prospects have not' },
			email: { placeholder: 'name@email.com', description: 'Exact e-mail address of the customer' },
			hasSapCrmError: { description: 'Whether the customer failed to synchronise with SAP CRM' },
			hobbies: { entry: { name: 'hobby', displayName: 'Hobby' }, entryPlaceholders: { hobby: 'e.g. Art', sapHobbyId: 'e.g. ART' } },
			interests: { entry: { name: 'interest', displayName: 'Interest' }, entryPlaceholders: { interest: 'e.g. Art', sapInterestId: 'e.g. CA-1' } },
			locationCountryIds: {
				displayName: 'Location Countries',
				type: 'multiOptions',
				options: COUNTRY_OPTIONS,
				default: [],
				description: 'Countries where the customers live. Choose from the list, or use an expression returning two-letter codes such as ch, fr.',
			},
			phoneNumber: { description: 'Exact phone number of the customer' },
			productCategories: {
				entry: { name: 'productCategory', displayName: 'Product Category' },
				entryPlaceholders: { grandCategoryId: '', masterCategoryId: '', categoryId: '', subCategoryId: '', brandCategoryId: '' },
			},
			productCollections: {
				entry: { name: 'productCollection', displayName: 'Product Collection' },
				entryPlaceholders: { productCollection: 'e.g. Panthère', sapProductCollectionId: 'e.g. CA-1' },
			},
			saleRepresentativeEmails: {
				placeholder: 'e.g. anna@maison.com, marc@maison.com',
				description: `Customers followed by these sales representatives. ${LIST_HINT}.`,
			},
			searchKey: { description: 'Free search on name, e-mail, phone (without prefix), Booster customer ID or SAP CRM ID' },
			transactionDateFrom: { description: `Customers with a purchase or return on or after this day. ${WHOLE_DAY}` },
			transactionDateTo: { description: `Customers with a purchase or return on or before this day. ${WHOLE_DAY}` },
		}),
	};
}

/** The customer an operation is about, by Booster customer ID. */
export const customerIdParameter: INodeProperties = {
	displayName: 'Customer',
	name: 'customerId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	description: 'The customer in Booster, usually mapped from the boosterCustomerId field of an earlier node',
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1234567',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'Enter a Booster customer ID: a whole number such as 1234567' },
				},
			],
		},
	],
};

/** The item's Booster customer ID, checked like the API's request field. */
export function customerIdOf(context: IExecuteFunctions, itemIndex: number): number {
	const value = context.getNodeParameter('customerId', itemIndex, undefined, { extractValue: true });
	const { boosterCustomerId } = requestFromParameters(GetCustomer, { boosterCustomerId: value }, context.getTimezone());
	if (boosterCustomerId === undefined) {
		throw new FieldError('boosterCustomerId', 'Customer', value, 'Enter the Booster customer ID, such as 1234567, or map it from an earlier node.');
	}
	return boosterCustomerId as number;
}

/** Brand and POS Codes, which every customer search of Booster starts from. */
export function brandAndPosCodes(dto: Dto, whose: string): INodeProperties[] {
	return [
		...parameterFor(dto, 'brand', {
			placeholder: 'e.g. CAR',
			description: 'Brand trigram of the Maison, such as CAR for Cartier',
		}),
		...parameterFor(dto, 'posCodes', {
			displayName: 'POS Codes Names or IDs',
			type: 'multiOptions',
			default: [],
			typeOptions: { loadOptionsMethod: 'getPosCodes', loadOptionsDependsOn: ['brand'] },
			description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			hint: `The boutiques whose customers to ${whose}. An expression may return a list, or codes separated by commas.`,
		}),
	];
}
