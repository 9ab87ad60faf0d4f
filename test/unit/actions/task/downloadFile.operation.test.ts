/**
 * Task → Download File (nodes/Booster/actions/task/downloadFile.operation.ts): the binary is the
 * sandbox's file, signed links never get credentials, expired links are refreshed from the task.
 */
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
	startEnv,
	startExportDirect,
	startProxy,
	taskView,
} from '../../../integration/node/setup';

let env: Env;
let proxy: Proxy;
let carTask: string;
let errTask: string;

beforeAll(async () => {
	env = await startEnv({ exportDurationMs: 60_000, signedUrlTtlSeconds: 60 });
	proxy = await startProxy(env);
	carTask = await startExportDirect(env, 'CAR', 'tasks-car', { customerStatus: ['Client'] });
	env.sandbox.state.failNextExports(1);
	errTask = await startExportDirect(env, 'IWC', 'tasks-err');
	await finishTasks(env);
});
afterAll(async () => {
	await proxy.close();
	await env.stop();
});
beforeEach(() => {
	env.sandbox.state.requestLog.clear();
	proxy.rewrite = undefined;
});

describe('Task → Download File', () => {
	it.each(['json', 'xml'])('binary equals the sandbox file, name and MIME type from the response, no credentials on the signed link (%s)', async (requestFormat) => {
		const run = await env.engine.runNode({
			node: boosterNode({
				resource: 'task',
				operation: 'downloadFile',
				asyncTaskId: carTask,
				options: { binaryPropertyName: 'file' },
				advanced: { requestFormat },
			}),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(logged(env, (entry) => /^\/tasks\/[0-9a-f-]+$/i.test(entry.path)).map((entry) => entry.headers.accept)).toEqual([`application/${requestFormat}`]);
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

	it('a Request Format saved in Options, before it moved to Advanced, still counts', async () => {
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'downloadFile', asyncTaskId: carTask, options: { requestFormat: 'xml', binaryPropertyName: 'file' } }),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(logged(env, (entry) => /^\/tasks\/[0-9a-f-]+$/i.test(entry.path)).map((entry) => entry.headers.accept)).toEqual(['application/xml']);
		expect(await csvIds(env, run.items[0], 'file')).toEqual(idsWhere(customersOf(env, 'CAR'), (c) => c.customerStatus === 'Client'));
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
