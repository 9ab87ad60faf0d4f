/**
 * Hostile inputs: values built to slip past validation, across every parameter of every operation
 * and the credential's Base URL, including the "almost valid" ones (30 February, 0x10, a lone
 * surrogate, an e-mail with two dots). Each must stop its item with an error that names the field,
 * shows the value (control characters: at least the field) and the item, before anything reaches
 * Booster; with Continue On Fail, the good items around it still succeed.
 *
 * Also: a repeatable group of the export filters given as an expression (a list of entries, one
 * entry, or the editor's `{ entry: [...] }` shape) reaches the request in JSON and XML; n8n itself
 * turns such a value into {} before the node runs, which used to drop the filter silently.
 *
 * Complements test/integration/reliability/bad-input.test.ts (none of its cases is repeated).
 */
import type { IDataObject } from 'n8n-workflow';

import { ExportCustomer, GetCustomer, GetCustomerKpi, GetCustomerPaginated, GetPosBrand, GetTaskDetail, UpdateConsents } from '../../../nodes/Booster/api/dtos';
import { allFields } from '../../../nodes/Booster/api/schema';

import type { SandboxCustomer, SandboxLogEntry } from '../../sandbox';
import { BOOSTER, type Env, apiRequests, credential, resetSandboxLog, startInputEnv } from '../reliability/env';

let env: Env;
let goodCustomer: number;
let goodTask: string;
let pos: string[];
/** A CAR customer with every list filled: the good items of Customer → Search filter on its values, so that they find someone. */
let searched: SandboxCustomer;

let tried = 0;
let refused = 0;

beforeAll(async () => {
	({ env, goodCustomer, goodTask, pos } = await startInputEnv());
	searched = [...env.sandbox.state.dataset.customersOfBrand('CAR')].find(
		(c) =>
			pos.includes(c.posCode) &&
			c.birthDate !== null &&
			c.interests.length > 0 &&
			c.hobbies.length > 0 &&
			c.productCollections.length > 0 &&
			c.productCategories.length > 0 &&
			c.saleRepresentativeEmails.length > 0,
	)!;
	expect(searched).toBeDefined();
});
afterAll(async () => {
	await env?.stop();
});

/** Operations by a name unique across resources (Customer → Get is `customerGet`, Point of Sale → Get Many `posGetMany`). */
type Operation = 'export' | 'getKpi' | 'get' | 'getMany' | 'downloadFile' | 'customerGet' | 'search' | 'updateConsents' | 'posGetMany';

interface Hostile {
	name: string;
	operation: Operation;
	/** Node parameters; the value under test comes from `$json.v` (data) or `$json.bad` (expression). */
	parameters: IDataObject;
	/** Value of `$json.v` for the bad item (data cases). */
	bad?: unknown;
	/** Value of `$json.v` for the good items; `GOOD_*` markers are filled in once the sandbox runs. */
	good: unknown;
	/** The field the error must name (the API's name). */
	field: string;
	/** Text of the value the error must show; null when only the field can be asked (control characters). */
	shows: string | null;
}

const RESOURCE: Record<Operation, string> = {
	export: 'customer',
	getKpi: 'customer',
	get: 'task',
	getMany: 'task',
	downloadFile: 'task',
	customerGet: 'customer',
	search: 'customer',
	updateConsents: 'customer',
	posGetMany: 'pointOfSale',
};
/** The node's name of each operation. */
const OPERATION: Record<Operation, string> = {
	export: 'export',
	getKpi: 'getKpi',
	get: 'get',
	getMany: 'getMany',
	downloadFile: 'downloadFile',
	customerGet: 'get',
	search: 'search',
	updateConsents: 'updateConsents',
	posGetMany: 'getMany',
};
/** The main request of each operation: one per good item. */
const MAIN_ROUTE: Record<Operation, string> = {
	export: 'POST /customer/{brand}/export',
	getKpi: 'GET /customer/{boosterCustomerId}/kpi',
	get: 'GET /tasks/{asyncTaskId}',
	downloadFile: 'GET /tasks/{asyncTaskId}',
	getMany: 'GET /tasks',
	customerGet: 'GET /customer/{boosterCustomerId}',
	search: 'GET /customer/{brand}/slim',
	updateConsents: 'PATCH /customer/{boosterCustomerId}/updateConsents',
	posGetMany: 'GET /security/pos',
};

const V = '={{ $json.v }}';
/** The bad item gets `expression`, the good items `$json.v`: for values no JSON item can carry (NaN, a Date, a Luxon DateTime). */
const X = (expression: string) => `={{ $json.bad ? (${expression}) : $json.v }}`;

const GOOD_CUSTOMER = Symbol('good customer');
const GOOD_TASK = Symbol('good task');
const GOOD_POS = Symbol('good POS codes');

type Format = 'json' | 'xml';
const FORMATS: Format[] = ['json', 'xml'];
/** The Advanced settings of a case in `format`. */
const formatAdvanced = (format: Format): IDataObject => (format === 'xml' ? { requestFormat: 'xml' } : {});

/** Characters no field may carry, each named for the test title. */
const UNSENDABLE: Array<[string, string]> = [
	['NUL \\u0000', '\u0000'],
	['SOH \\u0001', '\u0001'],
	['vertical tab \\u000B', '\u000B'],
	['lone high surrogate \\uD800', '\uD800'],
	['lone low surrogate \\uDC00', '\uDC00'],
	['non-character \\uFFFF', '\uFFFF'],
];

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/** Output Task: a good item outputs the started export, one item, without waiting for it. */
function exportParameters(filters: IDataObject = {}, advanced: IDataObject = {}, overrides: IDataObject = {}, options: IDataObject = {}): IDataObject {
	return { brand: 'CAR', posCodes: '={{ $json.pos }}', output: 'task', filters, options, advanced, ...overrides };
}

/** A filter of the export given `bad` through `$json.v`. */
function filter(name: string, key: string, bad: unknown, shows: string | null, good: unknown, format: Format = 'json', extra: IDataObject = {}): Hostile {
	return {
		name: `${key}: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'export',
		parameters: exportParameters({ [key]: V, ...extra }, formatAdvanced(format)),
		bad,
		good,
		field: key,
		shows,
	};
}

/** A filter of the export given by an expression for the bad item. */
function filterExpression(name: string, key: string, expression: string, shows: string | null, good: unknown, extra: IDataObject = {}, field = key): Hostile {
	return { name: `${key}: ${name}`, operation: 'export', parameters: exportParameters({ [key]: X(expression), ...extra }), good, field, shows };
}

function brand(name: string, bad: unknown, shows: string | null, format: Format = 'json'): Hostile {
	return {
		name: `brand: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'export',
		parameters: exportParameters({}, formatAdvanced(format), { brand: V }),
		bad,
		good: 'CAR',
		field: 'brand',
		shows,
	};
}

