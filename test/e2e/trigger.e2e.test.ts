// The Booster Trigger for real: the "React to completed exports" example published in a real n8n,
// which polls the sandbox every minute (n8n's shortest poll interval). Exports are started through
// the sandbox's API and completed by moving the sandbox clock. Every completed export starts
// exactly one execution (with its file read back), a failed one and the ones finished before
// publishing start none, and a restart of n8n between a completion and the next poll loses
// nothing and replays nothing.
//
// The waits below are bounded by n8n's poll schedule (a tick a minute), never assertions on time.
import axios from 'axios';
import { useBoosterEnv, N8N_VERSION } from './env';
import { loadExampleWorkflows, sandboxApiKey } from '../n8n/booster';
import { stateOf, compareRows, expectedExport, nodeOutput, type ExportFilters } from './expected';

jest.setTimeout(10 * 60 * 1000);

const EXPORT_DURATION_MS = 60 * 60 * 1000; // exports finish only when the test moves the clock
const POLL_WAIT_MS = 150 * 1000; // a minute to the next tick, plus the execution, plus slack
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const taskKey = (id: unknown) => String(id).replace(/-/g, '').toLowerCase();

const example = loadExampleWorkflows().find((e) => e.workflow.nodes.some((n) => n.type === 'n8n-nodes-booster.boosterTrigger'));

