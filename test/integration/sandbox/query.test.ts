/**
 * GetCustomerPaginated, GetCustomer and GetPosBrand: JSON and XML by Accept, query strings read as
 * ServiceStack reads them (JSV lists and object lists, quoting), and the slim list selecting the
 * same customers as an export with the same filters.
 */
import { startSandbox, RunningSandbox, SandboxCustomer } from '../../sandbox';
import { apiClient, json, parseCsv, waitForTask, CRM_NS } from './sandboxClient';

const SECURITY_NS = 'http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.Security.ServiceModel';

let sandbox: RunningSandbox;
let car: SandboxCustomer[];
let carPos: string[];

beforeAll(async () => {
	sandbox = await startSandbox({ customers: 3000, exportDurationMs: 0 });
	car = [...sandbox.state.dataset.customersOfBrand('CAR')];
	carPos = sandbox.state.pointsOfSale.filter((pos) => pos.brand === 'CAR').map((pos) => pos.posCode);
});
afterAll(() => sandbox.stop());

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
const expectCar = (predicate: (c: SandboxCustomer) => boolean) => sorted(car.filter(predicate).map((c) => c.boosterCustomerId));
const xmlValues = (xml: string, element: string) => [...xml.matchAll(new RegExp(`<${element}>([^<]*)</${element}>`, 'g'))].map((match) => match[1]);

/** Every page of /customer/CAR/slim for a raw query string (so the test controls the exact encoding). */
async function slimIds(query: string, accept = 'application/json'): Promise<number[]> {
	const client = apiClient(sandbox, sandbox.accounts.main, { Accept: accept });
	const ids: number[] = [];
	for (let page = 0; ; page++) {
		const response = await client.get(`/customer/CAR/slim?${query}&items=400&page=${page}`);
		expect({ query, status: response.status, body: response.status === 200 ? '' : String(response.data) }).toEqual({ query, status: 200, body: '' });
		if (accept === 'application/xml') {
			const xml = String(response.data);
			ids.push(...xmlValues(xml, 'boosterCustomerId').map(Number));
			if (page + 1 >= Number(xmlValues(xml, 'totalPages')[0])) break;
		} else {
			const body = json(response);
			ids.push(...body.elements.map((element: { boosterCustomerId: number }) => element.boosterCustomerId));
			if (page + 1 >= body.totalPages) break;
		}
	}
	return sorted(ids);
}

let exportNumber = 0;
async function exportIds(body: Record<string, unknown>, query = ''): Promise<number[]> {
	const client = apiClient(sandbox, sandbox.accounts.main);
	const created = await client.post(`/customer/CAR/export${query}`, { downloadRequestId: `query-${++exportNumber}`, ...body });
	expect(created.status).toBe(200);
	const task = await waitForTask(sandbox, client, json(created).asyncTaskId);
	return sorted(parseCsv(String((await client.get(task.downloadUrl!)).data)).map((row) => Number(row.boosterCustomerId)));
}

/** The search an export bound from a query string (the sandbox keeps it on the task). */
async function boundSearch(query: string): Promise<Record<string, unknown>> {
	const downloadRequestId = `bound-${++exportNumber}`;
	const response = await apiClient(sandbox, sandbox.accounts.main).post(`/customer/CAR/export?${query}`, { downloadRequestId });
	expect({ query, status: response.status, body: response.status === 200 ? '' : String(response.data) }).toEqual({ query, status: 200, body: '' });
	return [...sandbox.state.tasks.values()].find((task) => task.downloadRequestId === downloadRequestId)!.search as Record<string, unknown>;
}

const posQuery = () => `posCodes=${encodeURIComponent(carPos.join(','))}`;

