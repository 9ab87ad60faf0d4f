import { startSandbox, RunningSandbox, SandboxCustomer } from '../../sandbox';
import { apiClient, json, parseCsv, waitForTask } from './sandboxClient';

let sandbox: RunningSandbox;
let carPos: string[];
let carCustomers: SandboxCustomer[];

beforeAll(async () => {
	sandbox = await startSandbox({ customers: 4000, exportDurationMs: 1000, signedUrlTtlSeconds: 60 });
	carPos = sandbox.state.pointsOfSale.filter((pos) => pos.brand === 'CAR').map((pos) => pos.posCode);
	carCustomers = [...sandbox.state.dataset.customersOfBrand('CAR')];
});
afterAll(() => sandbox.stop());

let requestNumber = 0;
async function exportIds(filters: Record<string, unknown>): Promise<{ ids: number[]; rows: Record<string, string>[] }> {
	const client = apiClient(sandbox, sandbox.accounts.main);
	const created = await client.post('/customer/CAR/export', { downloadRequestId: `filters-${++requestNumber}`, posCodes: carPos, ...filters });
	expect(created.status).toBe(200);
	const task = await waitForTask(sandbox, client, json(created).asyncTaskId);
	expect(task.status).toBe('COM');
	const rows = parseCsv(String((await client.get(task.downloadUrl!)).data));
	expect(task.totalResults).toBe(rows.length);
	return { ids: rows.map((row) => Number(row.boosterCustomerId)).sort(), rows };
}

const spending = (customer: SandboxCustomer) =>
	Math.round(customer.transactions.reduce((sum, t) => sum + (t.type === 'sale' ? 1 : -1) * Math.round(t.amount * 100), 0)) / 100;
const at = (iso: string) => Date.parse(iso);
const expectIds = (predicate: (customer: SandboxCustomer) => boolean) => carCustomers.filter(predicate).map((customer) => customer.boosterCustomerId).sort();

describe('export filters, checked by brute force over the dataset', () => {
	const cases: [string, () => Record<string, unknown>, () => (customer: SandboxCustomer) => boolean][] = [
		['posCodes (any-of)', () => ({ posCodes: carPos.slice(0, 2) }), () => (c) => carPos.slice(0, 2).includes(c.posCode)],
		['locationCountryIds', () => ({ locationCountryIds: ['fr', 'JP'] }), () => (c) => ['fr', 'jp'].includes(c.locationCountryId)],
		['clientSpending range on totalSpendingAmount', () => ({ clientSpendingFrom: 5000, clientSpendingTo: 20000 }), () => (c) => spending(c) >= 5000 && spending(c) <= 20000],
		// Date bounds are instants, inclusive: a date alone is midnight UTC, /Date(ms)/ is ms, a zoned bound is that instant.
		['creationDate range, inclusive instants', () => ({ creationDateFrom: '2019-03-01', creationDateTo: '/Date(1577750400000)/' }), () => (c) => at(c.creationDate) >= Date.UTC(2019, 2, 1) && at(c.creationDate) <= 1577750400000],
		['a zoned bound is that instant', () => ({ creationDateFrom: '2020-01-01T23:00:00-05:00' }), () => (c) => at(c.creationDate) >= Date.UTC(2020, 0, 2, 4)],
		['transactionDate range', () => ({ transactionDateFrom: '2023-01-01', transactionDateTo: '2023-06-30T00:00:00' }), () => (c) => c.transactions.some((t) => at(t.date) >= Date.UTC(2023, 0, 1) && at(t.date) <= Date.UTC(2023, 5, 30))],
		['canBeContactedByMaison', () => ({ canBeContactedByMaison: false }), () => (c) => !c.canBeContactedByMaison],
		['birthdateMonths', () => ({ birthdateMonths: [1, 12] }), () => (c) => c.birthDate !== null && ['01', '12'].includes(c.birthDate.slice(5, 7))],
		['interests by sapInterestId', () => ({ interests: [{ interest: 'whatever', sapInterestId: 'CA-1' }] }), () => (c) => c.interests.some((i) => i.sapInterestId === 'CA-1')],
		['hobbies by sapHobbyId', () => ({ hobbies: [{ sapHobbyId: 'GLF' }, { sapHobbyId: 'TEN' }] }), () => (c) => c.hobbies.some((h) => ['GLF', 'TEN'].includes(h.sapHobbyId))],
		['productCollections by id', () => ({ productCollections: [{ productCollection: 'x', sapProductCollectionId: 'PC-2' }] }), () => (c) => c.productCollections.some((p) => p.sapProductCollectionId === 'PC-2')],
		['productCategories by the ids given', () => ({ productCategories: [{ grandCategoryId: 'WAT', masterCategoryId: 'WAT-M' }] }), () => (c) => c.productCategories.some((p) => p.grandCategoryId === 'WAT' && p.masterCategoryId === 'WAT-M')],
		['customerStatus', () => ({ customerStatus: ['Prospect'] }), () => (c) => c.customerStatus === 'Prospect'],
		['hasSapCrmError', () => ({ hasSapCrmError: true }), () => (c) => c.hasSapCrmError],
		['boosterCustomerIds', () => ({ boosterCustomerIds: carCustomers.slice(0, 3).map((c) => c.boosterCustomerId) }), () => (c) => carCustomers.slice(0, 3).includes(c)],
		['saleRepresentativeEmails', () => ({ saleRepresentativeEmails: carCustomers[0].saleRepresentativeEmails.slice(0, 1) }), () => (c) => c.saleRepresentativeEmails.includes(carCustomers[0].saleRepresentativeEmails[0])],
		['email exact', () => ({ email: carCustomers[5].email.toUpperCase() }), () => (c) => c === carCustomers[5]],
		['phoneNumber exact', () => ({ phoneNumber: carCustomers[6].phone }), () => (c) => c.phone === carCustomers[6].phone],
		['searchKey on name', () => ({ searchKey: 'müller' }), () => (c) => `${c.firstName} ${c.lastName}`.toLowerCase().includes('müller') || c.email.includes('müller')],
		['searchKey on sapId', () => ({ searchKey: carCustomers[7].sapId }), () => (c) => c.sapId === carCustomers[7].sapId || c.phoneNumber.includes(carCustomers[7].sapId)],
		['searchKey on boosterCustomerId', () => ({ searchKey: String(carCustomers[8].boosterCustomerId) }), () => (c) => c === carCustomers[8] || c.phoneNumber.includes(String(carCustomers[8].boosterCustomerId))],
	];

	it.each(cases)('%s', async (_label, filters, predicate) => {
		const expected = expectIds(predicate());
		const { ids } = await exportIds(filters());
		expect(ids).toEqual(expected);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(carCustomers.length);
	});

	it('applies the same filters to /slim from the query string (JSV object lists)', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).get('/customer/CAR/slim', {
			params: { posCodes: `[${carPos.join(',')}]`, interests: '[{interest:Art,sapInterestId:CA-1}]', customerStatus: 'Client', items: 1000 },
		});
		const ids = json(response).elements.map((element: { boosterCustomerId: number }) => element.boosterCustomerId).sort();
		expect(ids).toEqual(expectIds((c) => c.customerStatus === 'Client' && c.interests.some((i) => i.sapInterestId === 'CA-1')));
	});

	it('writes CSV columns that cross-check with the dataset KPIs', async () => {
		const { rows } = await exportIds({ boosterCustomerIds: carCustomers.slice(0, 20).map((c) => c.boosterCustomerId) });
		expect(Object.keys(rows[0])).toEqual(sandbox.state.csvColumns);
		for (const row of rows) {
			const customer = sandbox.state.dataset.customerById(Number(row.boosterCustomerId))!;
			expect(Number(row.totalSpendingAmount)).toBe(sandbox.state.computeKpi(customer).totalSpendingAmount);
			expect(row.email).toBe(customer.email);
		}
	});
});

