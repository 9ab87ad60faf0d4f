/** Customer → Get KPI (nodes/Booster/actions/customer/getKpi.operation.ts) against the sandbox's own KPI definitions. */
import type { IDataObject } from 'n8n-workflow';

import type { SandboxCustomer } from '../../../sandbox';
import { type Env, boosterNode, customersOf, logged, startEnv } from '../../../integration/node/setup';

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

const kpiNode = (options: IDataObject = {}) =>
	boosterNode({ resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.id }}', options });

const expectedKpi = (customer: SandboxCustomer, from?: string, to?: string) =>
	env.sandbox.state.computeKpi(env.sandbox.state.dataset.customerById(customer.boosterCustomerId)!, from ?? null, to ?? null);

describe('Get KPI', () => {
	it.each(['json', 'xml'])('equals the KPI the dataset defines, for several customers (%s)', async (requestFormat) => {
		const run = await env.engine.runNode({
			node: kpiNode({ requestFormat }),
			inputItems: sample.map((c) => ({ json: { id: c.boosterCustomerId } })),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json)).toEqual(sample.map((c) => expectedKpi(c)));
		for (const item of run.items) {
			expect(typeof item.json.totalSpendingAmount).toBe('number');
			expect(typeof item.json.totalTransaction).toBe('number');
		}
	});

	it.each(['json', 'xml'])('counts only transactions inside the date window (%s)', async (requestFormat) => {
		const run = await env.engine.runNode({
			node: kpiNode({ requestFormat, transactionDateFrom: '2022-01-01T00:00:00', transactionDateTo: '2023-12-31T00:00:00' }),
			inputItems: sample.map((c) => ({ json: { id: c.boosterCustomerId } })),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json)).toEqual(sample.map((c) => expectedKpi(c, '2022-01-01', '2023-12-31')));
		const kpiCalls = logged(env, (entry) => entry.path.endsWith('/kpi'));
		expect(kpiCalls.at(-1)!.query).toMatchObject({
			transactionDateFrom: expect.stringMatching(/^2022-01-01/),
			transactionDateTo: expect.stringMatching(/^2023-12-31/),
		});
		// The window changes something for at least one customer, or the test proves nothing.
		expect(sample.some((c) => JSON.stringify(expectedKpi(c)) !== JSON.stringify(expectedKpi(c, '2022-01-01', '2023-12-31')))).toBe(true);
	});

	it('JSON and XML give identical output', async () => {
		const inputItems = sample.map((c) => ({ json: { id: c.boosterCustomerId } }));
		const json = await env.engine.runNode({ node: kpiNode({ requestFormat: 'json' }), inputItems, credentials: [env.cred] });
		const xml = await env.engine.runNode({ node: kpiNode({ requestFormat: 'xml' }), inputItems, credentials: [env.cred] });
		expect(xml.items).toEqual(json.items);
	});

	it('many items run concurrently yet stay in input order and paired', async () => {
		const customers = customersOf(env, 'IWC').slice(0, 40);
		const run = await env.engine.runNode({
			node: kpiNode({ concurrency: 8 }),
			inputItems: customers.map((c, index) => ({ json: { id: c.boosterCustomerId, index } })),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(customers.length);
		run.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual(expectedKpi(customers[index]));
		});
	});
});
