/**
 * Customer → Export, option Only Since Last Run (nodes/Booster/helpers/since-last-run.ts), through
 * n8n's engine as an active workflow runs it (mode 'trigger', the same workflow static data kept from
 * run to run): the first run exports everything, each later run what was created (or bought) since
 * the previous successful run started, and nothing twice or never; a failed run does not move the
 * window; manual runs neither read nor write it; the user's own dates are never widened. Customers
 * are added between runs with the sandbox's state.addCustomers, at the real time of the test.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { type Env, boosterNode, exportRequests, startEnv } from '../../../integration/node/setup';

const NODE = 'Node Under Test';

let env: Env;

beforeAll(async () => {
	env = await startEnv({ exportDurationMs: 200 });
});
afterAll(async () => await env.stop());
beforeEach(() => env.sandbox.state.requestLog.clear());

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

type Basis = 'off' | 'created' | 'transactions';

const exportNode = (onlySinceLastRun: Basis, parameters: IDataObject = {}, options: IDataObject = {}, extra = {}) =>
	boosterNode(
		{
			resource: 'customer',
			operation: 'export',
			brand: 'CAR',
			posCodes: ['CH100:100123'],
			filters: {},
			options: { onlySinceLastRun, pollIntervalSeconds: 1, ...options },
			advanced: {},
			...parameters,
		},
		extra,
	);

interface Run {
	items: INodeExecutionData[];
	error: unknown;
	ids: number[];
	/** The export request the sandbox received. */
	sent: IDataObject;
	hints: Array<{ message: string }>;
}

async function run(
	node: ReturnType<typeof exportNode>,
	staticData: IDataObject,
	{ mode = 'trigger', timezone = 'UTC' }: { mode?: 'trigger' | 'manual'; timezone?: string } = {},
): Promise<Run> {
	env.sandbox.state.requestLog.clear();
	const result = await env.engine.runNode({ node, mode, staticData, settings: { timezone }, credentials: [env.cred] });
	const requests = exportRequests(env);
	expect(requests).toHaveLength(1);
	const task = result.workflow.runData[NODE]?.at(-1);
	return {
		items: result.items,
		error: result.error,
		ids: result.items.map((item) => item.json.boosterCustomerId as number).sort((a, b) => a - b),
		sent: JSON.parse(requests[0].body) as IDataObject,
		hints: ((task as { hints?: Array<{ message: string }> } | undefined)?.hints ?? []).map((hint) => ({ message: String(hint.message) })),
	};
}

/** CAR customers of CH100:100123 now in the sandbox, optionally created in [from, to]. */
const chIds = (predicate: (creationDate: string) => boolean = () => true) =>
	[...env.sandbox.state.dataset.customersOfBrand('CAR')]
		.filter((c) => c.posCode === 'CH100:100123' && predicate(c.creationDate))
		.map((c) => c.boosterCustomerId);

/** New CH100 customers created at this instant (the real clock, as the node's runs use it). */
async function addCustomers(count: number, at = new Date()): Promise<number[]> {
	await pause(3);
	const ids = env.sandbox.state.addCustomers(count, { brand: 'CAR', posCode: 'CH100:100123', creationDate: at });
	await pause(3);
	return ids;
}

/** The one form of every date the node sends: a UTC instant with milliseconds. */
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** A bound the node sent, checked to be in that form, as an instant. */
const instant = (bound: unknown) => {
	expect(bound).toMatch(UTC_INSTANT);
	return Date.parse(String(bound));
};
const nodeState = (staticData: IDataObject) => staticData[`node:${NODE}`] as IDataObject | undefined;
/** When a run started, as the node keeps it: one millisecond after the end of the window it sent. */
const startOf = (sentTo: unknown) => new Date(instant(sentTo) + 1).toISOString();

