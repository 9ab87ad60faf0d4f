/**
 * Issue 7, security: credentials go to the credential's base URL only; signed links, other hosts
 * and redirects get none; the XML parser refuses DOCTYPE/ENTITY; path segments stay segments.
 */
import type { ServerResponse } from 'node:http';

import { startLocalServer, type LocalServer, type RecordedRequest } from '../../helpers/local-server';
import { BOOSTER, type Env, apiRequests, credential, customerIds, posOf, resetSandboxLog, startEnv } from '../reliability/env';

let env: Env;
let other: LocalServer;
let fakeApi: LocalServer;
let fakeAnswer: (request: RecordedRequest, response: ServerResponse) => void = () => undefined;
const TASK = 'a'.repeat(32);

beforeAll(async () => {
	env = await startEnv({ exportDurationMs: 100 });
	other = await startLocalServer((_request, response) => {
		response.writeHead(200, { 'content-type': 'text/csv' });
		response.end('boosterCustomerId\r\n1\r\n');
	});
	fakeApi = await startLocalServer((request, response) => fakeAnswer(request, response));
});
afterAll(async () => {
	await fakeApi.close();
	await other.close();
	await env.stop();
});

const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'x-ss-id', 'x-booster-app'];

function credentialHeaders(request: RecordedRequest): string[] {
	return CREDENTIAL_HEADERS.filter((name) => request.headers[name] !== undefined);
}

function taskJson(fields: Record<string, unknown>): string {
	return JSON.stringify({ asyncTaskId: TASK, type: 'crm', status: 'COM', percentage: 100, brand: 'CAR', requestDate: '2024-01-01T00:00:00Z', ...fields });
}

describe('signed download links get no credentials', () => {
	it.each(['apiKey', 'credentials', 'basic'])('%s: export + download and Task → Download File leave the leaks recorder empty', async (authentication) => {
		const { main } = env.sandbox.accounts;
		const cred = credential({ baseUrl: env.baseUrl, authentication, apiKey: main.apiKey, userName: main.userName, password: main.password, appName: 'n8n-test' });
		resetSandboxLog(env);
		const { items, error } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'export', brand: 'CAR', posCodes: posOf(env, 'CAR'), output: 'file', options: { pollIntervalSeconds: 1 } } },
			credentials: [cred],
		});
		expect(error).toBeUndefined();
		const again = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'task', operation: 'downloadFile', asyncTaskId: String(items[0].json.asyncTaskId) } },
			credentials: [cred],
		});
		expect(again.error).toBeUndefined();
		const files = apiRequests(env, (entry) => entry.path.startsWith('/files/'));
		expect(files.length).toBe(2);
		for (const entry of files) {
			expect(entry.authLeak).toBe(false);
			for (const name of CREDENTIAL_HEADERS) expect(entry.headers[name]).toBeUndefined();
		}
		expect(env.sandbox.state.requestLog.leaks).toEqual([]);
		// The API calls themselves did carry the credential.
		expect(apiRequests(env, (entry) => entry.path.startsWith('/tasks/')).every((entry) => entry.headers.authorization !== undefined)).toBe(true);
	});
});

describe('other hosts get no credentials', () => {
	const cred = () => credential({ baseUrl: `${fakeApi.url}/api`, authentication: 'apiKey', apiKey: 'bst_secret_key_for_hosts' });

	it('a downloadUrl on another host is refused without contacting it', async () => {
		other.hits.length = 0;
		fakeAnswer = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(taskJson({ downloadUrl: `${other.url}/tasks/${TASK}/file`, signedDownloadUrl: null }));
		};
		const { error } = await env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'task', operation: 'downloadFile', asyncTaskId: TASK } }, credentials: [cred()] });
		expect(error?.message).toMatch(/not to the Booster API|credential is not sent/);
		expect(other.hits).toEqual([]);
	});

	it('a downloadUrl on the same host but outside the base path is refused', async () => {
		fakeAnswer = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(taskJson({ downloadUrl: `${fakeApi.url}/admin/export.csv`, signedDownloadUrl: null }));
		};
		const before = fakeApi.hits.length;
		const { error } = await env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'task', operation: 'downloadFile', asyncTaskId: TASK } }, credentials: [cred()] });
		expect(error?.message).toMatch(/credential is not sent/);
		expect(fakeApi.hits.slice(before).map((hit) => hit.url)).toEqual([`/api/tasks/${TASK}`]);
	});

	it('a signed link on another host is fetched without any credential header', async () => {
		other.hits.length = 0;
		fakeAnswer = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(taskJson({ downloadUrl: null, signedDownloadUrl: `${other.url}/files/${TASK}/x.csv?signature=s` }));
		};
		const { error, items } = await env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'task', operation: 'downloadFile', asyncTaskId: TASK } }, credentials: [cred()] });
		expect(error).toBeUndefined();
		expect(items[0].binary?.data).toBeDefined();
		expect(other.hits).toHaveLength(1);
		expect(credentialHeaders(other.hits[0])).toEqual([]);
	});

	it('a redirect from the API to another host does not carry the credential', async () => {
		other.hits.length = 0;
		fakeAnswer = (_request, response) => {
			response.writeHead(302, { location: `${other.url}/customer/1000001/kpi` });
			response.end();
		};
		await env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '1000001' } }, credentials: [cred()] });
		for (const hit of other.hits) expect(credentialHeaders(hit)).toEqual([]);
	});
});