function posCodes(name: string, bad: unknown, shows: string | null, format: Format = 'json'): Hostile {
	return {
		name: `posCodes: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'export',
		parameters: exportParameters({}, formatAdvanced(format), { posCodes: V }),
		bad,
		good: GOOD_POS,
		field: 'posCodes',
		shows,
	};
}

interface Group {
	key: 'interests' | 'hobbies' | 'productCollections' | 'productCategories';
	entryName: string;
	entry: Record<string, string>;
	/** DataContract element of one entry in XML. */
	element: string;
}

const GROUPS: Group[] = [
	{ key: 'interests', entryName: 'interest', entry: { interest: 'Art', sapInterestId: 'CA-1' }, element: 'GetCustomerInterest' },
	{ key: 'hobbies', entryName: 'hobby', entry: { hobby: 'Golf', sapHobbyId: 'GLF' }, element: 'GetCustomerHobby' },
	{
		key: 'productCollections',
		entryName: 'productCollection',
		entry: { productCollection: 'Panthere', sapProductCollectionId: 'CA-PAN' },
		element: 'GetCustomerProductCollection',
	},
	{ key: 'productCategories', entryName: 'productCategory', entry: { grandCategoryId: 'G1', masterCategoryId: 'M1' }, element: 'ProductCategory' },
];

/** One field of a group entry, set in the editor's shape, given `bad`. */
function groupField(group: Group, fieldName: string, name: string, bad: unknown, shows: string | null, format: Format = 'json'): Hostile {
	return {
		name: `${group.key}[0].${fieldName}: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'export',
		parameters: exportParameters({ [group.key]: { [group.entryName]: [{ ...group.entry, [fieldName]: V }] } }, formatAdvanced(format)),
		bad,
		good: group.entry[fieldName],
		field: `${group.key}[0].${fieldName}`,
		shows,
	};
}

/** A whole group given by an expression (`$json.v`). */
function groupValue(group: Group, name: string, bad: unknown, shows: string, field: string = group.key, format: Format = 'json'): Hostile {
	return {
		name: `${group.key} from an expression: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'export',
		parameters: exportParameters({ [group.key]: V }, formatAdvanced(format)),
		bad,
		good: [group.entry],
		field,
		shows,
	};
}

function option(name: string, key: string, bad: unknown, shows: string | null, good: unknown): Hostile {
	return { name: `options.${key}: ${name}`, operation: 'export', parameters: exportParameters({}, {}, {}, { [key]: V }), bad, good, field: key, shows };
}

function kpiId(name: string, bad: unknown, shows: string | null): Hostile {
	return { name: `boosterCustomerId: ${name}`, operation: 'getKpi', parameters: { boosterCustomerId: V }, bad, good: GOOD_CUSTOMER, field: 'boosterCustomerId', shows };
}

function kpiIdExpression(name: string, expression: string, shows: string): Hostile {
	return { name: `boosterCustomerId: ${name}`, operation: 'getKpi', parameters: { boosterCustomerId: X(expression) }, good: GOOD_CUSTOMER, field: 'boosterCustomerId', shows };
}

function kpiDate(key: 'transactionDateFrom' | 'transactionDateTo', name: string, bad: unknown, shows: string | null, format: Format = 'json'): Hostile {
	return {
		name: `options.${key}: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'getKpi',
		parameters: { boosterCustomerId: '={{ $json.id }}', options: { [key]: V }, advanced: formatAdvanced(format) },
		bad,
		good: '2024-01-15',
		field: key,
		shows,
	};
}

function kpiDateExpression(key: 'transactionDateFrom' | 'transactionDateTo', name: string, expression: string, shows: string, extra: IDataObject = {}): Hostile {
	return {
		name: `options.${key}: ${name}`,
		operation: 'getKpi',
		parameters: { boosterCustomerId: '={{ $json.id }}', options: { [key]: X(expression), ...extra } },
		good: key === 'transactionDateFrom' ? '2023-01-01' : '2024-12-31',
		field: key,
		shows,
	};
}

function taskId(operation: 'get' | 'downloadFile', name: string, bad: unknown, shows: string | null): Hostile {
	return { name: `asyncTaskId: ${name}`, operation, parameters: { asyncTaskId: V }, bad, good: GOOD_TASK, field: 'asyncTaskId', shows };
}

function limit(name: string, bad: unknown, shows: string): Hostile {
	return { name: `limit: ${name}`, operation: 'getMany', parameters: { returnAll: false, limit: V }, bad, good: 3, field: 'limit', shows };
}

function limitExpression(name: string, expression: string, shows: string): Hostile {
	return { name: `limit: ${name}`, operation: 'getMany', parameters: { returnAll: false, limit: X(expression) }, good: 3, field: 'limit', shows };
}

/** The Customer locator (By ID) of Customer → Get or Update Consents, as the editor stores it. */
const customerLocator = (value: string) => ({ __rl: true, mode: 'id', value });

/** One consent set to Yes: Update Consents needs at least one flag to send. */
const ONE_CONSENT: IDataObject = { contactByEmailFlag: 'yes' };

/** Customer → Get or Update Consents, the Customer given `bad` through `$json.v`. */
function customerId(operation: 'customerGet' | 'updateConsents', name: string, bad: unknown, shows: string | null): Hostile {
	return {
		name: `customerId: ${name}`,
		operation,
		parameters: { customerId: customerLocator(V), ...(operation === 'updateConsents' ? ONE_CONSENT : {}) },
		bad,
		good: GOOD_CUSTOMER,
		field: 'boosterCustomerId',
		shows,
	};
}

function customerIdExpression(operation: 'customerGet' | 'updateConsents', name: string, expression: string, shows: string): Hostile {
	return {
		name: `customerId: ${name}`,
		operation,
		parameters: { customerId: customerLocator(X(expression)), ...(operation === 'updateConsents' ? ONE_CONSENT : {}) },
		good: GOOD_CUSTOMER,
		field: 'boosterCustomerId',
		shows,
	};
}

/** A consent flag of Update Consents given `bad` through `$json.v` (the others left unchanged). */
function consent(key: string, name: string, bad: unknown, shows: string | null, format: Format = 'json'): Hostile {
	return {
		name: `${key}: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'updateConsents',
		parameters: { customerId: customerLocator('={{ $json.id }}'), [key]: V, advanced: formatAdvanced(format) },
		bad,
		good: 'yes',
		field: key,
		shows,
	};
}

/** Customer → Search, all CAR POS, one customer at most per good item. */
function searchParameters(filters: IDataObject = {}, overrides: IDataObject = {}, format: Format = 'json'): IDataObject {
	return { brand: 'CAR', posCodes: '={{ $json.pos }}', returnAll: false, limit: 1, filters, options: {}, advanced: formatAdvanced(format), ...overrides };
}

/** A filter of Customer → Search given `bad` through `$json.v`; `good` is read from the searched customer, so that the good items find it. */
function searchFilter(name: string, key: string, bad: unknown, shows: string | null, good: (customer: SandboxCustomer) => unknown, format: Format = 'json'): Hostile {
	return {
		name: `${key}: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'search',
		parameters: searchParameters({ [key]: V }, {}, format),
		bad,
		good: () => good(searched),
		field: key,
		shows,
	};
}

function searchParameter(key: 'brand' | 'posCodes' | 'limit', name: string, bad: unknown, shows: string | null, good: unknown): Hostile {
	return { name: `${key}: ${name}`, operation: 'search', parameters: searchParameters({}, { [key]: V }), bad, good, field: key, shows };
}

