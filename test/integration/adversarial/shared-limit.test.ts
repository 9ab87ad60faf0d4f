/**
 * Attack on the limit that runs in one n8n process share (nodes/Booster/transport/limiter.ts,
 * session.ts, actions/router.ts): several runs of the Booster node started at once through n8n-core's
 * engine, with polls of the trigger and dropdowns beside them, against the real sandbox. The README
 * promises one limit per credential and Base URL: together at most the highest Concurrency in
 * flight, each run at most its own, a 429 lowers it for all, forgotten when the last run ends; an
 * item that fails (Continue On Fail off) keeps the run's waiting items from being sent; a refused
 * credential costs one request per run.
 *
 * What is counted: the sandbox's in-flight high-water mark and statuses, its request log (each run
 * asks about its own customers, so a request tells its run), and, where one run's share matters, a
 * metering proxy in front of the sandbox that counts each run's requests in flight. Whether a limit
 * was forgotten is read from behaviour: a low limit is taught with 429s, then a new run must reach
 * its full Concurrency again.
 */
import type { ServerResponse } from 'node:http';

import type { IDataObject } from 'n8n-workflow';

import { BOOSTER, TRIGGER, type Env, credential, newEngine, posOf, startEnv } from '../../helpers/env';
import { type LocalServer, startLocalServer } from '../../helpers/local-server';
import type { N8nTestEngine, NodeRunResult, StoredCredential } from '../../helpers/n8n-engine';

let env: Env;
/** A second engine with its own credential store: the same credential ID can hold other data there. */
let otherEngine: N8nTestEngine;
let meter: Meter;
/** Customers the main account sees, by ID. */
let ids: number[];
let nextCustomer = 0;

beforeAll(async () => {
	env = await startEnv({ sandbox: { customers: 600, exportDurationMs: 100 } });
	otherEngine = newEngine();
	const { dataset } = env.sandbox.state;
	ids = ['CAR', 'VCA', 'IWC', 'JLC', 'MTB'].flatMap((brand) => [...dataset.customersOfBrand(brand)].map((c) => c.boosterCustomerId));
	meter = await startMeter(env.sandbox.url);
});
afterAll(async () => {
	await meter.close();
	await env.stop();
});
beforeEach(() => {
	nextCustomer = 0;
	meter.clear();
});
/** Runs, polls and dropdowns a test started: a failed test must not leave them running into the next. */
const underWay: Array<Promise<unknown>> = [];
function track<T>(promise: Promise<T>): Promise<T> {
	underWay.push(promise);
	return promise;
}
afterEach(async () => {
	await within(Promise.allSettled(underWay.splice(0)), 'what the test left running').catch(() => undefined);
	env.sandbox.state.setConfig({ latencyMs: 0, maxInFlight: 0, retryAfterSeconds: 1 });
});

/** `count` customers no other run of the test has asked about (IDs repeat once all were handed out). */
function customers(count: number): number[] {
	return Array.from({ length: count }, () => ids[nextCustomer++ % ids.length]);
}

/** Sets the sandbox's knobs (the others back to their defaults) and clears its log and counters. */
function sandbox(config: { latencyMs?: number; maxInFlight?: number; retryAfterSeconds?: number }) {
	env.sandbox.state.setConfig({ latencyMs: 0, maxInFlight: 0, retryAfterSeconds: 1, ...config });
	env.sandbox.state.requestLog.clear();
	env.sandbox.state.counters.reset();
}

const counters = () => env.sandbox.state.counters.snapshot();

/** KPI requests the sandbox received for these customers, with their statuses. */
function kpiRequests(of: Array<number | string>): Array<{ id: string; status: unknown; timestamp: string }> {
	const wanted = new Set(of.map(String));
	return env.sandbox.state.requestLog.entries
		.map((entry) => ({ id: /^\/customer\/([^/]+)\/kpi$/.exec(entry.path)?.[1] ?? '', status: entry.status, timestamp: entry.timestamp }))
		.filter((entry) => wanted.has(entry.id));
}

interface KpiRun {
	customers: Array<number | string>;
	concurrency: number;
	cred?: StoredCredential;
	advanced?: IDataObject;
	continueOnFail?: boolean;
	engine?: N8nTestEngine;
}