describe('export requests', () => {
	it('answers 400 with errors[].fieldName when posCodes and downloadRequestId are missing', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).post('/customer/CAR/export', {});
		expect(response.status).toBe(400);
		expect(json(response).responseStatus.errors.map((error: { fieldName: string }) => error.fieldName)).toEqual(['posCodes', 'downloadRequestId']);
	});

	it('returns the same asyncTaskId for the same downloadRequestId from the same account, and a new one for another account', async () => {
		const main = apiClient(sandbox, sandbox.accounts.main);
		const body = { downloadRequestId: 'idempotent-1', posCodes: sandbox.accounts.limited.posCodes };
		const first = json(await main.post('/customer/CAR/export', body)).asyncTaskId;
		const second = json(await main.post('/customer/CAR/export', body)).asyncTaskId;
		const other = json(await apiClient(sandbox, sandbox.accounts.limited).post('/customer/CAR/export', body)).asyncTaskId;
		expect(second).toBe(first);
		expect(other).not.toBe(first);
		expect([...sandbox.state.tasks.values()].filter((task) => task.downloadRequestId === 'idempotent-1')).toHaveLength(2);
	});

	it('moves REQ → INP (rising percentage) → COM as the clock advances', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		sandbox.state.setConfig({ exportDurationMs: 100000 });
		try {
			const id = json(await client.post('/customer/CAR/export', { downloadRequestId: 'lifecycle', posCodes: carPos })).asyncTaskId;
			const read = async () => json(await client.get(`/tasks/${id}`));
			expect(await read()).toMatchObject({ status: 'REQ', percentage: 0, type: 'crm', brand: 'CAR' });
			expect((await read()).downloadUrl).toBeUndefined();
			sandbox.state.advanceClock(30000);
			const early = await read();
			sandbox.state.advanceClock(30000);
			const later = await read();
			expect(early.status).toBe('INP');
			expect(later.status).toBe('INP');
			expect(later.percentage).toBeGreaterThan(early.percentage);
			const done = await waitForTask(sandbox, client, id);
			expect(done).toMatchObject({ status: 'COM', percentage: 100, totalFailed: 0 });
			expect(done.totalSucceeded).toBe(done.totalResults);
		} finally {
			sandbox.state.setConfig({ exportDurationMs: 1000 });
		}
	});

	it('ends in ERR when told to fail, in-process and through the control endpoint', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		sandbox.state.failNextExports(1);
		const failing = json(await client.post('/customer/CAR/export', { downloadRequestId: 'fail-1', posCodes: carPos })).asyncTaskId;
		const failed = await waitForTask(sandbox, client, failing);
		expect(failed.status).toBe('ERR');
		expect(failed.signedDownloadUrl).toBeUndefined();
		await apiClient(sandbox).post('/__sandbox/fail-next-exports', { count: 1 });
		const viaControl = json(await client.post('/customer/CAR/export', { downloadRequestId: 'fail-2', posCodes: carPos })).asyncTaskId;
		expect((await waitForTask(sandbox, client, viaControl)).status).toBe('ERR');
		const next = json(await client.post('/customer/CAR/export', { downloadRequestId: 'fail-3', posCodes: carPos })).asyncTaskId;
		expect((await waitForTask(sandbox, client, next)).status).toBe('COM');
	});
});

