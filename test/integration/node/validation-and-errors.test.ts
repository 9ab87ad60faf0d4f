/**
 * Bad input is refused before any request (the error names field, value and item; Continue On Fail
 * gives an error item), and API errors in JSON and XML become n8n errors with the API's details.
 */
import type { IDataObject } from 'n8n-workflow';

import { startLocalServer, type LocalServer } from '../../helpers/local-server';
import { type Env, allText, boosterNode, credential, customersOf, logged, secretsOf, startEnv } from './setup';

let env: Env;
let stub: LocalServer;

beforeAll(async () => {
	env = await startEnv();
	// Answers every request with a ServiceStack validation error (400), in the format asked for.
	stub = await startLocalServer((request, response) => {
		const xml = /xml/.test(String(request.headers.accept));
		response.writeHead(400, { 'Content-Type': xml ? 'application/xml' : 'application/json' });
		response.end(
			xml
				? '<ErrorResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.servicestack.net/types"><ResponseStatus><ErrorCode>GreaterThan</ErrorCode><Message>Export window too wide</Message><StackTrace i:nil="true" /><Errors><ResponseError><ErrorCode>GreaterThan</ErrorCode><FieldName>creationDateFrom</FieldName><Message>Creation Date From must be after 2000</Message></ResponseError></Errors></ResponseStatus></ErrorResponse>'
				: JSON.stringify({
						responseStatus: {
							errorCode: 'GreaterThan',
							message: 'Export window too wide',
							errors: [{ errorCode: 'GreaterThan', fieldName: 'creationDateFrom', message: 'Creation Date From must be after 2000' }],
						},
					}),
		);
	});
});
afterAll(async () => {
	await stub.close();
	await env.stop();
});
beforeEach(() => env.sandbox.state.requestLog.clear());

/** Output Task: the item is the started export, without waiting for it. */
const exportParameters = (overrides: IDataObject = {}, filters: IDataObject = {}, advanced: IDataObject = {}) => ({
	resource: 'customer',
	operation: 'export',
	brand: 'CAR',
	posCodes: ['CH100:100123'],
	output: 'task',
	filters,
	options: {},
	advanced,
	...overrides,
});

type Case = [name: string, parameters: IDataObject, field: string, value: string];