async function runKpi(run: KpiRun): Promise<NodeRunResult> {
	const cred = run.cred ?? env.cred;
	return await track((run.engine ?? env.engine).runNode({
		node: {
			type: BOOSTER,
			parameters: {
				resource: 'customer',
				operation: 'getKpi',
				boosterCustomerId: '={{ $json.id }}',
				advanced: { concurrency: run.concurrency, ...run.advanced },
			},
			credentials: { boosterApi: { id: cred.id, name: cred.name } },
			...(run.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
		inputItems: run.customers.map((id) => ({ json: { id } })),
		credentials: [cred],
	}));
}

function expectedKpi(id: number | string) {
	const { state } = env.sandbox;
	return state.computeKpi(state.dataset.customerById(Number(id))!, null, null);
}

function expectAllKpis(run: NodeRunResult, of: number[]): void {
	expect(run.error?.message).toBeUndefined();
	expect(run.items.map((item) => item.json)).toEqual(of.map(expectedKpi));
}

/** Fails with a message instead of waiting forever: a run that never ends is a deadlock. */
async function within<T>(promise: Promise<T>, what: string, ms = 20_000): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const expiry = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms)));
	try {
		return await Promise.race([promise, expiry]);
	} finally {
		clearTimeout(timer);
	}
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`Still waiting for ${what}`);
		await new Promise((next) => setTimeout(next, 2));
	}
}

/** Retries enough that a 429 met while the limit is being probed never ends an item. */
const PATIENT = { maxRetries: 10 };

/** A low limit for `cred` taught with 429s (the sandbox accepts 1 in flight); the run must still get every KPI. */
async function teachLowLimit(cred: StoredCredential = env.cred, engine?: N8nTestEngine): Promise<void> {
	sandbox({ latencyMs: 10, maxInFlight: 1, retryAfterSeconds: 0 });
	const taught = customers(30);
	const run = await runKpi({ customers: taught, concurrency: 16, advanced: PATIENT, cred, engine });
	expect(run.error?.message).toBeUndefined();
	expect(counters().byStatus['429']).toBeGreaterThan(0);
}

/** How many requests a fresh run of Concurrency 16 keeps in flight (the sandbox accepts any number). */
async function peakOfFreshRun(cred: StoredCredential = env.cred, engine?: N8nTestEngine): Promise<number> {
	sandbox({ latencyMs: 40 });
	const asked = customers(24);
	const run = await runKpi({ customers: asked, concurrency: 16, cred, engine });
	expect(run.error?.message).toBeUndefined();
	const { maxInFlightObserved, byStatus } = counters();
	expect(byStatus['429']).toBeUndefined();
	return maxInFlightObserved;
}

/**
 * Nothing of the account's limiter outlived its runs: what a 429 taught is gone, so a new run reaches
 * (nearly) its full Concurrency of 16. A limiter kept alive by a run that never left would keep the
 * taught limit of 1 or 2, from which 24 requests climb to 7 at most (k in flight takes 1 + 2 + … + k-1 successes).
 */
async function expectForgotten(cred: StoredCredential = env.cred, engine?: N8nTestEngine): Promise<void> {
	await teachLowLimit(cred, engine);
	expect(await peakOfFreshRun(cred, engine)).toBeGreaterThanOrEqual(10);
}

