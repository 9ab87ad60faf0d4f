/**
 * Attack on "an export returns its own customers": the same Export node run twice in one execution
 * (two branches, CAR then VCA), a Download Request ID reused across brands, and a retry of the very
 * same request. Before the fix, the second run sent the first run's ID and got the CAR task back.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ITEMS_NODE_TYPE, START_NODE_TYPE } from '../../helpers/n8n-engine';
import { BOOSTER, type Env, apiRequests, posOf, resetSandboxLog, startEnv } from '../reliability/env';

let env: Env;

beforeAll(async () => {
	env = await startEnv({ exportDurationMs: 100 });
});
afterAll(async () => {
	await env.stop();
});

function exportBodies(): IDataObject[] {
	return apiRequests(env, (entry) => entry.method === 'POST' && /\/export$/.test(entry.path)).map((entry) => JSON.parse(entry.body) as IDataObject);
}

function taskBrand(asyncTaskId: unknown): string | undefined {
	const key = String(asyncTaskId).replace(/-/g, '').toLowerCase();
	return [...env.sandbox.state.tasks.values()].find((task) => task.asyncTaskId.replace(/-/g, '').toLowerCase() === key)?.brand;
}

async function twoBranches(options: INodeParameters, top: INodeParameters, typeVersion?: number) {
	const items = (brand: string) => JSON.stringify([{ json: { brand, pos: posOf(env, brand) } }]);
	return await env.engine.runWorkflow({
		nodes: [
			{ name: 'Go', type: START_NODE_TYPE },
			{ name: 'CAR items', type: ITEMS_NODE_TYPE, parameters: { items: items('CAR') } },
			{ name: 'VCA items', type: ITEMS_NODE_TYPE, parameters: { items: items('VCA') } },
			{
				name: 'Export',
				type: BOOSTER,
				parameters: { resource: 'customer', operation: 'export', brand: '={{ $json.brand }}', posCodes: '={{ $json.pos }}', ...top, options },
				credentials: { boosterApi: { id: env.cred.id, name: env.cred.name } },
				...(typeVersion === undefined ? {} : { typeVersion }),
			},
		],
		connections: {
			Go: { main: [[{ node: 'CAR items', type: 'main', index: 0 }, { node: 'VCA items', type: 'main', index: 0 }]] },
			'CAR items': { main: [[{ node: 'Export', type: 'main', index: 0 }]] },
			'VCA items': { main: [[{ node: 'Export', type: 'main', index: 0 }]] },
		},
		credentials: [env.cred],
	});
}

describe('the same Export node run twice in one execution (CAR branch, then VCA branch)', () => {
	it.each([
		['without waiting (Output Task)', {}, { output: 'task' }, undefined],
		['waiting for the file (Output File)', { pollIntervalSeconds: 1 }, { output: 'file' }, undefined],
		['waiting for the task (version 1, Wait for Completion)', { waitForCompletion: true, pollIntervalSeconds: 1 }, {}, 1],
	] as Array<[string, INodeParameters, INodeParameters, number | undefined]>)('%s: each run gets its own task, of its own brand', async (_, options, top, typeVersion) => {
		resetSandboxLog(env);
		const result = await twoBranches(options, top, typeVersion);
		expect(result.executionError).toBeUndefined();
		const runs = [0, 1].map((runIndex) => result.outputOf('Export', runIndex)?.[0][0].json as IDataObject);
		expect(runs.map((json) => json.brand).sort()).toEqual(['CAR', 'VCA']);
		const sent = exportBodies();
		expect(sent.map((body) => body.brand).sort()).toEqual(['CAR', 'VCA']);
		expect(new Set(sent.map((body) => body.downloadRequestId)).size).toBe(2);
		// Each run's output is the task Booster started for that run's brand.
		for (const json of runs) expect(taskBrand(json.asyncTaskId)).toBe(json.brand);
	});

	it('waiting for the customers (Output Customers, the default): each run outputs the customers of its own brand', async () => {
		resetSandboxLog(env);
		const result = await twoBranches({ pollIntervalSeconds: 1 }, {});
		expect(result.executionError).toBeUndefined();
		const runs = [0, 1].map((runIndex) => (result.outputOf('Export', runIndex)?.[0] ?? []).map((item) => item.json));
		const brands = runs.map((customers) => [...new Set(customers.map((customer) => customer.brand))]);
		expect(brands.sort()).toEqual([['CAR'], ['VCA']]);
		for (const customers of runs) {
			const brand = String(customers[0].brand);
			const expected = [...env.sandbox.state.dataset.customersOfBrand(brand)]
				.filter((customer) => posOf(env, brand).includes(customer.posCode))
				.map((customer) => customer.boosterCustomerId)
				.sort((a, b) => a - b);
			expect(customers.map((customer) => Number(customer.boosterCustomerId)).sort((a, b) => a - b)).toEqual(expected);
		}
		const sent = exportBodies();
		expect(sent.map((body) => body.brand).sort()).toEqual(['CAR', 'VCA']);
		expect(new Set(sent.map((body) => body.downloadRequestId)).size).toBe(2);
	});
});

it.each([
	['Output File', { output: 'file' }, { pollIntervalSeconds: 1 }, undefined, 'weekly-campaign'],
	['version 1, Wait for Completion', {}, { waitForCompletion: true, pollIntervalSeconds: 1 }, 1, 'weekly-campaign-v1'],
] as Array<[string, INodeParameters, INodeParameters, number | undefined, string]>)('a Download Request ID reused for another brand is refused (%s): the VCA item never carries the CAR task', async (_, top, options, typeVersion, downloadRequestId) => {
	resetSandboxLog(env);
	const node = {
		type: BOOSTER,
		parameters: {
			resource: 'customer',
			operation: 'export',
			brand: '={{ $json.brand }}',
			posCodes: '={{ $json.pos }}',
			...top,
			options: { downloadRequestId, ...options },
		},
		onError: 'continueRegularOutput' as const,
		...(typeVersion === undefined ? {} : { typeVersion }),
	};
	const { items, error } = await env.engine.runNode({
		node,
		inputItems: ['CAR', 'VCA'].map((brand) => ({ json: { brand, pos: posOf(env, brand) } })),
		credentials: [env.cred],
	});
	expect(error).toBeUndefined();
	expect(items[0].json.brand).toBe('CAR');
	expect(taskBrand(items[0].json.asyncTaskId)).toBe('CAR');
	expect(items[1].json.asyncTaskId).toBeUndefined();
	expect(String(items[1].json.error)).toMatch(/for brand VCA with task [0-9a-f-]+ of brand CAR \[item 1\]/);
	expect(String(items[1].json.description)).toMatch(/Download Request ID/);
});

it('without waiting, a reused ID is refused too (the started task is checked once)', async () => {
	const node = {
		type: BOOSTER,
		parameters: { resource: 'customer', operation: 'export', brand: 'VCA', posCodes: posOf(env, 'VCA'), output: 'task', options: { downloadRequestId: 'weekly-campaign' } },
	};
	const { error } = await env.engine.runNode({ node, credentials: [env.cred] });
	expect(error?.message).toMatch(/for brand VCA with task .* of brand CAR/);
});

it('n8n retrying the very same request (Retry On Fail) sends the same ID and gets the same task', async () => {
	resetSandboxLog(env);
	const tasksBefore = env.sandbox.state.tasks.size;
	// The first try's task read fails once (503 with no retries left), so n8n runs the node again.
	let failedOnce = false;
	const node = {
		type: BOOSTER,
		parameters: { resource: 'customer', operation: 'export', brand: 'CAR', posCodes: posOf(env, 'CAR'), output: 'task', advanced: { maxRetries: 0 } },
		retryOnFail: true,
		maxTries: 2,
		waitBetweenTries: 0,
	};
	const original = env.sandbox.state.tasks.get.bind(env.sandbox.state.tasks);
	const spy = jest.spyOn(env.sandbox.state.tasks, 'get').mockImplementation((key: string) => {
		if (!failedOnce && apiRequests(env, (entry) => entry.method === 'POST').length === 1) {
			failedOnce = true;
			return undefined;
		}
		return original(key);
	});
	try {
		const { error, items } = await env.engine.runNode({ node, credentials: [env.cred] });
		expect(failedOnce).toBe(true);
		expect(error).toBeUndefined();
		const sent = exportBodies();
		expect(sent).toHaveLength(2);
		expect(sent[0].downloadRequestId).toBe(sent[1].downloadRequestId);
		expect(env.sandbox.state.tasks.size).toBe(tasksBefore + 1);
		expect(taskBrand(items[0].json.asyncTaskId)).toBe('CAR');
	} finally {
		spy.mockRestore();
	}
});
