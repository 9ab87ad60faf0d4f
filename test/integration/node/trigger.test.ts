/** Booster Trigger driven through n8n's PollContext against the sandbox. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	type Env,
	type Proxy,
	credential,
	csvIds,
	customersOf,
	finishTasks,
	idsWhere,
	normalizeId,
	startEnv,
	startExportDirect,
	startProxy,
	triggerNode,
} from './setup';

let env: Env;
let proxy: Proxy;
let counter = 0;

beforeAll(async () => {
	env = await startEnv({ exportDurationMs: 60_000 });
	proxy = await startProxy(env);
});
afterAll(async () => {
	await proxy.close();
	await env.stop();
});
beforeEach(() => {
	proxy.rewrite = undefined;
	env.sandbox.state.setConfig({ faults: { rate500: 0, rate503: 0, rate429: 0, resetRate: 0 } });
});

const node = (events: string[] = ['COM'], options: IDataObject = {}, brand = '') => triggerNode({ events, taskType: 'crm', brand, options });
const poll = (staticData: IDataObject, parameters = node(), cred = env.cred) =>
	env.engine.pollExecutions({ node: parameters, staticData, credentials: [cred] });
const idsOf = (executions: INodeExecutionData[][][]) => executions.map((execution) => execution[0].map((item) => normalizeId(item.json.asyncTaskId)));
const newExport = (brand = 'CAR') => startExportDirect(env, brand, `trigger-${++counter}`);

/** A fresh trigger with its baseline taken now. */
async function activated(parameters = node()): Promise<IDataObject> {
	const staticData: IDataObject = {};
	expect(await poll(staticData, parameters)).toEqual([]);
	return staticData;
}

it('baseline at activation: what already finished is not replayed', async () => {
	await newExport();
	await newExport('VCA');
	await finishTasks(env);
	const staticData = await activated();
	expect(Object.keys(staticData)).toHaveLength(1);
	expect(await poll(staticData)).toEqual([]);
});

it('several tasks finishing between two polls start one execution each', async () => {
	const staticData = await activated();
	const ids = [await newExport(), await newExport('VCA'), await newExport('IWC')];
	expect(await poll(staticData)).toEqual([]); // still running
	await finishTasks(env);
	const executions = await poll(staticData);
	expect(executions).toHaveLength(3);
	for (const execution of executions) expect(execution[0]).toHaveLength(1);
	expect(idsOf(executions).flat().sort()).toEqual(ids.map(normalizeId).sort());
	expect(executions.every((execution) => execution[0][0].json.status === 'COM')).toBe(true);
	expect(await poll(staticData)).toEqual([]);
});

it('whatever order the API lists the tasks in', async () => {
	const cred = credential({ baseUrl: proxy.url, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey });
	const staticData: IDataObject = {};
	expect(await poll(staticData, node(), cred)).toEqual([]);
	const ids = [await newExport(), await newExport(), await newExport()];
	await finishTasks(env);
	let turn = 0;
	proxy.rewrite = (path, body) => {
		if (!/^\/tasks(\?|$)/.test(path)) return body;
		const list = JSON.parse(body.toString('utf8')) as unknown[];
		turn++;
		// Reverse on one poll, rotate on the next.
		const reordered = turn % 2 === 1 ? [...list].reverse() : [...list.slice(1), list[0]];
		return Buffer.from(JSON.stringify(reordered));
	};
	const first = await poll(staticData, node(), cred);
	expect(idsOf(first).flat().sort()).toEqual(ids.map(normalizeId).sort());
	const more = [await newExport()];
	await finishTasks(env);
	const second = await poll(staticData, node(), cred);
	expect(idsOf(second).flat()).toEqual(more.map(normalizeId));
	expect(await poll(staticData, node(), cred)).toEqual([]);
});

it('a restart that restores the state saved at the last emission fires nothing twice and loses nothing', async () => {
	const parameters = node(['COM']);
	const staticData = await activated(parameters);
	const emitted = [await newExport(), await newExport()];
	await finishTasks(env);
	expect(idsOf(await poll(staticData, parameters)).flat().sort()).toEqual(emitted.map(normalizeId).sort());
	const savedAtEmission = structuredClone(staticData);

	// A poll that changes the state without emitting (an ERR task, not a chosen event): n8n does not save it.
	env.sandbox.state.failNextExports(1);
	await newExport();
	await finishTasks(env);
	expect(await poll(staticData, parameters)).toEqual([]);

	const later = await newExport();
	await finishTasks(env);
	const restored = structuredClone(savedAtEmission);
	const afterRestart = await poll(restored, parameters);
	expect(idsOf(afterRestart).flat()).toEqual([normalizeId(later)]);

	// And restoring the same saved copy again replays only what that copy had not seen.
	const again = await poll(structuredClone(savedAtEmission), parameters);
	expect(idsOf(again).flat()).toEqual([normalizeId(later)]);
	expect(await poll(restored, parameters)).toEqual([]);
});