describe('downloads', () => {
	let task: any;
	beforeAll(async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const id = json(await client.post('/customer/CAR/export', { downloadRequestId: 'downloads', posCodes: carPos.slice(0, 1) })).asyncTaskId;
		task = await waitForTask(sandbox, client, id);
	});

	it('serves downloadUrl with credentials only, as a CSV attachment', async () => {
		expect((await apiClient(sandbox).get(task.downloadUrl)).status).toBe(401);
		const response = await apiClient(sandbox, sandbox.accounts.main).get(task.downloadUrl);
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toMatch(/^text\/csv/);
		expect(response.headers['content-disposition']).toMatch(/^attachment; filename="crm-export-car-[0-9a-f]{32}\.csv"$/);
		expect(parseCsv(String(response.data))).toHaveLength(task.totalResults);
		expect((await apiClient(sandbox, sandbox.accounts.limited).get(task.downloadUrl)).status).toBe(404);
	});

	it('serves signedDownloadUrl without credentials, with a fresh expiry on each read', async () => {
		const response = await apiClient(sandbox).get(task.signedDownloadUrl);
		expect(response.status).toBe(200);
		expect(parseCsv(String(response.data))).toHaveLength(task.totalResults);
		sandbox.state.advanceClock(5000);
		const reread = json(await apiClient(sandbox, sandbox.accounts.main).get(`/tasks/${task.asyncTaskId}`));
		expect(Number(new URL(reread.signedDownloadUrl).searchParams.get('expires'))).toBeGreaterThan(Number(new URL(task.signedDownloadUrl).searchParams.get('expires')));
	});

	it('refuses a tampered signed URL with 403 S3-style XML', async () => {
		const url = new URL(task.signedDownloadUrl);
		url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 1000));
		const response = await apiClient(sandbox).get(url.toString());
		expect(response.status).toBe(403);
		expect(String(response.data)).toContain('<Code>SignatureDoesNotMatch</Code>');
		const otherPath = task.signedDownloadUrl.replace('.csv?', 'x.csv?');
		expect((await apiClient(sandbox).get(otherPath)).status).toBe(403);
	});

	it('refuses an expired signed URL with 403', async () => {
		const fresh = json(await apiClient(sandbox, sandbox.accounts.main).get(`/tasks/${task.asyncTaskId}`)).signedDownloadUrl;
		sandbox.state.advanceClock((sandbox.state.config.signedUrlTtlSeconds + 2) * 1000);
		const response = await apiClient(sandbox).get(fresh);
		expect(response.status).toBe(403);
		expect(String(response.data)).toContain('<Message>Request has expired</Message>');
	});

	it('records credentials sent to a signed URL as a leak, and not the clean downloads', async () => {
		await apiClient(sandbox).delete('/__sandbox/requests');
		const fresh = json(await apiClient(sandbox, sandbox.accounts.main).get(`/tasks/${task.asyncTaskId}`)).signedDownloadUrl;
		await apiClient(sandbox).get(fresh);
		expect(json(await apiClient(sandbox).get('/__sandbox/leaks'))).toEqual([]);
		await apiClient(sandbox, sandbox.accounts.main, { Cookie: 'ss-id=abc' }).get(fresh);
		const leaks = json(await apiClient(sandbox).get('/__sandbox/leaks'));
		expect(leaks).toHaveLength(1);
		expect(leaks[0].headers).toEqual(['authorization', 'cookie']);
		const entry = json(await apiClient(sandbox).get('/__sandbox/requests')).find((candidate: { authLeak: boolean }) => candidate.authLeak);
		expect(entry.headers.authorization).toBe('Bearer ***');
		expect(entry.headers.cookie).toBe('ss-id=***');
	});
});