describe('JSON and XML by the Accept header', () => {
	it('GET /customer/{brand}/slim: same customers, pages and totals in both', async () => {
		const query = `${posQuery()}&customerStatus=Prospect&birthdateMonths=3,4`;
		const expected = expectCar((c) => c.customerStatus === 'Prospect' && c.birthDate !== null && ['03', '04'].includes(c.birthDate.slice(5, 7)));
		expect(expected.length).toBeGreaterThan(0);
		expect(await slimIds(query)).toEqual(expected);
		expect(await slimIds(query, 'application/xml')).toEqual(expected);
		const xml = await apiClient(sandbox, sandbox.accounts.main, { Accept: 'text/xml' }).get(`/customer/CAR/slim?${query}&items=2`);
		expect(xml.headers['content-type']).toBe('application/xml');
		expect(String(xml.data)).toMatch(new RegExp(`^<GetCustomerPaginatedResponse xmlns:i="[^"]+" xmlns="${CRM_NS}"><elements><CustomerSlim><birthDate>`));
		expect(xmlValues(String(xml.data), 'totalResults')).toEqual([String(expected.length)]);
	});

	it('GET /customer/{id}: the same customer in both', async () => {
		const customer = car[12];
		const client = apiClient(sandbox, sandbox.accounts.main);
		const asJson = json(await client.get(`/customer/${customer.boosterCustomerId}`, { headers: { Accept: 'application/json' } }));
		const xmlResponse = await client.get(`/customer/${customer.boosterCustomerId}`, { headers: { Accept: 'application/xml' } });
		expect(xmlResponse.headers['content-type']).toBe('application/xml');
		const xml = String(xmlResponse.data);
		expect(xml.startsWith(`<GetCustomerResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${CRM_NS}"><brand>CAR</brand>`)).toBe(true);
		for (const field of ['id', 'sapId', 'firstName', 'lastName', 'countryId', 'language', 'gender']) expect(xmlValues(xml, field)).toEqual([String(asJson[field])]);
		expect(xmlValues(xml, 'canBeContacted')).toEqual([String(customer.canBeContactedByMaison)]);
		expect(xmlValues(xml, 'email')).toEqual([customer.email]);
	});

	it('GET /security/pos: the same POS in both', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const asJson = json(await client.get('/security/pos?brand=car&items=3&page=1'));
		const xmlResponse = await client.get('/security/pos?brand=car&items=3&page=1', { headers: { Accept: 'application/xml' } });
		const xml = String(xmlResponse.data);
		expect(xmlResponse.headers['content-type']).toBe('application/xml');
		expect(xml.startsWith(`<GetPosBrandResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${SECURITY_NS}">`)).toBe(true);
		expect(asJson.elements.map((pos: { posCode: string }) => pos.posCode)).toEqual(carPos.slice(3, 6));
		expect(xmlValues(xml, 'posCode')).toEqual(carPos.slice(3, 6));
		expect(xmlValues(xml, 'totalResults')).toEqual([String(carPos.length)]);
	});
});

describe('primitive lists in the query string', () => {
	it.each([
		['posCodes=A,B', () => `posCodes=${carPos[0]},${carPos[2]}`],
		['posCodes=[A,B]', () => `posCodes=[${carPos[0]},${carPos[2]}]`],
		['posCodes=A&posCodes=B (repeated: joined with a comma, as ServiceStack reads it)', () => `posCodes=${carPos[0]}&posCodes=${carPos[2]}`],
		['posCodes=[A, "B"] (spaces, a quoted item)', () => `posCodes=${encodeURIComponent(`[${carPos[0]}, "${carPos[2]}"]`)}`],
		['PosCodes (names are case-insensitive)', () => `PosCodes=${carPos[0]},${carPos[2]}`],
	])('%s', async (_label, query) => {
		const expected = expectCar((c) => c.posCode === carPos[0] || c.posCode === carPos[2]);
		expect(await slimIds(query())).toEqual(expected);
	});

	it.each([
		['birthdateMonths=1,2', 'birthdateMonths=1,2', (c: SandboxCustomer) => c.birthDate !== null && ['01', '02'].includes(c.birthDate.slice(5, 7))],
		['birthdateMonths=[1,2]', 'birthdateMonths=[1,2]', (c: SandboxCustomer) => c.birthDate !== null && ['01', '02'].includes(c.birthDate.slice(5, 7))],
		['customerStatus=Client', 'customerStatus=Client', (c: SandboxCustomer) => c.customerStatus === 'Client'],
		['customerStatus=[prospect]', 'customerStatus=[prospect]', (c: SandboxCustomer) => c.customerStatus === 'Prospect'],
		['locationCountryIds=ch,fr', 'locationCountryIds=ch,fr', (c: SandboxCustomer) => ['ch', 'fr'].includes(c.locationCountryId)],
		['locationCountryIds=[JP]', 'locationCountryIds=[JP]', (c: SandboxCustomer) => c.locationCountryId === 'jp'],
	])('%s', async (_label, filter, predicate) => {
		const expected = expectCar(predicate);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(car.length);
		expect(await slimIds(`${posQuery()}&${filter}`)).toEqual(expected);
	});

	it('boosterCustomerIds=a,b,c and saleRepresentativeEmails=x,y', async () => {
		const ids = [car[1], car[40], car[77]].map((c) => c.boosterCustomerId);
		expect(await slimIds(`${posQuery()}&boosterCustomerIds=${ids.join(',')}`)).toEqual(sorted(ids));
		expect(await slimIds(`${posQuery()}&boosterCustomerIds=[${ids.join(',')}]`)).toEqual(sorted(ids));
		const emails = [car[0].saleRepresentativeEmails[0], car[30].saleRepresentativeEmails[0]];
		const expected = expectCar((c) => c.saleRepresentativeEmails.some((email) => emails.includes(email)));
		expect(await slimIds(`${posQuery()}&saleRepresentativeEmails=${encodeURIComponent(emails.join(','))}`)).toEqual(expected);
	});

	it('answers 400 naming the field for a list item of the wrong type', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).get(`/customer/CAR/slim?${posQuery()}&birthdateMonths=1,x`);
		expect(response.status).toBe(400);
		expect(json(response).responseStatus.errors[0]).toMatchObject({ errorCode: 'SerializationException', fieldName: 'birthdateMonths' });
	});
});

