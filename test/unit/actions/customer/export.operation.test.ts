/**
 * Customer → Export (nodes/Booster/actions/customer/export.operation.ts) against the sandbox, beyond
 * the filters (test/integration/node/export-filters.test.ts): downloadRequestId, dates in the
 * workflow's time zone, Output File, version 1's Wait for Completion and Download File (kept for saved
 * workflows), and tasks that end in ERR.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	type Env,
	boosterNode,
	csvIds,
	customersOf,
	exportRequests,
	idsWhere,
	posOf,
	startEnv,
	taskView,
} from '../../../integration/node/setup';

let env: Env;

beforeAll(async () => {
	env = await startEnv({ exportDurationMs: 300 });
	expect(posOf(env, 'CAR')).toContain('CH100:100123');
});
afterAll(async () => await env.stop());
beforeEach(() => env.sandbox.state.requestLog.clear());

/** Output Task does not wait: the item is the started task. Version 1 has no other Output. */
const exportParameters = (filters: IDataObject = {}, options: IDataObject = {}, extra: IDataObject = { output: 'task' }) => ({
	resource: 'customer',
	operation: 'export',
	brand: 'CAR',
	posCodes: ['CH100:100123'],
	...extra,
	filters,
	options,
});
/** Version 1 of the node, as a workflow saved before Output existed has it. */
const VERSION_1 = { typeVersion: 1 };
const bodies = () => exportRequests(env).map((entry) => JSON.parse(entry.body) as IDataObject);

describe('downloadRequestId', () => {
	it('is generated when empty: distinct per item and per execution, and reported in the output', async () => {
		const first = await env.engine.runNode({ node: boosterNode(exportParameters()), inputItems: [{ json: {} }, { json: {} }], credentials: [env.cred] });
		const second = await env.engine.runNode({ node: boosterNode(exportParameters()), inputItems: [{ json: {} }], credentials: [env.cred] });
		expect(first.error).toBeUndefined();
		expect(second.error).toBeUndefined();
		const sent = bodies().map((body) => body.downloadRequestId);
		expect(sent).toHaveLength(3);
		for (const id of sent) expect(typeof id === 'string' && id.length > 0).toBe(true);
		expect(new Set(sent).size).toBe(3);
		expect([...first.items, ...second.items].map((item) => item.json.downloadRequestId)).toEqual(sent);
		expect(new Set([...first.items, ...second.items].map((item) => item.json.asyncTaskId)).size).toBe(3);
	});

	it('is stable when n8n retries the same item: the retry gets the same task and the sandbox holds one task', async () => {
		env.sandbox.state.failNextExports(1);
		const tasksBefore = env.sandbox.state.tasks.size;
		const run = await env.engine.runNode({
			node: boosterNode(exportParameters({}, { waitForCompletion: true, pollIntervalSeconds: 1 }, {}), {
				...VERSION_1,
				retryOnFail: true,
				maxTries: 2,
				waitBetweenTries: 1,
			}),
			credentials: [env.cred],
		});
		// The task ends in ERR, so both tries fail; what matters is that they asked for the same export.
		expect(run.error).toBeDefined();
		const sent = bodies();
		expect(sent).toHaveLength(2);
		expect(sent[0].downloadRequestId).toBe(sent[1].downloadRequestId);
		expect(env.sandbox.state.tasks.size).toBe(tasksBefore + 1);
		const taskReads = env.sandbox.state.requestLog.entries.filter((entry) => /^\/tasks\/[0-9a-f-]+$/i.test(entry.path));
		expect(new Set(taskReads.map((entry) => entry.path.replace(/-/g, '').toLowerCase())).size).toBe(1);
	});

	it('uses the one the user gives, and the same one returns the same task', async () => {
		const node = boosterNode(exportParameters({}, { downloadRequestId: 'my-campaign-2024-03' }));
		const first = await env.engine.runNode({ node, credentials: [env.cred] });
		const second = await env.engine.runNode({ node, credentials: [env.cred] });
		expect(bodies().map((body) => body.downloadRequestId)).toEqual(['my-campaign-2024-03', 'my-campaign-2024-03']);
		expect(first.items[0].json.downloadRequestId).toBe('my-campaign-2024-03');
		expect(second.items[0].json.asyncTaskId).toBe(first.items[0].json.asyncTaskId);
		const task = [...env.sandbox.state.tasks.values()].find((entry) => entry.downloadRequestId === 'my-campaign-2024-03');
		expect(task).toBeDefined();
		expect(task!.asyncTaskId.replace(/-/g, '').toLowerCase()).toBe(String(first.items[0].json.asyncTaskId).replace(/-/g, '').toLowerCase());
	});
});

