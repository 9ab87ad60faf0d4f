/** Customer → Get KPI (nodes/Booster/actions/customer/getKpi.operation.ts) against the sandbox's own KPI definitions. */
import type { IDataObject } from 'n8n-workflow';

import type { SandboxCustomer } from '../../../sandbox';
import { type Env, boosterNode, credential, customersOf, logged, startEnv } from '../../../integration/node/setup';

let env: Env;
let sample: SandboxCustomer[];

beforeAll(async () => {
	env = await startEnv();
	const car = customersOf(env, 'CAR');
	const prospect = car.find((c) => c.customerStatus === 'Prospect')!;
	const withReturn = car.find((c) => c.transactions.some((t) => t.type === 'return'))!;
	const busy = [...car].sort((a, b) => b.transactions.length - a.transactions.length)[0];
	const others = customersOf(env, 'VCA').slice(0, 3);
	sample = [prospect, withReturn, busy, ...others];
	expect(withReturn).toBeDefined();
});
afterAll(async () => await env.stop());

/** Request Format and Concurrency sit under Advanced; the date window under Options. */
const kpiNode = (advanced: IDataObject = {}, options: IDataObject = {}) =>
	boosterNode({ resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.id }}', options, advanced });

const acceptOfKpiCalls = () => logged(env, (entry) => entry.path.endsWith('/kpi')).map((entry) => String(entry.headers.accept));

const expectedKpi = (customer: SandboxCustomer, from?: string, to?: string) =>
	env.sandbox.state.computeKpi(env.sandbox.state.dataset.customerById(customer.boosterCustomerId)!, from ?? null, to ?? null);