describe(`Booster Trigger published in n8n ${N8N_VERSION}`, () => {
	const env = useBoosterEnv({ name: 'trigger', sandboxOptions: { exportDurationMs: EXPORT_DURATION_MS } });
	const started = new Map<string, ExportFilters>(); // asyncTaskId → filters
	let counter = 0;

	async function startExport(filters: ExportFilters): Promise<string> {
		const { sandbox, sandboxModule } = env();
		const { brand, ...body } = filters;
		const res = await axios.post(
			`${sandbox.url}/customer/${brand}/export`,
			{ ...body, downloadRequestId: `e2e-trigger-${Date.now()}-${counter++}` },
			{ headers: { Authorization: `Bearer ${sandboxApiKey(sandbox, sandboxModule)}`, Accept: 'application/json' } },
		);
		const id = taskKey(res.data.asyncTaskId);
		started.set(id, filters);
		return id;
	}

	/** Finishes every running export (COM, or ERR for those told to fail) through the control endpoint. */
	async function completeExports() {
		const { sandbox } = env();
		await axios.post(`${sandbox.url}/__sandbox/clock`, { advanceMs: EXPORT_DURATION_MS + 1000 });
		// the sandbox writes the file once the time is up, then reports COM
		const deadline = Date.now() + 30000;
		const pending = () => [...started.keys()].filter((id) => !['COM', 'ERR'].includes(String(stateOf(sandbox).taskView(id)?.status)));
		while (pending().length && Date.now() < deadline) await sleep(100);
		expect(pending()).toEqual([]);
	}

	const workflowId = () => example!.workflow.id;
	const triggerName = () => example!.workflow.nodes.find((n) => n.type === 'n8n-nodes-booster.boosterTrigger')!.name;
	const readName = () => example!.workflow.nodes.find((n) => n.type === 'n8n-nodes-base.extractFromFile')!.name;

	/** Waits until the workflow has at least `count` finished executions; returns them with their data. */
	async function waitForExecutions(count: number) {
		const deadline = Date.now() + POLL_WAIT_MS;
		for (;;) {
			const list = await env().n8n.listExecutions(workflowId(), { includeData: true });
			if (list.length >= count && list.every((e) => e.finished || e.stoppedAt)) return list;
			if (Date.now() > deadline) {
				throw new Error(
					`expected ${count} finished executions, have ${list.length} (${list.map((e) => e.status).join(', ')}); n8n log:\n${env().n8n.logTail(4000)}`,
				);
			}
			await sleep(2000);
		}
	}

	/** asyncTaskId → number of executions it started; checks each execution's file rows. */
	function tally(executions: any[]) {
		const counts: Record<string, number> = {};
		const { dataset } = stateOf(env().sandbox);
		for (const execution of executions) {
			expect(execution).toMatchObject({ mode: 'trigger', status: 'success' });
			const items = nodeOutput(execution, triggerName());
			expect(items).toHaveLength(1); // one task per execution
			const task = items[0].json;
			const id = taskKey(task.asyncTaskId);
			counts[id] = (counts[id] ?? 0) + 1;
			expect(task.status).toBe('COM');
			const filters = started.get(id);
			expect(filters).toBeDefined(); // only exports this test started, none from before the baseline
			const expected = expectedExport(dataset, filters!);
			expect(task.totalResults).toBe(expected.length);
			compareRows(nodeOutput(execution, readName()).map((item) => item.json), expected);
		}
		return counts;
	}

	test('the example workflow is the trigger on a one-minute poll, with the file downloaded', () => {
		expect(example).toBeDefined();
		const trigger = example!.workflow.nodes.find((n) => n.type === 'n8n-nodes-booster.boosterTrigger')!;
		expect(trigger.parameters).toMatchObject({
			events: ['COM'],
			options: { downloadFile: true },
			pollTimes: { item: [{ mode: 'everyMinute' }] },
		});
	});

	test('each completed export starts exactly one execution, also across a restart of n8n', async () => {
		const { n8n, sandbox } = env();
		const pos = (brand: string) => stateOf(sandbox).dataset.pointsOfSale.filter((p) => p.brand === brand).map((p) => p.posCode);
		await n8n.importWorkflows([example!.workflow]);

		// finished before publishing: part of the baseline, never fired
		const before = await startExport({ brand: 'CAR', posCodes: pos('CAR').slice(0, 1) });
		await completeExports();
		started.delete(before);

		const polls = () => stateOf(sandbox).requestLog.entries.filter((e) => e.method === 'GET' && /^\/tasks(\.json|\.xml)?$/.test(e.path.split('?')[0])).length;
		const pollsBefore = polls();
		await n8n.publishWorkflow(workflowId());
		// activation polls once (the baseline)
		const activationDeadline = Date.now() + 30000;
		while (polls() === pollsBefore && Date.now() < activationDeadline) await sleep(250);
		expect(polls()).toBeGreaterThan(pollsBefore);

		// 1. one export completes, one fails (the trigger listens to COM only)
		const a = await startExport({ brand: 'CAR', posCodes: pos('CAR').slice(0, 2), clientSpendingFrom: 20000 });
		await axios.post(`${sandbox.url}/__sandbox/fail-next-exports`, { count: 1 });
		const failed = await startExport({ brand: 'IWC', posCodes: pos('IWC') });
		await completeExports();
		expect(stateOf(sandbox).taskView(failed)?.status).toBe('ERR');
		started.delete(failed);

		let executions = await waitForExecutions(1);
		expect(tally(executions)).toEqual({ [a]: 1 });

		// 2. a poll has just run (it started A's execution): complete two exports and restart n8n at
		//    once, well before the next tick. n8n polls again when it activates the workflow at start-up.
		const b = await startExport({ brand: 'VCA', posCodes: pos('VCA').slice(0, 2) });
		const c = await startExport({ brand: 'CAR', posCodes: pos('CAR').slice(2), birthdateMonths: [1, 2, 3] });
		await completeExports();
		await n8n.restart();

		executions = await waitForExecutions(3);
		expect(tally(executions)).toEqual({ [a]: 1, [b]: 1, [c]: 1 });

		// 3. a later poll after the restart: only the new export fires; A, B and C do not fire again
		//    (they would be emitted before D, in the same poll, if the trigger had forgotten them)
		const d = await startExport({ brand: 'MTB', posCodes: pos('MTB').slice(0, 1) });
		await completeExports();
		executions = await waitForExecutions(4);
		expect(tally(executions)).toEqual({ [a]: 1, [b]: 1, [c]: 1, [d]: 1 });
	});
});