describe('XML parser refuses DOCTYPE and ENTITY', () => {
	it.each([
		['external entity (XXE)', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><GetCustomerKpiResponse><currencyCode>&xxe;</currencyCode></GetCustomerKpiResponse>'],
		['internal entity', '<!DOCTYPE r [<!ENTITY e "boom">]><GetCustomerKpiResponse><currencyCode>&e;</currencyCode></GetCustomerKpiResponse>'],
		['DOCTYPE only', '<!DOCTYPE GetCustomerKpiResponse><GetCustomerKpiResponse/>'],
		['lower-case doctype', '<!doctype r [<!entity e "x">]><GetCustomerKpiResponse/>'],
	])('%s: clear error', async (_name, body) => {
		fakeAnswer = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/xml' });
			response.end(body);
		};
		const { error, items } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '1000001', options: { requestFormat: 'xml' } } },
			credentials: [credential({ baseUrl: `${fakeApi.url}/api`, authentication: 'apiKey', apiKey: 'k' })],
		});
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/DOCTYPE or ENTITY/);
		expect(JSON.stringify(error)).not.toContain('root:');
	});
});

describe('base URL and path segments', () => {
	it('http:// on loopback is accepted (the sandbox itself)', async () => {
		const { error } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: String(customerIds(env, 1)[0]) } },
			credentials: [credential({ baseUrl: env.baseUrl.replace('127.0.0.1', 'localhost'), authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey })],
		});
		expect(error).toBeUndefined();
	});

	it.each([
		['without a path (like the default https://dev-api-booster.richemont.com)', ''],
		['with a trailing slash', '/'],
		['with a path and a trailing slash', '/api/'],
	])('a base URL %s sends the route as one clean path', async (_name, suffix) => {
		const hits: string[] = [];
		fakeAnswer = (request, response) => {
			hits.push(request.url);
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ boosterCustomerId: 1000001, currencyCode: 'CHF' }));
		};
		const { error } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '1000001' } },
			credentials: [credential({ baseUrl: `${fakeApi.url}${suffix}`, authentication: 'apiKey', apiKey: 'k' })],
		});
		expect(error).toBeUndefined();
		const prefix = suffix === '/api/' ? '/api' : '';
		expect(hits).toEqual([`${prefix}/customer/1000001/kpi`]);
	});

	it('the sandbox answers a node whose credential is the sandbox root URL', async () => {
		resetSandboxLog(env);
		const { error } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: String(customerIds(env, 1)[0]) } },
			credentials: [credential({ baseUrl: env.sandbox.url, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey })],
		});
		expect(error).toBeUndefined();
		expect(apiRequests(env).map((entry) => entry.path)).toEqual([`/customer/${customerIds(env, 1)[0]}/kpi`]);
	});

	it('brand, customer ID and task ID with special characters never reach the path', async () => {
		const hits: string[] = [];
		fakeAnswer = (request, response) => {
			hits.push(request.url);
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{}');
		};
		const cred = credential({ baseUrl: `${fakeApi.url}/api`, authentication: 'apiKey', apiKey: 'k' });
		for (const parameters of [
			{ resource: 'customer', operation: 'export', brand: 'CAR/../../tasks', posCodes: ['CH100:100123'] },
			{ resource: 'customer', operation: 'export', brand: 'CAR?x=', posCodes: ['CH100:100123'] },
			{ resource: 'customer', operation: 'export', brand: 'CAR#', posCodes: ['CH100:100123'] },
			{ resource: 'customer', operation: 'getKpi', boosterCustomerId: '1/../../tasks' },
			// From expressions: n8n itself refuses such a literal Customer ID (the locator's regex) before the node runs.
			{ resource: 'customer', operation: 'get', customerId: { __rl: true, mode: 'id', value: '={{ "1/../../tasks" }}' } },
			{ resource: 'customer', operation: 'updateConsents', customerId: { __rl: true, mode: 'id', value: '={{ "1?x=1" }}' }, contactByEmailFlag: 'yes' },
			{ resource: 'customer', operation: 'search', brand: 'CAR/../../tasks', posCodes: ['CH100:100123'] },
			{ resource: 'pointOfSale', operation: 'getMany', brand: 'CAR&page=1#' },
			{ resource: 'task', operation: 'get', asyncTaskId: `${TASK}/../..` },
			{ resource: 'task', operation: 'downloadFile', asyncTaskId: `${TASK}?x=1` },
		]) {
			const { error } = await env.engine.runNode({ node: { type: BOOSTER, parameters }, credentials: [cred] });
			expect(error).toBeDefined();
		}
		expect(hits).toEqual([]);
	});

	it('a POS code with path-like characters travels in the body, not the path', async () => {
		const hits: RecordedRequest[] = [];
		fakeAnswer = (request, response) => {
			hits.push(request);
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ asyncTaskId: TASK }));
		};
		await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'export', brand: 'CAR', posCodes: ['../../x?y=1#z'], output: 'task' } },
			credentials: [credential({ baseUrl: `${fakeApi.url}/api`, authentication: 'apiKey', apiKey: 'k' })],
		});
		// The export, then the check of the task's brand; the POS code is in neither path.
		expect(hits.map((hit) => hit.url)).toEqual(['/api/customer/CAR/export', `/api/tasks/${TASK}`]);
		expect(JSON.parse(hits[0].body).posCodes).toEqual(['../../x?y=1#z']);
	});
});