describe('Get KPI', () => {
	it.each(['json', 'xml'])('equals the KPI the dataset defines, for several customers (%s)', async (requestFormat) => {
		env.sandbox.state.requestLog.clear();
		const run = await env.engine.runNode({
			node: kpiNode({ requestFormat }),
			inputItems: sample.map((c) => ({ json: { id: c.boosterCustomerId } })),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(acceptOfKpiCalls()).toEqual(sample.map(() => `application/${requestFormat}`));
		expect(run.items.map((item) => item.json)).toEqual(sample.map((c) => expectedKpi(c)));
		for (const item of run.items) {
			expect(typeof item.json.totalSpendingAmount).toBe('number');
			expect(typeof item.json.totalTransaction).toBe('number');
		}
	});

	it.each(['json', 'xml'])('counts only transactions inside the date window, its last day included whole (%s)', async (requestFormat) => {
		const run = await env.engine.runNode({
			node: kpiNode({ requestFormat }, { transactionDateFrom: '2022-01-01T00:00:00', transactionDateTo: '2023-12-31T00:00:00' }),
			inputItems: sample.map((c) => ({ json: { id: c.boosterCustomerId } })),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		// Days picked without a time, in the workflow zone (Europe/Zurich, UTC+1 in winter): from the first
		// moment of the first day to the last moment of the last day, sent in UTC.
		const from = '2021-12-31T23:00:00.000Z';
		const to = '2023-12-31T22:59:59.999Z';
		expect(run.items.map((item) => item.json)).toEqual(sample.map((c) => expectedKpi(c, from, to)));
		const kpiCalls = logged(env, (entry) => entry.path.endsWith('/kpi'));
		expect(kpiCalls.at(-1)!.query).toMatchObject({ transactionDateFrom: from, transactionDateTo: to });
		// The window changes something for at least one customer, or the test proves nothing.
		expect(sample.some((c) => JSON.stringify(expectedKpi(c)) !== JSON.stringify(expectedKpi(c, from, to)))).toBe(true);
	});

	it('a transaction on the last day of the window counts, whatever its time of day', async () => {
		const car = customersOf(env, 'CAR');
		const customer = car.find((c) => c.transactions.some((t) => t.date.slice(11, 13) >= '12'))!;
		const late = customer.transactions.find((t) => t.date.slice(11, 13) >= '12')!;
		const day = late.date.slice(0, 10);
		const run = await env.engine.runNode({
			node: kpiNode({}, { transactionDateFrom: `${day}T00:00:00`, transactionDateTo: `${day}T00:00:00` }),
			inputItems: [{ json: { id: customer.boosterCustomerId } }],
			settings: { timezone: 'UTC' },
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		const [item] = run.items;
		expect(item.json).toEqual(expectedKpi(customer, `${day}T00:00:00.000Z`, `${day}T23:59:59.999Z`));
		expect(logged(env, (entry) => entry.path.endsWith('/kpi')).at(-1)!.query).toMatchObject({
			transactionDateFrom: `${day}T00:00:00.000Z`,
			transactionDateTo: `${day}T23:59:59.999Z`,
		});
		const sameDay = customer.transactions.filter((t) => t.date.slice(0, 10) === day);
		expect(item.json.totalTransaction).toBe(sameDay.length);
		expect(item.json.totalTransaction).toBeGreaterThan(0);
	});

	it('JSON and XML give identical output', async () => {
		const inputItems = sample.map((c) => ({ json: { id: c.boosterCustomerId } }));
		const json = await env.engine.runNode({ node: kpiNode({ requestFormat: 'json' }), inputItems, credentials: [env.cred] });
		const xml = await env.engine.runNode({ node: kpiNode({ requestFormat: 'xml' }), inputItems, credentials: [env.cred] });
		expect(xml.items).toEqual(json.items);
	});

	it('Request Format and Concurrency saved in Options, before they moved to Advanced, still count', async () => {
		env.sandbox.state.requestLog.clear();
		env.sandbox.state.counters.reset();
		const customers = customersOf(env, 'IWC').slice(0, 12);
		// Slow answers, so that requests would overlap if Concurrency 1 were not honoured.
		env.sandbox.state.setConfig({ latencyMs: 20 });
		const run = await env.engine.runNode({
			node: kpiNode({}, { requestFormat: 'xml', concurrency: 1 }),
			inputItems: customers.map((c) => ({ json: { id: c.boosterCustomerId } })),
			credentials: [env.cred],
		}).finally(() => env.sandbox.state.setConfig({ latencyMs: 0 }));
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json)).toEqual(customers.map((c) => expectedKpi(c)));
		expect(acceptOfKpiCalls()).toEqual(customers.map(() => 'application/xml'));
		expect(env.sandbox.state.counters.snapshot().maxInFlightObserved).toBe(1);
	});

	it('many items run concurrently yet stay in input order and paired', async () => {
		env.sandbox.state.counters.reset();
		const customers = customersOf(env, 'IWC').slice(0, 40);
		// Slow answers, so that requests overlap as far as Concurrency lets them.
		env.sandbox.state.setConfig({ latencyMs: 20 });
		const run = await env.engine.runNode({
			node: kpiNode({ concurrency: 8 }),
			inputItems: customers.map((c, index) => ({ json: { id: c.boosterCustomerId, index } })),
			credentials: [env.cred],
		}).finally(() => env.sandbox.state.setConfig({ latencyMs: 0 }));
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(customers.length);
		run.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual(expectedKpi(customers[index]));
		});
		// Advanced → Concurrency: more than one request at a time, never more than 8.
		const { maxInFlightObserved } = env.sandbox.state.counters.snapshot();
		expect(maxInFlightObserved).toBeGreaterThan(1);
		expect(maxInFlightObserved).toBeLessThanOrEqual(8);
	});

	describe('runs side by side in one process (an n8n worker running several executions)', () => {
		const customers = () => customersOf(env, 'IWC').slice(0, 40);
		const runTwo = async (secondCredential = env.cred) => {
			env.sandbox.state.counters.reset();
			env.sandbox.state.setConfig({ latencyMs: 20 });
			const run = (cred: typeof env.cred) =>
				env.engine.runNode({
					node: { ...kpiNode({ concurrency: 8 }), credentials: { boosterApi: { id: cred.id, name: cred.name } } },
					inputItems: customers().map((c) => ({ json: { id: c.boosterCustomerId } })),
					credentials: [cred],
				});
			const runs = await Promise.all([run(env.cred), run(secondCredential)]).finally(() => env.sandbox.state.setConfig({ latencyMs: 0 }));
			for (const each of runs) {
				expect(each.error).toBeUndefined();
				expect(each.items.map((item) => item.json)).toEqual(customers().map((c) => expectedKpi(c)));
			}
			return env.sandbox.state.counters.snapshot();
		};

		it('share one limit per credential and base URL: two runs of Concurrency 8 keep 8 in flight together', async () => {
			const { maxInFlightObserved } = await runTwo();
			expect(maxInFlightObserved).toBeGreaterThan(1);
			expect(maxInFlightObserved).toBeLessThanOrEqual(8);
		});

		it('another credential is another account: each keeps its own limit', async () => {
			const other = credential({ ...env.cred.data }, 'second-key');
			const { maxInFlightObserved } = await runTwo(other);
			expect(maxInFlightObserved).toBeGreaterThan(8);
			expect(maxInFlightObserved).toBeLessThanOrEqual(16);
		});
	});
});
