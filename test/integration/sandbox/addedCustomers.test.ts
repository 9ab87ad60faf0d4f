/** Customers created at run time (state.addCustomers), e.g. for "only customers created since the last run". */
import { startSandbox, RunningSandbox, SandboxCustomer } from '../../sandbox';
import { apiClient, json, parseCsv, waitForTask } from './sandboxClient';

const BASE = 1200;
let sandbox: RunningSandbox;
const posOf = (brand: string) => sandbox.state.pointsOfSale.filter((pos) => pos.brand === brand).map((pos) => pos.posCode);

beforeEach(async () => {
	sandbox = await startSandbox({ customers: BASE, exportDurationMs: 0 });
});
afterEach(() => sandbox.stop());

async function exportIds(brand: string, filters: Record<string, unknown>, account: 'main' | 'limited' = 'main'): Promise<number[]> {
	const client = apiClient(sandbox, sandbox.accounts[account]);
	const created = await client.post(`/customer/${brand}/export`, { downloadRequestId: `added-${Math.random()}`, posCodes: posOf(brand), ...filters });
	expect(created.status).toBe(200);
	const task = await waitForTask(sandbox, client, json(created).asyncTaskId);
	return parseCsv(String((await client.get(task.downloadUrl!)).data)).map((row) => Number(row.boosterCustomerId));
}

async function slim(brand: string, params: Record<string, unknown>, account: 'main' | 'limited' = 'main') {
	const response = await apiClient(sandbox, sandbox.accounts[account]).get(`/customer/${brand}/slim`, { params: { posCodes: posOf(brand).join(','), items: 1000, ...params } });
	expect(response.status).toBe(200);
	return json(response);
}

describe('state.addCustomers', () => {
	it('appends customers with the next ids, on the brand\'s first POS by default, created at the given instant', () => {
		const ids = sandbox.state.addCustomers(3, { brand: 'car', creationDate: '2026-03-01T10:15:00+01:00' });
		expect(ids).toEqual([1000001 + BASE, 1000002 + BASE, 1000003 + BASE]);
		expect(sandbox.state.dataset.size).toBe(BASE + 3);
		for (const id of ids) {
			const customer = sandbox.state.dataset.customerById(id)!;
			expect(customer).toMatchObject({ boosterCustomerId: id, brand: 'CAR', posCode: posOf('CAR')[0], creationDate: '2026-03-01T09:15:00.000Z', currencyCode: 'CHF' });
			expect(customer.transactions.every((t) => t.date >= customer.creationDate)).toBe(true);
		}
		const more = sandbox.state.addCustomers(2, { posCode: posOf('IWC')[2].toLowerCase(), creationDate: new Date(Date.UTC(2026, 0, 5)) });
		expect(more).toEqual([1000004 + BASE, 1000005 + BASE]);
		expect(sandbox.state.dataset.customerById(more[1])).toMatchObject({ brand: 'IWC', posCode: posOf('IWC')[2], creationDate: '2026-01-05T00:00:00.000Z' });
		expect(sandbox.state.dataset.customerById(1000006 + BASE)).toBeNull();
		expect(sandbox.state.addCustomers(0, { brand: 'CAR' })).toEqual([]);
	});

	it('generates the other fields from the seed and index, like a customer of a bigger dataset', async () => {
		const bigger = await startSandbox({ customers: BASE + 4 });
		try {
			const ids = sandbox.state.addCustomers(4, { brand: 'JLC', creationDate: '2025-09-01T00:00:00Z' });
			const independent = ['sapId', 'firstName', 'lastName', 'email', 'gender', 'birthDate', 'customerStatus', 'hasSapCrmError', 'interests', 'hobbies', 'productCollections', 'productCategories'] as const;
			const pick = (customer: SandboxCustomer) => ({ ...Object.fromEntries(independent.map((key) => [key, customer[key]])), transactionCount: customer.transactions.length });
			for (const id of ids) expect(pick(sandbox.state.dataset.customerById(id)!)).toEqual(pick(bigger.state.dataset.customerById(id)!));
			// Two customers added alike are still different people.
			expect(sandbox.state.dataset.customerById(ids[0])!.email).not.toBe(sandbox.state.dataset.customerById(ids[1])!.email);
		} finally {
			await bigger.stop();
		}
	});

	it('defaults creationDate to the sandbox clock', () => {
		sandbox.state.advanceClock(86400000);
		const before = sandbox.state.now();
		const [id] = sandbox.state.addCustomers(1, { brand: 'VCA' });
		const created = Date.parse(sandbox.state.dataset.customerById(id)!.creationDate);
		expect(created).toBeGreaterThanOrEqual(before);
		expect(created).toBeLessThanOrEqual(sandbox.state.now());
		expect(created).toBeGreaterThan(Date.now() + 86400000 - 60000);
	});

	it.each([
		['no brand nor POS', () => sandbox.state.addCustomers(1, {}), /brand/],
		['an unknown brand', () => sandbox.state.addCustomers(1, { brand: 'XYZ' }), /unknown brand/],
		['a POS of another brand', () => sandbox.state.addCustomers(1, { brand: 'CAR', posCode: posOf('IWC')[0] }), /not a POS of brand/],
		['an unknown POS', () => sandbox.state.addCustomers(1, { posCode: 'ZZ100:1' }), /unknown POS/],
		['an invalid creationDate', () => sandbox.state.addCustomers(1, { brand: 'CAR', creationDate: 'yesterday' }), /creationDate/],
		['a negative count', () => sandbox.state.addCustomers(-1, { brand: 'CAR' }), /count/],
	])('refuses %s and adds nothing', (_label, call, message) => {
		expect(call).toThrow(message);
		expect(sandbox.state.dataset.size).toBe(BASE);
	});
});

