import { startSandbox, RunningSandbox, SandboxCustomer } from '../../sandbox';
import { apiClient, json, CRM_NS } from './sandboxClient';

const NIGHTLY_NS = 'http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.NightlyProcess.ServiceModel';

let sandbox: RunningSandbox;
let carCustomer: SandboxCustomer;
let panCustomer: SandboxCustomer;

beforeAll(async () => {
	sandbox = await startSandbox({ customers: 3000, exportDurationMs: 0 });
	const all = [...sandbox.state.dataset.allCustomers()];
	carCustomer = all.find((customer) => customer.brand === 'CAR' && customer.transactions.length >= 3)!;
	panCustomer = all.find((customer) => customer.brand === 'PAN')!;
});
afterAll(() => sandbox.stop());

describe('sandbox startup', () => {
	it('listens on 127.0.0.1 with a URL without trailing slash', () => {
		expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
	});

	it('generates the same data from the same seed and different data from another seed', async () => {
		const same = await startSandbox({ customers: 50, seed: 42 });
		const other = await startSandbox({ customers: 50, seed: 7 });
		try {
			expect(same.state.dataset.customerAt(10)).toEqual(sandbox.state.dataset.customerAt(10));
			expect(other.state.dataset.customerAt(10)).not.toEqual(sandbox.state.dataset.customerAt(10));
		} finally {
			await same.stop();
			await other.stop();
		}
	});
});

describe('GET /customer/{boosterCustomerId}/kpi', () => {
	it('answers JSON aggregates equal to the customer transactions', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const response = await client.get(`/customer/${carCustomer.boosterCustomerId}/kpi`);
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
		const sales = carCustomer.transactions.filter((t) => t.type === 'sale');
		const returns = carCustomer.transactions.filter((t) => t.type === 'return');
		const spending = Math.round(sales.reduce((sum, t) => sum + t.amount * 100, 0) - returns.reduce((sum, t) => sum + t.amount * 100, 0)) / 100;
		expect(json(response)).toEqual({
			boosterCustomerId: carCustomer.boosterCustomerId,
			totalTransaction: carCustomer.transactions.length,
			totalSales: sales.length,
			totalReturn: returns.length,
			totalItems: sales.reduce((sum, t) => sum + t.quantity, 0) - returns.reduce((sum, t) => sum + t.quantity, 0),
			averageBasketAmount: Math.round((spending * 100) / sales.length) / 100,
			totalSpendingAmount: spending,
			currencyCode: carCustomer.currencyCode,
		});
	});

	it('restricts the aggregates to the inclusive window of instants', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const kpi = async (params: Record<string, string>) => json(await client.get(`/customer/${carCustomer.boosterCustomerId}/kpi`, { params }));
		const instant = carCustomer.transactions[1].date;
		const exactly = carCustomer.transactions.filter((t) => t.date === instant).length;
		expect(exactly).toBeGreaterThan(0);
		expect((await kpi({ transactionDateFrom: instant, transactionDateTo: instant })).totalTransaction).toBe(exactly);
		// A date alone is midnight UTC: From = To = that day holds only the transactions made at 00:00:00.000.
		const day = instant.slice(0, 10);
		const atMidnight = carCustomer.transactions.filter((t) => t.date === `${day}T00:00:00.000Z`).length;
		expect(carCustomer.transactions.filter((t) => t.date.startsWith(day)).length).toBeGreaterThan(atMidnight);
		expect((await kpi({ transactionDateFrom: day, transactionDateTo: day })).totalTransaction).toBe(atMidnight);
	});

	it('answers XML in DataContract order with .xml, ?format=xml and Accept', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const responses = [
			await client.get(`/customer/${carCustomer.boosterCustomerId}/kpi.xml`),
			await client.get(`/customer/${carCustomer.boosterCustomerId}/kpi?format=xml`),
			await client.get(`/customer/${carCustomer.boosterCustomerId}/kpi`, { headers: { Accept: 'application/xml' } }),
		];
		for (const response of responses) {
			expect(response.status).toBe(200);
			expect(response.headers['content-type']).toBe('application/xml');
			const body = String(response.data);
			expect(body.startsWith(`<GetCustomerKpiResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${CRM_NS}">`)).toBe(true);
			const names = [...body.matchAll(/<(\w+)>/g)].map((match) => match[1]);
			expect(names).toEqual(['averageBasketAmount', 'boosterCustomerId', 'currencyCode', 'totalItems', 'totalReturn', 'totalSales', 'totalSpendingAmount', 'totalTransaction']);
		}
		const jsonBySuffix = await client.get(`/customer/${carCustomer.boosterCustomerId}/kpi.json`, { headers: { Accept: 'application/xml' } });
		expect(jsonBySuffix.headers['content-type']).toBe('application/json; charset=utf-8');
	});

	it('answers 404 for an unknown customer and 400 for a non-numeric id', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const missing = await client.get('/customer/999/kpi');
		expect(missing.status).toBe(404);
		expect(json(missing).responseStatus.errorCode).toBe('NotFound');
		const invalid = await client.get('/customer/abc/kpi');
		expect(invalid.status).toBe(400);
		expect(json(invalid).responseStatus.errors[0].fieldName).toBe('boosterCustomerId');
	});
});