describe('object lists in JSV', () => {
	it.each([
		['interests=[{interest:Art,sapInterestId:CA-1}]', '[{interest:Art,sapInterestId:CA-1}]', 'interests', (c: SandboxCustomer) => c.interests.some((i) => i.sapInterestId === 'CA-1')],
		['interests={…} (one object without brackets)', '{interest:Travel,sapInterestId:CA-3}', 'interests', (c: SandboxCustomer) => c.interests.some((i) => i.sapInterestId === 'CA-3')],
		['interests with spaces and quoted values', '[ { interest : "Art, Design" , sapInterestId : "CA-6" } ]', 'interests', (c: SandboxCustomer) => c.interests.some((i) => i.sapInterestId === 'CA-6')],
		['productCategories=[{grandCategoryId:…,subCategoryId:…}]', '[{grandCategoryId:WAT,subCategoryId:WAT-M-AUT-STEEL}]', 'productCategories', (c: SandboxCustomer) => c.productCategories.some((p) => p.subCategoryId === 'WAT-M-AUT-STEEL')],
		['productCategories, two entries (any-of)', '[{grandCategoryId:JEW},{grandCategoryId:ACC,masterCategoryId:ACC-P}]', 'productCategories', (c: SandboxCustomer) => c.productCategories.some((p) => p.grandCategoryId === 'JEW' || p.masterCategoryId === 'ACC-P')],
		['hobbies=[{sapHobbyId:ART}]', '[{sapHobbyId:ART}]', 'hobbies', (c: SandboxCustomer) => c.hobbies.some((h) => h.sapHobbyId === 'ART')],
		['hobbies by description (no id), quoted', '[{hobby:"Horse riding"}]', 'hobbies', (c: SandboxCustomer) => c.hobbies.some((h) => h.sapHobbyId === 'HRS')],
		['productCollections=[{…},{…}]', '[{productCollection:Love,sapProductCollectionId:PC-2},{productCollection:"Panthère",sapProductCollectionId:PC-1}]', 'productCollections', (c: SandboxCustomer) => c.productCollections.some((p) => ['PC-1', 'PC-2'].includes(p.sapProductCollectionId))],
	])('%s', async (_label, value, name, predicate) => {
		const expected = expectCar(predicate);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(car.length);
		expect(await slimIds(`${posQuery()}&${name}=${encodeURIComponent(value)}`)).toEqual(expected);
	});

	it('binds the members exactly, quoted values unquoted and "" read as one quote', async () => {
		const search = await boundSearch(
			[
				posQuery(),
				`interests=${encodeURIComponent('[{interest:"Art, ""modern"" & design",sapInterestId:CA-1},{interest:Music,sapInterestId:"CA-5"}]')}`,
				`productCategories=${encodeURIComponent('[{grandCategoryId:WAT,subCategoryId:"WAT-M-AUT-STEEL"}]')}`,
				`hobbies=${encodeURIComponent('[{hobby:"Golf, links",sapHobbyId:GLF}]')}`,
				`locationCountryIds=${encodeURIComponent('"ch,fr",it')}`,
				`saleRepresentativeEmails=${encodeURIComponent('["a,b@x.test","say ""hi""@x.test"]')}`,
			].join('&'),
		);
		expect(search.posCodes).toEqual(carPos);
		expect(search.interests).toEqual([
			{ interest: 'Art, "modern" & design', sapInterestId: 'CA-1' },
			{ interest: 'Music', sapInterestId: 'CA-5' },
		]);
		expect(search.productCategories).toEqual([{ grandCategoryId: 'WAT', subCategoryId: 'WAT-M-AUT-STEEL' }]);
		expect(search.hobbies).toEqual([{ hobby: 'Golf, links', sapHobbyId: 'GLF' }]);
		expect(search.locationCountryIds).toEqual(['ch,fr', 'it']);
		expect(search.saleRepresentativeEmails).toEqual(['a,b@x.test', 'say "hi"@x.test']);
	});

	it('a quoted value stays one value when filtering: locationCountryIds="ch,fr" matches no country', async () => {
		expect(await slimIds(`${posQuery()}&locationCountryIds=${encodeURIComponent('"ch,fr"')}`)).toEqual([]);
		expect(await slimIds(`${posQuery()}&locationCountryIds=${encodeURIComponent('"ch",fr')}`)).toEqual(expectCar((c) => ['ch', 'fr'].includes(c.locationCountryId)));
	});

	it('takes a string member as it is written (ServiceStack does not JSV-decode string properties)', async () => {
		const search = await boundSearch(`${posQuery()}&searchKey=${encodeURIComponent('"Müller, Anna"')}&email=${encodeURIComponent('a,b@x.test')}`);
		expect(search.searchKey).toBe('"Müller, Anna"');
		expect(search.email).toBe('a,b@x.test');
	});

	it('answers 400 SerializationException naming the field for malformed JSV', async () => {
		for (const [name, value] of [['interests', '[{interest:Art,sapInterestId:CA-1}'], ['hobbies', '[{sapHobbyId:"ART}]'], ['productCategories', '[{grandCategoryId}]']]) {
			const response = await apiClient(sandbox, sandbox.accounts.main).get(`/customer/CAR/slim?${posQuery()}&${name}=${encodeURIComponent(value)}`);
			expect({ value, status: response.status }).toEqual({ value, status: 400 });
			expect(json(response).responseStatus.errors[0]).toMatchObject({ errorCode: 'SerializationException', fieldName: name });
		}
	});
});

