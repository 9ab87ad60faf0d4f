/**
 * Issue 7, security: every operation and failure path, run with secrets in the credential; every
 * output item, error (message, description, JSON, cause), stored run data and everything written to
 * the console is scanned for the API key, the password, Basic pairs and the bearer tokens Booster issued.
 */
import type { IDataObject } from 'n8n-workflow';

import { startLocalServer, type LocalServer } from '../../helpers/local-server';
import type { StoredCredential } from '../../helpers/n8n-engine';
import { BOOSTER, TRIGGER, type Env, allText, captureOutput, credential, customerIds, errorSurfaces, itemsText, leakedSecrets, posOf, startEnv } from '../reliability/env';

let env: Env;
let echo: LocalServer;
const scanned: string[] = [];
let creds: Record<'apiKey' | 'login' | 'basic' | 'wrongKey' | 'wrongPassword', StoredCredential>;

beforeAll(async () => {
	env = await startEnv({ exportDurationMs: 100, tokenTtlSeconds: 60 });
	const { main } = env.sandbox.accounts;
	creds = {
		apiKey: credential({ baseUrl: env.baseUrl, authentication: 'apiKey', apiKey: main.apiKey }, 'sec-key'),
		login: credential({ baseUrl: env.baseUrl, authentication: 'credentials', userName: main.userName, password: main.password }, 'sec-login'),
		basic: credential({ baseUrl: env.baseUrl, authentication: 'basic', userName: main.userName, password: main.password }, 'sec-basic'),
		wrongKey: credential({ baseUrl: env.baseUrl, authentication: 'apiKey', apiKey: 'bst_wrong_but_secret_key_123' }, 'sec-wrong-key'),
		wrongPassword: credential({ baseUrl: env.baseUrl, authentication: 'credentials', userName: main.userName, password: 'Wrong-Secret-Pa55!' }, 'sec-wrong-pw'),
	};
	// An API whose error pages are malformed; the trigger and the node meet it too.
	echo = await startLocalServer((request, response) => {
		if (request.url.includes('/auth/credentials')) {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ bearerToken: 'issued_by_fake_api_token_42', sessionId: 'fake_session_id_77' }));
			return;
		}
		response.writeHead(500, { 'content-type': 'text/html' });
		response.end('<html><body>upstream error</body></html>');
	});
});
afterAll(async () => {
	await echo.close();
	await env.stop();
});

function secrets(): string[] {
	const { main } = env.sandbox.accounts;
	const list = [main.apiKey, main.password, 'bst_wrong_but_secret_key_123', 'Wrong-Secret-Pa55!', 'issued_by_fake_api_token_42', 'fake_session_id_77'];
	list.push(Buffer.from(`${main.userName}:${main.password}`).toString('base64'));
	// Bearer tokens and sessions the sandbox issued, as stored in the credential after sign-in.
	for (const id of ['sec-login', 'sec-wrong-pw', 'sec-fake-login']) {
		const stored = env.engine.credentials.get(id)?.data as IDataObject | undefined;
		if (typeof stored?.accessToken === 'string' && stored.accessToken !== '') list.push(stored.accessToken);
	}
	for (const update of (env.engine.credentials as unknown as { updates?: Array<{ data?: IDataObject }> }).updates ?? []) {
		if (typeof update.data?.accessToken === 'string' && update.data.accessToken !== '') list.push(update.data.accessToken);
	}
	// Tokens seen on the wire (Authorization: Bearer ...) in the sandbox log are secrets too.
	for (const entry of env.sandbox.state.requestLog.entries) {
		const header = String(entry.headers.authorization ?? '');
		const token = /^Bearer (.+)$/.exec(header)?.[1];
		if (token && !token.includes('*')) list.push(token);
	}
	return [...new Set(list)];
}

async function scenario(name: string, work: () => Promise<unknown>): Promise<void> {
	const { result, output } = await captureOutput(async () => {
		try {
			return await work();
		} catch (error) {
			return { thrown: error };
		}
	});
	const record = result as { items?: unknown[]; error?: unknown; workflow?: { run?: unknown }; thrown?: unknown; message?: string };
	const text = [
		itemsText(record?.items as never),
		errorSurfaces(record?.error),
		errorSurfaces(record?.thrown),
		JSON.stringify(record?.workflow?.run ?? null),
		allText(record?.workflow?.run ?? null),
		// Everything else the call returned (poll items, a credential test's status and message),
		// leaving out the harness's credential store, which holds the secrets by design.
		allText(record && 'workflow' in record ? null : record),
		output,
	].join('\n');
	scanned.push(`${name}\n${text}`);
}

function kpi(cred: StoredCredential, id: unknown = customerIds(env, 1)[0]) {
	return env.engine.runNode({
		node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: String(id) } },
		credentials: [cred],
	});
}