describe('GET /customer/{boosterCustomerId}', () => {
	it('answers the GetCustomerResponse shape in JSON with WCF dates', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).get(`/customer/${carCustomer.boosterCustomerId}`);
		expect(response.status).toBe(200);
		const body = json(response);
		expect(Object.keys(body)).toEqual(expect.arrayContaining(['id', 'sapId', 'firstName', 'lastName', 'canBeContacted', 'countryId', 'brand', 'emails', 'phones', 'events', 'registrationDate']));
		expect(body.id).toBe(carCustomer.boosterCustomerId);
		expect(body.emails[0]).toEqual({ description: 'Private', email: carCustomer.email, isMain: true });
		expect(String(response.data)).toContain(`"registrationDate":"\\/Date(${Date.parse(carCustomer.creationDate)}-0000)\\/"`);
	});

	it('answers XML with members in ordinal order and nested types in the CRM namespace', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).get(`/customer/${carCustomer.boosterCustomerId}.xml`);
		const body = String(response.data);
		expect(body).toMatch(new RegExp(`^<GetCustomerResponse xmlns:i="[^"]+" xmlns="${CRM_NS}"><brand>CAR</brand><canBeContacted>`));
		expect(body).toContain(`<emails><CustomerEmail><description>Private</description><email>${carCustomer.email}</email><isMain>true</isMain></CustomerEmail></emails>`);
		expect(body.indexOf('<registrationDate>')).toBeLessThan(body.indexOf('<sapId>'));
	});

	it('answers 403 naming the brand for a customer of a brand the account may not see', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).get(`/customer/${panCustomer.boosterCustomerId}`);
		expect(response.status).toBe(403);
		expect(json(response).responseStatus.errorCode).toBe('Forbidden');
		expect(json(response).responseStatus.message).toContain('PAN');
	});
});

