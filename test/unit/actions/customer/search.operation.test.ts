/**
 * Customer → Search (nodes/Booster/actions/customer/search.operation.ts) through n8n's engine against
 * the sandbox (GET /customer/{brand}/slim): filters select exactly the customers the dataset says
 * match, and the same ones an Export with the same filters selects; paging (Return All over several
 * pages, Limit), sort order, and the query string as ServiceStack reads it (JSV object lists, quoting).
 */
import type { IDataObject } from 'n8n-workflow';

import type { SandboxCustomer } from '../../../sandbox';
import { slimCustomer } from '../../../helpers/expected-customers';
import { type Env, boosterNode, customersOf, logged, posOf, spending, startEnv } from '../../../integration/node/setup';

let env: Env;
let car: SandboxCustomer[];
let carPos: string[];

beforeAll(async () => {
	// About 5,000 CAR customers: Return All needs several pages of 1,000.
	env = await startEnv({ customers: 21_000, exportDurationMs: 200 });
	car = customersOf(env, 'CAR');
	carPos = posOf(env, 'CAR');
	expect(car.length).toBeGreaterThan(4000);
}, 60_000);
afterAll(async () => await env.stop());
beforeEach(() => env.sandbox.state.requestLog.clear());

const searchParameters = (parameters: IDataObject = {}): IDataObject => ({
	resource: 'customer',
	operation: 'search',
	brand: 'CAR',
	posCodes: carPos,
	returnAll: true,
	filters: {},
	options: {},
	advanced: {},
	...parameters,
});

async function search(parameters: IDataObject, requestFormat = 'json'): Promise<IDataObject[]> {
	const run = await env.engine.runNode({
		node: boosterNode(searchParameters({ ...parameters, advanced: { requestFormat } })),
		credentials: [env.cred],
	});
	expect(run.error).toBeUndefined();
	return run.items.map((item) => item.json);
}

const slimRequests = () => logged(env, (entry) => entry.method === 'GET' && /^\/customer\/CAR\/slim$/.test(entry.path));
const idsOf = (rows: IDataObject[]) => rows.map((row) => row.boosterCustomerId as number);
/** Booster order (no sortBy): the dataset's order, boosterCustomerId ascending. */
const expectedIds = (predicate: (c: SandboxCustomer) => boolean) => car.filter(predicate).map((c) => c.boosterCustomerId);

/** The slim customer as the sandbox documents it, from the dataset. */
const slim = (c: SandboxCustomer): IDataObject => slimCustomer(c);


let exportNumber = 0;
/** The customers an Export (Output: Customers) with the same brand, POS and filters gives. */
async function exportedIds(parameters: IDataObject): Promise<number[]> {
	const run = await env.engine.runNode({
		node: boosterNode({
			resource: 'customer',
			operation: 'export',
			brand: 'CAR',
			posCodes: parameters.posCodes ?? carPos,
			output: 'customers',
			filters: parameters.filters ?? {},
			options: { pollIntervalSeconds: 1, downloadRequestId: `search-compare-${++exportNumber}` },
		}),
		credentials: [env.cred],
	});
	expect(run.error).toBeUndefined();
	return run.items.map((item) => item.json.boosterCustomerId as number).sort((a, b) => a - b);
}

const month = (c: SandboxCustomer) => (c.birthDate === null ? 0 : Number(c.birthDate.slice(5, 7)));
const created = (c: SandboxCustomer, from: string, to: string) => c.creationDate >= from && c.creationDate <= to;

interface FilterCase {
	name: string;
	parameters: () => IDataObject;
	matches: (c: SandboxCustomer) => boolean;
}