describe('runs under way at once share one limit', () => {
	it('ten runs of Concurrency 16: the sandbox never sees more than 16 in flight, and every run gets every KPI', async () => {
		sandbox({ latencyMs: 30 });
		const asked = Array.from({ length: 10 }, () => customers(30));
		const runs = await within(Promise.all(asked.map((of) => runKpi({ customers: of, concurrency: 16 }))), 'ten runs');
		runs.forEach((run, index) => expectAllKpis(run, asked[index]));
		const { maxInFlightObserved, total } = counters();
		expect(total).toBe(300);
		expect(maxInFlightObserved).toBeLessThanOrEqual(16);
		// They do share 16, not one at a time.
		expect(maxInFlightObserved).toBeGreaterThanOrEqual(12);
	});

	it('runs of Concurrency 2, 4 and 12: each keeps to its own, together to the highest (12)', async () => {
		sandbox({ latencyMs: 30 });
		const cred = meter.credential('metered');
		const groups = { two: customers(40), four: customers(40), twelve: customers(60) };
		meter.group(groups);
		const [two, four, twelve] = await within(
			Promise.all([
				runKpi({ customers: groups.two, concurrency: 2, cred }),
				runKpi({ customers: groups.four, concurrency: 4, cred }),
				runKpi({ customers: groups.twelve, concurrency: 12, cred }),
			]),
			'three runs',
		);
		expectAllKpis(two, groups.two);
		expectAllKpis(four, groups.four);
		expectAllKpis(twelve, groups.twelve);
		expect(meter.peak('two')).toBe(2);
		expect(meter.peak('four')).toBe(4);
		expect(meter.peak('twelve')).toBeLessThanOrEqual(12);
		expect(meter.peak()).toBeLessThanOrEqual(12);
		// The highest Concurrency counts, not the lowest, nor the first run's.
		expect(meter.peak()).toBeGreaterThan(6);
	});

	it('the same credential at two Base URLs has two limits; another credential its own', async () => {
		// Long answers, so that the three runs are surely under way together.
		sandbox({ latencyMs: 100 });
		// The same ID with the proxy's address, in another engine's store (one store holds one version of a credential).
		const elsewhere = meter.credential(env.cred.id);
		const other = credential({ ...env.cred.data }, 'second-key');
		const asked = [customers(40), customers(40), customers(40)];
		const runs = await within(
			Promise.all([
				runKpi({ customers: asked[0], concurrency: 8 }),
				runKpi({ customers: asked[1], concurrency: 8, cred: elsewhere, engine: otherEngine }),
				runKpi({ customers: asked[2], concurrency: 8, cred: other }),
			]),
			'three accounts',
		);
		runs.forEach((run, index) => expectAllKpis(run, asked[index]));
		const { maxInFlightObserved } = counters();
		expect(maxInFlightObserved).toBeGreaterThan(16);
		expect(maxInFlightObserved).toBeLessThanOrEqual(24);
	});
});

