/**
 * Issue 7, bad input: a table of values the API would refuse or misread, across every operation and
 * the credential. Each must fail with an error naming the field, the value and the item, before any
 * request reaches Booster; with Continue On Fail only that item becomes an error item.
 */
import type { IDataObject } from 'n8n-workflow';

import { BOOSTER, type Env, apiRequests, credential, resetSandboxLog, startInputEnv } from './env';

let env: Env;
let goodCustomer: number;
let goodTask: string;
let pos: string[];

beforeAll(async () => {
	({ env, goodCustomer, goodTask, pos } = await startInputEnv());
});
afterAll(async () => {
	await env.stop();
});

interface BadInput {
	/** What is wrong. */
	name: string;
	operation: 'export' | 'getKpi' | 'get' | 'getMany' | 'downloadFile';
	/** Node parameters; the value under test comes from `$json.v`. */
	parameters: IDataObject;
	/** The value for the good items. */
	good: unknown;
	bad: unknown;
	/** The field the error must name (the API's name). */
	field: string;
	/** Text of the value the error must show. */
	shows: string;
}

const RESOURCE: Record<BadInput['operation'], string> = { export: 'customer', getKpi: 'customer', get: 'task', getMany: 'task', downloadFile: 'task' };
const V = '={{ $json.v }}';

function kpi(name: string, bad: unknown, shows: string, field = 'boosterCustomerId', parameters?: (good: unknown) => IDataObject): BadInput {
	return { name, operation: 'getKpi', parameters: parameters ? parameters(undefined) : { boosterCustomerId: V }, good: null, bad, field, shows };
}

/** Output Task: a good item outputs the started export, one item, without waiting for it. */
const TASK_OUTPUT = { output: 'task' };

function exportFilter(name: string, filter: string, bad: unknown, shows: string, good: unknown, extra: IDataObject = {}, field = filter): BadInput {
	return { name, operation: 'export', parameters: { brand: 'CAR', posCodes: '={{ $json.pos }}', ...TASK_OUTPUT, filters: { [filter]: V, ...extra } }, good, bad, field, shows };
}

function exportField(name: string, field: 'brand' | 'posCodes', bad: unknown, shows: string): BadInput {
	return {
		name,
		operation: 'export',
		parameters: { brand: field === 'brand' ? V : 'CAR', posCodes: field === 'posCodes' ? V : '={{ $json.pos }}', ...TASK_OUTPUT },
		good: field === 'brand' ? 'CAR' : null,
		bad,
		field,
		shows,
	};
}

function taskId(operation: 'get' | 'downloadFile', name: string, bad: unknown, shows: string): BadInput {
	return { name, operation, parameters: { asyncTaskId: V }, good: null, bad, field: 'asyncTaskId', shows };
}

const longList = (count: number) => Array.from({ length: count }, (_, index) => `CH100:${100000 + index}`);