describe('added customers are visible everywhere', () => {
	it('GET /customer/{id} (JSON and XML), KPI, and 403 for an account that may not see their POS', async () => {
		const limitedPos = sandbox.accounts.limited.posCodes!;
		const hiddenPos = posOf('CAR').find((code) => !limitedPos.includes(code))!;
		const [visibleId] = sandbox.state.addCustomers(1, { brand: 'CAR', posCode: limitedPos[1], creationDate: '2026-02-02T08:00:00Z' });
		const [hiddenId] = sandbox.state.addCustomers(1, { brand: 'CAR', posCode: hiddenPos, creationDate: '2026-02-02T08:00:00Z' });
		const main = apiClient(sandbox, sandbox.accounts.main);
		const detail = await main.get(`/customer/${visibleId}`);
		expect(detail.status).toBe(200);
		expect(json(detail)).toMatchObject({ id: visibleId, brand: 'CAR', registrationDate: `/Date(${Date.UTC(2026, 1, 2, 8)}-0000)/` });
		const xml = String((await main.get(`/customer/${visibleId}`, { headers: { Accept: 'application/xml' } })).data);
		expect(xml).toContain(`<id>${visibleId}</id>`);
		expect(xml).toContain('<registrationDate>2026-02-02T08:00:00Z</registrationDate>');
		const kpi = await main.get(`/customer/${visibleId}/kpi`);
		expect(kpi.status).toBe(200);
		expect(json(kpi)).toEqual(sandbox.state.computeKpi(sandbox.state.dataset.customerById(visibleId)!));
		const limited = apiClient(sandbox, sandbox.accounts.limited);
		expect((await limited.get(`/customer/${visibleId}`)).status).toBe(200);
		expect((await limited.get(`/customer/${hiddenId}`)).status).toBe(403);
		expect((await limited.get(`/customer/${hiddenId}/kpi`)).status).toBe(403);
	});

	it('"created since the last run": slim and export with creationDateFrom = the last run select exactly the new customers', async () => {
		const lastRun = new Date(sandbox.state.now()).toISOString();
		expect(await exportIds('CAR', { creationDateFrom: lastRun })).toEqual([]);
		expect((await slim('CAR', { creationDateFrom: lastRun })).totalResults).toBe(0);
		sandbox.state.advanceClock(60000);
		const newIds = [...sandbox.state.addCustomers(2, { brand: 'CAR' }), ...sandbox.state.addCustomers(1, { brand: 'CAR', posCode: posOf('CAR')[3] })];
		sandbox.state.addCustomers(1, { brand: 'IWC' }); // another brand: not in a CAR export
		sandbox.state.addCustomers(1, { brand: 'CAR', creationDate: '2020-01-01T00:00:00Z' }); // created before the last run
		expect((await exportIds('CAR', { creationDateFrom: lastRun })).sort()).toEqual(newIds);
		const body = await slim('CAR', { creationDateFrom: lastRun, sortBy: 'RegDESC' });
		expect(body.totalResults).toBe(3);
		expect(body.elements.map((element: { boosterCustomerId: number }) => element.boosterCustomerId).sort()).toEqual(newIds);
		// The next run, after the clock moved on, finds nothing new.
		const nextRun = new Date(sandbox.state.now() + 1).toISOString();
		expect(await exportIds('CAR', { creationDateFrom: nextRun })).toEqual([]);
	});

	it('counts in totals, paging, the other filters, and the export file columns', async () => {
		const carBefore = sandbox.state.dataset.countOfBrand('CAR');
		const totalBefore = (await slim('CAR', { noCount: false, items: 1 })).totalResults;
		expect(totalBefore).toBe(carBefore);
		const ids = sandbox.state.addCustomers(5, { brand: 'CAR', posCode: posOf('CAR')[1], creationDate: '2025-12-24T18:30:00Z' });
		expect(sandbox.state.dataset.countOfBrand('CAR')).toBe(carBefore + 5);
		expect((await slim('CAR', { items: 1 })).totalResults).toBe(carBefore + 5);
		expect([...sandbox.state.dataset.customersOfBrand('CAR')].slice(-5).map((c) => c.boosterCustomerId)).toEqual(ids);
		expect([...sandbox.state.dataset.allCustomers()]).toHaveLength(BASE + 5);
		// boosterCustomerIds, posCodes and searchKey find them; their rows carry the generated fields.
		expect((await slim('CAR', { boosterCustomerIds: ids.join(','), posCodes: posOf('CAR')[1] })).totalResults).toBe(5);
		const added = sandbox.state.dataset.customerById(ids[2])!;
		expect((await slim('CAR', { searchKey: added.email })).elements.map((e: { boosterCustomerId: number }) => e.boosterCustomerId)).toEqual([ids[2]]);
		const client = apiClient(sandbox, sandbox.accounts.main);
		const created = json(await client.post('/customer/CAR/export', { downloadRequestId: 'added-columns', posCodes: posOf('CAR'), boosterCustomerIds: ids }));
		const task = await waitForTask(sandbox, client, created.asyncTaskId);
		const rows = parseCsv(String((await client.get(task.downloadUrl!)).data));
		expect(rows.map((row) => Number(row.boosterCustomerId))).toEqual(ids);
		expect(rows[2]).toMatchObject({ email: added.email, posCode: posOf('CAR')[1], creationDate: '2025-12-24T18:30:00.000Z', totalTransaction: String(added.transactions.length) });
		// Consent defaults exist for them too, and UpdateConsents works on them.
		expect(sandbox.state.consentsOf(ids[0])).not.toBeNull();
		expect((await client.patch(`/customer/${ids[0]}/updateConsents?contactByEmailFlag=false&contactByMailFlag=false&contactByPhoneFlag=false&contactBySMSFlag=false&contactBySocialMediaFlag=false`)).status).toBe(200);
		expect(sandbox.state.dataset.customerById(ids[0])!.canBeContactedByMaison).toBe(false);
	});

	it('an export requested before customers are added does not include them', async () => {
		sandbox.state.setConfig({ exportDurationMs: 100000 });
		const client = apiClient(sandbox, sandbox.accounts.main);
		const created = json(await client.post('/customer/MTB/export', { downloadRequestId: 'before-add', posCodes: posOf('MTB') }));
		const added = sandbox.state.addCustomers(2, { brand: 'MTB' });
		const task = await waitForTask(sandbox, client, created.asyncTaskId);
		const exported = parseCsv(String((await client.get(task.downloadUrl!)).data)).map((row) => Number(row.boosterCustomerId));
		expect(exported).toHaveLength(sandbox.state.dataset.countOfBrand('MTB') - 2);
		expect(exported).not.toContain(added[0]);
	});

	it('POST /__sandbox/customers adds them from outside the process', async () => {
		const response = await apiClient(sandbox).post('/__sandbox/customers', { count: 2, brand: 'VCA', creationDate: '2026-04-01T00:00:00Z' });
		expect(response.status).toBe(200);
		expect(json(response)).toEqual({ boosterCustomerIds: [1000001 + BASE, 1000002 + BASE] });
		expect(sandbox.state.dataset.customerById(1000002 + BASE)).toMatchObject({ brand: 'VCA', creationDate: '2026-04-01T00:00:00.000Z' });
		const refused = await apiClient(sandbox).post('/__sandbox/customers', { count: 1, brand: 'NOPE' });
		expect(refused.status).toBe(400);
		expect(json(refused).error).toContain('unknown brand');
	});
});