const matrix: Case[] = [
	['spending as text', exportParameters({}, { clientSpendingFrom: 'a lot' }), 'clientSpendingFrom', '"a lot"'],
	['negative spending', exportParameters({}, { clientSpendingTo: -5 }), 'clientSpendingTo', '-5'],
	['negative spending (text, as the editor stores it)', exportParameters({}, { clientSpendingTo: '-5' }), 'clientSpendingTo', '-5'],
	['spending from after to', exportParameters({}, { clientSpendingFrom: 500, clientSpendingTo: 100 }), 'clientSpendingFrom', '500'],
	['spending from after to (text)', exportParameters({}, { clientSpendingFrom: '500', clientSpendingTo: '100' }), 'clientSpendingFrom', '500'],
	['impossible date', exportParameters({}, { creationDateFrom: '2023-02-30T00:00:00' }), 'creationDateFrom', '2023-02-30'],
	['date that is not a date', exportParameters({}, { transactionDateTo: 'yesterday' }), 'transactionDateTo', '"yesterday"'],
	// Dates shown as sent: times of the workflow's zone (Europe/Zurich, UTC+2 in May) as UTC instants.
	[
		'creation from after to',
		exportParameters({}, { creationDateFrom: '2024-05-01T00:00:00', creationDateTo: '2024-01-01T00:00:00' }),
		'creationDateFrom',
		'"2024-04-30T22:00:00.000Z"',
	],
	[
		'creation from after to on the same day (times picked, both kept)',
		exportParameters({}, { creationDateFrom: '2024-05-01T18:00:00', creationDateTo: '2024-05-01T09:00:00' }),
		'creationDateFrom',
		'"2024-05-01T16:00:00.000Z"',
	],
	[
		'transaction from after to',
		exportParameters({}, { transactionDateFrom: '2024-05-01T00:00:00', transactionDateTo: '2024-04-30T00:00:00' }),
		'transactionDateFrom',
		'"2024-04-30T22:00:00.000Z"',
	],
	['month 13', exportParameters({}, { birthdateMonths: [13] }), 'birthdateMonths', '13'],
	['month 0', exportParameters({}, { birthdateMonths: '={{ [0, 5] }}' }), 'birthdateMonths', '0'],
	['malformed e-mail', exportParameters({}, { email: 'anna.maison.com' }), 'email', '"anna.maison.com"'],
	['malformed representative e-mail', exportParameters({}, { saleRepresentativeEmails: 'rep1@sandbox.booster, marc@' }), 'saleRepresentativeEmails', '"marc@"'],
	['brand with ../', exportParameters({ brand: '../tasks' }), 'brand', '"../tasks"'],
	['brand with ?', exportParameters({ brand: 'CAR?x=1' }), 'brand', '"CAR?x=1"'],
	['non-integer customer IDs', exportParameters({}, { boosterCustomerIds: '1000001, abc' }), 'boosterCustomerIds', '"abc"'],
	['fractional customer ID', exportParameters({}, { boosterCustomerIds: '1000001.5' }), 'boosterCustomerIds', '1000001.5'],
	['empty POS list (from an expression)', exportParameters({ posCodes: '={{ [] }}' }), 'posCodes', ''],
	['blank brand (from an expression)', exportParameters({ brand: '={{ "  " }}' }), 'brand', ''],
	['KPI: text customer ID', { resource: 'customer', operation: 'getKpi', boosterCustomerId: 'abc', options: {} }, 'boosterCustomerId', '"abc"'],
	['KPI: fractional customer ID', { resource: 'customer', operation: 'getKpi', boosterCustomerId: '12.5', options: {} }, 'boosterCustomerId', '12.5'],
	[
		'KPI: window from after to',
		{ resource: 'customer', operation: 'getKpi', boosterCustomerId: '1000001', options: { transactionDateFrom: '2024-02-01T00:00:00', transactionDateTo: '2024-01-01T00:00:00' } },
		'transactionDateFrom',
		'"2024-01-31T23:00:00.000Z"',
	],
	['KPI: impossible date', { resource: 'customer', operation: 'getKpi', boosterCustomerId: '1000001', options: { transactionDateTo: '2023-13-01T00:00:00' } }, 'transactionDateTo', '2023-13-01'],
	['Task: ID with a path', { resource: 'task', operation: 'get', asyncTaskId: '../customer/1/kpi', options: {} }, 'asyncTaskId', '"../customer/1/kpi"'],
	['Task: ID not a GUID', { resource: 'task', operation: 'downloadFile', asyncTaskId: '12345', options: {} }, 'asyncTaskId', '12345'],
];