const CASES: BadInput[] = [
	// Get KPI
	kpi('ID is text', 'abc', '"abc"'),
	kpi('ID is a decimal', '12.5', '12.5'),
	kpi('ID is negative', -5, '-5'),
	kpi('ID is zero', 0, '0'),
	kpi('ID above Int32', 2147483648, '2147483648'),
	kpi('ID with ../', '../1000001', '../1000001'),
	kpi('ID with ?', '1000001?x=1', '1000001?x=1'),
	kpi('ID is an object (broken expression)', { id: 1 }, '{"id":1}'),
	kpi('ID is a list of objects', [{ id: 1 }], '{"id":1}'),
	kpi('ID is empty (required)', '', 'boosterCustomerId'),
	kpi('ID is a boolean', true, 'true'),
	kpi('impossible date', '2024-02-30', '2024-02-30', 'transactionDateFrom', () => ({ boosterCustomerId: '={{ $json.id }}', options: { transactionDateFrom: V } })),
	kpi('month 13', '2024-13-01', '2024-13-01', 'transactionDateFrom', () => ({ boosterCustomerId: '={{ $json.id }}', options: { transactionDateFrom: V } })),
	kpi('date is free text', 'yesterday', 'yesterday', 'transactionDateTo', () => ({ boosterCustomerId: '={{ $json.id }}', options: { transactionDateTo: V } })),
	kpi('date is an object', { day: 1 }, '{"day":1}', 'transactionDateTo', () => ({ boosterCustomerId: '={{ $json.id }}', options: { transactionDateTo: V } })),
	// A converted date is shown as sent: the day's first moment in the workflow's zone (Europe/Zurich, UTC+2 in summer), in UTC.
	kpi('from after to', '2024-05-01', '"2024-04-30T22:00:00.000Z"', 'transactionDateFrom', () => ({
		boosterCustomerId: '={{ $json.id }}',
		options: { transactionDateFrom: V, transactionDateTo: '2024-01-01' },
	})),
	// Export: brand and POS codes
	exportField('brand with ../', 'brand', '../CAR', '../CAR'),
	exportField('brand with ?', 'brand', 'CAR?x=1', 'CAR?x=1'),
	exportField('brand with /', 'brand', 'CAR/slim', 'CAR/slim'),
	exportField('brand with %2F', 'brand', 'CAR%2Fx', 'CAR%2Fx'),
	exportField('brand is empty (required)', 'brand', '', 'brand'),
	exportField('brand is an object', 'brand', { brand: 'CAR' }, '{"brand":"CAR"}'),
	exportField('brand is a list', 'brand', ['CAR', 'VCA'], 'CAR'),
	exportField('POS codes empty list', 'posCodes', [], 'posCodes'),
	exportField('POS codes empty text', 'posCodes', '', 'posCodes'),
	exportField('POS codes list of objects', 'posCodes', [{ posCode: 'CH100:100123' }], 'CH100:100123'),
	exportField('POS codes oversized (1001)', 'posCodes', longList(1001), '1001'),
	// Export: filters
	exportFilter('e-mail without @', 'email', 'anna.maison.com', 'anna.maison.com', 'anna@maison.com'),
	exportFilter('e-mail without domain dot', 'email', 'anna@maison', 'anna@maison', 'anna@maison.com'),
	exportFilter('e-mail with a space', 'email', 'an na@maison.com', 'an na@maison.com', 'anna@maison.com'),
	exportFilter('e-mail is an object', 'email', { email: 'a@b.com' }, 'a@b.com', 'anna@maison.com'),
	exportFilter('sales rep e-mail list with a bad entry', 'saleRepresentativeEmails', 'anna@maison.com, marc', 'marc', 'anna@maison.com'),
	exportFilter('birth month 0', 'birthdateMonths', [0], '0', [1]),
	exportFilter('birth month 13', 'birthdateMonths', [1, 13], '13', [1]),
	exportFilter('birth month as text', 'birthdateMonths', ['May'], 'May', [5]),
	exportFilter('birth month decimal', 'birthdateMonths', [1.5], '1.5', [1]),
	exportFilter('negative amount', 'clientSpendingFrom', -100, '-100', 100),
	exportFilter('amount as text', 'clientSpendingFrom', 'ten thousand', 'ten thousand', 100),
	exportFilter('amount with unit', 'clientSpendingTo', '10k', '10k', 100),
	exportFilter('spending from after to', 'clientSpendingFrom', 5000, '5000', 100, { clientSpendingTo: 1000 }),
	exportFilter('creation date impossible', 'creationDateFrom', '2023-04-31', '2023-04-31', '2023-04-01'),
	exportFilter('creation date month 00', 'creationDateTo', '2023-00-10', '2023-00-10', '2023-04-01'),
	exportFilter('creation date in another format', 'creationDateFrom', '31/01/2024', '31/01/2024', '2023-04-01'),
	exportFilter('creation from after to', 'creationDateFrom', '2024-06-01', '"2024-05-31T22:00:00.000Z"', '2023-01-01', { creationDateTo: '2024-01-01' }),
	exportFilter('transaction from after to', 'transactionDateFrom', '2024-06-01', '"2024-05-31T22:00:00.000Z"', '2023-01-01', { transactionDateTo: '2024-01-01' }),
	exportFilter('customer IDs not integers', 'boosterCustomerIds', '1000001, abc', 'abc', '1000001'),
	exportFilter('customer IDs decimal', 'boosterCustomerIds', [1000001, 2.5], '2.5', [1000001]),
	exportFilter('customer IDs oversized (10001)', 'boosterCustomerIds', Array.from({ length: 10001 }, (_, i) => 1000001 + i), '10001', [1000001]),
	exportFilter('yes/no filter is free text', 'canBeContactedByMaison', 'maybe', 'maybe', 'yes'),
	exportFilter('search key is an object', 'searchKey', { q: 'x' }, '{"q":"x"}', 'smith'),
	exportFilter('country IDs list of objects', 'locationCountryIds', [{ id: 'ch' }], '{"id":"ch"}', 'ch'),
	{
		name: 'interest entry: SAP ID is an object (broken expression)',
		operation: 'export',
		parameters: { brand: 'CAR', posCodes: '={{ $json.pos }}', ...TASK_OUTPUT, filters: { interests: { interest: [{ interest: 'Art', sapInterestId: V }] } } },
		good: 'CA-1',
		bad: { id: 'CA-1' },
		field: 'interests[0].sapInterestId',
		shows: '{"id":"CA-1"}',
	},
	{
		name: 'product category entry: grand category is a list',
		operation: 'export',
		parameters: { brand: 'CAR', posCodes: '={{ $json.pos }}', ...TASK_OUTPUT, filters: { productCategories: { productCategory: [{ grandCategoryId: V }] } } },
		good: 'G1',
		bad: ['G1', 'G2'],
		field: 'productCategories[0].grandCategoryId',
		shows: '["G1","G2"]',
	},
	{
		name: 'download request ID over 200 characters',
		operation: 'export',
		parameters: { brand: 'CAR', posCodes: '={{ $json.pos }}', ...TASK_OUTPUT, options: { downloadRequestId: V } },
		good: 'my-request-1',
		bad: 'x'.repeat(201),
		field: 'downloadRequestId',
		shows: 'xxxxxxxxxx',
	},
	// Task get / download file
	taskId('get', 'task ID is text', 'not-a-task', 'not-a-task'),
	taskId('get', 'task ID is a number', 12345, '12345'),
	taskId('get', 'task ID with ../', '../tasks', '../tasks'),
	taskId('get', 'task ID with ?', `${'a'.repeat(32)}?x=1`, '?x=1'),
	taskId('get', 'task ID is an object', { asyncTaskId: 'x' }, '{"asyncTaskId":"x"}'),
	taskId('get', 'task ID is empty (required)', '', 'asyncTaskId'),
	taskId('downloadFile', 'task ID too short', 'abc123', 'abc123'),
	taskId('downloadFile', 'task ID with /file suffix', `${'b'.repeat(32)}/file`, '/file'),
	taskId('downloadFile', 'task ID list of objects', [{ id: 'x' }], '{"id":"x"}'),
	// Task get many
	{ name: 'limit is text', operation: 'getMany', parameters: { returnAll: false, limit: V }, good: 5, bad: 'ten', field: 'limit', shows: 'ten' },
	{ name: 'limit is negative', operation: 'getMany', parameters: { returnAll: false, limit: V }, good: 5, bad: -1, field: 'limit', shows: '-1' },
	{ name: 'limit is a decimal', operation: 'getMany', parameters: { returnAll: false, limit: V }, good: 5, bad: 2.5, field: 'limit', shows: '2.5' },
];

