/**
 * Customer → Export, Output (nodes/Booster/actions/customer/export.operation.ts, typeVersion 1.1):
 * - Customers (the default): the export's rows as items, equal to the sandbox's data row for row and
 *   type for type, each paired with the input item that asked;
 * - File: the CSV as binary data, byte for byte the sandbox's file;
 * - Task: the started task at once, without waiting.
 * Files the sandbox never writes (BOM, quoted line breaks, an unknown column; malformed ones) come
 * from a local file server: a proxy in front of the sandbox points the finished task's signed link
 * at it.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { SandboxCustomer } from '../../../sandbox';
import { exportedCustomer } from '../../../helpers/expected-customers';
import { type LocalServer, startLocalServer } from '../../../helpers/local-server';
import { startProxy } from '../../../helpers/proxy';
import { type Env, boosterNode, credential, customersOf, exportRequests, logged, posOf, startEnv, taskView } from '../../../integration/node/setup';
import type { StoredCredential } from '../../../helpers/n8n-engine';

const EXPORT_SIZE = 5000;

let env: Env;
let car: SandboxCustomer[];

beforeAll(async () => {
	env = await startEnv({ customers: 19_000, exportDurationMs: 200 });
	// Top CAR up to exactly 5,000 customers with customers added at run time, spread over its POS.
	const missing = EXPORT_SIZE - env.sandbox.state.dataset.countOfBrand('CAR');
	expect(missing).toBeGreaterThan(0);
	posOf(env, 'CAR').forEach((posCode, index, all) => {
		const share = Math.floor(missing / all.length) + (index < missing % all.length ? 1 : 0);
		env.sandbox.state.addCustomers(share, { posCode, creationDate: `2023-0${index + 1}-15T08:30:00Z` });
	});
	car = customersOf(env, 'CAR');
	expect(car).toHaveLength(EXPORT_SIZE);
}, 60_000);
afterAll(async () => await env.stop());
beforeEach(() => env.sandbox.state.requestLog.clear());

const exportNode = (parameters: IDataObject = {}, options: IDataObject = {}, advanced: IDataObject = {}) =>
	boosterNode({
		resource: 'customer',
		operation: 'export',
		brand: 'CAR',
		posCodes: posOf(env, 'CAR'),
		filters: {},
		options: { pollIntervalSeconds: 1, ...options },
		advanced,
		...parameters,
	});

/** A row of the export file, typed, from the dataset (the file's definition in the sandbox README). */
const row = (c: SandboxCustomer): IDataObject => exportedCustomer(c, env.sandbox.state.computeKpi(c));

