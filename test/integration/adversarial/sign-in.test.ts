/**
 * Attacks on sign-in: a wrong password that would borrow the token of a credential signed in at the
 * same moment, a sign-in that never answers, and a wrong password that would lock the account by
 * being tried once per item.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startLocalServer } from '../../helpers/local-server';
import { BOOSTER, type Env, apiRequests, credential, customerIds, resetSandboxLog, startEnv } from '../reliability/env';

function kpiNode(parameters: INodeParameters = {}, onError?: 'continueRegularOutput') {
	return {
		type: BOOSTER,
		parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.id }}', ...parameters },
		...(onError ? { onError } : {}),
	};
}

let env: Env;

beforeAll(async () => {
	env = await startEnv({ latencyMs: 150 });
});
afterAll(async () => {
	await env.stop();
});

const signIns = () => apiRequests(env, (entry) => entry.path.startsWith('/auth/credentials'));

function login(password: string, id: string) {
	const { main } = env.sandbox.accounts;
	return credential({ baseUrl: env.baseUrl, authentication: 'credentials', userName: main.userName, password }, id);
}

it('a wrong password started 50 ms after the right one signs in on its own and is refused, never borrowing the token', async () => {
	resetSandboxLog(env);
	const [id] = customerIds(env, 1);
	const right = login(env.sandbox.accounts.main.password, 'right-pw');
	const wrong = login('Wrong-Pa55word!', 'wrong-pw');
	const rightRun = env.engine.runNode({ node: kpiNode(), inputItems: [{ json: { id } }], credentials: [right] });
	await new Promise((resolve) => setTimeout(resolve, 50));
	const wrongRun = env.engine.runNode({ node: kpiNode(), inputItems: [{ json: { id } }], credentials: [wrong] });
	const [rightResult, wrongResult] = await Promise.all([rightRun, wrongRun]);
	expect(rightResult.error).toBeUndefined();
	expect(rightResult.items[0].json.boosterCustomerId).toBe(id);
	expect(wrongResult.items).toEqual([]);
	expect(wrongResult.error?.message).toMatch(/refused the user name or password/);
	expect(signIns()).toHaveLength(2);
	expect((env.engine.credentials.get('wrong-pw')?.data as IDataObject).accessToken ?? '').toBe('');
});

describe('one refused sign-in per run, however many items (lock-out)', () => {
	it.each([50, 500])('%i items with a wrong password and Continue On Fail: one sign-in attempt, every item an error', async (count) => {
		resetSandboxLog(env);
		const ids = customerIds(env, count);
		const { items, error } = await env.engine.runNode({
			node: kpiNode({}, 'continueRegularOutput'),
			inputItems: ids.map((id) => ({ json: { id } })),
			credentials: [login('Wrong-Pa55word!', `lockout-${count}`)],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(count);
		for (const [index, item] of items.entries()) {
			expect(String(item.json.error)).toMatch(new RegExp(`refused the user name or password \\[item ${index}\\]`));
		}
		expect(signIns()).toHaveLength(1);
		expect(apiRequests(env, (entry) => entry.path.includes('/kpi'))).toHaveLength(0);
	});

	it('Basic auth with a wrong password: 50 items send one refused request in all (n8n repeats it once itself)', async () => {
		resetSandboxLog(env);
		const { main } = env.sandbox.accounts;
		const basic = credential({ baseUrl: env.baseUrl, authentication: 'basic', userName: main.userName, password: 'Wrong-Pa55word!' });
		const { items } = await env.engine.runNode({
			node: kpiNode({}, 'continueRegularOutput'),
			inputItems: customerIds(env, 50).map((id) => ({ json: { id } })),
			credentials: [basic],
		});
		expect(items).toHaveLength(50);
		for (const item of items) expect(item.json.httpCode).toBe('401');
		// n8n sends a request refused with 401 once more after asking the credential to renew itself.
		const refused = apiRequests(env);
		expect(refused.length).toBeGreaterThanOrEqual(1);
		expect(refused.length).toBeLessThanOrEqual(2);
		expect(new Set(refused.map((entry) => entry.path)).size).toBe(1);
	});

	it('a right password is not slowed to one request at a time once accepted', async () => {
		resetSandboxLog(env);
		const ids = customerIds(env, 64);
		const started = Date.now();
		const { items, error } = await env.engine.runNode({
			node: kpiNode(),
			inputItems: ids.map((id) => ({ json: { id } })),
			credentials: [login(env.sandbox.accounts.main.password, 'fast-pw')],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(64);
		expect(signIns()).toHaveLength(1);
		// One at a time, 64 answers of 150 ms would take 9.6 s.
		expect(Date.now() - started).toBeLessThan(9600);
	});
});

it('a sign-in that never answers ends within the Request Timeout, for every item waiting on it', async () => {
	const silent = await startLocalServer(() => undefined);
	try {
		const cred = credential({ baseUrl: `${silent.url}/api`, authentication: 'credentials', userName: 'anna', password: 'Secret-Pa55!' });
		const started = Date.now();
		const { items, error } = await env.engine.runNode({
			node: kpiNode({ advanced: { timeoutSeconds: 2, maxRetries: 0 } }, 'continueRegularOutput'),
			inputItems: [{ json: { id: 1000001 } }, { json: { id: 1000002 } }, { json: { id: 1000003 } }],
			credentials: [cred],
		});
		const elapsed = Date.now() - started;
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		for (const item of items) expect(String(item.json.error)).toMatch(/did not answer in time/);
		// Three items one after another, each bounded by 2 s.
		expect(elapsed).toBeLessThan(8000);
		expect(silent.hits.filter((hit) => hit.url.includes('/auth/credentials')).length).toBeGreaterThanOrEqual(1);
	} finally {
		await silent.close();
	}
});