describe('a run that fails beside others', () => {
	it('an item failing (Continue On Fail off) keeps its run\'s waiting items from being sent; the runs beside it finish every item', async () => {
		sandbox({ latencyMs: 20 });
		const before = customers(10);
		const after = customers(40);
		const failing = [...before, 999_999_999, ...after];
		const healthy = [customers(40), customers(40)];
		const [failed, ...others] = await within(
			Promise.all([
				runKpi({ customers: failing, concurrency: 4 }),
				...healthy.map((of) => runKpi({ customers: of, concurrency: 8 })),
			]),
			'runs beside a failing one',
		);
		expect(failed.error?.message).toMatch(/999999999|not found/i);
		others.forEach((run, index) => expectAllKpis(run, healthy[index]));
		// Of the items after the failing one, only those already in flight when it failed were sent.
		expect(kpiRequests(after).length).toBeLessThanOrEqual(4);
		expect(kpiRequests(before)).toHaveLength(10);
	});

	it('the first item failing (the request that tries the credential) keeps all the others from being sent', async () => {
		sandbox({ latencyMs: 20 });
		const rest = customers(40);
		const failed = await runKpi({ customers: [999_999_999, ...rest], concurrency: 16 });
		expect(failed.error?.message).toMatch(/999999999|not found/i);
		expect(kpiRequests(rest)).toEqual([]);
	});

	it('an item failing before any request was sent (bad input) keeps every other item of its run from being sent', async () => {
		sandbox({ latencyMs: 20 });
		const rest = customers(40);
		const healthy = customers(40);
		const [failed, other] = await within(
			Promise.all([
				runKpi({ customers: ['not a number', ...rest], concurrency: 16 }),
				runKpi({ customers: healthy, concurrency: 8 }),
			]),
			'a bad-input run beside a good one',
		);
		expect(failed.error?.message).toMatch(/Invalid Booster Customer ID/);
		expectAllKpis(other, healthy);
		expect(kpiRequests(rest)).toEqual([]);
	});

	it('a refused API key (another credential) costs each of its runs one request; the good run beside them is untouched', async () => {
		sandbox({ latencyMs: 20 });
		const wrong = credential({ ...env.cred.data, apiKey: 'bst_wrong_key_0000' }, 'wrong-key');
		const good = customers(60);
		const refused = [customers(30), customers(30), customers(30)];
		const [ok, first, second, goingOn] = await within(
			Promise.all([
				runKpi({ customers: good, concurrency: 8 }),
				runKpi({ customers: refused[0], concurrency: 16, cred: wrong }),
				runKpi({ customers: refused[1], concurrency: 16, cred: wrong }),
				runKpi({ customers: refused[2], concurrency: 16, cred: wrong, continueOnFail: true }),
			]),
			'good and refused runs',
		);
		expectAllKpis(ok, good);
		for (const run of [first, second]) expect(run.error).toMatchObject({ httpCode: '401' });
		// With Continue On Fail every item is an error, and still only one was sent.
		expect(goingOn.items.map((item) => item.json.httpCode)).toEqual(refused[2].map(() => '401'));
		// One item tried per run; n8n itself sends a request refused with 401 once more, after asking the credential to renew.
		for (const of of refused) {
			const sent = kpiRequests(of);
			expect(new Set(sent.map((entry) => entry.id)).size).toBe(1);
			expect(sent.length).toBeLessThanOrEqual(2);
		}
		expect(counters().byStatus['401']).toBeLessThanOrEqual(6);
	});

	it('a refused key under the same credential ID (changed while an older execution runs) costs one request and stalls nothing', async () => {
		sandbox({ latencyMs: 20 });
		const changed: StoredCredential = { ...env.cred, data: { ...env.cred.data, apiKey: 'bst_revoked_key_0000' } };
		const good = customers(60);
		const refused = customers(30);
		const [ok, failed] = await within(
			Promise.all([
				runKpi({ customers: good, concurrency: 8 }),
				runKpi({ customers: refused, concurrency: 16, cred: changed, engine: otherEngine }),
			]),
			'good and refused runs of one credential ID',
		);
		expectAllKpis(ok, good);
		expect(failed.error).toMatchObject({ httpCode: '401' });
		const sent = kpiRequests(refused);
		expect(new Set(sent.map((entry) => entry.id)).size).toBe(1);
		expect(sent.length).toBeLessThanOrEqual(2);
		expect(counters().maxInFlightObserved).toBeLessThanOrEqual(16);
	});
});

