import { type N8nTestEngine, type StoredCredential } from '../../helpers/n8n-engine';
import { startLocalServer, sendJson, type LocalServer } from '../../helpers/local-server';
import { FIXTURE_HTTP, createFixtureEngine } from '../../helpers/fixtures/engine';


let engine: N8nTestEngine;
let server: LocalServer;
let validTokens: Set<string>;
let issuedTokens: number;
let rejectAllTokens: boolean;

beforeAll(async () => {
	engine = createFixtureEngine();
	server = await startLocalServer((request, response) => {
		if (request.url === '/token') {
			const token = `token-${++issuedTokens}`;
			validTokens.add(token);
			return sendJson(response, 200, { token });
		}
		const bearer = String(request.headers.authorization ?? '').replace('Bearer ', '');
		const isBearer = request.headers.authorization?.startsWith('Bearer ') === true;
		if (isBearer && (rejectAllTokens || !validTokens.has(bearer))) {
			return sendJson(response, 401, { message: 'session expired' });
		}
		sendJson(response, 200, {
			apiKey: request.headers['x-api-key'] ?? null,
			authorization: request.headers.authorization ?? null,
			url: request.url,
		});
	});
});

beforeEach(() => {
	validTokens = new Set();
	issuedTokens = 0;
	rejectAllTokens = false;
	server.hits.length = 0;
});

afterAll(async () => {
	await server.close();
	await engine.dispose();
});

function credential(type: string, data: StoredCredential['data'], id = type): StoredCredential {
	return { id, name: `${type} account`, type, data: { baseUrl: server.url, ...data } };
}

describe('httpRequestWithAuthentication through the harness credentials helper', () => {
	it('applies a generic authenticate: header and query parameter from $credentials', async () => {
		const { items, error } = await engine.runNode({
			node: { type: FIXTURE_HTTP, parameters: { authentication: 'generic', path: '/items' } },
			credentials: [credential('fixtureGenericApi', { apiKey: 'k-123', tenant: 'eu' })],
		});

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ apiKey: 'k-123', url: '/items?tenant=eu' });
	});

	it('fills credential defaults and resolves expressions in stored data', async () => {
		const { items } = await engine.runNode({
			node: { type: FIXTURE_HTTP, parameters: { authentication: 'generic' } },
			credentials: [credential('fixtureGenericApi', { apiKey: '={{ "k-" + (40 + 2) }}' })],
		});

		expect(items[0].json).toMatchObject({ apiKey: 'k-42', url: '/items?tenant=main' });
	});

	it('applies a function authenticate(credentials, requestOptions)', async () => {
		const { items, error } = await engine.runNode({
			node: { type: FIXTURE_HTTP, parameters: { authentication: 'function' } },
			credentials: [credential('fixtureFunctionApi', { apiKey: 'fn-key' })],
		});

		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ authorization: 'Key fn-key', apiKey: null });
	});

	it('fails the node when the credential is not in the store', async () => {
		const { error, output } = await engine.runNode({
			node: {
				type: FIXTURE_HTTP,
				parameters: { authentication: 'generic' },
				credentials: { fixtureGenericApi: { id: 'missing', name: 'gone' } },
			},
		});

		expect(output).toBeUndefined();
		expect(error?.message).toContain('Credential with ID "missing" does not exist');
	});
});

describe('expirable token (preAuthentication)', () => {
	const tokenNode = { type: FIXTURE_HTTP, parameters: { authentication: 'token' } };

	it('fetches a token before first use, stores it, and reuses it on the next run', async () => {
		const saved = credential('fixtureTokenApi', { username: 'u', password: 'p' }, 'tok-1');

		const first = await engine.runNode({ node: tokenNode, credentials: [saved] });
		expect(first.error).toBeUndefined();
		expect(first.items[0].json.authorization).toBe('Bearer token-1');
		expect(engine.credentials.get('tok-1')?.data.sessionToken).toBe('token-1');

		const reused = await engine.runNode({
			node: { ...tokenNode, credentials: { fixtureTokenApi: { id: 'tok-1', name: 'x' } } },
		});
		expect(reused.items[0].json.authorization).toBe('Bearer token-1');
		expect(server.hits.filter((hit) => hit.url === '/token')).toHaveLength(1);
		expect(engine.credentials.updates.filter((u) => u.id === 'tok-1')).toHaveLength(1);
	});

	it('refreshes exactly once after a 401 and persists the new token', async () => {
		const saved = credential(
			'fixtureTokenApi',
			{ username: 'u', password: 'p', sessionToken: 'stale' },
			'tok-2',
		);

		const { items, error } = await engine.runNode({ node: tokenNode, credentials: [saved] });

		expect(error).toBeUndefined();
		expect(items[0].json.authorization).toBe('Bearer token-1');
		expect(server.hits.map((hit) => `${hit.headers.authorization ?? ''} ${hit.url}`)).toEqual([
			'Bearer stale /items',
			' /token',
			'Bearer token-1 /items',
		]);
		expect(engine.credentials.get('tok-2')?.data).toEqual({
			...saved.data,
			sessionToken: 'token-1',
		});
	});

	it('surfaces the error when the server still answers 401 after the refresh', async () => {
		const saved = credential('fixtureTokenApi', { username: 'u', password: 'p' }, 'tok-3');
		await engine.runNode({ node: tokenNode, credentials: [saved] });
		rejectAllTokens = true;
		server.hits.length = 0;

		const { error, output } = await engine.runNode({
			node: { ...tokenNode, credentials: { fixtureTokenApi: { id: 'tok-3', name: 'x' } } },
		});

		expect(output).toBeUndefined();
		expect(error?.message).toMatch(/Authorization failed/);
		expect(server.hits.map((hit) => hit.url)).toEqual(['/items', '/token', '/items']);
	});
});
