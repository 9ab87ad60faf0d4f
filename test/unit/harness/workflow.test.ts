import { existsSync } from 'node:fs';

import { Readable } from 'node:stream';

import {
	ITEMS_NODE_TYPE,
	START_NODE_TYPE,
	type N8nTestEngine,
	type StoredCredential,
} from '../../helpers/n8n-engine';
import { startLocalServer, sendJson, type LocalServer } from '../../helpers/local-server';
import { FIXTURE_HTTP, createFixtureEngine } from '../../helpers/fixtures/engine';

const CSV = 'id;name\n1;Ada\n2;Grace\n';

let engine: N8nTestEngine;
let server: LocalServer;
let apiKey: StoredCredential;

beforeAll(async () => {
	engine = createFixtureEngine();
	server = await startLocalServer((request, response) => {
		if (request.url.startsWith('/report.csv')) {
			response.writeHead(200, { 'content-type': 'text/csv' });
			// Several chunks, so the body really arrives as a stream.
			Readable.from(CSV.split(/(?<=\n)/)).pipe(response);
			return;
		}
		const id = new URL(request.url, server.url).searchParams.get('id');
		if (id === 'bad') return sendJson(response, 404, { message: 'No such record' });
		sendJson(response, 200, { id, ok: true });
	});
	apiKey = {
		id: 'generic-1',
		name: 'Generic',
		type: 'fixtureGenericApi',
		data: { baseUrl: server.url, apiKey: 'k' },
	};
});

afterAll(async () => {
	await server.close();
	await engine.dispose();
});

const inputItems = [{ json: { id: 'a' } }, { json: { id: 'bad' } }, { json: { id: 'c' } }];

describe('runNode', () => {
	it('pairs every output item to its input item', async () => {
		const { items } = await engine.runNode({
			node: { type: FIXTURE_HTTP, parameters: {} },
			inputItems: [{ json: { id: 'a' } }, { json: { id: 'b' } }],
			credentials: [apiKey],
		});

		expect(items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['a', { item: 0 }],
			['b', { item: 1 }],
		]);
	});

	it.each([
		['continueOnFail: true', { continueOnFail: true }],
		["onError: 'continueRegularOutput'", { onError: 'continueRegularOutput' as const }],
	])('with %s turns the failing item into an error item, the others succeed', async (_, setting) => {
		const { items, error } = await engine.runNode({
			node: { type: FIXTURE_HTTP, parameters: {}, ...setting },
			inputItems,
			credentials: [apiKey],
		});

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({ json: { id: 'a', ok: true }, pairedItem: { item: 0 } });
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items[1].json.error).toEqual(expect.stringContaining('resource you are requesting'));
		expect(items[2]).toMatchObject({ json: { id: 'c', ok: true }, pairedItem: { item: 2 } });
	});

	it('without Continue On Fail fails the node and the execution', async () => {
		const { output, error, workflow } = await engine.runNode({
			node: { type: FIXTURE_HTTP, parameters: {} },
			inputItems,
			credentials: [apiKey],
		});

		expect(output).toBeUndefined();
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(workflow.executionError?.message).toBe(error?.message);
	});

	it("shows the node the workflow's timezone, Europe/Zurich unless set", async () => {
		const node = { type: FIXTURE_HTTP, parameters: { operation: 'timezone' } };

		const byDefault = await engine.runNode({ node, credentials: [apiKey] });
		const set = await engine.runNode({
			node,
			credentials: [apiKey],
			settings: { timezone: 'America/New_York' },
		});

		expect(byDefault.items[0].json.timezone).toBe('Europe/Zurich');
		expect(set.items[0].json.timezone).toBe('America/New_York');
	});

	it('streams binary data to the filesystem store and reads it back', async () => {
		const { items, error } = await engine.runNode({
			node: { type: FIXTURE_HTTP, parameters: { operation: 'download', path: '/report.csv' } },
			credentials: [apiKey],
		});

		expect(error).toBeUndefined();
		const binary = items[0].binary!.data;
		expect(binary).toMatchObject({ fileName: 'report.csv', mimeType: 'text/csv' });
		expect(binary.id).toMatch(/^filesystem-v2:/);
		expect(existsSync(engine.binaryDataPath(binary.id!))).toBe(true);
		expect((await engine.getBinaryDataBuffer(binary)).toString('utf8')).toBe(CSV);
	});
});

describe('runWorkflow', () => {
	it('runs connected nodes and exposes each node output', async () => {
		const result = await engine.runWorkflow({
			nodes: [
				{ name: 'Go', type: START_NODE_TYPE },
				{
					name: 'Records',
					type: ITEMS_NODE_TYPE,
					parameters: { items: JSON.stringify([{ json: { id: 'x' } }]) },
				},
				{
					name: 'Fetch',
					type: FIXTURE_HTTP,
					credentials: { fixtureGenericApi: { id: 'generic-1', name: 'Generic' } },
				},
			],
			connections: {
				Go: { main: [[{ node: 'Records', type: 'main', index: 0 }]] },
				Records: { main: [[{ node: 'Fetch', type: 'main', index: 0 }]] },
			},
			credentials: [apiKey],
		});

		expect(result.executionError).toBeUndefined();
		expect(result.outputOf('Records')).toEqual([[{ json: { id: 'x' }, pairedItem: { item: 0 } }]]);
		expect(result.outputOf('Fetch')?.[0][0].json).toEqual({ id: 'x', ok: true });
		expect(result.errorOf('Fetch')).toBeUndefined();
		expect(result.runData.Fetch[0].source).toEqual([
			{ previousNode: 'Records', previousNodeOutput: 0, previousNodeRun: 0 },
		]);
	});

	it('fails a node whose required credential is not set, as n8n does', async () => {
		const result = await engine.runWorkflow({
			nodes: [{ name: 'Go', type: START_NODE_TYPE }, { name: 'Fetch', type: FIXTURE_HTTP }],
			connections: { Go: { main: [[{ node: 'Fetch', type: 'main', index: 0 }]] } },
		});

		expect(result.outputOf('Go')).toEqual([[{ json: {}, pairedItem: { item: 0 } }]]);
		expect(result.errorOf('Fetch')?.message).toBe('Node does not have any credentials set');
	});

	it('gives a node without typeVersion the latest version of its type', () => {
		expect(engine.nodeTypes.latestVersion(FIXTURE_HTTP)).toBe(2);
	});
});
