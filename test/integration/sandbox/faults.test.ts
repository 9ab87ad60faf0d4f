import { startSandbox, RunningSandbox } from '../../sandbox';
import { apiClient, json } from './sandboxClient';

let sandbox: RunningSandbox;
beforeEach(async () => {
	sandbox = await startSandbox({ customers: 200 });
});
afterEach(() => sandbox.stop());

const statuses = async (count: number) => {
	const client = apiClient(sandbox, sandbox.accounts.main);
	const results: (number | string)[] = [];
	for (let index = 0; index < count; index++) {
		try {
			results.push((await client.get('/tasks')).status);
		} catch (error) {
			results.push((error as { code?: string }).code ?? 'error');
		}
	}
	return results;
};

describe('fault knobs', () => {
	it('delays responses by latencyMs', async () => {
		sandbox.state.setConfig({ latencyMs: 150 });
		const started = Date.now();
		expect((await apiClient(sandbox, sandbox.accounts.main).get('/tasks')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(150);
	});

	it('injects 429 with Retry-After (set through PUT /__sandbox/config)', async () => {
		const config = await apiClient(sandbox).put('/__sandbox/config', { faults: { rate429: 1 }, retryAfterSeconds: 7 });
		expect(json(config).faults.rate429).toBe(1);
		const response = await apiClient(sandbox, sandbox.accounts.main).get('/tasks');
		expect(response.status).toBe(429);
		expect(response.headers['retry-after']).toBe('7');
		expect(json(response).responseStatus.errorCode).toBe('TooManyRequests');
	});

	it.each([[500], [503]])('injects %s', async (status) => {
		sandbox.state.setConfig({ faults: { [`rate${status}`]: 1 } });
		expect((await apiClient(sandbox, sandbox.accounts.main).get('/tasks')).status).toBe(status);
	});

	it('resets connections', async () => {
		sandbox.state.setConfig({ faults: { resetRate: 1 } });
		await expect(apiClient(sandbox, sandbox.accounts.main).get('/tasks')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/) });
		expect(json(await apiClient(sandbox).get('/__sandbox/counters')).faults.reset).toBe(1);
	});

	it('repeats the same fault sequence for the same fault seed', async () => {
		sandbox.state.setConfig({ faults: { rate500: 0.3, rate503: 0.2, seed: 9 } });
		const first = await statuses(30);
		sandbox.state.setConfig({ faults: { seed: 9 } });
		const second = await statuses(30);
		expect(second).toEqual(first);
		expect(new Set(first)).toEqual(new Set([200, 500, 503]));
	});

	it('answers 429 with Retry-After above maxInFlight and counts the maximum observed', async () => {
		sandbox.state.setConfig({ maxInFlight: 2, latencyMs: 300 });
		const client = apiClient(sandbox, sandbox.accounts.main);
		const responses = await Promise.all(Array.from({ length: 6 }, () => client.get('/tasks')));
		const rejected = responses.filter((response) => response.status === 429);
		expect(responses.filter((response) => response.status === 200).length).toBeLessThanOrEqual(2);
		expect(rejected.length).toBeGreaterThanOrEqual(4);
		expect(rejected[0].headers['retry-after']).toBe('1');
		const counters = json(await apiClient(sandbox).get('/__sandbox/counters'));
		expect(counters.maxInFlightObserved).toBeGreaterThan(2);
		expect(counters.faults.maxInFlight429).toBe(rejected.length);
	});
});

describe('counters and request log', () => {
	it('counts requests per route and status, and does not count /__sandbox calls', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		await client.get('/tasks');
		await client.get('/tasks');
		await apiClient(sandbox).get('/tasks');
		const counters = json(await apiClient(sandbox).get('/__sandbox/counters'));
		expect(counters.byRoute['GET /tasks']).toBe(3);
		expect(counters.byStatus).toEqual({ 200: 2, 401: 1 });
		expect(counters.total).toBe(3);
	});

	it('logs method, path, query, body, masked headers and status; DELETE resets it', async () => {
		await apiClient(sandbox, sandbox.accounts.main).post('/customer/CAR/export?x=1', { downloadRequestId: 'log', posCodes: [] });
		await apiClient(sandbox, undefined, { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }).get('/tasks');
		const entries = json(await apiClient(sandbox).get('/__sandbox/requests'));
		expect(entries).toHaveLength(2);
		expect(entries[0]).toMatchObject({ method: 'POST', path: '/customer/CAR/export', query: { x: '1' }, status: 400, authLeak: false });
		expect(JSON.parse(entries[0].body)).toEqual({ downloadRequestId: 'log', posCodes: [] });
		expect(entries[0].headers.authorization).toBe('Bearer ***');
		expect(entries[1].headers.authorization).toBe('Basic ***');
		expect(JSON.stringify(entries)).not.toContain(sandbox.accounts.main.apiKey);
		await apiClient(sandbox).delete('/__sandbox/requests');
		expect(json(await apiClient(sandbox).get('/__sandbox/requests'))).toEqual([]);
	});

	it('rejects unknown or start-only knobs at run time', async () => {
		expect((await apiClient(sandbox).put('/__sandbox/config', { nope: 1 })).status).toBe(400);
		expect((await apiClient(sandbox).put('/__sandbox/config', { customers: 5 })).status).toBe(400);
	});
});