describe('Only Since Last Run: Customers Created', () => {
	it('run 1 exports everything, run 2 exactly the customers created since; the windows are disjoint and leave no gap', async () => {
		const staticData: IDataObject = {};
		// Created half an hour before run 1: run 1 must have them, run 2 must not.
		const recent = await addCustomers(2, new Date(Date.now() - 30 * 60_000));
		const everything = chIds();

		const first = await run(exportNode('created'), staticData);
		expect(first.error).toBeUndefined();
		expect(first.ids).toEqual(everything);
		expect(first.ids).toEqual(expect.arrayContaining(recent));
		expect(first.sent.creationDateFrom).toBeUndefined();
		expect(first.sent.creationDateTo).toMatch(UTC_INSTANT);
		// The start of run 1, kept for the node's first run in an execution ($runIndex 0).
		expect(nodeState(staticData)?.sinceLastRun).toEqual({ 0: startOf(first.sent.creationDateTo) });

		const added = await addCustomers(3);
		const second = await run(exportNode('created'), staticData);
		expect(second.error).toBeUndefined();
		expect(second.ids).toEqual(added);
		expect(second.sent.creationDateFrom).toBe(startOf(first.sent.creationDateTo));
		expect(nodeState(staticData)?.sinceLastRun).toEqual({ 0: startOf(second.sent.creationDateTo) });

		// Disjoint and adjacent: run 2 starts one millisecond after run 1 ended.
		const firstTo = instant(first.sent.creationDateTo);
		const secondFrom = instant(second.sent.creationDateFrom);
		const secondTo = instant(second.sent.creationDateTo);
		expect(secondFrom).toBe(firstTo + 1);
		expect(secondTo).toBeGreaterThan(secondFrom);
		expect(first.ids.filter((id) => second.ids.includes(id))).toEqual([]);

		// Nothing new: run 3 exports nobody.
		const third = await run(exportNode('created'), staticData);
		expect(third.error).toBeUndefined();
		expect(third.ids).toEqual([]);
		expect(instant(third.sent.creationDateFrom)).toBe(secondTo + 1);
	});

	it.each(['Europe/Zurich', 'America/New_York', 'Asia/Tokyo'])(
		'loses and repeats nobody whatever the workflow time zone (%s)',
		async (timezone) => {
			const staticData: IDataObject = {};
			const recent = await addCustomers(1, new Date(Date.now() - 30 * 60_000));
			const first = await run(exportNode('created'), staticData, { timezone });
			expect(first.error).toBeUndefined();
			expect(first.ids).toEqual(expect.arrayContaining(recent));
			expect(first.ids).toEqual(chIds((created) => Date.parse(created) < Date.now()));
			const added = await addCustomers(2);
			const second = await run(exportNode('created'), staticData, { timezone });
			expect(second.error).toBeUndefined();
			expect(second.ids).toEqual(added);
		},
	);

	it('a failed run does not move the window: the next run covers it and anything newer', async () => {
		const staticData: IDataObject = {};
		await run(exportNode('created'), staticData);
		const afterFirst = structuredClone(staticData);

		const missed = await addCustomers(2);
		env.sandbox.state.failNextExports(1);
		const failed = await run(exportNode('created'), staticData);
		expect(failed.error).toBeDefined();
		// The window (a run's execution marker aside) is as the successful run left it.
		expect(nodeState(staticData)?.sinceLastRun).toEqual(nodeState(afterFirst)?.sinceLastRun);

		const newer = await addCustomers(1);
		const retry = await run(exportNode('created'), staticData);
		expect(retry.error).toBeUndefined();
		expect(retry.ids).toEqual([...missed, ...newer]);
		expect(retry.sent.creationDateFrom).toBe(failed.sent.creationDateFrom);
		expect(retry.sent.creationDateFrom).toBe((nodeState(afterFirst)!.sinceLastRun as IDataObject)[0]);
		expect(nodeState(staticData)?.sinceLastRun).toEqual({ 0: startOf(retry.sent.creationDateTo) });
	});

	it('a run whose item failed under Continue On Fail does not move the window either', async () => {
		const staticData: IDataObject = {};
		await run(exportNode('created'), staticData);
		const afterFirst = structuredClone(staticData);
		const missed = await addCustomers(1);
		env.sandbox.state.failNextExports(1);
		const failed = await run(exportNode('created', {}, {}, { onError: 'continueRegularOutput' }), staticData);
		expect(failed.error).toBeUndefined();
		expect(String(failed.items[0].json.error)).toMatch(/failed|ERR/i);
		// The window (a run's execution marker aside) is as the successful run left it.
		expect(nodeState(staticData)?.sinceLastRun).toEqual(nodeState(afterFirst)?.sinceLastRun);
		const retry = await run(exportNode('created'), staticData);
		expect(retry.ids).toEqual(missed);
	});

	it('a manual run neither reads nor writes the window', async () => {
		const staticData: IDataObject = {};
		await run(exportNode('created'), staticData);
		const afterFirst = structuredClone(staticData);
		await addCustomers(1);

		const manual = await run(exportNode('created'), staticData, { mode: 'manual' });
		expect(manual.error).toBeUndefined();
		expect(manual.ids).toEqual(chIds());
		expect(manual.sent.creationDateFrom).toBeUndefined();
		expect(manual.sent.creationDateTo).toBeUndefined();
		expect(staticData).toEqual(afterFirst);
		for (const item of manual.items) expect(item.json).not.toHaveProperty('sinceLastRun');

		const empty: IDataObject = {};
		await run(exportNode('created'), empty, { mode: 'manual' });
		expect(empty).toEqual({});
	});

	it("the user's own Creation Date From, later than the last run, is kept; an earlier one is narrowed", async () => {
		const staticData: IDataObject = {};
		await run(exportNode('created'), staticData);
		const beforeMark = await addCustomers(2);
		await pause(20);
		const mark = new Date();
		await pause(20);
		const afterMark = await addCustomers(2);

		// Later than the last run: kept, so only the customers created after it.
		const later = await run(exportNode('created', { filters: { creationDateFrom: mark.toISOString() } }), structuredClone(staticData));
		expect(later.error).toBeUndefined();
		expect(later.sent.creationDateFrom).toBe(mark.toISOString());
		expect(later.ids).toEqual(afterMark);

		// Earlier than the last run (2020): narrowed to the last run's start, never widened.
		const earlier = await run(exportNode('created', { filters: { creationDateFrom: '2020-01-01T00:00:00' } }), structuredClone(staticData));
		expect(earlier.ids).toEqual([...beforeMark, ...afterMark]);
		expect(earlier.sent.creationDateFrom).toBe((nodeState(staticData)!.sinceLastRun as IDataObject)[0]);
		expect(instant(earlier.sent.creationDateFrom)).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
	});

	it("the user's own Creation Date To, earlier than now, is kept", async () => {
		const staticData: IDataObject = {};
		await run(exportNode('created'), staticData);
		const early = await addCustomers(1);
		await pause(20);
		const mark = new Date();
		await pause(20);
		await addCustomers(1);
		const bounded = await run(exportNode('created', { filters: { creationDateTo: mark.toISOString() } }), staticData);
		expect(bounded.sent.creationDateTo).toBe(mark.toISOString());
		expect(bounded.ids).toEqual(early);
	});

	it('the other filters still apply inside the window', async () => {
		const staticData: IDataObject = {};
		await run(exportNode('created'), staticData);
		const added = await addCustomers(12);
		const second = await run(exportNode('created', { filters: { customerStatus: ['Prospect'] } }), staticData);
		const prospects = added.filter((id) => env.sandbox.state.dataset.customerById(id)!.customerStatus === 'Prospect');
		expect(prospects.length).toBeGreaterThan(0);
		expect(prospects.length).toBeLessThan(added.length);
		expect(second.ids).toEqual(prospects);
	});
});

