/**
 * Issue 7, reliability: the node and the trigger against a flaky Booster (seeded sandbox faults:
 * 10% 503, 5% 429, 2% connection resets), run in-process through n8n's engine.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { LocalServer } from '../../helpers/local-server';
import { BOOSTER, TRIGGER, type Env, apiRequests, credential, customerIds, posOf, resetSandboxLog, startEnv } from './env';
import { startProxy } from '../../helpers/proxy';
import { finishSandboxTasks } from '../../helpers/sandbox-tasks';

const FAULTS = { rate503: 0.1, rate429: 0.05, resetRate: 0.02, rate500: 0 };
const NO_FAULTS = { rate503: 0, rate429: 0, resetRate: 0, rate500: 0 };
const KPI_FIELDS = ['boosterCustomerId', 'totalTransaction', 'totalSales', 'totalReturn', 'totalItems', 'averageBasketAmount', 'totalSpendingAmount', 'currencyCode'];

let env: Env;
beforeAll(async () => {
	env = await startEnv({ exportDurationMs: 300 });
});
afterAll(async () => {
	await env.stop();
});
afterEach(() => {
	env.sandbox.state.setConfig({ faults: NO_FAULTS, retryAfterSeconds: 1 });
});

function pick(source: IDataObject, keys: string[]): IDataObject {
	return Object.fromEntries(keys.map((key) => [key, source[key]]));
}

describe('Get KPI: 1,000 items under seeded faults', () => {
	it('every item succeeds, stays paired and in order, equals the sandbox KPI, with at most 1.3 requests per item', async () => {
		const ids = customerIds(env, 1000);
		resetSandboxLog(env);
		env.sandbox.state.setConfig({ faults: { ...FAULTS, seed: 7 } });

		const { items, error } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.id }}' } },
			inputItems: ids.map((id) => ({ json: { id } })),
			credentials: [env.cred],
		});
		const counters = env.sandbox.state.counters.snapshot();
		env.sandbox.state.setConfig({ faults: NO_FAULTS });

		const kpiRequests = apiRequests(env, (entry) => /^\/customer\/\d+\/kpi/.test(entry.path));
		const requestsPerItem = kpiRequests.length / ids.length;
		const returned = items.map((item) => Number(item.json.boosterCustomerId));
		const lost = ids.filter((id) => !returned.includes(id)).length;
		const duplicates = returned.length - new Set(returned).size;
		const faultsInjected = counters.faults[503] + counters.faults[429] + counters.faults.reset + counters.faults.maxInFlight429;
		console.log(
			[
				'Fault-injection run (Get KPI, seed 7, 10% 503 / 5% 429 / 2% resets)',
				'| figure | value |',
				'|---|---|',
				`| items | ${ids.length} |`,
				`| items out | ${items.length} |`,
				`| requests to the KPI route | ${kpiRequests.length} |`,
				`| faults injected | ${faultsInjected} (503: ${counters.faults[503]}, 429: ${counters.faults[429]}, resets: ${counters.faults.reset}, 429 over in-flight limit: ${counters.faults.maxInFlight429}) |`,
				`| requests per item | ${requestsPerItem.toFixed(3)} |`,
				`| items lost | ${lost} |`,
				`| duplicates | ${duplicates} |`,
				`| max in flight observed | ${counters.maxInFlightObserved} |`,
			].join('\n'),
		);

		expect(error).toBeUndefined();
		expect(faultsInjected).toBeGreaterThan(100);
		expect(counters.faults[503]).toBeGreaterThan(0);
		expect(counters.faults[429]).toBeGreaterThan(0);
		expect(counters.faults.reset).toBeGreaterThan(0);
		expect(items).toHaveLength(ids.length);
		expect(lost).toBe(0);
		expect(duplicates).toBe(0);
		items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.boosterCustomerId).toBe(ids[index]);
		});
		const expected = ids.map((id) => pick(env.sandbox.state.computeKpi(env.sandbox.state.dataset.customerById(id)!) as unknown as IDataObject, KPI_FIELDS));
		expect(items.map((item) => pick(item.json, KPI_FIELDS))).toEqual(expected);
		expect(requestsPerItem).toBeLessThanOrEqual(1.3);
	});
});

describe('Export under the same faults', () => {
	it('creates exactly one task per item, each POST retried with its own unchanged downloadRequestId', async () => {
		const pos = posOf(env, 'CAR');
		const count = 20;
		const tasksBefore = new Set(env.sandbox.state.tasks.keys());
		resetSandboxLog(env);
		env.sandbox.state.setConfig({ faults: { ...FAULTS, seed: 11 }, retryAfterSeconds: 0 });

		const { items, error } = await env.engine.runNode({
			node: {
				type: BOOSTER,
				parameters: { resource: 'customer', operation: 'export', brand: 'CAR', posCodes: pos, output: 'task', filters: { searchKey: '={{ $json.key }}' } },
			},
			inputItems: Array.from({ length: count }, (_, index) => ({ json: { key: `k${index}` } })),
			credentials: [env.cred],
		});
		env.sandbox.state.setConfig({ faults: NO_FAULTS });

		expect(error).toBeUndefined();
		expect(items).toHaveLength(count);
		const posts = apiRequests(env, (entry) => entry.method === 'POST' && entry.path.startsWith('/customer/CAR/export'));
		const faultsOnPosts = posts.filter((entry) => entry.status !== 200).length;
		const created = [...env.sandbox.state.tasks.values()].filter((task) => !tasksBefore.has(task.asyncTaskId));
		console.log(
			`Export under faults: ${count} items, ${posts.length} POSTs (${faultsOnPosts} faulted: ${JSON.stringify(posts.filter((entry) => entry.status !== 200).map((entry) => entry.status))}), ${created.length} tasks created, duplicates ${created.length - count}`,
		);
		expect(faultsOnPosts).toBeGreaterThan(0);
		expect(created).toHaveLength(count);

		// Every POST of an item carries that item's downloadRequestId; the ids are distinct per item.
		const idsOfItems = items.map((item) => String(item.json.downloadRequestId));
		expect(new Set(idsOfItems).size).toBe(count);
		for (const post of posts) expect(idsOfItems).toContain(String(JSON.parse(post.body).downloadRequestId));
		expect(new Set(posts.map((post) => JSON.parse(post.body).downloadRequestId)).size).toBe(count);
		// Paired, in order, one distinct task per item, matching the sandbox's task of that request id.
		items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const task = created.find((entry) => entry.downloadRequestId === item.json.downloadRequestId);
			expect(task?.asyncTaskId.replace(/-/g, '').toLowerCase()).toBe(String(item.json.asyncTaskId).replace(/-/g, '').toLowerCase());
		});
		expect(new Set(items.map((item) => item.json.asyncTaskId)).size).toBe(count);
	});

	describe('a lost response (the sandbox created the task, the answer never arrived)', () => {
		let proxy: LocalServer;
		const lost = new Set<string>();
		beforeAll(async () => {
			proxy = await startProxy(env.sandbox.url, {
				prefix: '/api',
				loseResponse: (request) => {
					if (request.method !== 'POST' || !request.url.includes('/export')) return false;
					const id = String(JSON.parse(request.body).downloadRequestId);
					if (lost.has(id)) return false;
					lost.add(id);
					return true;
				},
			});
		});
		afterAll(async () => {
			await proxy.close();
		});

		it('retries with the same downloadRequestId and Booster keeps one task per item', async () => {
			const tasksBefore = new Set(env.sandbox.state.tasks.keys());
			resetSandboxLog(env);
			const cred = credential({ baseUrl: `${proxy.url}/api`, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey });
			const { items, error } = await env.engine.runNode({
				node: {
					type: BOOSTER,
					parameters: { resource: 'customer', operation: 'export', brand: 'CAR', posCodes: posOf(env, 'CAR'), output: 'task', filters: { searchKey: '={{ $json.key }}' } },
				},
				inputItems: [{ json: { key: 'a' } }, { json: { key: 'b' } }, { json: { key: 'c' } }],
				credentials: [cred],
			});
			expect(error).toBeUndefined();
			expect(items).toHaveLength(3);
			const posts = apiRequests(env, (entry) => entry.method === 'POST' && entry.path.includes('/export'));
			// Each item's POST reached Booster twice (the first answer was lost), with the same id.
			expect(posts).toHaveLength(6);
			const byId = new Map<string, number>();
			for (const post of posts) {
				const id = String(JSON.parse(post.body).downloadRequestId);
				byId.set(id, (byId.get(id) ?? 0) + 1);
			}
			expect([...byId.values()]).toEqual([2, 2, 2]);
			const created = [...env.sandbox.state.tasks.values()].filter((task) => !tasksBefore.has(task.asyncTaskId));
			expect(created).toHaveLength(3);
		});
	});

	it('waits and downloads every file under faults: nothing lost, nothing duplicated', async () => {
		const count = 6;
		const tasksBefore = new Set(env.sandbox.state.tasks.keys());
		resetSandboxLog(env);
		env.sandbox.state.setConfig({ faults: { ...FAULTS, seed: 5 }, retryAfterSeconds: 0 });
		const { items, error } = await env.engine.runNode({
			node: {
				type: BOOSTER,
				parameters: {
					resource: 'customer',
					operation: 'export',
					brand: 'CAR',
					posCodes: posOf(env, 'CAR'),
					output: 'file',
					filters: { boosterCustomerIds: '={{ $json.id }}' },
					options: { pollIntervalSeconds: 1 },
				},
			},
			inputItems: customerIdsOfBrand(env, 'CAR', count).map((id) => ({ json: { id } })),
			credentials: [env.cred],
		});
		const counters = env.sandbox.state.counters.snapshot();
		env.sandbox.state.setConfig({ faults: NO_FAULTS });
		const faulted = apiRequests(env, (entry) => entry.status !== 200);
		console.log(
			`Export + download under faults: ${count} items, ${apiRequests(env).length} requests, faults ${JSON.stringify(counters.faults)}, faulted routes: ${JSON.stringify(faulted.map((entry) => `${entry.route} ${entry.status}`))}`,
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(count);
		const created = [...env.sandbox.state.tasks.values()].filter((task) => !tasksBefore.has(task.asyncTaskId));
		expect(created).toHaveLength(count);
		for (const [index, item] of items.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.status).toBe('COM');
			const csv = (await env.engine.getBinaryDataBuffer(item.binary!.data)).toString('utf8');
			expect(csv.split('\r\n')[1]).toMatch(new RegExp(`^${customerIdsOfBrand(env, 'CAR', count)[index]},`));
		}
	});
});

function customerIdsOfBrand(env: Env, brand: string, count: number): number[] {
	const ids: number[] = [];
	for (const customer of env.sandbox.state.dataset.customersOfBrand(brand)) {
		ids.push(customer.boosterCustomerId);
		if (ids.length === count) break;
	}
	return ids;
}

describe('A failed run stops sending', () => {
	it('after an item fails (no Continue On Fail), the remaining items are not sent to Booster in the background', async () => {
		const visible = customerIds(env, 300);
		const refused = [...env.sandbox.state.dataset.allCustomers()].find((customer) => customer.brand === 'PAN')!.boosterCustomerId;
		resetSandboxLog(env);
		env.sandbox.state.setConfig({ latencyMs: 20 });
		const { error } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.id }}' } },
			inputItems: [refused, ...visible].map((id) => ({ json: { id } })),
			credentials: [env.cred],
		});
		const atFailure = apiRequests(env).length;
		// Let anything still running in the background reach the sandbox.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		env.sandbox.state.setConfig({ latencyMs: 0 });
		const later = apiRequests(env).length;
		console.log(`Failed run: ${atFailure} requests when n8n reported the failure, ${later} after 1.5 s`);
		expect(error?.message).toMatch(/not authorized for brand 'PAN'/);
		expect(later).toBe(atFailure);
		// One window of 16, and at most the one request that took the refused one's place before the
		// failure reached the router; everything still waiting for a place was dropped.
		expect(later).toBeLessThanOrEqual(16 + 1);
		expect(env.sandbox.state.counters.snapshot().maxInFlightObserved).toBeLessThanOrEqual(16);
	});
});

describe('Trigger under trouble: exactly one execution per task', () => {
	let proxy: LocalServer;
	let listing: 'plain' | 'duplicated' | 'reversed' | 'shuffled' = 'plain';
	let hidden = new Set<string>();
	beforeAll(async () => {
		proxy = await startProxy(env.sandbox.url, {
			prefix: '/api',
			rewriteJson: (request, body) => {
				if (!/^\/tasks(\?|$|\.json)/.test(request.url) || !Array.isArray(body)) return body;
				const tasks = (body as IDataObject[]).filter((task) => !hidden.has(String(task.asyncTaskId).replace(/-/g, '').toLowerCase()));
				if (listing === 'duplicated') return [...tasks, ...tasks.slice().reverse()];
				if (listing === 'reversed') return tasks.slice().reverse();
				if (listing === 'shuffled') return [...tasks.filter((_, index) => index % 2 === 1), ...tasks.filter((_, index) => index % 2 === 0)];
				return tasks;
			},
		});
	});
	afterAll(async () => {
		await proxy.close();
	});
	beforeEach(() => {
		listing = 'plain';
		hidden = new Set();
	});

	const triggerNode = { name: 'Booster Trigger', type: TRIGGER, parameters: { events: ['COM', 'ERR'], taskType: 'crm', brand: '' } };

	async function startExports(keys: string[], fail = 0): Promise<string[]> {
		if (fail > 0) env.sandbox.state.failNextExports(fail);
		const { items, error } = await env.engine.runNode({
			node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'export', brand: 'VCA', posCodes: posOf(env, 'VCA'), output: 'task', filters: { searchKey: '={{ $json.key }}' } } },
			inputItems: keys.map((key) => ({ json: { key } })),
			credentials: [env.cred],
		});
		expect(error).toBeUndefined();
		return items.map((item) => String(item.json.asyncTaskId).replace(/-/g, '').toLowerCase());
	}

	/** Polls as an active workflow would, keeping the state n8n persisted (saved when an execution starts). */
	function poller(cred = credential({ baseUrl: `${proxy.url}/api`, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey })) {
		const live: IDataObject = {};
		let persisted: IDataObject = {};
		const fired: string[] = [];
		let failedPolls = 0;
		return {
			fired,
			get failedPolls() {
				return failedPolls;
			},
			async poll(): Promise<void> {
				let executions: INodeExecutionData[][][];
				try {
					executions = await env.engine.pollExecutions({ node: triggerNode, staticData: live, credentials: [cred] });
				} catch {
					failedPolls++;
					return;
				}
				for (const execution of executions) {
					for (const item of execution[0]) fired.push(String(item.json.asyncTaskId).replace(/-/g, '').toLowerCase());
				}
				if (executions.length > 0 || Object.keys(persisted).length === 0) persisted = structuredClone(live);
			},
			/** n8n restarted: the live state is lost, what was saved comes back. */
			restart(): void {
				for (const key of Object.keys(live)) delete live[key];
				Object.assign(live, structuredClone(persisted));
			},
		};
	}

	function countsOf(fired: string[]): Record<string, number> {
		const counts: Record<string, number> = {};
		for (const id of fired) counts[id] = (counts[id] ?? 0) + 1;
		return counts;
	}

	it('API outage during polls, faults, a restart with older state, repeated and reordered listings', async () => {
		const trigger = poller();
		await trigger.poll(); // activation: baseline of what already finished
		expect(trigger.fired).toEqual([]);

		const first = await startExports(['t1', 't2', 't3'], 1);
		await finishSandboxTasks(env.sandbox);

		// Outage: every request fails; the polls fail and fire nothing.
		env.sandbox.state.setConfig({ faults: { rate503: 1, seed: 1 }, retryAfterSeconds: 0 });
		await trigger.poll();
		await trigger.poll();
		env.sandbox.state.setConfig({ faults: NO_FAULTS });
		expect(trigger.failedPolls).toBe(2);
		expect(trigger.fired).toEqual([]);

		// Back, listed in reverse order and every task twice.
		listing = 'duplicated';
		await trigger.poll();
		expect(countsOf(trigger.fired)).toEqual(Object.fromEntries(first.map((id) => [id, 1])));

		// Polls under the seeded faults, listing shuffled, new tasks finishing in between.
		const second = await startExports(['t4', 't5']);
		await finishSandboxTasks(env.sandbox);
		env.sandbox.state.setConfig({ faults: { ...FAULTS, seed: 3 }, retryAfterSeconds: 0 });
		listing = 'shuffled';
		for (let round = 0; round < 4; round++) await trigger.poll();
		env.sandbox.state.setConfig({ faults: NO_FAULTS });

		// n8n restarts between a completion and the next poll: the state saved at the last execution comes back.
		const third = await startExports(['t6']);
		await finishSandboxTasks(env.sandbox);
		trigger.restart();
		listing = 'reversed';
		await trigger.poll();
		await trigger.poll();
		listing = 'plain';
		await trigger.poll();

		const all = [...first, ...second, ...third];
		expect(countsOf(trigger.fired)).toEqual(Object.fromEntries(all.map((id) => [id, 1])));
	});

	it('a task listed twice in one poll starts one execution', async () => {
		const trigger = poller();
		await trigger.poll();
		const ids = await startExports(['d1', 'd2']);
		await finishSandboxTasks(env.sandbox);
		listing = 'duplicated';
		await trigger.poll();
		await trigger.poll();
		expect(countsOf(trigger.fired)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
	});

	it('a task missing from one listing and back in the next does not fire again', async () => {
		const trigger = poller();
		await trigger.poll();
		const [early] = await startExports(['m1']);
		await finishSandboxTasks(env.sandbox);
		await trigger.poll();
		expect(trigger.fired).toEqual([early]);
		// A glitching listing omits the fired task while another one completes.
		const [late] = await startExports(['m2']);
		await finishSandboxTasks(env.sandbox);
		hidden = new Set([early]);
		await trigger.poll();
		hidden = new Set();
		await trigger.poll();
		expect(countsOf(trigger.fired)).toEqual({ [early]: 1, [late]: 1 });
	});
});