describe('runs that come and go', () => {
	it('a wide run that leaves while a narrow one is mid-flight: a run that joins later still shares the narrow one\'s limiter', async () => {
		sandbox({ latencyMs: 20 });
		const cred = meter.credential('metered-leave');
		const groups = { narrow: customers(120), wide: customers(6), late: customers(60) };
		meter.group(groups);
		let narrowDone = false;
		const narrow = runKpi({ customers: groups.narrow, concurrency: 4, cred }).finally(() => (narrowDone = true));
		const wide = await runKpi({ customers: groups.wide, concurrency: 16, cred });
		expectAllKpis(wide, groups.wide);
		expect(narrowDone).toBe(false);
		meter.reset();
		const late = runKpi({ customers: groups.late, concurrency: 16, cred });
		const [narrowRun, lateRun] = await within(Promise.all([narrow, late]), 'the narrow and the late run');
		expectAllKpis(narrowRun, groups.narrow);
		expectAllKpis(lateRun, groups.late);
		expect(meter.overlap('narrow', 'late')).toBe(true);
		expect(meter.peak('narrow')).toBeLessThanOrEqual(4);
		// Had the wide run's leaving dropped the limiter, the late run would have had 16 of its own beside the narrow one's 4.
		expect(meter.peak()).toBeLessThanOrEqual(16);
	});

	it('429s met by one run lower the limit of a run that joins it', async () => {
		sandbox({ latencyMs: 20 });
		const cred = meter.credential('metered-429');
		const groups = { first: customers(150), second: customers(40) };
		meter.group(groups);
		// A server that takes 4 at once and refuses the others after 20 ms, so refused requests count as in flight too.
		meter.acceptAtOnce(4);
		const running = runKpi({ customers: groups.first, concurrency: 16, advanced: PATIENT, cred });
		// The first run has met the limit and gone on under it.
		await until(() => meter.refused() > 0 && kpiRequests(groups.first).length >= 30, 'the first run to meet 429s');
		meter.reset();
		const joining = runKpi({ customers: groups.second, concurrency: 16, advanced: PATIENT, cred });
		const [firstRun, secondRun] = await within(Promise.all([running, joining]), 'runs under 429s');
		expectAllKpis(firstRun, groups.first);
		expectAllKpis(secondRun, groups.second);
		expect(meter.overlap('first', 'second')).toBe(true);
		// What the first run learned holds for both: a run with a limit of its own would have sent up to 16 beside the first run's 4.
		expect(meter.peak()).toBeLessThanOrEqual(8);
	});

	it('a limit taught by 429s is not lowered by the successes of a narrow run left alone with it', async () => {
		sandbox({ latencyMs: 30, maxInFlight: 12, retryAfterSeconds: 0 });
		const wide = customers(40);
		const narrow = customers(40);
		const late = customers(24);
		let narrowDone = false;
		const narrowRun = runKpi({ customers: narrow, concurrency: 1, advanced: PATIENT }).finally(() => (narrowDone = true));
		expectAllKpis(await runKpi({ customers: wide, concurrency: 16, advanced: PATIENT }), wide);
		expect(counters().byStatus['429']).toBeGreaterThan(0);
		// The narrow run, alone now, has its successes.
		const doneBefore = kpiRequests(narrow).length;
		await until(() => kpiRequests(narrow).length >= doneBefore + 4, 'successes of the narrow run');
		expect(narrowDone).toBe(false);
		env.sandbox.state.counters.reset();
		const lateRun = await runKpi({ customers: late, concurrency: 16, advanced: PATIENT });
		expectAllKpis(lateRun, late);
		expect(narrowDone).toBe(false);
		// The sandbox accepts 12: the late run starts near it, not at the 2 the narrow run's successes would leave.
		expect(counters().maxInFlightObserved).toBeGreaterThanOrEqual(10);
		expectAllKpis(await narrowRun, narrow);
	});

	it('the limit is forgotten when the last run ends: a later run starts at its full Concurrency again', async () => {
		await expectForgotten();
	});
});

describe('polls and dropdowns beside runs', () => {
	const trigger = () => ({ name: 'Booster Trigger', type: TRIGGER, parameters: { events: ['COM'], taskType: 'crm', brand: '', options: {}, advanced: PATIENT } });

	async function pollsAndDropdowns(brands: string[]) {
		const staticData = brands.map(() => ({}) as IDataObject);
		const polls = staticData.map(async (data) => await track(env.engine.pollOnce({ node: trigger(), staticData: data, credentials: [env.cred] })));
		const dropdowns = brands.map(
			async (brand) =>
				await track(
					env.engine.loadOptions({
						nodeType: BOOSTER,
						methodName: 'getPosCodes',
						parameters: { resource: 'customer', operation: 'export', brand },
						credentials: [env.cred],
					}),
				),
		);
		return { staticData, polls, dropdowns };
	}

	it('at the full limit: every poll and dropdown ends with its answer, and the limit holds', async () => {
		sandbox({ latencyMs: 20 });
		const asked = [customers(50), customers(50), customers(50)];
		const runs = asked.map((of) => runKpi({ customers: of, concurrency: 16 }));
		const brands = ['CAR', 'VCA', 'IWC', 'JLC'];
		const { staticData, polls, dropdowns } = await pollsAndDropdowns(brands);
		const [runResults, pollResults, options] = await within(Promise.all([Promise.all(runs), Promise.all(polls), Promise.all(dropdowns)]), 'runs, polls and dropdowns');
		runResults.forEach((run, index) => expectAllKpis(run, asked[index]));
		expect(pollResults).toEqual(brands.map(() => null));
		for (const data of staticData) expect(JSON.stringify(data)).toContain('"baselineTaken":true');
		options.forEach((list, index) => expect(list.map((option) => option.value).sort()).toEqual(posOf(env, brands[index]).sort()));
		expect(counters().maxInFlightObserved).toBeLessThanOrEqual(16);
	});

	it('under a limit taught down to 2 by 429s: polls beside the runs still end, nothing waits forever', async () => {
		sandbox({ latencyMs: 10, maxInFlight: 2, retryAfterSeconds: 0 });
		const asked = [customers(30), customers(30)];
		const runs = asked.map((of) => runKpi({ customers: of, concurrency: 16, advanced: PATIENT }));
		const { staticData, polls } = await pollsAndDropdowns(['CAR', 'VCA', 'IWC']);
		const [runResults, pollResults] = await within(Promise.all([Promise.all(runs), Promise.all(polls)]), 'runs and polls under 429s');
		runResults.forEach((run, index) => expectAllKpis(run, asked[index]));
		expect(pollResults).toEqual([null, null, null]);
		for (const data of staticData) expect(JSON.stringify(data)).toContain('"baselineTaken":true');
		expect(counters().byStatus['429']).toBeGreaterThan(0);
	});
});