describe('GET /customer/{brand}/slim', () => {
	const carPos = () => sandbox.state.pointsOfSale.filter((pos) => pos.brand === 'CAR').map((pos) => pos.posCode);

	it('pages through all matching customers with totals', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const expected = [...sandbox.state.dataset.customersOfBrand('CAR')].map((customer) => customer.boosterCustomerId).sort();
		const seen: number[] = [];
		let totalPages = 0;
		for (let page = 0; ; page++) {
			const body = json(await client.get('/customer/CAR/slim', { params: { posCodes: carPos().join(','), page, items: 100 } }));
			expect(body.totalResults).toBe(expected.length);
			totalPages = body.totalPages;
			seen.push(...body.elements.map((element: { boosterCustomerId: number }) => element.boosterCustomerId));
			if (page + 1 >= body.totalPages) break;
		}
		expect(totalPages).toBe(Math.ceil(expected.length / 100));
		expect(seen.sort()).toEqual(expected);
	});

	it('returns slim customers with the documented fields', async () => {
		const body = json(await apiClient(sandbox, sandbox.accounts.main).get('/customer/CAR/slim', { params: { posCodes: `[${carCustomer.posCode}]`, boosterCustomerIds: carCustomer.boosterCustomerId } }));
		expect(body.elements).toHaveLength(1);
		const element = body.elements[0];
		expect(element).toMatchObject({
			boosterCustomerId: carCustomer.boosterCustomerId,
			sapId: carCustomer.sapId,
			brand: 'CAR',
			posCode: carCustomer.posCode,
			firstName: carCustomer.firstName,
			lastName: carCustomer.lastName,
			email: carCustomer.email,
			phone: carCustomer.phone,
			locationCountryId: carCustomer.locationCountryId,
			customerStatus: carCustomer.customerStatus,
			canBeContactedByMaison: carCustomer.canBeContactedByMaison,
			hasSapCrmError: carCustomer.hasSapCrmError,
		});
	});

	it.each([
		['NameASC', (a: any, b: any) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.boosterCustomerId - b.boosterCustomerId],
		['RegDESC', (a: any, b: any) => (a.creationDate < b.creationDate ? 1 : a.creationDate > b.creationDate ? -1 : b.boosterCustomerId - a.boosterCustomerId)],
	])('sorts by %s', async (sortBy, compare) => {
		const body = json(await apiClient(sandbox, sandbox.accounts.main).get('/customer/CAR/slim', { params: { posCodes: carPos().join(','), sortBy, items: 20 } }));
		const expected = [...sandbox.state.dataset.customersOfBrand('CAR')].sort(compare).slice(0, 20).map((customer) => customer.boosterCustomerId);
		expect(body.elements.map((element: { boosterCustomerId: number }) => element.boosterCustomerId)).toEqual(expected);
	});

	it('omits counts with noCount', async () => {
		const body = json(await apiClient(sandbox, sandbox.accounts.main).get('/customer/CAR/slim', { params: { posCodes: carPos().join(','), noCount: true, items: 5 } }));
		expect(body.elements).toHaveLength(5);
		expect(body.totalResults).toBe(0);
	});

	it('answers XML with CustomerSlim elements', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).get('/customer/CAR/slim.xml', { params: { posCodes: carPos().join(','), items: 2 } });
		expect(String(response.data)).toMatch(new RegExp(`^<GetCustomerPaginatedResponse xmlns:i="[^"]+" xmlns="${CRM_NS}"><elements><CustomerSlim><birthDate`));
	});

	it('requires posCodes (400 with fieldName)', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).get('/customer/CAR/slim');
		expect(response.status).toBe(400);
		expect(json(response).responseStatus.errors).toEqual([{ errorCode: 'NotEmpty', fieldName: 'posCodes', message: "'Pos Codes' must not be empty." }]);
	});
});

describe('GET /security/pos', () => {
	it('pages the POS of a brand (0-based page index)', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const expected = sandbox.state.pointsOfSale.filter((pos) => pos.brand === 'CAR');
		const first = json(await client.get('/security/pos', { params: { brand: 'CAR', page: 0, items: 4 } }));
		const second = json(await client.get('/security/pos', { params: { brand: 'CAR', page: 1, items: 4 } }));
		expect(first.totalResults).toBe(expected.length);
		expect(first.totalPages).toBe(Math.ceil(expected.length / 4));
		expect([...first.elements, ...second.elements].map((pos: { posCode: string }) => pos.posCode)).toEqual(expected.map((pos) => pos.posCode));
		expect(first.elements[0]).toEqual({ posCode: expected[0].posCode, name: expected[0].name, city: expected[0].city, address: expected[0].address, country: expected[0].country });
	});

	it('shows the limited account only its POS', async () => {
		const body = json(await apiClient(sandbox, sandbox.accounts.limited).get('/security/pos', { params: { brand: 'CAR' } }));
		expect(body.elements.map((pos: { posCode: string }) => pos.posCode)).toEqual(sandbox.accounts.limited.posCodes);
	});

	it('answers XML PosBrand elements in the Security namespace', async () => {
		const body = String((await apiClient(sandbox, sandbox.accounts.main).get('/security/pos.xml', { params: { brand: 'IWC' } })).data);
		expect(body).toContain('xmlns="http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.Security.ServiceModel"');
		expect(body).toMatch(/<elements><PosBrand><address>[^<]+<\/address><city>/);
	});

	it('answers 400 without brand and 403 for PAN', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		expect(json(await client.get('/security/pos')).responseStatus.errors[0].fieldName).toBe('brand');
		const forbidden = await client.get('/security/pos?brand=PAN');
		expect(forbidden.status).toBe(403);
		expect(json(forbidden).responseStatus.message).toContain("brand 'PAN'");
	});
});

