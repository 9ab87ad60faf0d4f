// The package in n8n's queue mode, for real: Postgres, Redis, the Booster sandbox, one n8n main and
// two workers (test/n8n/queue.js), n8n 2.41.1 with the package installed in every user folder.
//
//   1. Trigger: the "React to completed exports" example, published; 10 exports finish at different
//      moments over two poll ticks. Each fires exactly one execution, run by a worker (the workers'
//      logs name the executions they ran), whose Extract From File reads the trigger's file back
//      from the database binary store (the `binary_data` table) with every row of the export.
//   2. Restart: the main is restarted while exports finish (some before, some while it is down, some
//      after): none lost, none fired twice. Then a worker is stopped while webhook executions wait
//      in the queue: it finishes what it runs, the other worker runs the rest, none lost.
//   3. Load: a Webhook → Split Out → Booster Get KPI workflow, 20 calls at once with 100 customers
//      each, against a sandbox that answers in 50 ms and refuses more than 16 requests in flight
//      (429): all 2,000 items succeed, with the sandbox's KPIs.
//
// Figures (expected / started / duplicated / lost, wall time, 429s, in flight, executions per
// worker) are printed to stderr. The waits are bounded by n8n's poll schedule (a tick a minute) or
// by generous ceilings; nothing asserts on speed.
import axios from 'axios';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startQueue, type QueueTopology } from '../n8n/queue';
import { loadExampleWorkflows, sandboxApiKey, sandboxCredentials, ROOT } from '../n8n/booster';
import { KPI_NODE, KPI_PATH, kpiWebhookWorkflow, okKpiItems, postKpis } from '../n8n/kpi-webhook';
import { N8N_VERSION } from './env';
import { stateOf, compareRows, expectedExport, expectedKpi, nodeOutput, type ExportFilters } from './expected';
import type { RunningSandbox, SandboxCustomer } from '../sandbox/index';

jest.setTimeout(10 * 60 * 1000);

const EXPORT_DURATION_MS = 60 * 60 * 1000; // exports finish only when the test moves the sandbox clock
const POLL_WAIT_MS = 150 * 1000; // a minute to the next tick, plus the executions, plus slack
const SETUP_TIMEOUT_MS = 20 * 60 * 1000; // a fresh machine installs n8n first
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const taskKey = (id: unknown) => String(id).replace(/-/g, '').toLowerCase();
const report = (line: string) => process.stderr.write(`[queue-e2e] ${line}\n`);

const TRIGGER = 'n8n-nodes-booster.boosterTrigger';
const example = loadExampleWorkflows().find((e) => e.workflow.nodes.some((n) => n.type === TRIGGER));
const triggerWorkflow = example?.workflow;
const triggerName = () => triggerWorkflow!.nodes.find((n) => n.type === TRIGGER)!.name;
const readName = () => triggerWorkflow!.nodes.find((n) => n.type === 'n8n-nodes-base.extractFromFile')!.name;

/** Webhook (respond when the last node finishes) → one item per posted ID → Booster Get KPI (test/n8n/kpi-webhook.js). */
const kpiWorkflow = kpiWebhookWorkflow();

interface Tally {
	expected: number;
	started: number;
	duplicated: number;
	lost: number;
}

