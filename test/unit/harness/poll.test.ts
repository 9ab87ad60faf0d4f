import type { IDataObject } from 'n8n-workflow';

import { type N8nTestEngine, type StoredCredential } from '../../helpers/n8n-engine';
import { startLocalServer, sendJson, type LocalServer } from '../../helpers/local-server';
import { createFixtureEngine } from '../../helpers/fixtures/engine';

const FIXTURE_POLL = 'n8n-nodes-fixture.fixturePoll';
const node = { name: 'Poll', type: FIXTURE_POLL };

let engine: N8nTestEngine;
let server: LocalServer;
let events: Array<{ id: number }>;
let credential: StoredCredential;

beforeAll(async () => {
	engine = createFixtureEngine();
	server = await startLocalServer((request, response) => {
		const after = Number(new URL(request.url, server.url).searchParams.get('after'));
		sendJson(response, 200, events.filter((event) => event.id > after));
	});
	credential = {
		id: 'poll-cred',
		name: 'Poll',
		type: 'fixtureGenericApi',
		data: { baseUrl: server.url, apiKey: 'k' },
	};
});

beforeEach(() => {
	events = [{ id: 1 }, { id: 2 }];
	server.hits.length = 0;
});

afterAll(async () => {
	await server.close();
	await engine.dispose();
});

describe('pollOnce', () => {
	it('keeps the node static data in the caller object across polls', async () => {
		const staticData: IDataObject = {};
		const poll = async () => await engine.pollOnce({ node, staticData, credentials: [credential] });

		expect(await poll()).toEqual([[{ json: { id: 1 } }, { json: { id: 2 } }]]);
		expect(staticData).toEqual({ 'node:Poll': { cursor: 2 } });

		expect(await poll()).toBeNull();

		events.push({ id: 3 });
		expect(await poll()).toEqual([[{ json: { id: 3 } }]]);
		expect(staticData).toEqual({ 'node:Poll': { cursor: 3 } });
		expect(server.hits.map((hit) => hit.url)).toEqual([
			'/events?after=0&tenant=main',
			'/events?after=2&tenant=main',
			'/events?after=2&tenant=main',
		]);
	});

	it('replays from an older copy of the static data, as after a restart', async () => {
		const staticData: IDataObject = {};
		await engine.pollOnce({ node, staticData, credentials: [credential] });
		const beforeRestart = structuredClone(staticData);
		events.push({ id: 3 });
		await engine.pollOnce({ node, staticData, credentials: [credential] });

		const restored = structuredClone(beforeRestart);
		const replay = await engine.pollOnce({ node, staticData: restored, credentials: [credential] });

		expect(replay).toEqual([[{ json: { id: 3 } }]]);
	});

	it("runs in 'manual' mode as Fetch Test Event: a sample, cursor untouched", async () => {
		const staticData: IDataObject = { 'node:Poll': { cursor: 2 } };

		const sample = await engine.pollOnce({
			node,
			staticData,
			mode: 'manual',
			credentials: [credential],
		});

		expect(sample).toEqual([[{ json: { id: 2 } }]]);
		expect(staticData).toEqual({ 'node:Poll': { cursor: 2 } });
	});

	it('throws what poll() throws', async () => {
		await expect(
			engine.pollOnce({
				node,
				credentials: [{ ...credential, id: 'down', data: { baseUrl: 'http://127.0.0.1:9' } }],
			}),
		).rejects.toThrow(/ECONNREFUSED|refused/i);
	});
});
