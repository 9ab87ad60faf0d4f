/** Task → Get (nodes/Booster/actions/task/get.operation.ts) against the sandbox's own view of its tasks. */
import type { IDataObject } from 'n8n-workflow';

import { type Env, boosterNode, finishTasks, logged, normalizeId, startEnv, startExportDirect, taskView } from '../../../integration/node/setup';

let env: Env;
let carTask: string;
let errTask: string;
let pendingTask: string;

beforeAll(async () => {
	// Long export duration on the sandbox clock: the pending task stays pending; finishTasks() jumps past it.
	env = await startEnv({ exportDurationMs: 60_000 });
	carTask = await startExportDirect(env, 'CAR', 'tasks-car', { customerStatus: ['Client'] });
	env.sandbox.state.failNextExports(1);
	errTask = await startExportDirect(env, 'IWC', 'tasks-err');
	await finishTasks(env);
	pendingTask = await startExportDirect(env, 'JLC', 'tasks-pending');
});
afterAll(async () => await env.stop());
beforeEach(() => env.sandbox.state.requestLog.clear());

const taskReads = () => logged(env, (entry) => /^\/tasks\/[0-9a-f-]+$/i.test(entry.path));

const comparable = (task: IDataObject) => {
	const { signedDownloadUrl, downloadUrl, asyncTaskId, ...others } = task;
	// Absent and null are compared alike here; the JSON/XML test below checks the fields themselves.
	const rest = Object.fromEntries(Object.entries(others).filter(([, value]) => value !== null && value !== undefined));
	return { ...rest, asyncTaskId: normalizeId(asyncTaskId), hasSigned: Boolean(signedDownloadUrl), hasDownload: Boolean(downloadUrl) };
};

describe('Task → Get', () => {
	it.each(['json', 'xml'])('returns the task as the sandbox sees it (%s)', async (requestFormat) => {
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'get', asyncTaskId: '={{ $json.id }}', advanced: { requestFormat } }),
			inputItems: [carTask, errTask, pendingTask].map((id) => ({ json: { id } })),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(taskReads().map((entry) => entry.headers.accept)).toEqual([1, 2, 3].map(() => `application/${requestFormat}`));
		const expected = [carTask, errTask, pendingTask].map((id) => comparable(taskView(env, id) as unknown as IDataObject));
		expect(run.items.map((item) => comparable(item.json))).toEqual(expected);
		expect(run.items.map((item) => item.json.status)).toEqual(['COM', 'ERR', expect.stringMatching(/REQ|INP/)]);
		expect(typeof run.items[0].json.percentage).toBe('number');
	});

	it('JSON and XML give the same output for a pending task (same fields, nulls included)', async () => {
		const run = async (requestFormat: string) =>
			(
				await env.engine.runNode({
					node: boosterNode({ resource: 'task', operation: 'get', asyncTaskId: pendingTask, advanced: { requestFormat } }),
					credentials: [env.cred],
				})
			).items[0].json;
		const json = await run('json');
		const xml = await run('xml');
		expect({ ...json, asyncTaskId: normalizeId(json.asyncTaskId) }).toEqual({ ...xml, asyncTaskId: normalizeId(xml.asyncTaskId) });
	});

	it('a Request Format saved in Options, before it moved to Advanced, still counts', async () => {
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'get', asyncTaskId: carTask, options: { requestFormat: 'xml' } }),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(comparable(run.items[0].json)).toEqual(comparable(taskView(env, carTask) as unknown as IDataObject));
		expect(taskReads().map((entry) => entry.headers.accept)).toEqual(['application/xml']);
	});
});