describe('nothing outlives the runs', () => {
	it('hung requests give their places back at the Request Timeout: the run goes on at its full Concurrency, the run beside it finishes', async () => {
		sandbox({ latencyMs: 20 });
		const cred = meter.credential('metered-hang');
		const hung = customers(8);
		const groups = { first: customers(1), after: customers(40), beside: customers(20) };
		meter.group({ ...groups, hung });
		meter.hang(hung);
		const settings = { timeoutSeconds: 1, maxRetries: 0 };
		const run = runKpi({ customers: [...groups.first, ...hung, ...groups.after], concurrency: 8, advanced: settings, continueOnFail: true, cred });
		await until(() => meter.peak('hung') === 8, 'the hung requests');
		const beside = runKpi({ customers: groups.beside, concurrency: 4, advanced: settings, cred });
		// Each hung request is given up (its connection closed) at the time-out. (For a few
		// milliseconds around it the proxy may count 9 or 10: the place comes back when the node stops
		// waiting, a moment before n8n closes the connection; see the known break below.)
		await within(until(() => meter.openHung() === 0, 'the hung requests to be given up', 5000), 'giving up');
		meter.reset();
		const [hungRun, besideRun] = await within(Promise.all([run, beside]), 'the run with hung requests');
		expect(hungRun.items.slice(1, 9).map((item) => item.json.error)).toEqual(hung.map(() => expect.stringMatching(/1 s|time/i)));
		expect(hungRun.items.slice(9).map((item) => item.json)).toEqual(groups.after.map(expectedKpi));
		expectAllKpis(besideRun, groups.beside);
		// The places came back: the two runs kept 8 in flight again, no more.
		expect(meter.peak()).toBeGreaterThanOrEqual(7);
		expect(meter.peak()).toBeLessThanOrEqual(8);
	});

	// n8n's own time-out only watches an idle socket until the headers: an answer that stalls after
	// them must be dropped by the node when the Request Timeout ends the attempt, or its connection
	// stays open and the server sees more than the Concurrency, run after run.
	it('answers that stall after their headers have their connections closed by the Request Timeout', async () => {
		sandbox({ latencyMs: 10 });
		const cred = meter.credential('metered-stall');
		const stalled = [customers(4), customers(4)];
		meter.group({ stalled: stalled.flat() });
		meter.hang(stalled.flat(), 'after headers');
		// Two runs one after the other, each: one good item (the credential is accepted), then 4 that stall.
		for (const of of stalled) {
			await runKpi({ customers: [...customers(1), ...of], concurrency: 4, advanced: { timeoutSeconds: 1, maxRetries: 0 }, continueOnFail: true, cred });
		}
		// Without the fix: 8 connections still open for good, all 8 in flight at once for a Concurrency
		// of 4. With it, every one closes; at most one may still be closing when its place is taken again.
		await within(until(() => meter.openHung() === 0, 'the stalled answers to be dropped', 5000), 'dropping');
		expect(meter.peak()).toBeLessThanOrEqual(5);
	});

	const scenarios: Array<[string, () => Promise<unknown>]> = [
		['a run of Concurrency 64 whose first item is bad input', async () => await runKpi({ customers: ['x', ...customers(40)], concurrency: 64 })],
		['a run of Concurrency 64 whose items are all bad input', async () => await runKpi({ customers: ['x', 'y', 'z'], concurrency: 64 })],
		['a run of Concurrency 64 stopped by a failing item', async () => await runKpi({ customers: [...customers(5), 999_999_999, ...customers(60)], concurrency: 64 })],
		['a run of Concurrency 64 with a failing item and Continue On Fail', async () => await runKpi({ customers: [999_999_999, ...customers(10)], concurrency: 64, continueOnFail: true })],
		[
			'a run of Concurrency 64 whose key was refused (same credential ID)',
			async () => await runKpi({ customers: customers(20), concurrency: 64, cred: { ...env.cred, data: { ...env.cred.data, apiKey: 'bst_revoked' } }, engine: otherEngine }),
		],
		[
			'a manual poll that fails (nothing finished of that type)',
			async () =>
				await env.engine
					.pollOnce({ node: { type: TRIGGER, parameters: { events: ['COM'], taskType: 'no-such-type', brand: '', options: {} } }, mode: 'manual', staticData: {}, credentials: [env.cred] })
					.catch((error: Error) => error),
		],
		[
			'a dropdown answered with 403 (a brand the account may not see)',
			async () =>
				await env.engine
					.loadOptions({ nodeType: BOOSTER, methodName: 'getPosCodes', parameters: { resource: 'customer', operation: 'export', brand: 'PAN' }, credentials: [env.cred] })
					.catch((error: Error) => error),
		],
	];

	it.each(scenarios)('%s leaves no limiter behind', async (_, scenario) => {
		sandbox({ latencyMs: 5 });
		await scenario();
		await expectForgotten();
	});

	it('1,000 runs one after another, ending every way, leave no limiter behind', async () => {
		sandbox({});
		const kinds = [
			async () => expect((await runKpi({ customers: customers(2), concurrency: 64 })).error).toBeUndefined(),
			async () => expect((await runKpi({ customers: ['x', ...customers(2)], concurrency: 64 })).error).toBeDefined(),
			async () => expect((await runKpi({ customers: [999_999_999, ...customers(2)], concurrency: 64 })).error).toBeDefined(),
			async () => expect((await runKpi({ customers: [999_999_999], concurrency: 32, continueOnFail: true })).items).toHaveLength(1),
			async () => expect((await runKpi({ customers: customers(1), concurrency: 1 })).error).toBeUndefined(),
		];
		for (let index = 0; index < 1000; index++) await kinds[index % kinds.length]();
		// 2 + 0 + 1 + 1 + 1 requests per five runs: a run that failed sent nothing after its failure.
		expect(counters()).toMatchObject({ total: 1000, byStatus: { 200: 600, 404: 400 } });
		await expectForgotten();
	});
});