const cases: FilterCase[] = [
	{
		name: 'posCodes',
		parameters: () => ({ posCodes: ['CH100:100123', 'JP100:100158'] }),
		matches: (c) => ['CH100:100123', 'JP100:100158'].includes(c.posCode),
	},
	{ name: 'customerStatus', parameters: () => ({ filters: { customerStatus: ['Prospect'] } }), matches: (c) => c.customerStatus === 'Prospect' },
	{ name: 'birthdateMonths', parameters: () => ({ filters: { birthdateMonths: [1, 12] } }), matches: (c) => [1, 12].includes(month(c)) },
	{
		name: 'interests (object list)',
		parameters: () => ({ filters: { interests: { interest: [{ interest: 'Art', sapInterestId: 'CA-1' }, { interest: 'Music', sapInterestId: 'CA-5' }] } } }),
		matches: (c) => c.interests.some((entry) => ['CA-1', 'CA-5'].includes(entry.sapInterestId)),
	},
	{
		name: 'locationCountryIds',
		parameters: () => ({ filters: { locationCountryIds: ['jp', 'us'] } }),
		matches: (c) => ['jp', 'us'].includes(c.locationCountryId),
	},
	{
		name: 'clientSpendingFrom as text "10000"',
		parameters: () => ({ filters: { clientSpendingFrom: '10000' } }),
		matches: (c) => spending(c) >= 10000,
	},
	{
		name: 'creationDate range (days picked in the editor, in the workflow zone Europe/Zurich; the To day counts whole)',
		parameters: () => ({ filters: { creationDateFrom: '2018-01-01T00:00:00', creationDateTo: '2019-06-30T00:00:00' } }),
		matches: (c) => created(c, '2017-12-31T23:00:00.000Z', '2019-06-30T21:59:59.999Z'),
	},
	{
		name: 'all of them together',
		parameters: () => ({
			posCodes: ['CH100:100123', 'FR100:100130', 'IT100:100137', 'JP100:100158'],
			filters: {
				customerStatus: ['Client'],
				birthdateMonths: [1, 2, 3, 4, 5, 6],
				interests: { interest: [{ interest: 'Art', sapInterestId: 'CA-1' }, { interest: 'Travel', sapInterestId: 'CA-3' }] },
				locationCountryIds: ['ch', 'fr', 'it', 'jp'],
				clientSpendingFrom: '10000',
				creationDateFrom: '2016-01-01T00:00:00',
				creationDateTo: '2022-12-31T00:00:00',
			},
		}),
		matches: (c) =>
			['CH100:100123', 'FR100:100130', 'IT100:100137', 'JP100:100158'].includes(c.posCode) &&
			c.customerStatus === 'Client' &&
			month(c) >= 1 &&
			month(c) <= 6 &&
			c.interests.some((entry) => ['CA-1', 'CA-3'].includes(entry.sapInterestId)) &&
			['ch', 'fr', 'it', 'jp'].includes(c.locationCountryId) &&
			spending(c) >= 10000 &&
			created(c, '2015-12-31T23:00:00.000Z', '2022-12-31T22:59:59.999Z'),
	},
];

describe('filters', () => {
	it.each(cases.map((entry) => [entry.name, entry] as const))('%s: exactly the matching customers, the same as an Export gives (JSON)', async (_name, entry) => {
		const expected = expectedIds(entry.matches);
		// The filter must select something and leave something out, or the case proves nothing.
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(car.length);
		const rows = await search(entry.parameters());
		expect(idsOf(rows)).toEqual(expected);
		expect(await exportedIds(entry.parameters())).toEqual(expected);
	});

	it.each(cases.map((entry) => [entry.name, entry] as const))('%s: the same customers in XML', async (_name, entry) => {
		expect(idsOf(await search(entry.parameters(), 'xml'))).toEqual(expectedIds(entry.matches));
	});

	it.each(['json', 'xml'])('outputs each customer as the slim list has it, field for field and type for type (%s)', async (requestFormat) => {
		const parameters = { posCodes: ['GB100:100144'], returnAll: true };
		const expected = car.filter((c) => c.posCode === 'GB100:100144');
		expect(expected.some((c) => c.birthDate === null)).toBe(true);
		// A creation date on a whole second: XML writes it without fractional seconds (…:10Z), JSON as /Date(ms)/.
		expect(expected.some((c) => c.creationDate.endsWith(':00.000Z') || c.creationDate.endsWith('.000Z'))).toBe(true);
		const rows = await search(parameters, requestFormat);
		expect(rows).toEqual(expected.map(slim));
	});

	it('sends the filters as ServiceStack reads a query string: lists as a,b, object lists as JSV', async () => {
		await search(cases.at(-1)!.parameters());
		const [first] = slimRequests();
		expect(first.query).toMatchObject({
			posCodes: 'CH100:100123,FR100:100130,IT100:100137,JP100:100158',
			customerStatus: 'Client',
			birthdateMonths: '1,2,3,4,5,6',
			interests: '[{interest:Art,sapInterestId:CA-1},{interest:Travel,sapInterestId:CA-3}]',
			locationCountryIds: 'ch,fr,it,jp',
			clientSpendingFrom: '10000',
			creationDateFrom: '2015-12-31T23:00:00.000Z',
			creationDateTo: '2022-12-31T22:59:59.999Z',
		});
		expect(first.body).toBe('');
	});

	it('a value holding a comma and quotes survives: it is quoted in JSV and the filter still applies', async () => {
		const rows = await search({ filters: { interests: { interest: [{ interest: 'Art, "modern"', sapInterestId: 'CA-1' }] } } });
		const [first] = slimRequests();
		expect(first.query.interests).toBe('[{interest:"Art, ""modern""",sapInterestId:CA-1}]');
		expect(idsOf(rows)).toEqual(expectedIds((c) => c.interests.some((entry) => entry.sapInterestId === 'CA-1')));
	});
});