it('an API outage during a poll makes it fail; the tasks fire on the next poll', async () => {
	const staticData = await activated();
	const ids = [await newExport(), await newExport()];
	await finishTasks(env);
	const before = structuredClone(staticData);
	env.sandbox.state.setConfig({ faults: { rate503: 1 } });
	await expect(poll(staticData)).rejects.toThrow();
	expect(staticData).toEqual(before);
	env.sandbox.state.setConfig({ faults: { rate503: 0 } });
	expect(idsOf(await poll(staticData)).flat().sort()).toEqual(ids.map(normalizeId).sort());
});

it('ERR tasks fire with the Export Failed event, and only with it', async () => {
	const failedOnly = node(['ERR']);
	const completedOnly = node(['COM']);
	const both = node(['COM', 'ERR']);
	const states = [await activated(failedOnly), await activated(completedOnly), await activated(both)];
	env.sandbox.state.failNextExports(1);
	const failed = await newExport();
	const completed = await newExport();
	await finishTasks(env);
	const [onFailed, onCompleted, onBoth] = [
		await poll(states[0], failedOnly),
		await poll(states[1], completedOnly),
		await poll(states[2], both),
	];
	expect(idsOf(onFailed).flat()).toEqual([normalizeId(failed)]);
	expect(onFailed[0][0][0].json).toMatchObject({ status: 'ERR', percentage: 100 });
	expect(idsOf(onCompleted).flat()).toEqual([normalizeId(completed)]);
	expect(idsOf(onBoth).flat().sort()).toEqual([normalizeId(failed), normalizeId(completed)].sort());
});

it('manual mode returns the newest matching task and leaves the state untouched', async () => {
	const staticData = await activated();
	await newExport('MTB');
	await finishTasks(env);
	const newest = await newExport('MTB');
	await finishTasks(env);
	const before = structuredClone(staticData);
	const result = await env.engine.pollOnce({ node: node(['COM'], {}, 'MTB'), staticData, mode: 'manual', credentials: [env.cred] });
	expect(result).not.toBeNull();
	expect(result![0]).toHaveLength(1);
	expect(normalizeId(result![0][0].json.asyncTaskId)).toBe(normalizeId(newest));
	expect(staticData).toEqual(before);
	// The trigger still fires for both tasks afterwards.
	expect(idsOf(await poll(staticData, node(['COM'], {}, 'MTB'))).flat()).toHaveLength(2);
});

it('the Download File option attaches the export file, without credentials on the signed link', async () => {
	const parameters = node(['COM'], { downloadFile: true, binaryPropertyName: 'export' }, 'JLC');
	const staticData = await activated(parameters);
	env.sandbox.state.requestLog.clear();
	const id = await newExport('JLC');
	await finishTasks(env);
	const executions = await poll(staticData, parameters);
	expect(idsOf(executions).flat()).toEqual([normalizeId(id)]);
	const item = executions[0][0][0];
	expect(item.binary?.export?.mimeType).toBe('text/csv');
	expect(await csvIds(env, item, 'export')).toEqual(idsWhere(customersOf(env, 'JLC'), () => true));
	expect(env.sandbox.state.requestLog.leaks).toEqual([]);
});

it('Task Type: All Types (empty) and crm fire for the customer exports, stock and sellout do not', async () => {
	const byType = (taskType: string) => triggerNode({ events: ['COM'], taskType, brand: 'CAR', options: {} });
	const types = ['', 'crm', 'stock', 'sellout'];
	const states: IDataObject[] = [];
	for (const type of types) states.push(await activated(byType(type)));
	const id = await newExport('CAR');
	await finishTasks(env);
	const fired: string[][] = [];
	for (const [index, type] of types.entries()) fired.push(idsOf(await poll(states[index], byType(type))).flat());
	expect(fired).toEqual([[normalizeId(id)], [normalizeId(id)], [], []]);
});

it('Advanced settings of the trigger are used: Request Format XML for the task list', async () => {
	const parameters = triggerNode({ events: ['COM'], taskType: 'crm', brand: 'VCA', options: {}, advanced: { requestFormat: 'xml' } });
	const staticData = await activated(parameters);
	const id = await newExport('VCA');
	await finishTasks(env);
	env.sandbox.state.requestLog.clear();
	expect(idsOf(await poll(staticData, parameters)).flat()).toEqual([normalizeId(id)]);
	const lists = env.sandbox.state.requestLog.entries.filter((entry) => /^\/tasks$/.test(entry.path));
	expect(lists.length).toBeGreaterThan(0);
	for (const entry of lists) expect(entry.headers.accept).toBe('application/xml');
});