describe('validation before any request', () => {
	it.each(matrix)('%s: the error names the field, the value and the item; nothing is sent', async (_name, parameters, field, value) => {
		const run = await env.engine.runNode({ node: boosterNode(parameters), credentials: [env.cred] });
		expect(run.error).toBeDefined();
		expect(run.error!.message).toContain(field);
		expect(run.error!.message).toContain(value);
		expect(run.error!.message).toMatch(/item 0/);
		expect(logged(env)).toEqual([]);
	});

	it.each(['customer export', 'kpi'])('Continue On Fail (%s): an error item for the bad input, the others succeed, all paired', async (kind) => {
		const customers = customersOf(env, 'CAR').slice(0, 3);
		const parameters =
			kind === 'kpi'
				? { resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.id }}', options: {} }
				: exportParameters({}, { email: '={{ $json.email }}' });
		const inputItems =
			kind === 'kpi'
				? [{ json: { id: customers[0].boosterCustomerId } }, { json: { id: 'twelve' } }, { json: { id: customers[2].boosterCustomerId } }]
				: [{ json: { email: customers[0].email } }, { json: { email: 'not-an-email' } }, { json: { email: customers[2].email } }];
		const run = await env.engine.runNode({
			node: boosterNode(parameters, { onError: 'continueRegularOutput' }),
			inputItems,
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(String(run.items[1].json.error)).toContain(kind === 'kpi' ? 'boosterCustomerId' : 'email');
		expect(String(run.items[1].json.error)).toContain(kind === 'kpi' ? 'twelve' : 'not-an-email');
		expect(String(run.items[1].json.error)).toMatch(/item 1/);
		for (const index of [0, 2]) expect(run.items[index].json.error).toBeUndefined();
		if (kind === 'kpi') {
			for (const index of [0, 2]) {
				expect(run.items[index].json).toEqual(env.sandbox.state.computeKpi(customers[index]));
			}
			expect(logged(env, (entry) => entry.path.endsWith('/kpi'))).toHaveLength(2);
		} else {
			expect(typeof run.items[0].json.asyncTaskId).toBe('string');
			expect(typeof run.items[2].json.asyncTaskId).toBe('string');
			expect(logged(env, (entry) => entry.path.endsWith('/export'))).toHaveLength(2);
		}
	});
});

async function sandboxError(method: string, path: string, body?: IDataObject) {
	const response = await fetch(`${env.sandbox.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${env.sandbox.accounts.main.apiKey}`, Accept: 'application/json', 'Content-Type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	const parsed = (await response.json()) as { responseStatus: { errorCode: string; message: string } };
	return { status: response.status, ...parsed.responseStatus };
}

describe.each(['json', 'xml'])('API errors in %s', (requestFormat) => {
	const expectApiError = (error: unknown, expected: { status: number; errorCode: string; message: string }) => {
		const e = error as { message: string; description?: string; httpCode?: string };
		expect(e.message).toContain(expected.message);
		expect(e.httpCode).toBe(String(expected.status));
		expect(`${e.message}\n${e.description ?? ''}`).toContain(expected.errorCode);
		expect(e.message).not.toMatch(/^Authorization failed/);
		const text = allText(error);
		for (const secret of secretsOf(env)) expect(text).not.toContain(secret);
	};

	/** The Accept header of each request the node sent to the sandbox. */
	const acceptHeaders = () => logged(env).map((entry) => entry.headers.accept);

	it('403 for brand PAN', async () => {
		const expected = await sandboxError('POST', '/customer/PAN/export', { posCodes: ['PAN1'], downloadRequestId: 'probe-pan' });
		env.sandbox.state.requestLog.clear();
		expect(expected.status).toBe(403);
		const run = await env.engine.runNode({
			node: boosterNode(exportParameters({ brand: 'PAN', posCodes: ['PAN1'] }, {}, { requestFormat })),
			credentials: [env.cred],
		});
		expectApiError(run.error, expected);
		expect(acceptHeaders()).toEqual([`application/${requestFormat}`]);
	});

	it('404 for an unknown customer', async () => {
		const expected = await sandboxError('GET', '/customer/999999/kpi');
		env.sandbox.state.requestLog.clear();
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'customer', operation: 'getKpi', boosterCustomerId: '999999', advanced: { requestFormat } }),
			credentials: [env.cred],
		});
		expectApiError(run.error, expected);
		expect(acceptHeaders()).toEqual([`application/${requestFormat}`]);
	});

	it('404 for an unknown task (Request Format saved in Options, before it moved to Advanced)', async () => {
		const id = '0123456789abcdef0123456789abcdef';
		const expected = await sandboxError('GET', `/tasks/${id}`);
		env.sandbox.state.requestLog.clear();
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'get', asyncTaskId: '01234567-89ab-cdef-0123-456789abcdef', options: { requestFormat } }),
			credentials: [env.cred],
		});
		expectApiError(run.error, expected);
		expect(acceptHeaders()).toEqual([`application/${requestFormat}`]);
	});

	it('400 from the API, with its field errors', async () => {
		const cred = credential({ baseUrl: stub.url, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey });
		const run = await env.engine.runNode({ node: boosterNode(exportParameters({}, {}, { requestFormat })), credentials: [cred] });
		expectApiError(run.error, { status: 400, errorCode: 'GreaterThan', message: 'Export window too wide' });
		expect(String((run.error as { description?: string }).description)).toContain('creationDateFrom');
		expect(String((run.error as { description?: string }).description)).toContain('Creation Date From must be after 2000');
	});

	it('with Continue On Fail the API error is an item carrying message and status, without secrets', async () => {
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.id }}', advanced: { requestFormat } }, { onError: 'continueRegularOutput' }),
			inputItems: [{ json: { id: 999999 } }, { json: { id: customersOf(env, 'CAR')[0].boosterCustomerId } }],
			credentials: [env.cred],
		});
		expect(run.items).toHaveLength(2);
		expect(String(run.items[0].json.error)).toContain('Customer 999999 not found');
		expect(String(run.items[0].json.httpCode)).toBe('404');
		expect(run.items[1].json.totalTransaction).toBeDefined();
		const text = allText(run.items);
		for (const secret of secretsOf(env)) expect(text).not.toContain(secret);
	});
});
