import { type N8nTestEngine, type StoredCredential } from '../../helpers/n8n-engine';
import { startLocalServer, sendJson, type LocalServer } from '../../helpers/local-server';
import { FIXTURE_HTTP, createFixtureEngine } from '../../helpers/fixtures/engine';


let engine: N8nTestEngine;
let server: LocalServer;
let credentials: StoredCredential[];

beforeAll(async () => {
	engine = createFixtureEngine();
	server = await startLocalServer((request, response) => {
		if (request.headers.authorization !== 'Key fn') return sendJson(response, 401, {});
		sendJson(response, 200, ['red', 'green', 'blue', 'amber', 'grey']);
	});
	credentials = [
		{ id: 'fn', name: 'Fn', type: 'fixtureFunctionApi', data: { baseUrl: server.url, apiKey: 'fn' } },
	];
});

afterAll(async () => {
	await server.close();
	await engine.dispose();
});

describe('loadOptions', () => {
	it('calls methods.loadOptions with the node parameters and credentials', async () => {
		const options = await engine.loadOptions({
			nodeType: FIXTURE_HTTP,
			methodName: 'getColors',
			parameters: { authentication: 'function' },
			credentials,
		});

		expect(options.map((option) => option.value)).toEqual(['red', 'green', 'blue', 'amber', 'grey']);
		expect(options[0]).toEqual({ name: 'RED', value: 'red' });
		expect(server.hits.at(-1)?.url).toBe('/colors');
	});

	it('fails as the node fails when the API rejects the credential', async () => {
		await expect(
			engine.loadOptions({
				nodeType: FIXTURE_HTTP,
				methodName: 'getColors',
				parameters: { authentication: 'function' },
				credentials: [{ ...credentials[0], id: 'bad', data: { baseUrl: server.url, apiKey: 'x' } }],
			}),
		).rejects.toThrow(/Authorization failed/);
	});
});

describe('listSearch', () => {
	it('passes filter and pagination token to methods.listSearch', async () => {
		const search = { nodeType: FIXTURE_HTTP, methodName: 'searchColors', credentials };
		const parameters = { authentication: 'function' };

		const first = await engine.listSearch({ ...search, parameters, filter: 'r' });
		const second = await engine.listSearch({
			...search,
			parameters,
			filter: 'r',
			paginationToken: first.paginationToken as string,
		});

		expect(first).toEqual({
			results: [
				{ name: 'red', value: 'red' },
				{ name: 'green', value: 'green' },
			],
			paginationToken: '2',
		});
		expect(second).toEqual({
			results: [
				{ name: 'amber', value: 'amber' },
				{ name: 'grey', value: 'grey' },
			],
			paginationToken: undefined,
		});
	});
});