/** The export body's filters written as a JSV query string, each value quoted when it holds a separator. */
function toJsvQuery(filters: Record<string, unknown>): string {
	const quote = (value: unknown, separators: RegExp) => {
		const text = String(value);
		return separators.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
	};
	const parts = Object.entries(filters).map(([name, value]) => {
		let text: string;
		if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'object') {
			text = `[${value.map((entry) => `{${Object.entries(entry).map(([key, member]) => `${key}:${quote(member, /[",:[\]{}]/)}`).join(',')}}`).join(',')}]`;
		} else if (Array.isArray(value)) {
			text = value.map((item) => quote(item, /[",[\]{}]/)).join(',');
		} else text = String(value);
		return `${name}=${encodeURIComponent(text)}`;
	});
	return parts.join('&');
}

describe('a slim query and an export with the same filters select the same customers', () => {
	const combinations: [string, () => Record<string, unknown>][] = [
		['POS subset, status and interests', () => ({ posCodes: carPos.slice(1, 4), customerStatus: ['Client'], interests: [{ interest: 'Art, fine', sapInterestId: 'CA-1' }, { interest: 'Music', sapInterestId: 'CA-5' }] })],
		['countries, birth months, categories and hobbies', () => ({ posCodes: carPos, locationCountryIds: ['ch', 'FR', 'gb'], birthdateMonths: [1, 5, 6, 7, 12], productCategories: [{ grandCategoryId: 'WAT' }, { grandCategoryId: 'JEW', masterCategoryId: 'JEW-R' }], hobbies: [{ sapHobbyId: 'GLF' }, { hobby: 'Horse riding' }] })],
		['zoned creation window, transaction window, contactable, sale representatives', () => ({ posCodes: carPos, creationDateFrom: '2016-06-01T12:00:00+02:00', creationDateTo: '2023-12-31', transactionDateFrom: '2019-01-01T00:00:00.5', transactionDateTo: '/Date(1700000000000)/', canBeContactedByMaison: true, saleRepresentativeEmails: carPos.map((code) => `rep1.${code.replace(':', '-').toLowerCase()}@sandbox.booster`) })],
		['ids, collections, SAP error flag, spending', () => ({ posCodes: carPos, boosterCustomerIds: car.filter((_, index) => index % 3 === 0).map((c) => c.boosterCustomerId), productCollections: [{ productCollection: 'Love', sapProductCollectionId: 'PC-2' }, { productCollection: 'Santos', sapProductCollectionId: 'PC-3' }], hasSapCrmError: false, clientSpendingFrom: 100 })],
		['searchKey on a name', () => ({ posCodes: carPos, searchKey: 'rossi' })],
	];

	it.each(combinations)('%s', async (_label, filters) => {
		const exported = await exportIds(filters());
		expect(exported.length).toBeGreaterThan(0);
		expect(exported.length).toBeLessThan(car.length);
		expect(await slimIds(toJsvQuery(filters()))).toEqual(exported);
		expect(await slimIds(toJsvQuery(filters()), 'application/xml')).toEqual(exported);
		// An export whose filters come in the query string (not the body) selects them too.
		expect(await exportIds({}, `?${toJsvQuery(filters())}`)).toEqual(exported);
	});
});
