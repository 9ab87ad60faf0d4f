import { startSandbox, RunningSandbox } from '../../sandbox';
import { apiClient, json } from './sandboxClient';

let sandbox: RunningSandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ customers: 500 });
});
afterAll(() => sandbox.stop());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('authentication', () => {
	it('accepts the API key as Bearer and as Basic user name with empty password', async () => {
		const { main } = sandbox.accounts;
		expect((await apiClient(sandbox, main).get('/auth')).status).toBe(200);
		const response = await apiClient(sandbox, undefined, { Authorization: basic(main.apiKey, '') }).get('/auth');
		expect(json(response).userName).toBe(main.userName);
	});

	it('accepts HTTP Basic user name and password', async () => {
		const { limited } = sandbox.accounts;
		const response = await apiClient(sandbox, undefined, { Authorization: basic(limited.userName, limited.password) }).get('/auth');
		expect(response.status).toBe(200);
		expect(json(response).userName).toBe(limited.userName);
	});

	it('signs in with /auth/credentials (JSON) returning an AuthenticateResponse; bearer token, X-ss-id and ss-id cookie work', async () => {
		const { main } = sandbox.accounts;
		const response = await apiClient(sandbox).post('/auth/credentials', { userName: main.userName, password: main.password, rememberMe: true });
		expect(response.status).toBe(200);
		const body = json(response);
		expect(body).toMatchObject({ userId: '1', userName: main.userName, displayName: main.displayName, roles: [], permissions: [] });
		expect(body.sessionId).toEqual(expect.any(String));
		expect(body.bearerToken.split('.')).toHaveLength(3);
		expect(response.headers['set-cookie']!.join(';')).toContain(`ss-id=${body.sessionId}`);
		expect((await apiClient(sandbox, undefined, { Authorization: `Bearer ${body.bearerToken}` }).get('/tasks')).status).toBe(200);
		expect((await apiClient(sandbox, undefined, { 'X-ss-id': body.sessionId }).get('/tasks')).status).toBe(200);
		expect((await apiClient(sandbox, undefined, { Cookie: `ss-id=${body.sessionId}` }).get('/tasks')).status).toBe(200);
		expect((await apiClient(sandbox).post('/auth/credentials.json', { userName: main.userName, password: main.password })).status).toBe(200);
	});

	it('signs in with an XML Authenticate body and answers XML', async () => {
		const { limited } = sandbox.accounts;
		const xml = `<Authenticate xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.servicestack.net/types"><UserName>${limited.userName}</UserName><Password>${limited.password}</Password><RememberMe>true</RememberMe></Authenticate>`;
		const response = await apiClient(sandbox).post('/auth/credentials', xml, { headers: { 'Content-Type': 'application/xml', Accept: 'application/xml' } });
		expect(response.status).toBe(200);
		expect(String(response.data)).toMatch(/^<AuthenticateResponse xmlns:i="[^"]+" xmlns="http:\/\/schemas.servicestack.net\/types"><UserId>2<\/UserId><SessionId>[^<]+<\/SessionId><UserName>boutique.manager@sandbox.booster<\/UserName>/);
	});

	it('expires bearer tokens after tokenTtlSeconds (1 s) with TokenException', async () => {
		sandbox.state.setConfig({ tokenTtlSeconds: 1 });
		try {
			const { main } = sandbox.accounts;
			const token = json(await apiClient(sandbox).post('/auth/credentials', { userName: main.userName, password: main.password })).bearerToken;
			const client = apiClient(sandbox, undefined, { Authorization: `Bearer ${token}` });
			expect((await client.get('/tasks')).status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 1100));
			const expired = await client.get('/tasks');
			expect(expired.status).toBe(401);
			expect(json(expired).responseStatus).toMatchObject({ errorCode: 'TokenException', message: 'Token has expired' });
		} finally {
			sandbox.state.setConfig({ tokenTtlSeconds: 3600 });
		}
	});

	it('rejects a tampered token', async () => {
		const { main } = sandbox.accounts;
		const token: string = json(await apiClient(sandbox).post('/auth/credentials', { userName: main.userName, password: main.password })).bearerToken;
		const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
		const response = await apiClient(sandbox, undefined, { Authorization: `Bearer ${tampered}` }).get('/tasks');
		expect(response.status).toBe(401);
		expect(json(response).responseStatus.errorCode).toBe('TokenException');
	});

	it.each([
		['no credentials', {}, 'Not Authenticated'],
		['a wrong API key', { Authorization: 'Bearer nope' }, 'Invalid API Key'],
		['a wrong password', { Authorization: basic('marketing.ops@sandbox.booster', 'wrong') }, 'Invalid UserName or Password'],
		['an unknown session', { 'X-ss-id': 'nope' }, 'Session has expired or is invalid'],
	])('answers 401 Unauthorized for %s', async (_label, headers, message) => {
		const response = await apiClient(sandbox, undefined, headers as Record<string, string>).get('/tasks');
		expect(response.status).toBe(401);
		expect(json(response)).toEqual({ responseStatus: { errorCode: 'Unauthorized', message, errors: [] } });
	});

	it('answers 401 for wrong credentials on /auth/credentials, in XML too', async () => {
		const response = await apiClient(sandbox).post('/auth/credentials', { userName: 'x', password: 'y' }, { headers: { Accept: 'application/xml' } });
		expect(response.status).toBe(401);
		expect(String(response.data)).toContain('<ErrorCode>Unauthorized</ErrorCode><Message>Invalid UserName or Password</Message>');
	});
});

describe('authorization', () => {
	it('answers 403 naming the brand PAN for both accounts', async () => {
		for (const account of [sandbox.accounts.main, sandbox.accounts.limited]) {
			const response = await apiClient(sandbox, account).post('/customer/PAN/export', { downloadRequestId: 'pan', posCodes: ['IT100:100661'] });
			expect(response.status).toBe(403);
			expect(json(response).responseStatus).toMatchObject({ errorCode: 'Forbidden' });
			expect(json(response).responseStatus.message).toContain("'PAN'");
		}
	});

	it('answers 403 naming a POS the limited account may not see', async () => {
		const hidden = sandbox.state.pointsOfSale.find((pos) => pos.brand === 'CAR' && !sandbox.accounts.limited.posCodes!.includes(pos.posCode))!;
		const response = await apiClient(sandbox, sandbox.accounts.limited).post('/customer/CAR/export', { downloadRequestId: 'hidden', posCodes: [hidden.posCode] });
		expect(response.status).toBe(403);
		expect(json(response).responseStatus.message).toContain(hidden.posCode);
		const customer = [...sandbox.state.dataset.customersOfBrand('CAR')].find((candidate) => candidate.posCode === hidden.posCode)!;
		expect((await apiClient(sandbox, sandbox.accounts.limited).get(`/customer/${customer.boosterCustomerId}/kpi`)).status).toBe(403);
	});
});
