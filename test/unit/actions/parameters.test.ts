import { ExportCustomer, SearchCustomer } from '../../../nodes/Booster/api/dtos';
import { type Dto, NS, field } from '../../../nodes/Booster/api/schema';
import { transportOptions } from '../../../nodes/Booster/actions/common.descriptions';
import { parameterFor, parametersFor } from '../../../nodes/Booster/actions/parameters';
import { DEFAULT_TIMEOUT_MS } from '../../../nodes/Booster/transport';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/Booster/transport/retry';

describe('editor parameters derived from the DTO descriptions', () => {
	it('takes name, display name, type, required flag and limits from the field', () => {
		expect(parameterFor(SearchCustomer, 'brand')).toEqual([{ displayName: 'Brand', name: 'brand', required: true, type: 'string', default: '' }]);
		expect(parameterFor(SearchCustomer, 'clientSpendingFrom')).toEqual([
			{ displayName: 'Client Spending From', name: 'clientSpendingFrom', type: 'number', default: 0, typeOptions: { minValue: 0 } },
		]);
		expect(parameterFor(SearchCustomer, 'creationDateTo')[0]).toMatchObject({ type: 'dateTime', default: '' });
		expect(parameterFor(SearchCustomer, 'hasSapCrmError')[0]).toMatchObject({ type: 'options', default: 'any' });
	});

	it('offers the known values of a field as a list to pick from', () => {
		expect(parameterFor(SearchCustomer, 'customerStatus')[0]).toMatchObject({
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'Client', value: 'Client' },
				{ name: 'Prospect', value: 'Prospect' },
			],
		});
	});

	it('makes a list of objects a repeatable group with the entry class\'s fields, and keeps an expression-given group', () => {
		const [group, keeper] = parameterFor(SearchCustomer, 'interests', { entry: { name: 'interest', displayName: 'Interest' } });
		expect(group).toMatchObject({ name: 'interests', type: 'fixedCollection', typeOptions: { multipleValues: true }, placeholder: 'Add Interest' });
		expect(group.options).toEqual([
			{
				displayName: 'Interest',
				name: 'interest',
				values: [
					{ displayName: 'Interest', name: 'interest', type: 'string', default: '', required: true, placeholder: '' },
					{ displayName: 'SAP Interest ID', name: 'sapInterestId', type: 'string', default: '', required: true, placeholder: '' },
				],
			},
		]);
		expect(keeper).toEqual({ displayName: 'Interests', name: 'interests', type: 'hidden', default: {} });
	});

	it('lets the operation add what is about the editor, and change the type where the editor shows it otherwise', () => {
		const [id] = parameterFor(ExportCustomer, 'downloadRequestId', { required: false, description: 'Left empty, one is generated' });
		expect(id).toEqual({ displayName: 'Download Request ID', name: 'downloadRequestId', type: 'string', default: '', description: 'Left empty, one is generated' });
	});

	it('a new field is one line in the DTO and one entry in the operation', () => {
		const Extended = {
			name: 'ExtendedSearch',
			namespace: NS.crm,
			base: SearchCustomer,
			fields: { weddingDateFrom: field.dateTime('Wedding Date From') },
		} satisfies Dto;
		const parameters = parametersFor(Extended, { weddingDateFrom: { description: 'Married on or after' }, birthdateMonths: {} });
		expect(parameters.map((parameter) => parameter.displayName)).toEqual(['Birthdate Months', 'Wedding Date From']);
		expect(parameters[1]).toEqual({ displayName: 'Wedding Date From', name: 'weddingDateFrom', type: 'dateTime', default: '', description: 'Married on or after' });
	});

	it('refuses a field the class does not have', () => {
		expect(() => parameterFor(SearchCustomer, 'notAField')).toThrow(/SearchCustomer has no field "notAField"/);
	});
});

it('the literal defaults of Max Retries and Request Timeout are the transport\'s defaults', () => {
	const byName = Object.fromEntries(transportOptions.map((option) => [option.name, option.default]));
	expect(byName.maxRetries).toBe(DEFAULT_RETRY_POLICY.maxRetries);
	expect(byName.timeoutSeconds).toBe(DEFAULT_TIMEOUT_MS / 1000);
});
