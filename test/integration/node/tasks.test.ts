/** Task → Get, Get Many and Download File; signed links never get credentials; expired links are refreshed. */
import type { IDataObject } from 'n8n-workflow';

import {
	type Env,
	type Proxy,
	boosterNode,
	credential,
	csvIds,
	customersOf,
	finishTasks,
	idsWhere,
	logged,
	normalizeId,
	startEnv,
	startExportDirect,
	startProxy,
	taskView,
} from './setup';

let env: Env;
let proxy: Proxy;
let carTask: string;
let vcaTask: string;
let errTask: string;
let pendingTask: string;

beforeAll(async () => {
	// Long export duration on the sandbox clock: the pending task stays pending; finishTasks() jumps past it.
	env = await startEnv({ exportDurationMs: 60_000, signedUrlTtlSeconds: 60 });
	proxy = await startProxy(env);
	carTask = await startExportDirect(env, 'CAR', 'tasks-car', { customerStatus: ['Client'] });
	vcaTask = await startExportDirect(env, 'VCA', 'tasks-vca');
	env.sandbox.state.failNextExports(1);
	errTask = await startExportDirect(env, 'IWC', 'tasks-err');
	await finishTasks(env);
	pendingTask = await startExportDirect(env, 'JLC', 'tasks-pending');
});
afterAll(async () => {
	await proxy.close();
	await env.stop();
});
beforeEach(() => {
	env.sandbox.state.requestLog.clear();
	proxy.rewrite = undefined;
});

const comparable = (task: IDataObject) => {
	const { signedDownloadUrl, downloadUrl, asyncTaskId, ...others } = task;
	// Absent and null are compared alike here; the JSON/XML test below checks the fields themselves.
	const rest = Object.fromEntries(Object.entries(others).filter(([, value]) => value !== null && value !== undefined));
	return { ...rest, asyncTaskId: normalizeId(asyncTaskId), hasSigned: Boolean(signedDownloadUrl), hasDownload: Boolean(downloadUrl) };
};

describe('Task → Get', () => {
	it.each(['json', 'xml'])('returns the task as the sandbox sees it (%s)', async (requestFormat) => {
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'get', asyncTaskId: '={{ $json.id }}', options: { requestFormat } }),
			inputItems: [carTask, errTask, pendingTask].map((id) => ({ json: { id } })),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		const expected = [carTask, errTask, pendingTask].map((id) => comparable(taskView(env, id) as unknown as IDataObject));
		expect(run.items.map((item) => comparable(item.json))).toEqual(expected);
		expect(run.items.map((item) => item.json.status)).toEqual(['COM', 'ERR', expect.stringMatching(/REQ|INP/)]);
		expect(typeof run.items[0].json.percentage).toBe('number');
	});

	it('JSON and XML give the same output for a pending task (same fields, nulls included)', async () => {
		const run = async (requestFormat: string) =>
			(
				await env.engine.runNode({
					node: boosterNode({ resource: 'task', operation: 'get', asyncTaskId: pendingTask, options: { requestFormat } }),
					credentials: [env.cred],
				})
			).items[0].json;
		const json = await run('json');
		const xml = await run('xml');
		expect({ ...json, asyncTaskId: normalizeId(json.asyncTaskId) }).toEqual({ ...xml, asyncTaskId: normalizeId(xml.asyncTaskId) });
	});
});

