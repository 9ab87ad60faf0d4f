/** The Booster credential through n8n's engine: each method, token renewal, appName, the credential test. */
import { startLocalServer, sendJson, type LocalServer } from '../../helpers/local-server';
import { type Env, allText, boosterNode, credential, customersOf, logged, startEnv } from './setup';

let env: Env;
let stub: LocalServer;
let customerId: number;

beforeAll(async () => {
	env = await startEnv({ tokenTtlSeconds: 60 });
	customerId = customersOf(env, 'CAR')[0].boosterCustomerId;
	// A Booster look-alike that knows the caller but gives it no access (the sandbox has no such account).
	stub = await startLocalServer((_request, response) =>
		sendJson(response, 403, { responseStatus: { errorCode: 'Forbidden', message: 'No access to the API' } }),
	);
});
afterAll(async () => {
	await stub.close();
	await env.stop();
});
beforeEach(() => env.sandbox.state.requestLog.clear());

const kpi = () => boosterNode({ resource: 'customer', operation: 'getKpi', boosterCustomerId: String(customerId), options: {} });
const expectedKpi = () => env.sandbox.state.computeKpi(env.sandbox.state.dataset.customerById(customerId)!);
const authCalls = () => logged(env, (entry) => entry.path.startsWith('/auth/credentials'));
const apiCalls = () => logged(env, (entry) => entry.path.endsWith('/kpi'));

describe('authentication methods', () => {
	it('API key is sent as a Bearer token', async () => {
		const run = await env.engine.runNode({ node: kpi(), credentials: [env.cred] });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toEqual(expectedKpi());
		expect(apiCalls()[0].headers.authorization).toBe('Bearer ***');
		expect(apiCalls()[0].status).toBe(200);
	});

	it('Basic auth sends user name and password', async () => {
		const { userName, password } = env.sandbox.accounts.main;
		const cred = credential({ baseUrl: env.sandbox.url, authentication: 'basic', userName, password });
		const run = await env.engine.runNode({ node: kpi(), credentials: [cred] });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toEqual(expectedKpi());
		expect(apiCalls()[0].headers.authorization).toBe('Basic ***');
	});

	it('user name and password: one sign-in, the token is cached, and renewed once after it expires', async () => {
		const { userName, password } = env.sandbox.accounts.main;
		const cred = credential({ baseUrl: env.sandbox.url, authentication: 'credentials', userName, password }, 'session-cred');

		const first = await env.engine.runNode({ node: kpi(), credentials: [cred] });
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toEqual(expectedKpi());
		expect(authCalls()).toHaveLength(1);
		const firstToken = env.engine.credentials.get('session-cred')?.data.accessToken;
		expect(typeof firstToken === 'string' && firstToken.length > 0).toBe(true);

		// Later runs use the stored credential as n8n would (not re-saved from the original data).
		const stored = { ...kpi(), credentials: { boosterApi: { id: 'session-cred', name: cred.name } } };
		const second = await env.engine.runNode({ node: stored });
		expect(second.error).toBeUndefined();
		expect(authCalls()).toHaveLength(1);

		const updatesBefore = env.engine.credentials.updates.length;
		env.sandbox.state.advanceClock(61_000);
		const third = await env.engine.runNode({ node: stored });
		expect(third.error).toBeUndefined();
		expect(third.items.map((item) => item.json)).toEqual([expectedKpi()]);
		expect(authCalls()).toHaveLength(2);
		const renewed = env.engine.credentials.get('session-cred')?.data.accessToken;
		expect(renewed).not.toBe(firstToken);
		expect(env.engine.credentials.updates.length).toBeGreaterThan(updatesBefore);
		// The one request refused with the old token was sent again with the new one.
		expect(apiCalls().filter((entry) => entry.status === 401).length).toBeLessThanOrEqual(1);
	});

	it('user name and password: items running concurrently renew an expired token with one sign-in', async () => {
		const { userName, password } = env.sandbox.accounts.main;
		const cred = credential({ baseUrl: env.sandbox.url, authentication: 'credentials', userName, password }, 'session-cred-2');
		const first = await env.engine.runNode({ node: kpi(), credentials: [cred] });
		expect(first.error).toBeUndefined();
		const stored = { ...kpi(), credentials: { boosterApi: { id: 'session-cred-2', name: cred.name } } };
		env.sandbox.state.requestLog.clear();
		env.sandbox.state.advanceClock(61_000);
		// Get KPI runs up to 8 items at once (its default concurrency).
		const run = await env.engine.runNode({ node: stored, inputItems: [{ json: {} }, { json: {} }, { json: {} }, { json: {} }] });
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json)).toEqual([expectedKpi(), expectedKpi(), expectedKpi(), expectedKpi()]);
		expect(authCalls()).toHaveLength(1);
	});

	it('a wrong password gives a plain-words error without the password', async () => {
		const { userName } = env.sandbox.accounts.main;
		const cred = credential({ baseUrl: env.sandbox.url, authentication: 'credentials', userName, password: 'Wrong-Secret-123!' });
		const run = await env.engine.runNode({ node: kpi(), credentials: [cred] });
		expect(run.error).toBeDefined();
		expect(run.error!.message).toMatch(/user name or password/i);
		expect(allText(run.error)).not.toContain('Wrong-Secret-123!');
	});

	it('appName reaches the sandbox as the x-booster-App header, on the API call and on sign-in', async () => {
		const { userName, password } = env.sandbox.accounts.main;
		const withKey = credential({ baseUrl: env.sandbox.url, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey, appName: 'Campaign Robot' });
		await env.engine.runNode({ node: kpi(), credentials: [withKey] });
		expect(apiCalls()[0].headers['x-booster-app']).toBe('Campaign Robot');

		env.sandbox.state.requestLog.clear();
		const withSession = credential({ baseUrl: env.sandbox.url, authentication: 'credentials', userName, password, appName: 'Campaign Robot' });
		const run = await env.engine.runNode({ node: kpi(), credentials: [withSession] });
		expect(run.error).toBeUndefined();
		expect(apiCalls()[0].headers['x-booster-app']).toBe('Campaign Robot');
	});

	it('plain http:// to a non-loopback host is refused before anything is sent', async () => {
		const cred = credential({ baseUrl: 'http://booster.example.com', authentication: 'apiKey', apiKey: 'bst_secret_do_not_leak' });
		const run = await env.engine.runNode({ node: kpi(), credentials: [cred] });
		expect(run.error).toBeDefined();
		expect(run.error!.message).toMatch(/https/);
		expect(allText(run.error)).not.toContain('bst_secret_do_not_leak');
	});
});