describe('Retry-After under the shared limit', () => {
	it('a refused request waits the Retry-After the sandbox gave before it is sent again, whichever run it belongs to', async () => {
		sandbox({ latencyMs: 30, maxInFlight: 2, retryAfterSeconds: 1 });
		const asked = [customers(5), customers(5)];
		const runs = await within(Promise.all(asked.map((of) => runKpi({ customers: of, concurrency: 4, advanced: PATIENT }))), 'runs under Retry-After');
		runs.forEach((run, index) => expectAllKpis(run, asked[index]));
		const log = kpiRequests(asked.flat());
		const refused = log.filter((entry) => entry.status === 429);
		expect(refused.length).toBeGreaterThan(0);
		for (const entry of refused) {
			const next = log.find((later) => later.id === entry.id && later.timestamp > entry.timestamp)!;
			expect(Date.parse(next.timestamp) - Date.parse(entry.timestamp)).toBeGreaterThanOrEqual(990);
		}
	});
});

/**
 * A proxy in front of the sandbox that counts the KPI requests in flight, per group of customers
 * (a group is one run's customers) and in all, and can leave the requests of some customers
 * unanswered. Its address is another Base URL than the sandbox's.
 */
interface Meter {
	credential(id: string): StoredCredential;
	group(groups: Record<string, Array<number | string>>): void;
	/** Leaves these customers' requests unanswered, or (`after headers`) answers 200 and then sends a space every 100 ms. */
	hang(of: Array<number | string>, how?: 'silent' | 'after headers'): void;
	/** Takes at most `max` requests at once; refuses the others with 429 (Retry-After: 0) after 20 ms. */
	acceptAtOnce(max: number): void;
	/** Requests refused with 429. */
	refused(): number;
	/** Highest number in flight at once, of a group or in all (hung requests included). */
	peak(group?: string): number;
	/** Whether two groups had requests in flight at the same time. */
	overlap(a: string, b: string): boolean;
	/** Hung requests whose connection the client has not closed. */
	openHung(): number;
	/** Peaks start again from what is in flight now. */
	reset(): void;
	/** Groups, hangs and peaks forgotten. */
	clear(): void;
	close(): Promise<void>;
}

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'content-encoding']);