describe('Only Since Last Run: Customers With Transactions', () => {
	it('run 2 exports the customers with a transaction since run 1, bounding transaction dates only', async () => {
		const staticData: IDataObject = {};
		const first = await run(exportNode('transactions'), staticData);
		expect(first.error).toBeUndefined();
		expect(first.sent.transactionDateFrom).toBeUndefined();
		expect(first.sent.transactionDateTo).toMatch(UTC_INSTANT);
		expect(first.sent.creationDateTo).toBeUndefined();
		// Everything with a transaction before run 1.
		expect(first.ids).toEqual(
			[...env.sandbox.state.dataset.customersOfBrand('CAR')]
				.filter((c) => c.posCode === 'CH100:100123' && c.transactions.length > 0)
				.map((c) => c.boosterCustomerId),
		);

		// Customers created now: the clients among them have their transactions at this instant.
		const added = await addCustomers(10);
		const second = await run(exportNode('transactions'), staticData);
		expect(second.error).toBeUndefined();
		const buyers = added.filter((id) => env.sandbox.state.dataset.customerById(id)!.transactions.length > 0);
		expect(buyers.length).toBeGreaterThan(0);
		expect(buyers.length).toBeLessThan(added.length);
		expect(second.ids).toEqual(buyers);
		expect(instant(second.sent.transactionDateFrom)).toBe(instant(first.sent.transactionDateTo) + 1);
		expect(second.sent.creationDateFrom).toBeUndefined();
	});
});

describe('the window in the output and the execution hints', () => {
	it.each(['task', 'file'])('Output %s: each item carries sinceLastRun {basis, from, to}', async (output) => {
		const staticData: IDataObject = {};
		const first = await run(exportNode('created', { output }), staticData);
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(1);
		expect(first.items[0].json.sinceLastRun).toEqual({ basis: 'created', from: null, to: first.sent.creationDateTo });
		const second = await run(exportNode('created', { output }), staticData);
		expect(second.items[0].json.sinceLastRun).toEqual({ basis: 'created', from: second.sent.creationDateFrom, to: second.sent.creationDateTo });
		expect(instant(second.sent.creationDateFrom)).toBe(instant(first.sent.creationDateTo) + 1);
		if (output === 'file') expect(second.items[0].binary?.data).toBeDefined();
	});

	it('Off: no sinceLastRun in the output, no dates added, nothing kept', async () => {
		const staticData: IDataObject = {};
		const off = await run(exportNode('off', { output: 'task' }), staticData);
		expect(off.items[0].json).not.toHaveProperty('sinceLastRun');
		expect(off.sent.creationDateFrom).toBeUndefined();
		expect(off.sent.creationDateTo).toBeUndefined();
		expect(staticData).toEqual({});
	});

	it('the run shows the window it covered in its execution hints', async () => {
		const staticData: IDataObject = {};
		const first = await run(exportNode('created', { output: 'task' }), staticData);
		const firstText = first.hints.map((hint) => hint.message).join('\n');
		expect(firstText).toMatch(/Only Since Last Run/i);
		expect(firstText).toContain(String(first.sent.creationDateTo));
		const second = await run(exportNode('created', { output: 'task' }), staticData);
		const window = second.items[0].json.sinceLastRun as IDataObject;
		const text = second.hints.map((hint) => hint.message).join('\n');
		expect(text).toMatch(/Only Since Last Run/i);
		expect(text).toContain(String(window.from));
		expect(text).toContain(String(window.to));
		// Off: no hint.
		const off = await run(exportNode('off', { output: 'task' }), {});
		expect(off.hints.filter((hint) => /since last run/i.test(hint.message))).toEqual([]);
	});
});