describe('credential test', () => {
	const base = () => ({ baseUrl: env.sandbox.url, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey });

	it('OK with a good API key, user name and password, or Basic', async () => {
		const { userName, password } = env.sandbox.accounts.main;
		expect((await env.engine.testCredential({ credentialType: 'boosterApi', data: base() })).status).toBe('OK');
		expect(
			(await env.engine.testCredential({ credentialType: 'boosterApi', data: { baseUrl: env.sandbox.url, authentication: 'credentials', userName, password } })).status,
		).toBe('OK');
		expect(
			(await env.engine.testCredential({ credentialType: 'boosterApi', data: { baseUrl: env.sandbox.url, authentication: 'basic', userName, password } })).status,
		).toBe('OK');
	});

	it('a bad key is explained in plain words, without the key', async () => {
		const result = await env.engine.testCredential({ credentialType: 'boosterApi', data: { ...base(), apiKey: 'bst_wrong_key_123' } });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/refused|wrong|expired/i);
		expect(result.message).not.toContain('bst_wrong_key_123');
	});

	it('a wrong URL (no Booster API at that path) says so', async () => {
		const result = await env.engine.testCredential({ credentialType: 'boosterApi', data: { ...base(), baseUrl: `${env.sandbox.url}/not-booster` } });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Base URL|address/i);
	});

	it('an unreachable URL is an error', async () => {
		const result = await env.engine.testCredential({ credentialType: 'boosterApi', data: { ...base(), baseUrl: 'http://127.0.0.1:1' } });
		expect(result.status).toBe('Error');
		expect(result.message).not.toContain(env.sandbox.accounts.main.apiKey);
	});

	it('an account without access is told so', async () => {
		const result = await env.engine.testCredential({ credentialType: 'boosterApi', data: { ...base(), baseUrl: stub.url } });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/no access/i);
	});

	it('plain http:// to a non-loopback host is refused', async () => {
		const result = await env.engine.testCredential({ credentialType: 'boosterApi', data: { ...base(), baseUrl: 'http://booster.example.com' } });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/https/);
	});
});