function goodValue(entry: BadInput): unknown {
	if (entry.operation === 'getKpi' && entry.field === 'boosterCustomerId') return goodCustomer;
	if (entry.operation === 'get' || entry.operation === 'downloadFile') return goodTask;
	if (entry.operation === 'export' && entry.field === 'posCodes') return pos;
	return entry.good;
}

function itemJson(_entry: BadInput, value: unknown): IDataObject {
	return { v: value as IDataObject, id: goodCustomer, pos } as IDataObject;
}

function node(entry: BadInput, onError?: 'continueRegularOutput') {
	return {
		type: BOOSTER,
		parameters: { resource: RESOURCE[entry.operation], operation: entry.operation, ...entry.parameters },
		...(onError ? { onError } : {}),
	};
}

function expectNamesFieldValueItem(text: string, entry: BadInput, itemIndex: number): void {
	expect(text).toContain(entry.field);
	expect(text).toContain(entry.shows);
	expect(text).toMatch(new RegExp(`item ${itemIndex}\\b`));
}

it(`the table holds at least 40 bad inputs across every operation (${CASES.length})`, () => {
	expect(CASES.length).toBeGreaterThanOrEqual(40);
	expect(new Set(CASES.map((entry) => entry.operation))).toEqual(new Set(['export', 'getKpi', 'get', 'getMany', 'downloadFile']));
	console.log(`Bad inputs tried: ${CASES.length} node inputs + ${CREDENTIAL_CASES.length} credential base URLs = ${CASES.length + CREDENTIAL_CASES.length}`);
});