it('runs every operation and failure path and finds 0 secrets anywhere', async () => {
	const pan = [...env.sandbox.state.dataset.allCustomers()].find((customer) => customer.brand === 'PAN')!.boosterCustomerId;
	for (const kind of ['apiKey', 'login', 'basic'] as const) {
		const cred = creds[kind];
		await scenario(`${kind}: get KPI`, () => kpi(cred));
		let taskId = '';
		await scenario(`${kind}: export, wait, download`, async () => {
			const run = await env.engine.runNode({
				node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'export', brand: 'CAR', posCodes: posOf(env, 'CAR'), output: 'file', options: { pollIntervalSeconds: 1 } } },
				credentials: [cred],
			});
			taskId = String(run.items[0]?.json.asyncTaskId ?? '');
			return run;
		});
		// The task scenarios below need the export's task.
		expect(taskId).toMatch(/^[0-9a-f-]{32,36}$/i);
		await scenario(`${kind}: export, wait, customers`, () =>
			env.engine.runNode({
				node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'export', brand: 'CAR', posCodes: posOf(env, 'CAR'), output: 'customers', options: { pollIntervalSeconds: 1 } } },
				credentials: [cred],
			}),
		);
		const customerLocator = { __rl: true, mode: 'id', value: String(customerIds(env, 1)[0]) };
		await scenario(`${kind}: customer get`, () =>
			env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'get', customerId: customerLocator } }, credentials: [cred] }),
		);
		await scenario(`${kind}: customer search`, () =>
			env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'search', brand: 'CAR', posCodes: posOf(env, 'CAR'), limit: 5 } }, credentials: [cred] }),
		);
		await scenario(`${kind}: update consents`, () =>
			env.engine.runNode({
				node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'updateConsents', customerId: customerLocator, contactByEmailFlag: 'yes' } },
				credentials: [cred],
			}),
		);
		await scenario(`${kind}: points of sale`, () =>
			env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'pointOfSale', operation: 'getMany', brand: 'CAR', returnAll: true } }, credentials: [cred] }),
		);
		await scenario(`${kind}: task get`, () => env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'task', operation: 'get', asyncTaskId: taskId } }, credentials: [cred] }));
		await scenario(`${kind}: task get many`, () => env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'task', operation: 'getMany', returnAll: true } }, credentials: [cred] }));
		await scenario(`${kind}: download file`, () => env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'task', operation: 'downloadFile', asyncTaskId: taskId } }, credentials: [cred] }));
		await scenario(`${kind}: 400 (bad input caught)`, () => kpi(cred, 'abc'));
		await scenario(`${kind}: 403 (brand PAN)`, () => kpi(cred, pan));
		await scenario(`${kind}: 404 (unknown task)`, () => env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'task', operation: 'get', asyncTaskId: 'f'.repeat(32) } }, credentials: [cred] }));
		await scenario(`${kind}: 400 from the API (export POS not of the brand)`, () =>
			env.engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'export', brand: 'CAR', posCodes: ['XX999:999999'] } }, credentials: [cred] }),
		);
		env.sandbox.state.setConfig({ faults: { rate500: 1 } });
		await scenario(`${kind}: 500`, () => kpi(cred));
		env.sandbox.state.setConfig({ faults: { rate500: 0 } });
		await scenario(`${kind}: trigger poll`, async () => {
			const staticData: IDataObject = {};
			await env.engine.pollOnce({ node: { type: TRIGGER, parameters: { events: ['COM'] } }, staticData, credentials: [cred] });
			return await env.engine.pollOnce({ node: { type: TRIGGER, parameters: { events: ['COM'], options: { downloadFile: true } } }, mode: 'manual', credentials: [cred] });
		});
		await scenario(`${kind}: credential test`, () => env.engine.testCredential({ credentialType: 'boosterApi', data: cred.data, id: `${cred.id}-test` }));
		await scenario(`${kind}: network error`, () =>
			kpi(credential({ ...cred.data, baseUrl: 'http://127.0.0.1:9/api' }, `${cred.id}-down`)),
		);
		await scenario(`${kind}: malformed response`, () => kpi(credential({ ...cred.data, baseUrl: `${echo.url}/api` }, `${cred.id}-echo`)));
	}
	// Token refresh: the sandbox's token expires, n8n signs in again and repeats the request.
	env.sandbox.state.advanceClock(120_000);
	await scenario('login: token refresh', () => kpi(creds.login));
	await scenario('wrong API key (401)', () => kpi(creds.wrongKey));
	await scenario('wrong API key: credential test', () => env.engine.testCredential({ credentialType: 'boosterApi', data: creds.wrongKey.data, id: 'sec-wrong-key-test' }));
	await scenario('wrong password (401 at sign-in)', () => kpi(creds.wrongPassword));
	await scenario('wrong password: credential test', () => env.engine.testCredential({ credentialType: 'boosterApi', data: creds.wrongPassword.data, id: 'sec-wrong-pw-test' }));
	await scenario('fake API: sign-in then 500 HTML', () =>
		kpi(credential({ baseUrl: `${echo.url}/api`, authentication: 'credentials', userName: 'u', password: env.sandbox.accounts.main.password }, 'sec-fake-login')),
	);
	await scenario('trigger: API down', () =>
		env.engine.pollOnce({ node: { type: TRIGGER, parameters: { events: ['COM'] } }, staticData: { 'node:Node Under Test': { baselineTaken: true, seenTaskIds: '' } }, credentials: [credential({ ...creds.login.data, baseUrl: `${echo.url}/api` }, 'sec-trigger-down')] }),
	);

	const tokensIssued = secrets().length;
	const found = scanned.flatMap((text) => leakedSecrets(text, secrets()).map((secret) => `${text.split('\n')[0]}: ${secret.slice(0, 6)}…`));
	console.log(`Secret scan: ${scanned.length} scenarios, ${tokensIssued} secrets searched, leaks found: ${found.length}${found.length ? `\n${found.join('\n')}` : ''}`);
	expect(secrets().length).toBeGreaterThanOrEqual(6);
	expect(found).toEqual([]);
});
