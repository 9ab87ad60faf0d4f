/**
 * Issue 7: malformed responses from a tiny local server standing in for Booster give a clear n8n
 * error, never a crash and never a silent empty result.
 */
import type { ServerResponse } from 'node:http';

import type { IDataObject } from 'n8n-workflow';

import { startLocalServer, type LocalServer } from '../../helpers/local-server';
import { BOOSTER, TRIGGER, credential, newEngine } from './env';

const engine = newEngine();
let server: LocalServer;
let answer: (response: ServerResponse) => void = () => undefined;

beforeAll(async () => {
	server = await startLocalServer((_request, response) => answer(response));
});
afterAll(async () => {
	await server.close();
	await engine.dispose();
});

const send = (status: number, contentType: string | undefined, body: string) => (response: ServerResponse) => {
	response.writeHead(status, contentType ? { 'content-type': contentType } : {});
	response.end(body);
};

const LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><GetCustomerKpiResponse><currencyCode>&lol3;</currencyCode></GetCustomerKpiResponse>`;
const HTML = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Corporate proxy login</form></body></html>';

const CASES: Array<{ name: string; format: 'json' | 'xml'; reply: (response: ServerResponse) => void; says: RegExp; retries?: number }> = [
	{ name: 'truncated JSON', format: 'json', reply: send(200, 'application/json', '{"boosterCustomerId":1000001,"totalSa'), says: /not valid JSON/ },
	{ name: 'JSON null', format: 'json', reply: send(200, 'application/json', 'null'), says: /could not be read/ },
	{ name: 'JSON empty string', format: 'json', reply: send(200, 'application/json', '""'), says: /could not be read/ },
	{ name: 'JSON list where an object is expected', format: 'json', reply: send(200, 'application/json', '[1,2]'), says: /could not be read/ },
	{ name: 'a number field holding text', format: 'json', reply: send(200, 'application/json', '{"boosterCustomerId":1000001,"totalSales":"many"}'), says: /totalSales/ },
	{ name: 'invalid XML', format: 'xml', reply: send(200, 'application/xml', '<GetCustomerKpiResponse><totalSales>1</totalSale></GetCustomerKpiResponse>'), says: /not well-formed XML/ },
	{ name: 'HTML error page from a proxy (200)', format: 'json', reply: send(200, 'text/html', HTML), says: /could not be read|HTML/ },
	{ name: 'HTML error page from a proxy (502)', format: 'json', reply: send(502, 'text/html', HTML), says: /HTML/, retries: 1 },
	{ name: 'empty body (200)', format: 'json', reply: send(200, 'application/json', ''), says: /empty/ },
	{ name: 'empty body without content type', format: 'json', reply: send(200, undefined, ''), says: /could not be read/ },
	{ name: 'wrong content type (JSON sent as text/plain)', format: 'json', reply: send(200, 'text/plain', '{"boosterCustomerId":1000001}'), says: /content type/ },
	{ name: 'XML asked, JSON answered', format: 'xml', reply: send(200, 'application/json', '{"boosterCustomerId":1000001}'), says: /content type/ },
	{ name: 'DOCTYPE entity expansion (billion laughs)', format: 'xml', reply: send(200, 'application/xml', LAUGHS), says: /DOCTYPE or ENTITY/ },
	{ name: 'error status with a truncated JSON body', format: 'json', reply: send(500, 'application/json', '{"responseStatus":{"mess'), says: /Booster API error/ },
];

describe.each(CASES.map((entry) => [entry.name, entry] as const))('Get KPI answered with %s', (_, entry) => {
	it('gives a clear n8n error, not a crash or an empty item', async () => {
		answer = entry.reply;
		const cred = credential({ baseUrl: `${server.url}/api`, authentication: 'apiKey', apiKey: 'k' });
		const { error, items } = await engine.runNode({
			node: {
				type: BOOSTER,
				parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '1000001', advanced: { requestFormat: entry.format, maxRetries: entry.retries ?? 0 } },
			},
			credentials: [cred],
		});
		expect(items).toEqual([]);
		expect(error).toBeDefined();
		expect(['NodeApiError', 'NodeOperationError']).toContain(error!.name);
		expect(`${error!.message}\n${error!.description ?? ''}`).toMatch(entry.says);
		expect(error!.message).toMatch(/\[item 0\]/);
	});
});

describe('a redirect', () => {
	it('is not followed: the error names where it pointed, and nothing (no token) reaches that address', async () => {
		const elsewhere = await startLocalServer((_request, response) => send(200, 'application/json', '{"boosterCustomerId":1000001}')(response));
		try {
			answer = (response) => {
				response.writeHead(301, { location: `${elsewhere.url}/moved/customer/1000001/kpi?token=secret` });
				response.end();
			};
			const { error, items } = await engine.runNode({
				// Max Retries saved in Options, where it was before it moved to Advanced.
				node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '1000001', options: { maxRetries: 0 } } },
				credentials: [credential({ baseUrl: `${server.url}/api`, authentication: 'apiKey', apiKey: 'k-redirect' })],
			});
			expect(items).toEqual([]);
			expect(error?.message).toBe(`The Booster API redirected the request to ${elsewhere.url}/moved/customer/1000001/kpi [item 0]`);
			expect(error?.description).toMatch(/Base URL/);
			expect(JSON.stringify(error)).not.toMatch(/token=secret|k-redirect/);
			expect(elsewhere.hits).toEqual([]);
		} finally {
			await elsewhere.close();
		}
	});
});

describe('lists and the trigger', () => {
	it('Get Many answered with an object where a list is expected gives an error, not an empty list', async () => {
		answer = send(200, 'application/json', '{"tasks":[]}');
		const { error, items } = await engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'task', operation: 'getMany', returnAll: true } },
			credentials: [credential({ baseUrl: `${server.url}/api`, authentication: 'apiKey', apiKey: 'k' })],
		});
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/could not be read/);
	});

	it.each([
		['an HTML page', send(200, 'text/html', HTML), 'json'],
		['truncated JSON', send(200, 'application/json', '[{"asyncTaskId":"'), 'json'],
		['an empty body', send(200, 'application/json', ''), 'json'],
		[
			'a cut-off XML task list',
			send(200, 'application/xml', '<ArrayOfTask xmlns="urn:x"><Task><asyncTaskId>0f8fad5b-d9cb-469f-a165-70867728950e</asyncTaskId><status>CO'),
			'xml',
		],
	])('the trigger fails the poll with a clear error on %s (and does not report "no new task")', async (_name, reply, requestFormat) => {
		answer = reply;
		const staticData: IDataObject = {};
		await expect(
			engine.pollOnce({
				node: { type: TRIGGER, parameters: { events: ['COM'], advanced: { maxRetries: 0, requestFormat } } },
				staticData,
				credentials: [credential({ baseUrl: `${server.url}/api`, authentication: 'apiKey', apiKey: 'k' })],
			}),
		).rejects.toThrow(/could not be read|HTML|not valid JSON|empty|not well-formed XML/);
		expect(staticData).toEqual({});
	});
});
