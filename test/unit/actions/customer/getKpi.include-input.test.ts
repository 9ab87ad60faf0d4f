/**
 * Customer → Get KPI, option Include Input Fields (nodes/Booster/actions/customer/getKpi.operation.ts):
 * on, each input item comes out with its own columns plus the KPIs the sandbox defines; off, the KPIs
 * alone. Items stay in input order and paired, also when they run side by side.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SandboxCustomer } from '../../../sandbox';
import { type Env, boosterNode, customersOf, startEnv } from '../../../integration/node/setup';

let env: Env;
let sample: SandboxCustomer[];

beforeAll(async () => {
	env = await startEnv();
	sample = [...customersOf(env, 'CAR').slice(0, 6), ...customersOf(env, 'IWC').slice(0, 4)];
});
afterAll(async () => await env.stop());

const kpiNode = (options: IDataObject = {}, advanced: IDataObject = {}) =>
	boosterNode({ resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.boosterCustomerId }}', options, advanced });

const kpiOf = (customer: SandboxCustomer) => env.sandbox.state.computeKpi(env.sandbox.state.dataset.customerById(customer.boosterCustomerId)!);

/** A list of customers as a spreadsheet or CRM would give it: its own columns, and the ID. */
const rowsOf = (customers: SandboxCustomer[]) =>
	customers.map((c, index) => ({
		json: { boosterCustomerId: c.boosterCustomerId, name: `${c.firstName} ${c.lastName}`, 'e-mail': c.email, row: index + 2, tags: ['vip', `row-${index}`] },
	}));

describe('Get KPI → Include Input Fields', () => {
	it.each(['json', 'xml'])('on: each item keeps its own columns and gains the KPIs (%s)', async (requestFormat) => {
		const inputItems = rowsOf(sample);
		const run = await env.engine.runNode({ node: kpiNode({ includeInputFields: true }, { requestFormat }), inputItems, credentials: [env.cred] });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(sample.length);
		run.items.forEach((item, index) => {
			expect(item.json).toEqual({ ...inputItems[index].json, ...kpiOf(sample[index]) });
			expect(item.pairedItem).toEqual({ item: index });
		});
	});

	it('off (the default): the KPIs only, none of the input columns', async () => {
		const inputItems = rowsOf(sample);
		for (const options of [{}, { includeInputFields: false }]) {
			const run = await env.engine.runNode({ node: kpiNode(options), inputItems, credentials: [env.cred] });
			expect(run.error).toBeUndefined();
			expect(run.items.map((item) => item.json)).toEqual(sample.map(kpiOf));
			for (const item of run.items) expect(item.json).not.toHaveProperty('name');
		}
	});

	it('on, with many items side by side: each item gets its own columns and its own KPIs, in order', async () => {
		const customers = customersOf(env, 'VCA').slice(0, 40);
		const inputItems = rowsOf(customers);
		const run = await env.engine.runNode({
			node: kpiNode({ includeInputFields: true }, { concurrency: 8 }),
			inputItems,
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json)).toEqual(customers.map((c, index) => ({ ...inputItems[index].json, ...kpiOf(c) })));
		expect(run.items.map((item) => item.pairedItem)).toEqual(customers.map((_, index) => ({ item: index })));
	});

	it('on: a KPI wins over an input column of the same name, the other columns stay', async () => {
		const [customer] = sample;
		const run = await env.engine.runNode({
			node: kpiNode({ includeInputFields: true }),
			inputItems: [{ json: { boosterCustomerId: customer.boosterCustomerId, totalSpendingAmount: 'stale', currencyCode: 'XXX', note: 'keep me' } }],
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toEqual({ note: 'keep me', ...kpiOf(customer) });
	});

	it('on: the output items are copies; the input items are not changed', async () => {
		const [customer] = sample;
		const inputItems = rowsOf([customer]);
		const run = await env.engine.runWorkflow({
			nodes: [
				{ name: 'Start', type: 'n8n-test-harness.start' },
				{ name: 'Items', type: 'n8n-test-harness.items', parameters: { items: JSON.stringify(inputItems) } },
				{ ...kpiNode({ includeInputFields: true }), name: 'KPI', credentials: { boosterApi: { id: env.cred.id, name: env.cred.name } } },
			],
			connections: {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: 'KPI', type: 'main', index: 0 }]] },
			},
			credentials: [env.cred],
			startNode: 'Start',
		});
		expect(run.errorOf('KPI')).toBeUndefined();
		expect(run.outputOf('Items')![0].map((item) => item.json)).toEqual(inputItems.map((item) => item.json));
		expect(run.outputOf('KPI')![0][0].json).toEqual({ ...inputItems[0].json, ...kpiOf(customer) });
	});

	it('on, with Continue On Fail: a failing item gives its error, the others their columns and KPIs', async () => {
		const customers = sample.slice(0, 2);
		const inputItems = [rowsOf([customers[0]])[0], { json: { boosterCustomerId: 'abc', name: 'broken' } }, rowsOf([customers[1]])[0]];
		const run = await env.engine.runNode({
			node: { ...kpiNode({ includeInputFields: true }), onError: 'continueRegularOutput' },
			inputItems,
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toEqual({ ...inputItems[0].json, ...kpiOf(customers[0]) });
		expect(String(run.items[1].json.error)).toMatch(/boosterCustomerId/);
		expect(run.items[2].json).toEqual({ ...inputItems[2].json, ...kpiOf(customers[1]) });
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});