describe('Task → Get Many', () => {
	const mainTasks = () =>
		[...env.sandbox.state.tasks.values()].filter((task) => task.accountName === 'main').map((task) => env.sandbox.state.taskView(task.asyncTaskId)!);
	const getMany = async (parameters: IDataObject) => {
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'getMany', returnAll: false, limit: 50, filters: {}, options: {}, ...parameters }),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		return run.items.map((item) => item.json);
	};

	it('Return All lists every task of the account', async () => {
		const tasks = await getMany({ returnAll: true });
		expect(tasks.map((task) => normalizeId(task.asyncTaskId)).sort()).toEqual(mainTasks().map((task) => normalizeId(task.asyncTaskId)).sort());
	});

	it('Limit caps the number of tasks', async () => {
		expect(mainTasks().length).toBeGreaterThan(2);
		expect(await getMany({ limit: 2 })).toHaveLength(2);
	});

	it('filters on brand, status and type', async () => {
		const vca = await getMany({ returnAll: true, filters: { brand: 'VCA' } });
		expect(vca.map((task) => normalizeId(task.asyncTaskId))).toEqual([normalizeId(vcaTask)]);
		const failed = await getMany({ returnAll: true, filters: { status: ['ERR'] } });
		expect(failed.map((task) => normalizeId(task.asyncTaskId))).toEqual([normalizeId(errTask)]);
		const completed = await getMany({ returnAll: true, filters: { status: ['COM'], type: 'crm' } });
		expect(completed.map((task) => normalizeId(task.asyncTaskId)).sort()).toEqual(
			mainTasks().filter((task) => task.status === 'COM').map((task) => normalizeId(task.asyncTaskId)).sort(),
		);
		expect(await getMany({ returnAll: true, filters: { type: 'stock' } })).toEqual([]);
	});
});

describe('Task → Download File', () => {
	it.each(['json', 'xml'])('binary equals the sandbox file, name and MIME type from the response, no credentials on the signed link (%s)', async (requestFormat) => {
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'downloadFile', asyncTaskId: carTask, options: { requestFormat, binaryPropertyName: 'file' } }),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		const [item] = run.items;
		const view = taskView(env, carTask)!;
		const served = await fetch(view.signedDownloadUrl!);
		expect(served.status).toBe(200);
		const content = Buffer.from(await served.arrayBuffer());
		const disposition = served.headers.get('content-disposition') ?? '';
		const binary = item.binary!.file;
		expect((await env.engine.getBinaryDataBuffer(binary)).equals(content)).toBe(true);
		expect(binary.mimeType).toBe(String(served.headers.get('content-type')).split(';')[0].trim());
		expect(disposition).toContain(binary.fileName!);
		expect(await csvIds(env, item, 'file')).toEqual(idsWhere(customersOf(env, 'CAR'), (c) => c.customerStatus === 'Client'));

		const fileRequests = logged(env, (entry) => entry.path.startsWith('/files/'));
		expect(fileRequests.length).toBeGreaterThan(0);
		for (const entry of fileRequests) {
			expect(entry.headers.authorization).toBeUndefined();
			expect(entry.headers.cookie).toBeUndefined();
			expect(entry.authLeak).toBe(false);
		}
		expect(env.sandbox.state.requestLog.leaks).toEqual([]);
	});

	it('a task that is not complete gives a clear error and downloads nothing', async () => {
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'downloadFile', asyncTaskId: errTask, options: {} }),
			credentials: [env.cred],
		});
		expect(run.error?.message).toMatch(/ERR/);
		expect(logged(env, (entry) => entry.path.startsWith('/files/') || entry.path.endsWith('/file'))).toEqual([]);
	});

	it('an expired signed link is refreshed from the task', async () => {
		// The proxy lets the link of the first task read expire before the node uses it.
		let reads = 0;
		proxy.rewrite = (path, body) => {
			if (/^\/tasks\/[0-9a-f-]+/i.test(path) && ++reads === 1) env.sandbox.state.advanceClock(61_000);
			return body;
		};
		const cred = credential({ baseUrl: proxy.url, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey });
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'downloadFile', asyncTaskId: carTask, options: {} }),
			credentials: [cred],
		});
		expect(run.error).toBeUndefined();
		const fileRequests = logged(env, (entry) => entry.path.startsWith('/files/'));
		expect(fileRequests.map((entry) => entry.status)).toEqual([403, 200]);
		expect(reads).toBe(2);
		expect(await csvIds(env, run.items[0])).toEqual(idsWhere(customersOf(env, 'CAR'), (c) => c.customerStatus === 'Client'));
		expect(env.sandbox.state.requestLog.leaks).toEqual([]);
	});
});
