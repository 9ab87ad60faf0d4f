import { ExportCustomer, GetCustomerKpi } from '../../../nodes/Booster/api/dtos';
import { FieldError, findInvalidField, validateDto } from '../../../nodes/Booster/api/validation';

const valid = { brand: 'CAR', posCodes: ['CH100:100001'], downloadRequestId: 'r-1' };

function invalidField(value: Record<string, unknown>): FieldError | undefined {
	return findInvalidField(ExportCustomer, value);
}

describe('request validation derived from the DTO descriptions', () => {
	it('accepts a complete request', () => {
		expect(() =>
			validateDto(ExportCustomer, {
				...valid,
				clientSpendingFrom: 10000,
				clientSpendingTo: 50000,
				birthdateMonths: [1, 12],
				creationDateFrom: '2024-01-01',
				creationDateTo: '2024-02-29',
				productCategories: [{ grandCategoryId: 'JEW' }],
				saleRepresentativeEmails: ['anna@maison.com'],
			}),
		).not.toThrow();
	});

	it.each([
		['a missing brand', { posCodes: ['A'], downloadRequestId: 'r' }, 'brand', /required/],
		['an empty POS list', { ...valid, posCodes: [] }, 'posCodes', /at least one/],
		['a brand with path characters', { ...valid, brand: '../x' }, 'brand', /letters, digits/],
		['a brand with a query', { ...valid, brand: 'CAR?x=1' }, 'brand', /letters, digits/],
		['month 13', { ...valid, birthdateMonths: [1, 13] }, 'birthdateMonths', /at most 12/],
		['month 0', { ...valid, birthdateMonths: [0] }, 'birthdateMonths', /at least 1/],
		['a negative amount', { ...valid, clientSpendingFrom: -5 }, 'clientSpendingFrom', /at least 0/],
		['spending from above to', { ...valid, clientSpendingFrom: 500, clientSpendingTo: 100 }, 'clientSpendingFrom', /swap/],
		['dates in the wrong order', { ...valid, creationDateFrom: '2024-05-01', creationDateTo: '2024-04-30' }, 'creationDateFrom', /swap/],
		['an impossible date', { ...valid, transactionDateFrom: '2023-02-29' }, 'transactionDateFrom', /YYYY-MM-DD/],
		['a malformed e-mail', { ...valid, email: 'anna.maison.com' }, 'email', /e-mail address/],
		['a malformed representative e-mail', { ...valid, saleRepresentativeEmails: ['ok@x.com', 'nope'] }, 'saleRepresentativeEmails', /Entry 2/],
		['a fractional customer ID', { ...valid, boosterCustomerIds: [1.5] }, 'boosterCustomerIds', /whole number/],
		['a product category without its grand category', { ...valid, productCategories: [{ categoryId: 'X' }] }, 'productCategories[0].grandCategoryId', /required/],
		['an interest without its SAP ID', { ...valid, interests: [{ interest: 'Art' }] }, 'interests[0].sapInterestId', /required/],
		['an oversized list', { ...valid, posCodes: Array.from({ length: 1001 }, (_, i) => `P${i}`) }, 'posCodes', /at most 1000/],
		['a field the API does not have', { ...valid, region: 'EU' }, 'region', /no field/],
	])('refuses %s, naming the field', (_, request, field, hint) => {
		const error = invalidField(request);
		expect(error).toBeInstanceOf(FieldError);
		expect(error!.field).toBe(field);
		expect(error!.message).toMatch(hint);
	});

	it('names the value in the message', () => {
		expect(invalidField({ ...valid, email: 'anna.maison.com' })!.message).toContain('"anna.maison.com"');
	});

	it('checks the KPI request too', () => {
		expect(findInvalidField(GetCustomerKpi, { boosterCustomerId: 0 })!.field).toBe('boosterCustomerId');
		expect(findInvalidField(GetCustomerKpi, { boosterCustomerId: 42 })).toBeUndefined();
	});
});

describe('characters no XML 1.0 document can carry', () => {
	const C0_CONTROLS = Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).filter((c) => !'\t\n\r'.includes(c));

	it.each(C0_CONTROLS.map((c) => [`U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`, c]))('refuses %s in a text field', (_, c) => {
		expect(invalidField({ ...valid, downloadRequestId: `r${c}1` })?.message).toMatch(/control character or a broken character/);
	});

	it.each([
		['U+FFFE', '\uFFFE'],
		['U+FFFF', '\uFFFF'],
		['a lone high surrogate', '\uD83D'],
		['a lone low surrogate', '\uDE00'],
	])('refuses %s in a text field', (_, c) => {
		expect(invalidField({ ...valid, downloadRequestId: `r${c}1` })?.message).toMatch(/control character or a broken character/);
	});

	it.each([
		['tab', '\t'],
		['line feed', '\n'],
		['carriage return', '\r'],
		['U+007F', '\u007F'],
		['a surrogate pair', '\uD83D\uDE00'],
		['U+FFFD', '\uFFFD'],
	])('accepts %s', (_, c) => {
		expect(invalidField({ ...valid, downloadRequestId: `r${c}1` })).toBeUndefined();
	});
});