function sortBy(name: string, bad: unknown, shows: string | null, format: Format = 'json'): Hostile {
	return {
		name: `options.sortBy: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'search',
		parameters: searchParameters({}, { options: { sortBy: V } }, format),
		bad,
		good: 'NameASC',
		field: 'sortBy',
		shows,
	};
}

/** Point of Sale → Get Many, three at most per good item. */
function pointsOfSale(key: 'brand' | 'limit', name: string, bad: unknown, shows: string | null, format: Format = 'json'): Hostile {
	return {
		name: `${key}: ${name}${format === 'xml' ? ' (XML)' : ''}`,
		operation: 'posGetMany',
		parameters: { brand: 'CAR', returnAll: false, limit: 3, advanced: formatAdvanced(format), [key]: V },
		bad,
		good: key === 'brand' ? 'CAR' : 3,
		field: key,
		shows,
	};
}

function pointsOfSaleExpression(key: 'brand' | 'limit', name: string, expression: string, shows: string): Hostile {
	return {
		name: `${key}: ${name}`,
		operation: 'posGetMany',
		parameters: { brand: 'CAR', returnAll: false, limit: 3, [key]: X(expression) },
		good: key === 'brand' ? 'CAR' : 3,
		field: key,
		shows,
	};
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const TEN_MB = 10 * 1024 * 1024;
const GUID = '3f2b8c1e9a4d4e7b8c1f2a3b4c5d6e7f';
const INTERESTS = GROUPS[0];

/** Dates that look right but are not: each is tried on every date parameter. */
const ALMOST_DATES: Array<[string, string, string]> = [
	['30 February with a time and Z', '2026-02-30T10:00:00Z', '2026-02-30T10:00:00Z'],
	['trailing garbage', '2026-01-15garbage', '2026-01-15garbage'],
	['hour 99', '2026-01-15T99:99:99', '2026-01-15T99:99:99'],
	['hour 24 on a leap day', '2024-02-29T24:00:00', '2024-02-29T24:00:00'],
];

const DATE_FILTERS = ['creationDateFrom', 'creationDateTo', 'transactionDateFrom', 'transactionDateTo'] as const;

const CASES: Hostile[] = [
	// ----- Export: brand
	brand('inner space', 'CA R', 'CA R'),
	brand('spaced letters', 'C A R', 'C A R'),
	brand('unicode look-alike (Ç)', 'ÇAR', 'ÇAR'),
	brand('full-width letters', 'ＣＡＲ', 'ＣＡＲ'),
	brand('zero-width space inside', 'CA\u200BR', 'brand'),
	brand('non-breaking space inside', 'CA\u00A0R', 'brand'),
	brand('NUL', 'CAR\u0000', null),
	brand('lone surrogate (XML)', 'CAR\uD800', null, 'xml'),
	// Request Format XML saved in Options, where it was before it moved to Advanced.
	{ ...brand('lone low surrogate (XML saved in Options)', 'CAR\uDC00', null), parameters: exportParameters({}, {}, { brand: V }, { requestFormat: 'xml' }) },
	brand('dot-dot', '..', '..'),
	brand('percent-encoded dot-dot', '%2e%2e', '%2e%2e'),
	brand('fragment', 'CAR#x', 'CAR#x'),
	brand('backslash', 'CAR\\x', 'CAR\\\\x'),
	brand('33 characters', 'C'.repeat(33), 'CCCCCCCCCC'),
	brand('blank text (required)', '   ', 'brand'),
	{ ...brand('Date object from an expression', undefined, 'brand'), parameters: exportParameters({}, {}, { brand: X("new Date('2024-01-01')") }) },

	// ----- Export: POS codes
	posCodes('a 10 MB code', [`CH100:${'1'.repeat(TEN_MB)}`], 'CH100:1111'),
	posCodes('a 10 MB code next to an object', [`CH100:${'1'.repeat(TEN_MB)}`, { posCode: 'x' }], 'posCodes'),
	posCodes('a 65-character code', ['C'.repeat(65)], 'CCCCCCCCCC'),
	posCodes('only blanks and separators', ' , ; \n ', 'posCodes'),
	posCodes('list of empty lists', [[], []], 'posCodes'),
	posCodes('object nested in a list', [['CH100:100123', { x: 1 }]], 'posCodes'),
	posCodes('1,001 codes', Array.from({ length: 1001 }, (_, index) => `CH100:${200000 + index}`), '1001'),
	...FORMATS.flatMap((format) => UNSENDABLE.map(([label, char]) => posCodes(`${label} in a code`, [`CH100:100${char}123`], null, format))),

	// ----- Export: text filters, each control character in JSON and in XML
	filter('1,001 characters', 'searchKey', 's'.repeat(1001), 'ssssssssss', 'smith'),
	filter('201 characters (limit 200)', 'searchKey', 'k'.repeat(201), 'kkkkkkkkkk', 'smith'),
	filter('a list', 'searchKey', ['smith', 'jones'], 'smith', 'smith'),
	...FORMATS.flatMap((format) => UNSENDABLE.map(([label, char]) => filter(label, 'searchKey', `smi${char}th`, null, 'smith', format))),
	filter('51 characters (limit 50)', 'phoneNumber', '4'.repeat(51), '4444444444', '41791234567'),
	filter('an object', 'phoneNumber', { prefix: '+41' }, '{"prefix":"+41"}', '41791234567'),
	...FORMATS.flatMap((format) => UNSENDABLE.map(([label, char]) => filter(label, 'phoneNumber', `+4179${char}1234567`, null, '41791234567', format))),
	...FORMATS.flatMap((format) => UNSENDABLE.map(([label, char]) => filter(label, 'email', `anna${char}@maison.com`, null, 'anna@maison.com', format))),

	// ----- Export: e-mails that are almost valid
	filter('two dots in the domain', 'email', 'anna@maison..com', 'anna@maison..com', 'anna@maison.com'),
	filter('domain starts with a dot', 'email', 'anna@.maison.com', 'anna@.maison.com', 'anna@maison.com'),
	filter('local part starts with a dot', 'email', '.anna@maison.com', '.anna@maison.com', 'anna@maison.com'),
	filter('local part ends with a dot', 'email', 'anna.@maison.com', 'anna.@maison.com', 'anna@maison.com'),
	filter('two dots in the local part', 'email', 'an..na@maison.com', 'an..na@maison.com', 'anna@maison.com'),
	filter('trailing dot', 'email', 'anna@maison.com.', 'anna@maison.com.', 'anna@maison.com'),
	filter('one-letter top-level domain', 'email', 'anna@maison.x', 'anna@maison.x', 'anna@maison.com'),
	filter('domain label starts with a hyphen', 'email', 'anna@-maison.com', 'anna@-maison.com', 'anna@maison.com'),
	filter('two @', 'email', 'anna@@maison.com', 'anna@@maison.com', 'anna@maison.com'),
	filter('two addresses', 'email', 'anna@maison.com, marc@maison.com', 'anna@maison.com, marc@maison.com', 'anna@maison.com'),
	filter('with a display name', 'email', 'Anna <anna@maison.com>', 'Anna <anna@maison.com>', 'anna@maison.com'),
	filter('255 characters (limit 254)', 'email', `${'a'.repeat(64)}@${'b'.repeat(186)}.com`, 'aaaaaaaaaa', 'anna@maison.com'),
	filter('almost valid entry in the sales reps', 'saleRepresentativeEmails', 'anna@maison.com, marc@maison..com', 'marc@maison..com', 'anna@maison.com'),
	filter('NUL in a sales rep', 'saleRepresentativeEmails', ['anna@maison.com', 'marc\u0000@maison.com'], null, 'anna@maison.com'),
	filter('1,001 sales reps', 'saleRepresentativeEmails', Array.from({ length: 1001 }, (_, i) => `rep${i}@maison.com`), '1001', 'anna@maison.com'),

	// ----- Export: country IDs
	filter('entry of 9 characters (limit 8)', 'locationCountryIds', 'ch, switzerland', 'switzerland', 'ch'),
	filter('NUL in an entry', 'locationCountryIds', ['ch', 'f\u0000r'], null, 'ch'),
	filter('lone surrogate in an entry (XML)', 'locationCountryIds', ['ch', 'f\uDC00r'], null, 'ch', 'xml'),
	filter('1,001 entries', 'locationCountryIds', Array.from({ length: 1001 }, () => 'ch'), '1001', 'ch'),

	// ----- Export: amounts
	filter('hexadecimal text', 'clientSpendingFrom', '0x10', '0x10', 100),
	filter('binary text', 'clientSpendingFrom', '0b11', '0b11', 100),
	filter('exponent text', 'clientSpendingFrom', '1e3', '1e3', 100),
	filter('"Infinity" as text', 'clientSpendingTo', 'Infinity', 'Infinity', 5000),
	filter('"NaN" as text', 'clientSpendingTo', 'NaN', 'NaN', 5000),
	filter('thousands separator', 'clientSpendingTo', '1,000', '1,000', 5000),
	filter('space as thousands separator', 'clientSpendingFrom', '10 000', '10 000', 100),
	filter('Arabic-Indic digits', 'clientSpendingFrom', '١٠٠', '١٠٠', 100),
	filter('a boolean', 'clientSpendingFrom', true, 'true', 100),
	filter('a list', 'clientSpendingTo', [5000], '5000', 5000),
	filterExpression('NaN from an expression', 'clientSpendingFrom', 'NaN', 'NaN', 100),
	filterExpression('Infinity from an expression', 'clientSpendingTo', 'Infinity', 'Infinity', 5000),
	filterExpression('a number too big for a double', 'clientSpendingTo', "'1' + '0'.repeat(400)", '1000000000', 5000),

	// ----- Export: dates, every almost-valid date on every date filter
	...DATE_FILTERS.flatMap((key) => ALMOST_DATES.map(([name, bad, shows]) => filter(name, key, bad, shows, '2024-01-15'))),
	filterExpression('invalid JS Date from an expression', 'creationDateFrom', "new Date('x')", 'invalid date', '2023-01-01'),
	filterExpression('invalid JS Date from an expression', 'transactionDateTo', "new Date('x')", 'invalid date', '2024-12-31'),
	filterExpression('invalid Luxon DateTime from an expression', 'creationDateTo', "DateTime.fromISO('x')", 'Invalid DateTime', '2024-12-31'),
	filterExpression('invalid Luxon DateTime from an expression', 'transactionDateFrom', "DateTime.fromISO('2024-13-45')", 'Invalid DateTime', '2023-01-01'),
	// Shown as sent: the moment in UTC.
	filterExpression('Luxon DateTime after the "to" date', 'creationDateFrom', "DateTime.fromISO('2024-06-01T12:00:00', { zone: 'Europe/Zurich' })", '"2024-06-01T10:00:00.000Z"', '2023-01-01', {
		creationDateTo: '2024-01-01',
	}),
	filterExpression('a timestamp in milliseconds', 'transactionDateFrom', '1705312800000', '1705312800000', '2023-01-01'),
	filter('zone +25:00', 'creationDateFrom', '2024-01-15T10:00:00+25:00', '2024-01-15T10:00:00+25:00', '2024-01-15'),
	filter('29 February 1900', 'creationDateTo', '1900-02-29', '1900-02-29', '2024-01-15'),
	filter('year 0', 'transactionDateTo', '0000-01-01', '0000-01-01', '2024-01-15'),
	filter('leap second', 'transactionDateFrom', '2024-02-29T23:59:60', '2024-02-29T23:59:60', '2024-01-15'),
	filter('ten fraction digits', 'creationDateFrom', '2024-01-15T10:00:00.1234567890Z', '2024-01-15T10:00:00.1234567890Z', '2024-01-15'),
	filter('week date', 'creationDateFrom', '2024-W03-1', '2024-W03-1', '2024-01-15'),
	// A day with a zone but no time: refused like any date that is not one, naming the field (from an expression, each its own configuration).
	filterExpression('a zone but no time', 'creationDateTo', "'2024-01-15+01:00'", '2024-01-15+01:00', '2024-12-31'),
	filterExpression('a negative zone but no time', 'transactionDateFrom', "'2024-01-15-05:00'", '2024-01-15-05:00', '2023-01-01'),
	filter('NUL after the date', 'transactionDateTo', '2024-01-15\u0000', 'transactionDateTo', '2024-01-15'),

	// ----- Export: yes/no filters
	filter('a number', 'canBeContactedByMaison', 1, '1', 'yes'),
	filter('"on"', 'canBeContactedByMaison', 'on', 'on', 'yes'),
	filter('a list', 'hasSapCrmError', ['yes'], 'yes', 'no'),
	filter('an object', 'hasSapCrmError', { value: 'no' }, '{"value":"no"}', 'no'),
	filter('NUL', 'hasSapCrmError', 'no\u0000', null, 'no'),

	// ----- Export: birth months
	filter('hexadecimal text', 'birthdateMonths', ['0x1'], '0x1', [1]),
	filter('exponent text', 'birthdateMonths', ['1e1'], '1e1', [1]),
	filter('1e3 as a number', 'birthdateMonths', [1e3], '1000', [1]),
	filter('negative', 'birthdateMonths', [-1], '-1', [1]),
	filter('13 months', 'birthdateMonths', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1], '13 values', [1]),
	filter('a boolean', 'birthdateMonths', [true], 'true', [1]),
	filterExpression('NaN from an expression', 'birthdateMonths', '[NaN]', 'NaN', [1]),

	// ----- Export: customer status
	filterExpression('["Foo"] from an expression', 'customerStatus', '["Foo"]', 'Foo', ['Client']),
	filter('a known and an unknown status', 'customerStatus', ['Client', 'Clients'], 'Clients', ['Client']),
	filter('an object', 'customerStatus', [{ status: 'Client' }], '{"status":"Client"}', ['Client']),
	filter('NUL', 'customerStatus', ['Client\u0000'], null, ['Client']),

	// ----- Export: customer IDs
	filter('hexadecimal text', 'boosterCustomerIds', '0x10', '0x10', '1000001'),
	filter('binary text', 'boosterCustomerIds', '1000001, 0b11', '0b11', '1000001'),
	filter('exponent text', 'boosterCustomerIds', '1e6', '1e6', '1000001'),
	filter('"Infinity" as text', 'boosterCustomerIds', 'Infinity', 'Infinity', '1000001'),
	filter('"NaN" as text', 'boosterCustomerIds', ['NaN'], 'NaN', '1000001'),
	filter('zero', 'boosterCustomerIds', [1000001, 0], '0', '1000001'),
	filter('above Int32', 'boosterCustomerIds', [2147483648], '2147483648', '1000001'),
	filter('full-width digits', 'boosterCustomerIds', '１２３', '１２３', '1000001'),
	filter('object deep in nested lists', 'boosterCustomerIds', [1000001, [[{ id: 2 }]]], 'boosterCustomerIds', '1000001'),
	filterExpression('Infinity from an expression', 'boosterCustomerIds', '[Infinity]', 'Infinity', '1000001'),

	// ----- Export: repeatable groups, in the editor's shape
	...GROUPS.flatMap((group) => {
		const field = Object.keys(group.entry)[0];
		return FORMATS.flatMap((format) =>
			UNSENDABLE.filter((_, index) => index % 2 === (format === 'json' ? 0 : 1) || group.key === 'interests').map(([label, char]) =>
				groupField(group, field, label, `A${char}rt`, null, format),
			),
		);
	}),
	groupField(INTERESTS, 'interest', '1,001 characters', 'i'.repeat(1001), 'iiiiiiiiii'),
	groupField(GROUPS[2], 'sapProductCollectionId', 'a list', ['CA-1', 'CA-2'], '["CA-1","CA-2"]'),
	// ----- Export: repeatable groups from an expression (issue: the filter used to vanish)
	...GROUPS.flatMap((group) => [
		groupValue(group, 'a number', 5, '5'),
		groupValue(group, 'a string', 'Art', '"Art"'),
		groupValue(group, 'a list of numbers', [1, 2], '1', `${group.key}[0]`),
		groupValue(group, 'a boolean', true, 'true'),
	]),
	groupValue(INTERESTS, 'JSON text of a list', '[{"interest":"Sculpture","sapInterestId":"CA-9"}]', '[{\\"interest\\":\\"Sculpture'),
	groupValue(INTERESTS, 'a list of lists', [[INTERESTS.entry]], INTERESTS.entry.interest, 'interests[0]'),
	groupValue(INTERESTS, 'entry without its required SAP ID', [{ interest: 'Art' }], 'nothing', 'interests[0].sapInterestId'),
	groupValue(GROUPS[1], 'misspelt field (sapHobbyID)', [{ hobby: 'Golf', sapHobbyID: 'GLF' }], 'GLF', 'hobbies[0].sapHobbyID'),
	groupValue(GROUPS[1], 'empty entry', [{}], '{}', 'hobbies[0]'),
	groupValue(GROUPS[3], 'entry with only blanks', [{ grandCategoryId: ' ', masterCategoryId: '' }], 'productCategories[0]', 'productCategories[0]'),
	groupValue(GROUPS[2], '1,001 entries', Array.from({ length: 1001 }, () => GROUPS[2].entry), '1001'),
	groupValue(INTERESTS, 'NUL in an entry (XML)', [{ interest: 'Art\u0000', sapInterestId: 'CA-1' }], 'interests[0].interest', 'interests[0].interest', 'xml'),

	// ----- Export: options
	option('NUL', 'downloadRequestId', 'my-request\u0000', null, 'my-request-1'),
	option('lone surrogate', 'downloadRequestId', 'my-request-\uD800', null, 'my-request-1'),
	option('a list', 'downloadRequestId', ['a', 'b'], '["a","b"]', 'my-request-1'),

	// ----- Get KPI: customer ID
	kpiId('hexadecimal text', '0x10', '0x10'),
	kpiId('binary text', '0b11', '0b11'),
	kpiId('exponent text', '1e3', '1e3'),
	kpiId('"Infinity" as text', 'Infinity', 'Infinity'),
	kpiId('"NaN" as text', 'NaN', 'NaN'),
	kpiId('blank text (required)', ' ', 'boosterCustomerId'),
	kpiId('thousands separator', '1,000', '1,000'),
	kpiId('full-width digits', '１０００００１', '１０００００１'),
	kpiId('inner space', '1000 001', '1000 001'),
	kpiId('NUL after the ID', '1000001\u0000', null),
	kpiId('a list of one ID', [1000001], '[1000001]'),
	kpiIdExpression('NaN from an expression', 'NaN', 'NaN'),
	kpiIdExpression('Infinity from an expression', 'Infinity', 'Infinity'),
	kpiIdExpression('beyond safe integers', '2 ** 53 + 2', '9007199254740994'),
	kpiIdExpression('negative zero', '-0', 'boosterCustomerId'),

	// ----- Get KPI: dates, in JSON and XML
	...FORMATS.flatMap((format) =>
		ALMOST_DATES.map(([name, bad, shows], index) => kpiDate(index % 2 === 0 ? 'transactionDateFrom' : 'transactionDateTo', name, bad, shows, format)),
	),
	kpiDateExpression('transactionDateFrom', 'invalid JS Date from an expression', "new Date('x')", 'invalid date'),
	kpiDateExpression('transactionDateTo', 'invalid Luxon DateTime from an expression', "DateTime.fromISO('x')", 'Invalid DateTime'),
	kpiDateExpression('transactionDateFrom', 'Luxon DateTime after the "to" date', "DateTime.fromISO('2024-06-01T00:00:00Z')", '"2024-06-01T00:00:00.000Z"', {
		transactionDateTo: '2024-01-01',
	}),

	// ----- Task Get / Download File
	taskId('get', 'hexadecimal text', '0x10', '0x10'),
	taskId('get', 'blank text (required)', '  ', 'asyncTaskId'),
	taskId('get', 'GUID with braces', `{${GUID}}`, `{${GUID}}`),
	taskId('get', '31 hex digits', GUID.slice(1), GUID.slice(1)),
	taskId('get', 'GUID with a non-hex letter', `${GUID.slice(0, -1)}g`, `${GUID.slice(0, -1)}g`),
	taskId('get', 'GUID followed by a second one', `${GUID} ${GUID}`, `${GUID} ${GUID}`),
	taskId('get', 'NUL after the GUID', `${GUID}\u0000`, null),
	taskId('downloadFile', 'lone surrogate after the GUID', `${GUID}\uD800`, null),
	taskId('downloadFile', 'percent-encoded slash', `${GUID}%2Ffile`, '%2Ffile'),
	taskId('downloadFile', 'exponent text', '1e3', '1e3'),
	taskId('downloadFile', 'a list of GUIDs', [GUID, GUID], GUID),

	// ----- Task Get Many: limit
	limit('hexadecimal text', '0x10', '0x10'),
	limit('binary text', '0b11', '0b11'),
	limit('exponent text', '1e3', '1e3'),
	limit('"Infinity" as text', 'Infinity', 'Infinity'),
	limit('blank text', ' ', 'limit'),
	limit('thousands separator', '1,000', '1,000'),
	limit('zero', 0, '0'),
	limit('a boolean', true, 'true'),
	limitExpression('NaN from an expression', 'NaN', 'NaN'),
	limitExpression('Infinity from an expression', 'Infinity', 'Infinity'),

	// ----- Customer Get: the Customer locator (By ID)
	customerId('customerGet', 'hexadecimal text', '0x10', '0x10'),
	customerId('customerGet', 'exponent text', '1e3', '1e3'),
	customerId('customerGet', 'a word', 'abc', 'abc'),
	customerId('customerGet', 'blank text (required)', '  ', 'boosterCustomerId'),
	customerId('customerGet', 'thousands separator', '1,000', '1,000'),
	customerId('customerGet', 'fraction', '1000001.5', '1000001.5'),
	customerId('customerGet', 'zero', '0', '0'),
	customerId('customerGet', 'negative', '-1', '-1'),
	customerId('customerGet', 'above Int32', '2147483648', '2147483648'),
	customerId('customerGet', 'full-width digits', '１０００００１', '１０００００１'),
	customerId('customerGet', 'a path', '1000001/kpi', '1000001/kpi'),
	customerId('customerGet', 'NUL after the ID', '1000001\u0000', null),
	customerId('customerGet', 'a list of one ID', [1000001], '[1000001]'),
	customerIdExpression('customerGet', 'NaN from an expression', 'NaN', 'NaN'),
	customerIdExpression('customerGet', 'beyond safe integers', '2 ** 53 + 2', '9007199254740994'),

	// ----- Customer Update Consents: the Customer locator and each consent flag
	customerId('updateConsents', 'hexadecimal text', '0x10', '0x10'),
	customerId('updateConsents', 'blank text (required)', ' ', 'boosterCustomerId'),
	customerId('updateConsents', 'a path', '../1000001', '../1000001'),
	customerId('updateConsents', 'zero', '0', '0'),
	customerIdExpression('updateConsents', 'Infinity from an expression', 'Infinity', 'Infinity'),
	consent('contactByEmailFlag', '"maybe"', 'maybe', 'maybe'),
	consent('contactByEmailFlag', 'a list', ['yes'], 'yes'),
	consent('contactByMailFlag', 'a number', 1, '1'),
	consent('contactByMailFlag', 'NUL', 'yes\u0000', null),
	consent('contactByPhoneFlag', '"on"', 'on', 'on'),
	consent('contactByPhoneFlag', 'an object', { value: 'yes' }, '{"value":"yes"}'),
	consent('contactBySMSFlag', 'upper case', 'YES', 'YES'),
	consent('contactBySocialMediaFlag', '"1"', '1', '1'),
	consent('privacyAcceptance', 'a date', '2024-01-01', '2024-01-01'),
	consent('allowStoreDataAbroad', '"null"', 'null', 'null', 'xml'),
	{
		name: 'consents: every flag Leave Unchanged',
		operation: 'updateConsents',
		parameters: { customerId: customerLocator('={{ $json.id }}'), contactByEmailFlag: V },
		bad: 'any',
		good: 'no',
		field: 'consents',
		shows: 'Leave Unchanged',
	},

	// ----- Customer Search: brand, POS codes, Limit, every filter and Sort By
	searchParameter('brand', 'dot-dot', '..', '..', 'CAR'),
	searchParameter('brand', 'a path', 'VCA/slim', 'VCA/slim', 'CAR'),
	searchParameter('brand', 'NUL', 'CAR\u0000', null, 'CAR'),
	searchParameter('posCodes', 'a 65-character code', ['C'.repeat(65)], 'CCCCCCCCCC', GOOD_POS),
	searchParameter('posCodes', 'only blanks and separators', ' , ; ', 'posCodes', GOOD_POS),
	searchParameter('limit', 'zero', 0, '0', 1),
	searchParameter('limit', 'hexadecimal text', '0x10', '0x10', 1),
	searchParameter('limit', 'a boolean', true, 'true', 1),
	{ ...searchParameter('limit', 'NaN from an expression', undefined, 'NaN', 1), parameters: searchParameters({}, { limit: X('NaN') }) },
	searchFilter('201 characters (limit 200)', 'searchKey', 'k'.repeat(201), 'kkkkkkkkkk', (c) => c.lastName),
	...FORMATS.map((format) => searchFilter('NUL \u0000', 'searchKey', 'smi\u0000th', null, (c) => c.lastName, format)),
	searchFilter('vertical tab \u000B', 'phoneNumber', '+4179\u000B1234567', null, (c) => c.phone),
	searchFilter('two dots in the domain', 'email', 'anna@maison..com', 'anna@maison..com', (c) => c.email),
	searchFilter('entry of 9 characters (limit 8)', 'locationCountryIds', 'ch, switzerland', 'switzerland', (c) => c.locationCountryId),
	searchFilter('hexadecimal text', 'clientSpendingFrom', '0x10', '0x10', () => '0'),
	searchFilter('negative text', 'clientSpendingTo', '-5', '-5', () => '100000000'),
	searchFilter('30 February', 'creationDateFrom', '2026-02-30T10:00:00Z', '2026-02-30T10:00:00Z', () => '2000-01-01'),
	searchFilter('hour 24 on a leap day', 'creationDateTo', '2024-02-29T24:00:00', '2024-02-29T24:00:00', () => '2100-12-31'),
	searchFilter('trailing garbage', 'transactionDateFrom', '2026-01-15garbage', '2026-01-15garbage', () => '2000-01-01'),
	searchFilter('zone +25:00', 'transactionDateTo', '2024-01-15T10:00:00+25:00', '2024-01-15T10:00:00+25:00', () => '2100-12-31'),
	searchFilter('"on"', 'canBeContactedByMaison', 'on', 'on', (c) => (c.canBeContactedByMaison ? 'yes' : 'no')),
	searchFilter('13', 'birthdateMonths', [13], '13', (c) => [Number(c.birthDate!.slice(5, 7))]),
	searchFilter('entry without its required SAP ID', 'interests', [{ interest: 'Art' }], 'nothing', (c) => [c.interests[0]]),
	searchFilter('misspelt field (sapHobbyID)', 'hobbies', [{ hobby: 'Golf', sapHobbyID: 'GLF' }], 'GLF', (c) => [c.hobbies[0]]),
	searchFilter('a number', 'productCollections', 5, '5', (c) => [c.productCollections[0]]),
	searchFilter('entry with only blanks', 'productCategories', [{ grandCategoryId: ' ' }], 'productCategories[0]', (c) => [c.productCategories[0]]),
	searchFilter('an unknown status', 'customerStatus', ['Clients'], 'Clients', (c) => [c.customerStatus]),
	searchFilter('zero', 'boosterCustomerIds', [0], '0', (c) => String(c.boosterCustomerId)),
	searchFilter('an object', 'hasSapCrmError', { value: 'no' }, '{"value":"no"}', (c) => (c.hasSapCrmError ? 'yes' : 'no')),
	searchFilter('almost valid entry', 'saleRepresentativeEmails', 'anna@maison.com, marc@maison..com', 'marc@maison..com', (c) => c.saleRepresentativeEmails[0]),
	sortBy('wrong case', 'NameAsc', 'NameAsc'),
	sortBy('not a sort', 'Price', 'Price'),
	sortBy('a list', ['NameASC'], 'NameASC'),
	sortBy('NUL', 'NameASC\u0000', null, 'xml'),

	// ----- Point of Sale Get Many: brand and Limit
	pointsOfSale('brand', 'inner space', 'CA R', 'CA R'),
	pointsOfSale('brand', 'dot-dot', '..', '..'),
	pointsOfSale('brand', 'blank text (required)', '   ', 'brand'),
	pointsOfSale('brand', '33 characters', 'C'.repeat(33), 'CCCCCCCCCC'),
	pointsOfSale('brand', 'query string', 'CAR&page=5', 'CAR&page=5'),
	pointsOfSale('brand', 'lone surrogate (XML)', 'CAR\uD800', null, 'xml'),
	pointsOfSale('limit', 'zero', 0, '0'),
	pointsOfSale('limit', 'exponent text', '1e3', '1e3'),
	pointsOfSale('limit', 'fraction', 2.5, '2.5'),
	pointsOfSaleExpression('limit', 'Infinity from an expression', 'Infinity', 'Infinity'),
	pointsOfSaleExpression('brand', 'Date object from an expression', "new Date('2024-01-01')", 'brand'),
];

// ---------------------------------------------------------------------------------------------
// Credential Base URLs: a user name and password in the address must never be shown
// ---------------------------------------------------------------------------------------------

const PASSWORD = 'hunter2';

const CREDENTIAL_CASES: Array<{ name: string; baseUrl: string; shows: string; secret?: string }> = [
	{ name: 'user and password before the host', baseUrl: `https://anna:${PASSWORD}@dev-api-booster.example.com/api`, shows: 'dev-api-booster.example.com', secret: PASSWORD },
	{ name: 'password only', baseUrl: `https://:${PASSWORD}@dev-api-booster.example.com`, shows: 'dev-api-booster.example.com', secret: PASSWORD },
	{ name: 'password with an @', baseUrl: 'https://anna:hun@ter2@dev-api-booster.example.com', shows: 'dev-api-booster.example.com', secret: 'ter2' },
	{ name: 'user and password on localhost over http', baseUrl: `http://anna:${PASSWORD}@localhost:1/api`, shows: 'localhost', secret: PASSWORD },
	{ name: 'unparsable, password with an @ and a space', baseUrl: 'https://anna:s3cr@t pass@[broken', shows: 'broken', secret: 't pass' },
	{ name: 'unparsable, password with a slash', baseUrl: 'https://anna:pa/ss-w0rd@dev-api-booster.example.com', shows: 'dev-api-booster.example.com', secret: 'ss-w0rd' },
	{ name: 'unparsable, space in the host after a password', baseUrl: `https://anna:${PASSWORD}@dev api.example.com`, shows: 'api.example.com', secret: PASSWORD },
	{ name: 'unparsable, no host after the password', baseUrl: `https://anna:${PASSWORD}@`, shows: 'Base URL', secret: PASSWORD },
	{ name: 'no scheme, user and password', baseUrl: `anna:${PASSWORD}@dev-api-booster.example.com`, shows: 'dev-api-booster.example.com', secret: PASSWORD },
	{ name: 'port out of range', baseUrl: 'https://dev-api-booster.example.com:99999', shows: '99999' },
	{ name: 'javascript: scheme', baseUrl: 'javascript:alert(1)', shows: 'javascript:' },
	{ name: 'file: scheme', baseUrl: 'file:///etc/passwd', shows: 'file:' },
	{ name: 'scheme only', baseUrl: 'https://', shows: 'https://' },
	{ name: 'NUL in the host', baseUrl: 'https://dev-api\u0000booster.example.com', shows: 'Base URL' },
];

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

function resolveGood(value: unknown): unknown {
	if (value === GOOD_CUSTOMER) return goodCustomer;
	if (value === GOOD_TASK) return goodTask;
	if (value === GOOD_POS) return pos;
	if (typeof value === 'function') return (value as () => unknown)();
	return value;
}

function itemJson(value: unknown, bad: boolean): IDataObject {
	return { v: value as IDataObject, bad, id: goodCustomer, pos } as IDataObject;
}

function node(entry: Hostile, onError?: 'continueRegularOutput') {
	return {
		type: BOOSTER,
		parameters: { resource: RESOURCE[entry.operation], operation: OPERATION[entry.operation], ...entry.parameters },
		...(onError ? { onError } : {}),
	};
}

function expectNamesFieldValueItem(text: string, entry: Hostile, itemIndex: number): void {
	expect(text).toContain(entry.field);
	if (entry.shows !== null) expect(text).toContain(entry.shows);
	expect(text).toContain(`[item ${itemIndex}]`);
	// A 10 MB value is shown cut short, never whole.
	expect(text.length).toBeLessThan(4000);
}

/** Requests that carry a marker of the bad value (long enough to be unmistakable), raw, JSON-escaped or URL-encoded. */
function carrying(requests: SandboxLogEntry[], bad: unknown): SandboxLogEntry[] {
	if (typeof bad !== 'string' || bad.length < 4) return [];
	const marker = bad.slice(0, 64);
	const forms = [marker, JSON.stringify(marker).slice(1, -1)];
	try {
		forms.push(encodeURIComponent(marker));
	} catch {
		// a lone surrogate has no URL encoding
	}
	return requests.filter((request) =>
		forms.some((form) => request.body.includes(form) || request.path.includes(form) || Object.values(request.query ?? {}).some((value) => String(value).includes(form))),
	);
}

it(`the table holds at least 200 hostile inputs across every operation (${CASES.length} + ${CREDENTIAL_CASES.length} credential Base URLs)`, () => {
	expect(CASES.length).toBeGreaterThanOrEqual(200);
	expect(new Set(CASES.map((entry) => entry.operation))).toEqual(new Set(Object.keys(RESOURCE)));
	const fieldsOf = (operation: Operation) => new Set(CASES.filter((entry) => entry.operation === operation).map((entry) => entry.field.replace(/\[\d+\].*$/, '')));
	// Paging fields the node fills itself from Limit and Return All; the user cannot give them.
	const paging = ['page', 'items', 'noCount'];
	const userFields = (dto: Parameters<typeof allFields>[0], others: string[] = []) => [...Object.keys(allFields(dto)).filter((field) => !paging.includes(field)), ...others];
	// Every field of every request the node builds, read from the API's descriptions, tried on each operation that sends it.
	const expected: Array<[Operation, string[]]> = [
		['export', userFields(ExportCustomer)],
		['getKpi', userFields(GetCustomerKpi)],
		['get', userFields(GetTaskDetail)],
		['downloadFile', userFields(GetTaskDetail)],
		['getMany', ['limit']],
		['customerGet', userFields(GetCustomer)],
		['updateConsents', userFields(UpdateConsents, ['consents'])],
		['search', userFields(GetCustomerPaginated, ['limit'])],
		// Point of Sale → Get Many sends only the brand and the paging (Mnemonic Code, BU Code and Sort By are not offered).
		['posGetMany', ['brand', 'limit']],
	];
	for (const [operation, fields] of expected) {
		const tried = fieldsOf(operation);
		for (const field of fields) expect(`${operation}: ${tried.has(field) ? field : `${field} (missing)`}`).toBe(`${operation}: ${field}`);
	}
	expect(Object.keys(allFields(GetPosBrand))).toEqual(expect.arrayContaining(['brand', 'page', 'items']));
	expect(new Set(CASES.map((entry) => `${entry.operation}: ${entry.name}`)).size).toBe(CASES.length);
});

describe.each(CASES.map((entry) => [`${entry.operation}: ${entry.name}`, entry] as const))('%s', (_, entry) => {
	it('stops the item naming the field, the value and the item; nothing is sent', async () => {
		tried++;
		resetSandboxLog(env);
		const { error, items } = await env.engine.runNode({
			node: node(entry),
			inputItems: [{ json: itemJson(entry.bad, true) }],
			credentials: [env.cred],
		});
		expect(items).toEqual([]);
		expect(error).toBeDefined();
		expectNamesFieldValueItem(`${error!.message}\n${error!.description ?? ''}`, entry, 0);
		expect(apiRequests(env)).toEqual([]);
		refused++;
	});
});

/**
 * Continue On Fail, one workflow per node configuration: good, bad, good, bad, ..., good. Each bad
 * item becomes an error item naming its index; every good item succeeds; only the good items reach
 * Booster.
 */
const BY_CONFIGURATION = new Map<string, Hostile[]>();
for (const entry of CASES) {
	const key = `${entry.operation} ${JSON.stringify(entry.parameters)}`;
	BY_CONFIGURATION.set(key, [...(BY_CONFIGURATION.get(key) ?? []), entry]);
}

describe.each([...BY_CONFIGURATION.values()].map((entries) => [`${entries[0].operation}: ${entries.map((entry) => entry.name).join(' | ')}`.slice(0, 200), entries] as const))(
	'with Continue On Fail: %s',
	(_, entries) => {
		it('an error item for each bad item, the good items around them succeed, only they are sent', async () => {
			resetSandboxLog(env);
			const good = resolveGood(entries[0].good);
			const inputItems = [{ json: itemJson(good, false) }];
			for (const entry of entries) inputItems.push({ json: itemJson(entry.bad, true) }, { json: itemJson(good, false) });
			const { error, items } = await env.engine.runNode({
				node: node(entries[0], 'continueRegularOutput'),
				inputItems,
				credentials: [env.cred],
			});
			expect(error).toBeUndefined();
			const byItem = (index: number) => items.filter((item) => (item.pairedItem as { item: number }).item === index);
			entries.forEach((entry, position) => {
				const index = 1 + position * 2;
				const failed = byItem(index);
				expect(failed).toHaveLength(1);
				expectNamesFieldValueItem(`${String(failed[0].json.error)}\n${String(failed[0].json.description ?? '')}`, entry, index);
			});
			const goodIndexes = Array.from({ length: entries.length + 1 }, (__, position) => position * 2);
			for (const index of goodIndexes) {
				expect(byItem(index).length).toBeGreaterThan(0);
				for (const item of byItem(index)) expect(item.json.error).toBeUndefined();
			}
			const requests = apiRequests(env);
			expect(requests.filter((request) => request.route === MAIN_ROUTE[entries[0].operation])).toHaveLength(goodIndexes.length);
			for (const request of requests) expect(Number(request.status)).toBeLessThan(400);
			for (const entry of entries) expect(carrying(requests, entry.bad)).toEqual([]);
		});
	},
);

it(`the credential table holds Base URLs with secrets and unparsable ones (${CREDENTIAL_CASES.length})`, () => {
	expect(CREDENTIAL_CASES.filter((entry) => entry.secret).length).toBeGreaterThanOrEqual(5);
});

describe.each(CREDENTIAL_CASES.map((entry) => [entry.name, entry] as const))('credential Base URL: %s', (_, entry) => {
	const cred = () => credential({ baseUrl: entry.baseUrl, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey });

	it('refused before anything is sent, naming the Base URL, never showing the password', async () => {
		tried++;
		resetSandboxLog(env);
		const { error, items } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.id }}' }, onError: 'continueRegularOutput' },
			inputItems: [{ json: { id: goodCustomer } }, { json: { id: goodCustomer } }],
			credentials: [cred()],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		const failFast = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'task', operation: 'getMany', returnAll: true } },
			credentials: [cred()],
		});
		expect(failFast.error).toBeDefined();
		const texts = [...items.map((item) => `${String(item.json.error)}\n${String(item.json.description ?? '')}`), `${failFast.error!.message}\n${failFast.error!.description ?? ''}`];
		for (const text of texts) {
			expect(text).toMatch(/Base URL/);
			expect(text).toContain(entry.shows);
			if (entry.secret) expect(text).not.toContain(entry.secret);
		}
		expect(apiRequests(env)).toEqual([]);
		refused++;
	});
});