describe('Output: Customers (the default of version 1.1)', () => {
	it.each(['json', 'xml'])(
		'an export of 5,000 customers equals the sandbox data row for row and type for type, every item paired (%s)',
		async (requestFormat) => {
			const node = exportNode({}, {}, { requestFormat });
			expect(node.parameters).not.toHaveProperty('output');
			const run = await env.engine.runNode({ node, credentials: [env.cred] });
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(EXPORT_SIZE);
			const expected = car.map(row);
			// Whole rows first, so a difference shows where it is.
			for (let index = 0; index < EXPORT_SIZE; index++) {
				if (JSON.stringify(run.items[index].json) !== JSON.stringify(expected[index])) expect(run.items[index].json).toEqual(expected[index]);
			}
			expect(run.items.map((item) => item.json)).toEqual(expected);
			for (const item of run.items) {
				expect(item.pairedItem).toEqual({ item: 0 });
				expect(item.binary).toBeUndefined();
			}
			// The columns come in the file's order.
			expect(Object.keys(run.items[0].json)).toEqual([...env.sandbox.state.csvColumns]);
			// The data has each kind of value the types are about.
			expect(expected.some((r) => r.birthDate === null)).toBe(true);
			expect(expected.some((r) => (r.interests as string[]).length === 0)).toBe(true);
			expect(expected.some((r) => (r.interests as string[]).length > 1)).toBe(true);
			expect(expected.some((r) => r.totalSpendingAmount === 0) && expected.some((r) => (r.totalSpendingAmount as number) > 0)).toBe(true);
			// Digits-only texts stay texts (sapId), numbers are numbers.
			expect(typeof run.items[0].json.sapId).toBe('string');
			expect(typeof run.items[0].json.totalTransaction).toBe('number');
			expect(expected.some((r) => r.canBeContactedByMaison === false) && expected.some((r) => r.canBeContactedByMaison === true)).toBe(true);
			// One export asked for, no file kept as binary.
			expect(exportRequests(env)).toHaveLength(1);
		},
		120_000,
	);

	it('two input items with different filters give two groups, each paired with the item that asked for it', async () => {
		const asks = [
			{ pos: ['CH100:100123'], status: ['Prospect'] },
			{ pos: ['JP100:100158', 'US100:100151'], status: ['Client'] },
		];
		const run = await env.engine.runNode({
			node: exportNode({ posCodes: '={{ $json.pos }}', filters: { customerStatus: '={{ $json.status }}' } }),
			inputItems: asks.map((ask) => ({ json: ask })),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		const groups = asks.map((ask) => car.filter((c) => ask.pos.includes(c.posCode) && ask.status.includes(c.customerStatus)).map(row));
		expect(groups[0].length).toBeGreaterThan(0);
		expect(groups[1].length).toBeGreaterThan(0);
		expect(run.items.map((item) => item.json)).toEqual([...groups[0], ...groups[1]]);
		expect(run.items.map((item) => item.pairedItem)).toEqual([...groups[0].map(() => ({ item: 0 })), ...groups[1].map(() => ({ item: 1 }))]);
		expect(exportRequests(env)).toHaveLength(2);
	});

	it('an export that selects nobody gives no items, and no error', async () => {
		const run = await env.engine.runNode({
			node: exportNode({ filters: { email: 'nobody.at.all@example.com' } }),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toEqual([]);
	});
});

describe('Output: File', () => {
	it.each(['json', 'xml'])('attaches the CSV, byte for byte the sandbox file, to the finished task (%s)', async (requestFormat) => {
		const run = await env.engine.runNode({
			node: exportNode({ output: 'file', filters: { customerStatus: ['Client'] } }, { binaryPropertyName: 'csv' }, { requestFormat }),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const [item] = run.items;
		const clients = car.filter((c) => c.customerStatus === 'Client');
		expect(item.json).toMatchObject({ status: 'COM', totalResults: clients.length, brand: 'CAR' });
		expect(item.pairedItem).toEqual({ item: 0 });
		const binary = item.binary?.csv;
		expect(binary).toBeDefined();
		expect(binary!.mimeType).toBe('text/csv');
		expect(binary!.fileName).toMatch(/\.csv$/);
		const view = taskView(env, item.json.asyncTaskId)!;
		const served = await fetch(view.downloadUrl!, { headers: { Authorization: `Bearer ${env.sandbox.accounts.main.apiKey}` } });
		const file = await env.engine.getBinaryDataBuffer(binary!);
		expect(file.equals(Buffer.from(await served.arrayBuffer()))).toBe(true);
		const lines = file.toString('utf8').split('\r\n').filter((line) => line !== '');
		expect(lines.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(clients.map((c) => c.boosterCustomerId));
	});
});

describe('Output: Task', () => {
	it('returns the started task at once, without waiting for the export', async () => {
		env.sandbox.state.setConfig({ exportDurationMs: 10 * 60_000 });
		try {
			const started = Date.now();
			const run = await env.engine.runNode({ node: exportNode({ output: 'task' }), credentials: [env.cred] });
			const elapsed = Date.now() - started;
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(1);
			const [item] = run.items;
			expect(item.json).toMatchObject({ asyncTaskId: expect.any(String), brand: 'CAR', downloadRequestId: expect.any(String) });
			expect(item.binary).toBeUndefined();
			const view = taskView(env, item.json.asyncTaskId)!;
			expect(['REQ', 'INP']).toContain(view.status);
			// One export started, and at most one look at the task (its brand); no polling.
			expect(exportRequests(env)).toHaveLength(1);
			expect(logged(env, (entry) => entry.path.startsWith('/tasks')).length).toBeLessThanOrEqual(1);
			expect(elapsed).toBeLessThan(5000);
		} finally {
			env.sandbox.state.setConfig({ exportDurationMs: 200 });
		}
	});
});

describe('files the sandbox does not write', () => {
	let files: LocalServer;
	let proxy: LocalServer;
	let viaProxy: StoredCredential;
	let body: Buffer = Buffer.alloc(0);

	beforeAll(async () => {
		files = await startLocalServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-length': String(body.length) });
			response.end(body);
		});
		// The finished task's signed link points at the local file server, and the task announces no
		// count (totalResults null), so the crafted file's own rows are read; the count is checked in
		// test/integration/adversarial/customers.test.ts.
		proxy = await startProxy(env.sandbox.url, {
			prefix: '/api',
			rewriteJson: (request, json) => {
				const task = json as IDataObject;
				if (!/\/tasks\/[0-9a-f-]+(\?|$)/i.test(request.url) || task.status !== 'COM') return json;
				return { ...task, totalResults: null, downloadUrl: null, signedDownloadUrl: `${files.url}/files/${String(task.asyncTaskId)}/crafted.csv?expires=1&signature=x` };
			},
		});
		viaProxy = credential({ baseUrl: `${proxy.url}/api`, authentication: 'apiKey', apiKey: env.sandbox.accounts.main.apiKey }, 'via-proxy');
	});
	afterAll(async () => {
		await proxy.close();
		await files.close();
	});

	const runWith = async (csv: string | Buffer, extra: Partial<{ onError: 'continueRegularOutput' }> = {}) => {
		body = Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8');
		const hitsBefore = files.hits.length;
		const run = await env.engine.runNode({
			node: { ...exportNode({ posCodes: ['CH100:100123'] }), ...extra },
			inputItems: [{ json: {} }],
			credentials: [viaProxy],
		});
		expect(files.hits.length).toBe(hitsBefore + 1);
		return run;
	};
	const jsonOf = (items: INodeExecutionData[]) => items.map((item) => item.json);

	it('reads a file with a BOM, CRLF, quoted commas, quotes and line breaks, and an unknown column kept as text', async () => {
		const header = 'boosterCustomerId,firstName,lastName,notes,birthDate,canBeContactedByMaison,interests,totalSpendingAmount,creationDate,loyaltyTier';
		const csv =
			`\uFEFF${header}\r\n` +
			`1000001,Anna,"O""Brien, Jr.","first line\r\nsecond line",1980-02-29,true,CA-1|CA-3,12500.5,2020-01-02T03:04:05.678Z,3\r\n` +
			`1000002,"Marc",Dupont,,,false,,0,2021-06-30T23:59:59Z,\r\n` +
			`1000003,Li,"Wei","",1999-12-31,TRUE,CA-6,-250,/Date(1600000000000)/,"gold, ""plus"""\r\n`;
		const run = await runWith(csv);
		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual([
			{
				boosterCustomerId: 1000001,
				firstName: 'Anna',
				lastName: 'O"Brien, Jr.',
				notes: 'first line\r\nsecond line',
				birthDate: '1980-02-29',
				canBeContactedByMaison: true,
				interests: ['CA-1', 'CA-3'],
				totalSpendingAmount: 12500.5,
				creationDate: '2020-01-02T03:04:05.678Z',
				loyaltyTier: '3',
			},
			{
				boosterCustomerId: 1000002,
				firstName: 'Marc',
				lastName: 'Dupont',
				notes: '',
				birthDate: null,
				canBeContactedByMaison: false,
				interests: [],
				totalSpendingAmount: 0,
				creationDate: '2021-06-30T23:59:59.000Z',
				loyaltyTier: '',
			},
			{
				boosterCustomerId: 1000003,
				firstName: 'Li',
				lastName: 'Wei',
				notes: '',
				birthDate: '1999-12-31',
				canBeContactedByMaison: true,
				interests: ['CA-6'],
				totalSpendingAmount: -250,
				creationDate: new Date(1600000000000).toISOString(),
				loyaltyTier: 'gold, "plus"',
			},
		]);
		expect(Object.keys(run.items[0].json)[0]).toBe('boosterCustomerId');
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
	});

	it('reads a file with LF line ends and no line end after the last row the same way', async () => {
		const run = await runWith('boosterCustomerId,firstName\n1000001,Anna\n1000002,"Bo\nb"');
		expect(run.error).toBeUndefined();
		expect(jsonOf(run.items)).toEqual([
			{ boosterCustomerId: 1000001, firstName: 'Anna' },
			{ boosterCustomerId: 1000002, firstName: 'Bo\nb' },
		]);
	});

	it('a file with only its header gives no items', async () => {
		const run = await runWith('boosterCustomerId,firstName\r\n');
		expect(run.error).toBeUndefined();
		expect(run.items).toEqual([]);
	});

	it.each([
		['an unterminated quote', 'boosterCustomerId,firstName\r\n1000001,Anna\r\n1000002,"Bob\r\n1000003,Carl\r\n', 3],
		['a row with a field too many', 'boosterCustomerId,firstName\r\n1000001,Anna\r\n1000002,Bob,extra\r\n1000003,Carl\r\n', 3],
		['a row with a field too few, after a quoted line break', 'boosterCustomerId,firstName,notes\r\n1000001,Anna,"a\r\nb"\r\n1000002,Bob\r\n', 4],
		['a value that does not fit its column', 'boosterCustomerId,firstName\r\n1000001,Anna\r\n1000001,Bob\r\nabc,Carl\r\n', 4],
	])('a malformed file (%s) is an error naming the line and the task', async (_label, csv, line) => {
		const run = await runWith(csv);
		expect(run.error).toBeDefined();
		const message = run.error!.message;
		expect(message).toContain(`Line ${line}`);
		expect(message).toMatch(/\[item 0\]/);
		const [exported] = exportRequests(env);
		expect(exported).toBeDefined();
		const task = [...env.sandbox.state.tasks.values()].at(-1)!;
		expect(message.replace(/-/g, '').toLowerCase()).toContain(task.asyncTaskId.replace(/-/g, '').toLowerCase());
		expect(run.error!.description ?? '').toMatch(/Output.*File/);
	});

	it('with Continue On Fail a malformed file gives one error item, paired, and no partial rows', async () => {
		const run = await runWith('boosterCustomerId,firstName\r\n1000001,Anna\r\n1000002,Bob,extra\r\n', { onError: 'continueRegularOutput' });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(String(run.items[0].json.error)).toContain('Line 3');
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
	});
});