async function startMeter(target: string): Promise<Meter> {
	const groupOf = new Map<string, string>();
	const hangs = new Map<string, 'silent' | 'after headers'>();
	const now = new Map<string, number>();
	const peaks = new Map<string, number>();
	const overlaps = new Set<string>();
	const hung = new Set<ServerResponse>();
	let accepted = { max: Infinity, now: 0, refused: 0 };
	const enter = (group: string) => {
		for (const key of [group, '']) {
			now.set(key, (now.get(key) ?? 0) + 1);
			peaks.set(key, Math.max(peaks.get(key) ?? 0, now.get(key)!));
		}
		for (const [other, count] of now) if (other !== '' && other !== group && count > 0) overlaps.add([group, other].sort().join(' '));
	};
	const leave = (group: string) => {
		for (const key of [group, '']) now.set(key, now.get(key)! - 1);
	};
	const server: LocalServer = await startLocalServer(async (request, response) => {
		const id = /\/customer\/([^/?]+)\/kpi/.exec(request.url)?.[1];
		const group = (id && groupOf.get(id)) || 'other';
		enter(group);
		const hanging = id ? hangs.get(id) : undefined;
		if (hanging) {
			hung.add(response);
			let trickle: NodeJS.Timeout | undefined;
			if (hanging === 'after headers') {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.write('{');
				trickle = setInterval(() => response.write(' '), 100);
			}
			response.on('close', () => {
				clearInterval(trickle);
				hung.delete(response);
				leave(group);
			});
			return;
		}
		if (accepted.now >= accepted.max) {
			accepted.refused++;
			await new Promise((wait) => setTimeout(wait, 20));
			leave(group);
			response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
			response.end(JSON.stringify({ responseStatus: { errorCode: 'TooManyRequests', message: 'Too many requests in flight' } }));
			return;
		}
		const counted = accepted;
		counted.now++;
		let upstream: Response;
		let text: string;
		try {
			const headers: Record<string, string> = {};
			for (const [name, value] of Object.entries(request.headers)) if (!HOP_HEADERS.has(name) && typeof value === 'string') headers[name] = value;
			upstream = await fetch(`${target}${request.url}`, { method: request.method, headers, body: request.method === 'GET' ? undefined : request.body });
			text = await upstream.text();
		} catch {
			response.socket?.destroy();
			return;
		} finally {
			counted.now--;
			leave(group);
		}
		const answerHeaders: Record<string, string> = {};
		upstream.headers.forEach((value, name) => {
			if (!HOP_HEADERS.has(name)) answerHeaders[name] = value;
		});
		response.writeHead(upstream.status, answerHeaders);
		response.end(text);
	});
	const meter: Meter = {
		credential: (id) => credential({ ...env.cred.data, baseUrl: server.url }, id),
		group(groups) {
			for (const [name, members] of Object.entries(groups)) for (const member of members) groupOf.set(String(member), name);
		},
		hang(of, how = 'silent') {
			for (const member of of) hangs.set(String(member), how);
		},
		acceptAtOnce(max) {
			accepted = { max, now: 0, refused: 0 };
		},
		refused: () => accepted.refused,
		peak: (group = '') => peaks.get(group) ?? 0,
		overlap: (a, b) => overlaps.has([a, b].sort().join(' ')),
		openHung: () => hung.size,
		reset() {
			peaks.clear();
			overlaps.clear();
			for (const [key, count] of now) peaks.set(key, count);
		},
		clear() {
			groupOf.clear();
			hangs.clear();
			accepted = { max: Infinity, now: 0, refused: 0 };
			meter.reset();
		},
		close: async () => await server.close(),
	};
	return meter;
}