describe('GET /tasks and /tasks/{asyncTaskId}', () => {
	it('lists the account tasks as JSON array and XML ArrayOfTask, detail with or without dashes', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const created = json(await client.post('/customer/IWC/export', { downloadRequestId: 'tasks-route', posCodes: sandbox.state.pointsOfSale.filter((p) => p.brand === 'IWC').map((p) => p.posCode) }));
		expect(created.asyncTaskId).toMatch(/^[0-9a-f]{32}$/);
		const list = json(await client.get('/tasks'));
		expect(list.map((task: { asyncTaskId: string }) => task.asyncTaskId)).toContain(created.asyncTaskId);
		const xml = String((await client.get('/tasks', { headers: { Accept: 'application/xml' } })).data);
		const dashed = created.asyncTaskId.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
		expect(xml.startsWith(`<ArrayOfTask xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${NIGHTLY_NS}"><Task><asyncTaskId>`)).toBe(true);
		expect(xml).toContain(`<asyncTaskId>${dashed}</asyncTaskId>`);
		const byDashed = json(await client.get(`/tasks/${dashed}`));
		expect(byDashed.asyncTaskId).toBe(created.asyncTaskId);
		const detailXml = String((await client.get(`/tasks/${created.asyncTaskId}.xml`)).data);
		expect(detailXml).toMatch(new RegExp(`^<GetTaskDetailResponse xmlns:i="[^"]+" xmlns="${NIGHTLY_NS}"><asyncTaskId>${dashed}</asyncTaskId><brand>IWC</brand>`));
		expect(json(await apiClient(sandbox, sandbox.accounts.limited).get('/tasks'))).toEqual([]);
	});

	it('answers 404 for an unknown task and 400 for a malformed id', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		expect((await client.get('/tasks/0123456789abcdef0123456789abcdef')).status).toBe(404);
		expect((await client.get('/tasks/not-a-guid')).status).toBe(400);
	});
});

describe('errors', () => {
	it('answers 404 for an unknown route and 405 for a wrong verb, in JSON and XML', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const unknown = await client.get('/nothing/here');
		expect(unknown.status).toBe(404);
		expect(json(unknown).responseStatus.errorCode).toBe('NotFound');
		const wrongVerb = await client.delete('/tasks');
		expect(wrongVerb.status).toBe(405);
		const wrongVerbXml = await client.get('/customer/CAR/export.xml');
		expect(wrongVerbXml.status).toBe(405);
		expect(wrongVerbXml.headers['content-type']).toBe('application/xml');
		expect(String(wrongVerbXml.data)).toMatch(/^<ErrorResponse xmlns:i="[^"]+" xmlns="http:\/\/schemas.servicestack.net\/types"><ResponseStatus><ErrorCode>NotImplementedException<\/ErrorCode><Message>/);
	});

	it('answers validation errors in the XML ErrorResponse shape', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).get('/customer/CAR/slim?format=xml');
		expect(response.status).toBe(400);
		expect(String(response.data)).toContain(
			"<ResponseStatus><ErrorCode>NotEmpty</ErrorCode><Message>'Pos Codes' must not be empty.</Message><StackTrace i:nil=\"true\" /><Errors><ResponseError><ErrorCode>NotEmpty</ErrorCode><FieldName>posCodes</FieldName><Message>'Pos Codes' must not be empty.</Message></ResponseError></Errors></ResponseStatus>",
		);
	});

	it('answers 400 SerializationException for a malformed JSON body', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).post('/customer/CAR/export', '{"posCodes": [', { headers: { 'Content-Type': 'application/json' } });
		expect(response.status).toBe(400);
		expect(json(response).responseStatus.errorCode).toBe('SerializationException');
	});
});