describe.each(CASES.map((entry) => [`${entry.operation}: ${entry.name}`, entry] as const))('%s', (_, entry) => {
	it('fails naming the field, the value and the item, without sending anything', async () => {
		resetSandboxLog(env);
		const { error, items } = await env.engine.runNode({ node: node(entry), inputItems: [{ json: itemJson(entry, entry.bad) }], credentials: [env.cred] });
		expect(items).toEqual([]);
		expect(error).toBeDefined();
		expectNamesFieldValueItem(`${error!.message}\n${error!.description ?? ''}`, entry, 0);
		expect(apiRequests(env)).toEqual([]);
	});

	it('with Continue On Fail: an error item for it, the other items succeed', async () => {
		resetSandboxLog(env);
		const good = goodValue(entry);
		const { error, items } = await env.engine.runNode({
			node: node(entry, 'continueRegularOutput'),
			inputItems: [{ json: itemJson(entry, good) }, { json: itemJson(entry, entry.bad) }, { json: itemJson(entry, good) }],
			credentials: [env.cred],
		});
		expect(error).toBeUndefined();
		const byItem = (index: number) => items.filter((item) => (item.pairedItem as { item: number }).item === index);
		const failed = byItem(1);
		expect(failed).toHaveLength(1);
		expectNamesFieldValueItem(`${String(failed[0].json.error)}\n${String(failed[0].json.description ?? '')}`, entry, 1);
		for (const index of [0, 2]) {
			expect(byItem(index).length).toBeGreaterThan(0);
			for (const item of byItem(index)) expect(item.json.error).toBeUndefined();
		}
		// Only the good items reached Booster.
		expect(apiRequests(env).length).toBeGreaterThan(0);
		for (const request of apiRequests(env)) {
			expect(request.status).toBe(200);
			if (typeof entry.bad === 'string' && entry.bad.length > 3) {
				expect(request.body).not.toContain(JSON.stringify(entry.bad));
				expect(request.path).not.toContain(entry.bad);
				expect(request.path).not.toContain(encodeURIComponent(entry.bad));
			}
		}
	});
});

const CREDENTIAL_CASES: Array<{ name: string; baseUrl: string; shows: string }> = [
	{ name: 'http:// on a public host', baseUrl: 'http://api-booster.example.com', shows: 'http://api-booster.example.com' },
	{ name: 'http:// on a host that only starts like localhost', baseUrl: 'http://localhost.example.com', shows: 'localhost.example.com' },
	{ name: 'http:// on 127.0.0.1 as a subdomain', baseUrl: 'http://127.0.0.1.example.com', shows: '127.0.0.1.example.com' },
	{ name: 'not a URL', baseUrl: 'dev-api-booster.richemont.com', shows: 'dev-api-booster.richemont.com' },
	{ name: 'malformed URL', baseUrl: 'https//dev-api-booster', shows: 'https//dev-api-booster' },
	{ name: 'another scheme', baseUrl: 'ftp://dev-api-booster.richemont.com', shows: 'ftp://dev-api-booster.richemont.com' },
	{ name: 'empty', baseUrl: '', shows: '""' },
];

describe.each(CREDENTIAL_CASES.map((entry) => [entry.name, entry] as const))('credential Base URL: %s', (_, entry) => {
	const cred = () => credential({ baseUrl: entry.baseUrl, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey });

	it('every operation refuses it, naming the Base URL and the value, before sending anything', async () => {
		resetSandboxLog(env);
		const { error } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: String(goodCustomer) } },
			credentials: [cred()],
		});
		expect(error).toBeDefined();
		expect(error!.message).toMatch(/Base URL/);
		expect(error!.message).toContain(entry.shows);
		expect(apiRequests(env)).toEqual([]);
	});

	it('with Continue On Fail: an error item per item, nothing sent', async () => {
		resetSandboxLog(env);
		const { error, items } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'task', operation: 'getMany', returnAll: true }, onError: 'continueRegularOutput' },
			inputItems: [{ json: {} }, { json: {} }],
			credentials: [cred()],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		for (const item of items) expect(String(item.json.error)).toMatch(/Base URL/);
		expect(apiRequests(env)).toEqual([]);
	});

	it('the credential test refuses it', async () => {
		const result = await env.engine.testCredential({
			credentialType: 'boosterApi',
			data: { baseUrl: entry.baseUrl, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey },
		});
		expect(result.status).toBe('Error');
	});
});