describe(`n8n ${N8N_VERSION} in queue mode (Postgres, Redis, main + 2 workers)`, () => {
	let sandbox: RunningSandbox;
	let queue: QueueTopology;
	let baseDir: string;
	const suiteStarted = Date.now();
	const figures: string[] = [];
	const started = new Map<string, { filters: ExportFilters; dueAt: number }>(); // asyncTaskId → export
	let counter = 0;

	beforeAll(async () => {
		const sandboxModule = require(process.env.BOOSTER_SANDBOX_MODULE || path.join(ROOT, 'test', 'sandbox')); // eslint-disable-line @typescript-eslint/no-require-imports
		sandbox = await sandboxModule.startSandbox({ port: 0, exportDurationMs: EXPORT_DURATION_MS, latencyMs: 50, maxInFlight: 16 });
		baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booster-queue-'));
		try {
			queue = await startQueue({
				baseDir,
				version: N8N_VERSION,
				workers: 2,
				concurrency: 10,
				mainPort: 0,
				durable: false,
				packageDir: process.env.BOOSTER_PACKAGE_DIR || ROOT,
				build: process.env.BOOSTER_E2E_BUILD ? true : 'auto',
				credentials: sandboxCredentials(sandbox, sandboxModule),
				workflows: [triggerWorkflow!, kpiWorkflow],
				log: (line: string) => process.stderr.write(`[e2e:queue] ${line}\n`),
			});
		} catch (error) {
			await sandbox.stop();
			throw error;
		}
		report(`topology up after ${((Date.now() - suiteStarted) / 1000).toFixed(0)}s`);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await queue?.stop();
		await sandbox?.stop();
		if (process.env.BOOSTER_E2E_KEEP) report(`kept ${baseDir} (logs of every service inside)`);
		else if (baseDir) fs.rmSync(baseDir, { recursive: true, force: true });
		report(`--- summary (suite ${((Date.now() - suiteStarted) / 1000).toFixed(0)}s) ---`);
		for (const line of figures) report(line);
	}, 180000);

	const state = () => stateOf(sandbox);
	const pos = (brand: string) => state().dataset.pointsOfSale.filter((p) => p.brand === brand).map((p) => p.posCode);
	const polls = () => state().requestLog.entries.filter((e) => e.method === 'GET' && /^\/tasks(\.json|\.xml)?$/.test(e.path.split('?')[0]));

	/** Starts an export through the sandbox's API; it finishes EXPORT_DURATION_MS of sandbox time later. */
	async function startExport(filters: ExportFilters): Promise<string> {
		const { brand, ...body } = filters;
		const res = await axios.post(
			`${sandbox.url}/customer/${brand}/export`,
			{ ...body, downloadRequestId: `e2e-queue-${Date.now()}-${counter++}` },
			{ headers: { Authorization: `Bearer ${sandboxApiKey(sandbox)}`, Accept: 'application/json' } },
		);
		const id = taskKey(res.data.asyncTaskId);
		started.set(id, { filters, dueAt: state().now() + EXPORT_DURATION_MS });
		return id;
	}

	/** Starts exports one sandbox-minute apart, so each finishes at its own moment. */
	async function startExports(list: ExportFilters[]): Promise<string[]> {
		const ids: string[] = [];
		for (const filters of list) {
			ids.push(await startExport(filters));
			state().advanceClock(60 * 1000);
		}
		return ids;
	}

	/** Moves the sandbox clock until `ids` (and nothing due later) have finished; waits for their files. */
	async function finish(ids: string[]) {
		const until = Math.max(...ids.map((id) => started.get(id)!.dueAt)) + 1000;
		if (until > state().now()) await axios.post(`${sandbox.url}/__sandbox/clock`, { advanceMs: until - state().now() });
		const deadline = Date.now() + 30000;
		const pending = () => ids.filter((id) => state().taskView(id)?.status !== 'COM');
		while (pending().length && Date.now() < deadline) await sleep(100);
		expect(pending()).toEqual([]);
		// later exports are still running: they finish at their own moment
		const later = [...started].filter(([id, s]) => s.dueAt > until && !ids.includes(id)).map(([id]) => id);
		expect(later.filter((id) => state().taskView(id)?.status === 'COM')).toEqual([]);
	}

	/** Waits until the trigger workflow has at least `count` finished executions; returns them with data. */
	async function waitForTriggerExecutions(count: number) {
		const deadline = Date.now() + POLL_WAIT_MS;
		for (;;) {
			const list = await queue.main.listExecutions(triggerWorkflow!.id, { includeData: true });
			if (list.length >= count && list.every((e) => e.finished || e.stoppedAt)) return list;
			if (Date.now() > deadline) {
				throw new Error(`expected ${count} finished executions, have ${list.length} (${list.map((e) => e.status).join(', ')}); main log:\n${queue.main.logTail(4000)}`);
			}
			await sleep(2000);
		}
	}

	/**
	 * Checks every trigger execution (succeeded, one task, run by exactly one worker, the file read
	 * back from the database with every row) and counts the executions of each task.
	 */
	function checkTriggerExecutions(executions: any[]): Record<string, number> {
		const counts: Record<string, number> = {};
		const { dataset } = state();
		const byWorker = queue.executionsByWorker();
		const enqueued = new Set(queue.enqueuedExecutions());
		const binaryRows = new Map(queue.sql(`SELECT "fileId", "fileName", "fileSize", "sourceType" FROM binary_data`).map((r: any) => [r.fileId, r]));
		for (const execution of executions) {
			expect({ id: execution.id, mode: execution.mode, status: execution.status }).toEqual({ id: execution.id, mode: 'trigger', status: 'success' });
			// queued by the main, run by one worker
			expect({ id: execution.id, enqueued: enqueued.has(String(execution.id)) }).toEqual({ id: execution.id, enqueued: true });
			const ranOn = Object.entries(byWorker).filter(([, ids]) => ids.includes(String(execution.id)));
			expect({ id: execution.id, workers: ranOn.length }).toEqual({ id: execution.id, workers: 1 });

			const items = nodeOutput(execution, triggerName());
			expect(items).toHaveLength(1);
			const task = items[0].json;
			const id = taskKey(task.asyncTaskId);
			counts[id] = (counts[id] ?? 0) + 1;
			expect(task.status).toBe('COM');
			const filters = started.get(id)?.filters;
			expect(filters).toBeDefined(); // only exports this suite started

			// the file the trigger attached on the main is in Postgres, not on a disk
			const binary = items[0].binary?.data;
			expect(binary?.id).toMatch(/^database:/);
			const row: any = binaryRows.get(String(binary.id).slice('database:'.length));
			expect(row).toMatchObject({ fileName: binary.fileName, sourceType: 'execution' });
			expect(Number(row.fileSize)).toBe(binary.bytes);

			// Extract From File, on the worker, read it from there: one row per exported customer
			const rows = nodeOutput(execution, readName()).map((item) => item.json);
			expect(rows).toHaveLength(task.totalResults);
			compareRows(rows, expectedExport(dataset, filters!));
		}
		return counts;
	}

	function tallyOf(ids: string[], counts: Record<string, number>): Tally {
		const expected = ids.length;
		const startedCount = ids.reduce((sum, id) => sum + (counts[id] ?? 0), 0);
		const duplicated = ids.reduce((sum, id) => sum + Math.max(0, (counts[id] ?? 0) - 1), 0);
		const lost = ids.filter((id) => !counts[id]).length;
		return { expected, started: startedCount, duplicated, lost };
	}

	function record(label: string, tally: Tally, extra = '') {
		const line = `${label}: expected ${tally.expected}, started ${tally.started}, duplicated ${tally.duplicated}, lost ${tally.lost}${extra ? `; ${extra}` : ''}`;
		figures.push(line);
		report(line);
	}

	const workerCounts = (ids: string[]) => {
		const byWorker = queue.executionsByWorker();
		return Object.fromEntries(Object.entries(byWorker).map(([name, ran]) => [name, ids.filter((id) => ran.includes(id)).length]));
	};

	let triggerIds: string[] = [];
	let restartIds: string[] = [];

	test('trigger: 10 exports finishing over two poll ticks fire one execution each, on the workers, with the file from the database', async () => {
		expect(triggerWorkflow).toBeDefined();
		expect(triggerWorkflow!.nodes.find((n) => n.type === TRIGGER)!.parameters).toMatchObject({ events: ['COM'], options: { downloadFile: true } });

		const before = polls().length;
		await queue.main.publishWorkflow(triggerWorkflow!.id);
		// activation polls once on the main (the baseline)
		const activation = Date.now() + 30000;
		while (polls().length === before && Date.now() < activation) await sleep(250);
		expect(polls().length).toBeGreaterThan(before);

		triggerIds = await startExports([
			{ brand: 'CAR', posCodes: pos('CAR').slice(0, 1) },
			{ brand: 'VCA', posCodes: pos('VCA').slice(0, 2) },
			{ brand: 'IWC', posCodes: pos('IWC') },
			{ brand: 'JLC', posCodes: pos('JLC').slice(0, 1) },
			{ brand: 'MTB', posCodes: pos('MTB') },
			{ brand: 'CAR', posCodes: pos('CAR').slice(1, 3), clientSpendingFrom: 20000 },
			{ brand: 'VCA', posCodes: pos('VCA'), birthdateMonths: [1, 2, 3] },
			{ brand: 'IWC', posCodes: pos('IWC').slice(0, 1), canBeContactedByMaison: true },
			{ brand: 'JLC', posCodes: pos('JLC') },
			{ brand: 'MTB', posCodes: pos('MTB').slice(0, 1), customerStatus: ['Client'] },
		]);

		// first tick: five finish at two moments
		await finish(triggerIds.slice(0, 3));
		await sleep(10000);
		await finish(triggerIds.slice(3, 5));
		let executions = await waitForTriggerExecutions(5);
		// second tick: the other five, again at two moments
		await finish(triggerIds.slice(5, 8));
		await sleep(10000);
		await finish(triggerIds.slice(8));
		executions = await waitForTriggerExecutions(10);

		const counts = checkTriggerExecutions(executions);
		const tally = tallyOf(triggerIds, counts);
		const ids = executions.map((e) => String(e.id));
		record('trigger', tally, `executions per worker ${JSON.stringify(workerCounts(ids))}, binary_data rows ${queue.sql('SELECT count(*)::int AS n FROM binary_data')[0].n}`);
		expect(counts).toEqual(Object.fromEntries(triggerIds.map((id) => [id, 1])));
	});

	test('restart: the main restarted while exports finish loses none and fires none twice', async () => {
		restartIds = await startExports([
			{ brand: 'CAR', posCodes: pos('CAR') },
			{ brand: 'VCA', posCodes: pos('VCA').slice(1) },
			{ brand: 'IWC', posCodes: pos('IWC').slice(1) },
			{ brand: 'JLC', posCodes: pos('JLC').slice(1, 3) },
			{ brand: 'MTB', posCodes: pos('MTB').slice(1) },
			{ brand: 'CAR', posCodes: pos('CAR').slice(0, 2), birthdateMonths: [4, 5, 6] },
		]);
		// two finish before the restart (the next tick may or may not catch them before the main stops),
		// two while the main is down, two after it is back
		await finish(restartIds.slice(0, 2));
		await queue.restartMain({ whileStopped: () => finish(restartIds.slice(2, 4)) });
		await finish(restartIds.slice(4));

		const executions = await waitForTriggerExecutions(triggerIds.length + restartIds.length);
		const counts = checkTriggerExecutions(executions);
		const tally = tallyOf(restartIds, counts);
		record('restart of the main', tally);
		expect(counts).toEqual(Object.fromEntries([...triggerIds, ...restartIds].map((id) => [id, 1])));
	});

	// customers the sandbox's main account may see, in dataset order
	const visibleCustomers = (): SandboxCustomer[] => {
		const brands = new Set(sandbox.accounts.main.brands);
		const out: SandboxCustomer[] = [];
		for (const c of state().dataset.allCustomers()) if (brands.has(c.brand)) out.push(c);
		return out;
	};

	const idsOf = (customers: SandboxCustomer[]) => customers.map((c) => c.boosterCustomerId);
	const callKpis = (customers: SandboxCustomer[]) => postKpis(queue.main.url, KPI_PATH, idsOf(customers));

	/** The KPI workflow's executions not in `known`, once all of them have finished. */
	async function newKpiExecutions(known: Set<string>, count: number) {
		const deadline = Date.now() + 120000;
		for (;;) {
			const list = (await queue.main.listExecutions(kpiWorkflow.id, { includeData: true })).filter((e) => !known.has(String(e.id)));
			if (list.length >= count && list.every((e) => e.finished || e.stoppedAt)) return list;
			if (Date.now() > deadline) throw new Error(`expected ${count} new KPI executions, have ${list.length} (${list.map((e) => e.status).join(', ')})`);
			await sleep(1000);
		}
	}

	/** Each execution succeeded and its Booster node output one KPI item per customer, none an error. */
	/**
	 * The webhook calls' answers are the sandbox's KPIs of the customers posted, and `calls`
	 * executions ran, each once, on one worker, each with `perCall` KPIs and no failed item.
	 */
	function checkKpiCalls(answers: Array<{ status: number; data: any }>, batches: SandboxCustomer[][], executions: any[], calls: number) {
		answers.forEach((answer, i) => {
			expect({ call: i, status: answer.status }).toEqual({ call: i, status: 200 });
			expect(answer.data).toEqual(batches[i].map(expectedKpi));
		});
		checkKpiExecutions(executions, batches[0].length);
		expect(executions).toHaveLength(calls);
		for (const execution of executions) {
			const id = String(execution.id);
			expect({ id, workers: Object.values(queue.executionsByWorker()).filter((ran) => ran.includes(id)).length }).toEqual({ id, workers: 1 });
		}
	}

	function checkKpiExecutions(executions: any[], perCall: number) {
		let failedItems = 0;
		for (const execution of executions) {
			expect({ id: execution.id, mode: execution.mode, status: execution.status }).toEqual({ id: execution.id, mode: 'webhook', status: 'success' });
			const items = nodeOutput(execution, KPI_NODE);
			expect(items).toHaveLength(perCall);
			failedItems += items.filter((item) => item.json.error !== undefined || item.json.totalTransaction === undefined).length;
		}
		expect(failedItems).toBe(0);
		return failedItems;
	}

	/** Every execution so far, of any workflow (ids in the workers' logs are instance-wide). */
	const knownExecutions = () => new Set(queue.sql('SELECT id::text AS id FROM execution_entity').map((r: any) => String(r.id)));

	let kpiPublished = false;
	async function publishKpiWorkflow() {
		if (kpiPublished) return;
		await queue.main.publishWorkflow(kpiWorkflow.id);
		kpiPublished = true;
		// the main registers the webhook shortly after publishing; until then it answers 404 and runs nothing
		const probe = visibleCustomers().slice(0, 2);
		let res = await callKpis(probe);
		for (const deadline = Date.now() + 30000; res.status === 404 && Date.now() < deadline; res = await callKpis(probe)) await sleep(250);
		expect(res.status).toBe(200);
	}

	test('restart: a worker stopped while executions wait in the queue finishes its own, the other runs the rest', async () => {
		await publishKpiWorkflow();
		const known = knownExecutions();
		const startedOn = (i: number) => queue.executionsByWorker({ started: true })[`worker-${i + 1}`].filter((id) => !known.has(id));

		// 40 calls for 20 places (2 workers × concurrency 10): about 20 wait in Redis
		const CALLS = 40;
		const PER_CALL = 50;
		const customers = visibleCustomers().slice(0, CALLS * PER_CALL);
		const batches = Array.from({ length: CALLS }, (_, i) => customers.slice(i * PER_CALL, (i + 1) * PER_CALL));
		const responses = Promise.all(batches.map((batch) => callKpis(batch)));

		// once the main has queued them all and worker 2 runs some, stop it (SIGTERM: n8n pauses its
		// queue and drains what it runs)
		const enqueued = () => queue.enqueuedExecutions().filter((id) => !known.has(id)).length;
		const deadline = Date.now() + 60000;
		while ((enqueued() < CALLS || startedOn(1).length === 0) && Date.now() < deadline) await sleep(100);
		expect(enqueued()).toBe(CALLS);
		expect(startedOn(1).length).toBeGreaterThan(0);
		const waiting = CALLS - startedOn(0).length - startedOn(1).length;
		await queue.stopWorker(1, { timeoutMs: 120000 });
		const ranOnStopped = startedOn(1);

		const answers = await responses;
		const executions = await newKpiExecutions(known, CALLS);
		const ids = executions.map((e) => String(e.id));
		const perWorker = workerCounts(ids);
		const succeeded = answers.filter((a) => a.status === 200).length;
		const tally: Tally = { expected: CALLS, started: executions.length, duplicated: Math.max(0, executions.length - CALLS), lost: CALLS - succeeded };
		record(
			'stopped worker',
			tally,
			`${waiting} of them waiting in the queue when worker-2 got SIGTERM; it finished the ${ranOnStopped.length} it had taken; executions per worker ${JSON.stringify(perWorker)}`,
		);

		checkKpiCalls(answers, batches, executions, CALLS);
		// the stopped worker took nothing after its SIGTERM
		expect(perWorker['worker-2']).toBe(ranOnStopped.length);
		expect(perWorker['worker-1']).toBe(CALLS - ranOnStopped.length);
		expect(waiting).toBeGreaterThan(0); // the scenario did have executions waiting in the queue
	});

	test('load: 20 webhook calls at once, 100 customers each, through both workers: all 2,000 KPIs succeed', async () => {
		await queue.startWorker(1); // back after the previous test stopped it (a no-op when it runs)
		await publishKpiWorkflow();
		const known = knownExecutions();
		const CALLS = 20;
		const PER_CALL = 100;
		const customers = visibleCustomers().slice(1000, 1000 + CALLS * PER_CALL);
		expect(customers).toHaveLength(CALLS * PER_CALL);
		const batches = Array.from({ length: CALLS }, (_, i) => customers.slice(i * PER_CALL, (i + 1) * PER_CALL));
		state().counters.reset();

		const t0 = Date.now();
		const answers = await Promise.all(batches.map((batch) => callKpis(batch)));
		const wallSeconds = (Date.now() - t0) / 1000;
		const counters = state().counters.snapshot();

		const executions = await newKpiExecutions(known, CALLS);
		const ids = executions.map((e) => String(e.id));
		const perWorker = workerCounts(ids);
		const okItems = answers.reduce((sum, a, i) => sum + okKpiItems(a, idsOf(batches[i])), 0);
		const line =
			`load: ${CALLS} calls × ${PER_CALL} customers in ${wallSeconds.toFixed(1)}s wall; items ok ${okItems}, failed ${CALLS * PER_CALL - okItems}; ` +
			`sandbox: ${counters.byStatus['429'] ?? 0} × 429 (maxInFlight), ${counters.byStatus['200'] ?? 0} × 200, max in flight seen ${counters.maxInFlightObserved}; ` +
			`executions per worker ${JSON.stringify(perWorker)}`;
		figures.push(line);
		report(line);

		checkKpiCalls(answers, batches, executions, CALLS);
		// both workers took a share (20 executions, 10 places each)
		expect(perWorker['worker-1']).toBeGreaterThan(0);
		expect(perWorker['worker-2']).toBeGreaterThan(0);
	});

	test('no trigger execution fired twice over the whole run (checked after a later poll)', async () => {
		const all = [...triggerIds, ...restartIds];
		expect(all).toHaveLength(16);
		// a poll after the last export finished and its execution ended: a replay would have shown by then
		let executions = await waitForTriggerExecutions(all.length);
		const lastStop = Math.max(...executions.map((e) => Date.parse(e.stoppedAt)));
		const deadline = Date.now() + POLL_WAIT_MS;
		while (!polls().some((p) => Date.parse(p.timestamp) > lastStop + 1000) && Date.now() < deadline) await sleep(2000);
		expect(polls().some((p) => Date.parse(p.timestamp) > lastStop + 1000)).toBe(true);
		await sleep(5000); // an execution such a poll started has ended by now
		executions = await waitForTriggerExecutions(all.length);
		const counts = checkTriggerExecutions(executions);
		record('whole run (trigger)', tallyOf(all, counts));
		expect(counts).toEqual(Object.fromEntries(all.map((id) => [id, 1])));
	});
});
