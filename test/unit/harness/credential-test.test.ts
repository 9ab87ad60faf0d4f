import { type N8nTestEngine } from '../../helpers/n8n-engine';
import { startLocalServer, sendJson, type LocalServer } from '../../helpers/local-server';
import { createFixtureEngine } from '../../helpers/fixtures/engine';

let engine: N8nTestEngine;
let server: LocalServer;

beforeAll(async () => {
	engine = createFixtureEngine();
	server = await startLocalServer((request, response) => {
		if (request.url === '/token') {
			const { password } = JSON.parse(request.body) as { password: string };
			return password === 'right'
				? sendJson(response, 200, { token: 'fresh' })
				: sendJson(response, 403, { message: 'bad login' });
		}
		const key = request.headers['x-api-key'];
		const bearer = request.headers.authorization;
		if (key === 'teapot') return sendJson(response, 418, {});
		if (key === 'locked') return sendJson(response, 200, { account: { status: 'locked' } });
		if (key === 'good' || bearer === 'Bearer fresh') {
			return sendJson(response, 200, { account: { status: 'active' } });
		}
		sendJson(response, 401, { message: 'unauthorized' });
	});
});

beforeEach(() => {
	server.hits.length = 0;
});

afterAll(async () => {
	await server.close();
	await engine.dispose();
});

const generic = (apiKey: string) => ({
	credentialType: 'fixtureGenericApi',
	data: { baseUrl: server.url, apiKey },
});

describe('testCredential (n8n CredentialsTester semantics)', () => {
	it('is OK when the test request succeeds', async () => {
		expect(await engine.testCredential(generic('good'))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(server.hits[0]).toMatchObject({ url: '/whoami?tenant=main' });
		expect(server.hits[0].headers['x-api-key']).toBe('good');
	});

	it('returns the message of a matching responseCode rule', async () => {
		expect(await engine.testCredential(generic('wrong'))).toEqual({
			status: 'Error',
			message: 'The API key was rejected',
		});
	});

	it('returns the status text when no rule matches the status', async () => {
		expect(await engine.testCredential(generic('teapot'))).toEqual({
			status: 'Error',
			message: "I'm a Teapot",
		});
	});

	it('returns the message of a matching responseSuccessBody rule', async () => {
		expect(await engine.testCredential(generic('locked'))).toEqual({
			status: 'Error',
			message: 'The account is locked',
		});
	});

	it('reports a connection error by its code', async () => {
		const result = await engine.testCredential({
			credentialType: 'fixtureGenericApi',
			data: { baseUrl: 'http://127.0.0.1:9', apiKey: 'good' },
		});
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it('runs preAuthentication first and saves the token to the tested credential', async () => {
		const result = await engine.testCredential({
			credentialType: 'fixtureTokenApi',
			id: 'token-cred',
			data: { baseUrl: server.url, username: 'u', password: 'right' },
		});

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(server.hits.map((hit) => hit.url)).toEqual(['/token', '/whoami']);
		expect(engine.credentials.get('token-cred')?.data.sessionToken).toBe('fresh');
	});

	it('fails with the token endpoint status text when preAuthentication fails', async () => {
		const result = await engine.testCredential({
			credentialType: 'fixtureTokenApi',
			data: { baseUrl: server.url, username: 'u', password: 'wrong' },
		});

		expect(result).toEqual({ status: 'Error', message: 'Forbidden' });
		expect(server.hits.map((hit) => hit.url)).toEqual(['/token']);
	});

	it('says so when the credential type has no test', async () => {
		expect(
			await engine.testCredential({ credentialType: 'fixtureFunctionApi', data: { apiKey: 'x' } }),
		).toEqual({ status: 'Error', message: 'No testing function found for this credential.' });
	});
});