describe('dates and the workflow time zone', () => {
	it.each([
		['Pacific/Kiritimati', '2024-02-29T10:00:00.000Z', '2024-12-31T09:59:59.999Z'],
		['America/Los_Angeles', '2024-03-01T08:00:00.000Z', '2025-01-01T07:59:59.999Z'],
		['UTC', '2024-03-01T00:00:00.000Z', '2024-12-31T23:59:59.999Z'],
		['Asia/Tokyo', '2024-02-29T15:00:00.000Z', '2024-12-31T14:59:59.999Z'],
	])(
		'a date picked in the editor is a time of the workflow zone, sent in UTC, a range\'s end covering its whole day (workflow zone %s)',
		async (timezone, from, to) => {
			const run = await env.engine.runNode({
				node: boosterNode(exportParameters({ creationDateFrom: '2024-03-01T00:00:00', transactionDateTo: '2024-12-31T00:00:00' })),
				settings: { timezone },
				credentials: [env.cred],
			});
			expect(run.error).toBeUndefined();
			const [body] = bodies();
			expect(body.creationDateFrom).toBe(from);
			expect(body.transactionDateTo).toBe(to);
		},
	);

	it.each(['Europe/Zurich', 'America/New_York', 'Asia/Tokyo'])(
		'a zoned value from an expression is sent as that moment, whatever the workflow zone (%s)',
		async (timezone) => {
			const run = await env.engine.runNode({
				node: boosterNode(exportParameters({ creationDateFrom: '={{ $json.when }}' })),
				inputItems: [{ json: { when: '2024-03-01T23:30:00+01:00' } }],
				settings: { timezone },
				credentials: [env.cred],
			});
			expect(run.error).toBeUndefined();
			expect(bodies()[0].creationDateFrom).toBe('2024-03-01T22:30:00.000Z');
		},
	);

	it('a Luxon DateTime from an expression is sent as that moment', async () => {
		const run = await env.engine.runNode({
			node: boosterNode(exportParameters({ creationDateTo: "={{ DateTime.fromISO('2024-06-30T22:30:00Z') }}" })),
			settings: { timezone: 'Europe/Zurich' },
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(bodies()[0].creationDateTo).toBe('2024-06-30T22:30:00.000Z');
	});

	it('a Luxon DateTime at midnight of the workflow zone that ends a range covers that day', async () => {
		const run = await env.engine.runNode({
			node: boosterNode(exportParameters({ creationDateTo: "={{ DateTime.fromISO('2024-06-30T22:00:00Z') }}" })),
			settings: { timezone: 'Europe/Zurich' },
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(bodies()[0].creationDateTo).toBe('2024-07-01T21:59:59.999Z');
	});
});

describe('Output File, and version 1\'s Wait for Completion and Download File', () => {
	it('version 1: Wait for Completion waits until the task is COM and outputs the completed task', async () => {
		const run = await env.engine.runNode({
			node: boosterNode(exportParameters({}, { waitForCompletion: true, pollIntervalSeconds: 1 }, {}), VERSION_1),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		const [item] = run.items;
		const expected = idsWhere(customersOf(env, 'CAR'), (c) => c.posCode === 'CH100:100123');
		expect(item.json).toMatchObject({ status: 'COM', percentage: 100, totalResults: expected.length, brand: 'CAR' });
		expect(typeof item.json.downloadRequestId).toBe('string');
		const view = taskView(env, item.json.asyncTaskId);
		expect(view?.status).toBe('COM');
		// The Poll Interval saved with version 1 (1 s, not the default 5 s) spaces the task reads.
		const reads = env.sandbox.state.requestLog.entries.filter((entry) => /^\/tasks\/[0-9a-f-]+$/i.test(entry.path)).map((entry) => Date.parse(entry.timestamp));
		expect(reads.length).toBeGreaterThanOrEqual(2);
		for (let index = 1; index < reads.length; index++) expect(reads[index] - reads[index - 1]).toBeLessThan(3000);
	});

	it.each(['json', 'xml'])('Output File attaches the CSV, equal to the sandbox file (%s)', async (format) => {
		const run = await env.engine.runNode({
			node: boosterNode({
				...exportParameters({ customerStatus: ['Client'] }, { pollIntervalSeconds: 1, binaryPropertyName: 'csv' }, { output: 'file' }),
				advanced: { requestFormat: format },
			}),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const [item] = run.items;
		expect(item.json).toMatchObject({ status: 'COM', brand: 'CAR' });
		expect(typeof item.json.downloadRequestId).toBe('string');
		expect(exportRequests(env).map((entry) => entry.headers['content-type'])).toEqual([format === 'xml' ? 'application/xml' : 'application/json']);
		const binary = item.binary?.csv;
		expect(binary).toBeDefined();
		expect(binary!.mimeType).toBe('text/csv');
		expect(binary!.fileName).toMatch(/\.csv$/);
		const expected = idsWhere(customersOf(env, 'CAR'), (c) => c.posCode === 'CH100:100123' && c.customerStatus === 'Client');
		expect(await csvIds(env, item, 'csv')).toEqual(expected);
		// Byte for byte the file the sandbox serves.
		const task = taskView(env, item.json.asyncTaskId)!;
		const served = await fetch(task.downloadUrl!, { headers: { Authorization: `Bearer ${env.sandbox.accounts.main.apiKey}` } });
		expect(Buffer.from(await served.arrayBuffer()).equals(await env.engine.getBinaryDataBuffer(binary!))).toBe(true);
		expect(env.sandbox.state.requestLog.leaks).toEqual([]);
	});

	it('version 1: Download File attaches the CSV, and a Request Format saved in Options is still honoured', async () => {
		const run = await env.engine.runNode({
			node: boosterNode(
				exportParameters(
					{ customerStatus: ['Prospect'] },
					{ downloadFile: true, pollIntervalSeconds: 1, binaryPropertyName: 'csv', requestFormat: 'xml' },
					{},
				),
				VERSION_1,
			),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const [item] = run.items;
		expect(item.json).toMatchObject({ status: 'COM', brand: 'CAR' });
		expect(item.binary?.csv?.mimeType).toBe('text/csv');
		const expected = idsWhere(customersOf(env, 'CAR'), (c) => c.posCode === 'CH100:100123' && c.customerStatus === 'Prospect');
		expect(await csvIds(env, item, 'csv')).toEqual(expected);
		const [request] = exportRequests(env);
		expect(request.headers['content-type']).toBe('application/xml');
		expect(request.body).toMatch(/^<ExportCustomer /);
	});

	it('version 1: a task that ends in ERR becomes a clear error carrying the task details', async () => {
		env.sandbox.state.failNextExports(1);
		const run = await env.engine.runNode({
			node: boosterNode(exportParameters({}, { waitForCompletion: true, pollIntervalSeconds: 1 }, {}), VERSION_1),
			credentials: [env.cred],
		});
		expect(run.error).toBeDefined();
		const task = [...env.sandbox.state.tasks.values()].pop()!;
		const view = env.sandbox.state.taskView(task.asyncTaskId)!;
		expect(view.status).toBe('ERR');
		const text = `${run.error!.message} ${run.error!.description ?? ''}`;
		expect(text).toMatch(/ERR|failed/i);
		expect(text.replace(/-/g, '').toLowerCase()).toContain(view.asyncTaskId.replace(/-/g, '').toLowerCase());
		expect(text).toContain(String(view.totalFailed));
	});

	it('version 1: with Continue On Fail the ERR task gives an error item while the other item completes, both paired', async () => {
		env.sandbox.state.failNextExports(1);
		const run = await env.engine.runNode({
			node: boosterNode(exportParameters({}, { waitForCompletion: true, pollIntervalSeconds: 1, downloadRequestId: '={{ $json.id }}' }, {}), {
				...VERSION_1,
				onError: 'continueRegularOutput',
			}),
			inputItems: [{ json: { id: 'err-case-a' } }, { json: { id: 'err-case-b' } }],
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(2);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(run.items[0].json.error)).toMatch(/failed|ERR/i);
		expect(run.items[1].json.status).toBe('COM');
	});
});

describe('a repeatable group the user added but left empty', () => {
	it('an Interests filter with no entry is not an error (editor value {})', async () => {
		const run = await env.engine.runNode({
			node: boosterNode(exportParameters({ interests: {} })),
			credentials: [env.cred],
		});
		expect(run.error?.message).toBeUndefined();
		expect(bodies()).toHaveLength(1);
		expect(bodies()[0].interests).toBeUndefined();
	});
});