// ---------------------------------------------------------------------------------------------
// Part A: a repeatable group given by an expression reaches the request
// ---------------------------------------------------------------------------------------------

const SHAPES: Array<[string, (group: Group) => string]> = [
	['a list of entries', (group) => `={{ ${JSON.stringify([group.entry])} }}`],
	['a single entry', (group) => `={{ ${JSON.stringify(group.entry)} }}`],
	["the editor's shape", (group) => `={{ ${JSON.stringify({ [group.entryName]: [group.entry] })} }}`],
];

describe.each(GROUPS.flatMap((group) => SHAPES.flatMap(([shape, expression]) => FORMATS.map((format) => [`${group.key} as ${shape} (${format})`, group, expression(group), format] as const))))(
	'an expression-given group reaches the request: %s',
	(_, group, expression, format) => {
		it('the export request carries the entry', async () => {
			resetSandboxLog(env);
			const { error, items } = await env.engine.runNode({
				node: node({ name: '', operation: 'export', parameters: exportParameters({ [group.key]: expression }, formatAdvanced(format)), good: null, field: '', shows: '' }),
				inputItems: [{ json: itemJson(null, false) }],
				credentials: [env.cred],
			});
			expect(error).toBeUndefined();
			expect(items[0].json.asyncTaskId).toBeDefined();
			const exports = apiRequests(env, (request) => request.route === MAIN_ROUTE.export);
			expect(exports).toHaveLength(1);
			const { body } = exports[0];
			if (format === 'json') {
				expect((JSON.parse(body) as IDataObject)[group.key]).toEqual([group.entry]);
			} else {
				// Elements of another DataContract namespace carry a prefix (<d2p1:ProductCategory>).
				const element = (name: string) => `<(?:\\w+:)?${name}[ >]`;
				expect(body).toMatch(new RegExp(element(group.key)));
				expect(body).toMatch(new RegExp(element(group.element)));
				for (const [key, value] of Object.entries(group.entry)) expect(body).toMatch(new RegExp(`<(?:\\w+:)?${key}>${value}</(?:\\w+:)?${key}>`));
			}
		});
	},
);

it('Hostile inputs: every one tried was refused with 0 requests', () => {
	console.log(`Hostile inputs: ${tried} tried, ${refused} refused with 0 requests`);
	expect(tried).toBe(CASES.length + CREDENTIAL_CASES.length);
	expect(refused).toBe(tried);
});