describe('paging', () => {
	it.each(['json', 'xml'])('Return All reads every page (more than 1,000 customers): each customer once, in order (%s)', async (requestFormat) => {
		const expected = car.map((c) => c.boosterCustomerId);
		expect(expected.length).toBeGreaterThan(2000);
		const ids = idsOf(await search({ returnAll: true }, requestFormat));
		expect(ids).toEqual(expected);
		expect(new Set(ids).size).toBe(ids.length);
		const pages = slimRequests().map((entry) => [entry.query.page, entry.query.items]);
		expect(pages).toEqual(Array.from({ length: Math.ceil(expected.length / 1000) }, (_, page) => [String(page), '1000']));
	});

	it('Limit 50 gives the first 50, in one request of 50', async () => {
		const ids = idsOf(await search({ returnAll: false, limit: 50 }));
		expect(ids).toEqual(car.slice(0, 50).map((c) => c.boosterCustomerId));
		expect(slimRequests().map((entry) => [entry.query.page, entry.query.items])).toEqual([['0', '50']]);
	});

	it('Limit 1,500 gives exactly the first 1,500, across two pages', async () => {
		const ids = idsOf(await search({ returnAll: false, limit: 1500 }));
		expect(ids).toEqual(car.slice(0, 1500).map((c) => c.boosterCustomerId));
		expect(slimRequests()).toHaveLength(2);
	});

	it('a Limit larger than the result gives the whole result', async () => {
		const expected = expectedIds((c) => c.posCode === 'CH100:100123' && c.customerStatus === 'Prospect');
		expect(expected.length).toBeLessThan(1000);
		const ids = idsOf(await search({ returnAll: false, limit: 1000, posCodes: ['CH100:100123'], filters: { customerStatus: ['Prospect'] } }));
		expect(ids).toEqual(expected);
	});

	it.each([0, -3, 2.5])('refuses Limit %s before any request', async (limit) => {
		const run = await env.engine.runNode({ node: boosterNode(searchParameters({ returnAll: false, limit })), credentials: [env.cred] });
		expect(run.error?.message).toMatch(/Limit/);
		expect(slimRequests()).toEqual([]);
	});
});

describe('sort', () => {
	const byName = (a: SandboxCustomer, b: SandboxCustomer) =>
		a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.boosterCustomerId - b.boosterCustomerId;

	it.each(['json', 'xml'])('Name (A to Z) orders every page by last name, first name, ID (%s)', async (requestFormat) => {
		const expected = [...car].sort(byName).map((c) => c.boosterCustomerId);
		const rows = await search({ returnAll: true, options: { sortBy: 'NameASC' } }, requestFormat);
		expect(idsOf(rows)).toEqual(expected);
		// Not the default order, or the test proves nothing.
		expect(expected).not.toEqual(car.map((c) => c.boosterCustomerId));
		for (const entry of slimRequests()) expect(entry.query.sortBy).toBe('NameASC');
	});

	it('Registration Date (Newest First), with a Limit', async () => {
		const byRegistration = (a: SandboxCustomer, b: SandboxCustomer) =>
			a.creationDate < b.creationDate ? 1 : a.creationDate > b.creationDate ? -1 : b.boosterCustomerId - a.boosterCustomerId;
		const rows = await search({ returnAll: false, limit: 120, options: { sortBy: 'RegDESC' } });
		expect(idsOf(rows)).toEqual([...car].sort(byRegistration).slice(0, 120).map((c) => c.boosterCustomerId));
	});
});
