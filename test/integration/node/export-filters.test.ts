/**
 * Customer → Export through n8n's engine: every filter alone and all together, in JSON and XML
 * (strict XML on). The request body is read from the sandbox's log; the exported CSV is fetched
 * with Task → Download File and compared with the customers the dataset says match.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { SandboxCustomer } from '../../sandbox';
import { dayBounds, dayIn } from '../../helpers/zones';
import { type Env, boosterNode, csvIds, customersOf, exportRequests, idsWhere, posOf, spending, startEnv } from './setup';

const ARRAYS = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';
const COMMON = 'http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.Common.ServiceModel';

let env: Env;
let car: SandboxCustomer[];
let carPos: string[];

beforeAll(async () => {
	env = await startEnv({ strictXml: true });
	car = customersOf(env, 'CAR');
	carPos = posOf(env, 'CAR');
});
afterAll(async () => await env.stop());

const lower = (text: string) => text.toLowerCase();
/** The day of an instant in the workflow's time zone (the engine's, Europe/Zurich): the day a date picked in the editor means. */
const day = (iso: string) => dayIn(env.engine.timezone, iso);
/** Whether an instant lies within bounds sent as UTC instants (…Z), both ends inclusive. */
const inWindow = (date: string, from?: string, to?: string) =>
	(!from || Date.parse(date) >= Date.parse(from)) && (!to || Date.parse(date) <= Date.parse(to));
const xmlStrings = (name: string, values: string[], kind = 'string') =>
	`<${name} xmlns:d2p1="${ARRAYS}">${values.map((value) => `<d2p1:${kind}>${value}</d2p1:${kind}>`).join('')}</${name}>`;

interface FilterCase {
	name: string;
	/** Node parameters: posCodes (default: every CAR POS) and the Filters collection, as the editor stores them. */
	posCodes?: unknown;
	filters: () => IDataObject;
	/** Fields of the JSON body as the API expects them. */
	json: () => IDataObject;
	/** Fragments the XML body must contain. */
	xml: () => string[];
	matches: () => (customer: SandboxCustomer) => boolean;
}

/** A customer with something in every list, so the all-filters case selects at least them. */
function richCustomer(): SandboxCustomer {
	const found = car.find(
		(c) =>
			c.customerStatus === 'Client' &&
			c.birthDate !== null &&
			c.interests.length > 0 &&
			c.hobbies.length > 0 &&
			c.productCollections.length > 0 &&
			c.productCategories.length > 0 &&
			c.saleRepresentativeEmails.length > 0 &&
			c.transactions.length > 0,
	);
	if (!found) throw new Error('The dataset has no CAR customer with every list filled; raise `customers`.');
	return found;
}

const cases: FilterCase[] = [
	{
		name: 'posCodes (picked in the dropdown)',
		posCodes: ['CH100:100123', 'JP100:100158'],
		filters: () => ({}),
		json: () => ({ posCodes: ['CH100:100123', 'JP100:100158'] }),
		xml: () => [xmlStrings('posCodes', ['CH100:100123', 'JP100:100158'])],
		matches: () => (c) => ['CH100:100123', 'JP100:100158'].includes(c.posCode),
	},
	{
		name: 'posCodes (expression returning comma-separated text)',
		posCodes: '={{ "FR100:100130, IT100:100137" }}',
		filters: () => ({}),
		json: () => ({ posCodes: ['FR100:100130', 'IT100:100137'] }),
		xml: () => [xmlStrings('posCodes', ['FR100:100130', 'IT100:100137'])],
		matches: () => (c) => ['FR100:100130', 'IT100:100137'].includes(c.posCode),
	},
	{
		name: 'searchKey',
		filters: () => ({ searchKey: car[3].lastName }),
		json: () => ({ searchKey: car[3].lastName }),
		xml: () => [`<searchKey>${car[3].lastName}</searchKey>`],
		matches: () => {
			const key = lower(car[3].lastName);
			return (c) =>
				lower(`${c.firstName} ${c.lastName}`).includes(key) ||
				lower(`${c.lastName} ${c.firstName}`).includes(key) ||
				lower(c.email).includes(key);
		},
	},
	{
		name: 'phoneNumber',
		filters: () => ({ phoneNumber: car[6].phone }),
		json: () => ({ phoneNumber: car[6].phone }),
		xml: () => [`<phoneNumber>${car[6].phone}</phoneNumber>`],
		matches: () => (c) => c.phone === car[6].phone || c.phoneNumber === car[6].phone,
	},
	{
		name: 'email',
		filters: () => ({ email: car[5].email }),
		json: () => ({ email: car[5].email }),
		xml: () => [`<email>${car[5].email}</email>`],
		matches: () => (c) => lower(c.email) === lower(car[5].email),
	},
	{
		name: 'locationCountryIds (comma-separated)',
		filters: () => ({ locationCountryIds: 'fr, JP' }),
		json: () => ({ locationCountryIds: ['fr', 'JP'] }),
		xml: () => [xmlStrings('locationCountryIds', ['fr', 'JP'])],
		matches: () => (c) => ['fr', 'jp'].includes(lower(c.locationCountryId)),
	},
	{
		// The editor stores an optional amount as text.
		name: 'clientSpendingFrom (text, as the editor stores it)',
		filters: () => ({ clientSpendingFrom: '5000' }),
		json: () => ({ clientSpendingFrom: 5000 }),
		xml: () => ['<clientSpendingFrom>5000</clientSpendingFrom>'],
		matches: () => (c) => spending(c) >= 5000,
	},
	{
		// A number, as an expression or a workflow saved before the amounts became text gives it.
		name: 'clientSpendingTo (number)',
		filters: () => ({ clientSpendingTo: 2500.5 }),
		json: () => ({ clientSpendingTo: 2500.5 }),
		xml: () => ['<clientSpendingTo>2500.5</clientSpendingTo>'],
		matches: () => (c) => spending(c) <= 2500.5,
	},
	// Dates picked in the editor are times of the workflow's zone (Europe/Zurich: UTC+1 in winter,
	// UTC+2 in summer), sent as UTC instants.
	{
		name: 'creationDateFrom',
		filters: () => ({ creationDateFrom: '2019-03-01T00:00:00' }),
		json: () => ({ creationDateFrom: '2019-02-28T23:00:00.000Z' }),
		xml: () => ['<creationDateFrom>2019-02-28T23:00:00.000Z</creationDateFrom>'],
		matches: () => (c) => inWindow(c.creationDate, '2019-02-28T23:00:00.000Z'),
	},
	{
		name: 'creationDateTo',
		// A day picked without a time ends the range: the whole of that day in Zurich.
		filters: () => ({ creationDateTo: '2016-12-31T00:00:00' }),
		json: () => ({ creationDateTo: '2016-12-31T22:59:59.999Z' }),
		xml: () => ['<creationDateTo>2016-12-31T22:59:59.999Z</creationDateTo>'],
		matches: () => (c) => inWindow(c.creationDate, undefined, '2016-12-31T22:59:59.999Z'),
	},
	{
		name: 'transactionDateFrom',
		filters: () => ({ transactionDateFrom: '2025-01-01T00:00:00' }),
		json: () => ({ transactionDateFrom: '2024-12-31T23:00:00.000Z' }),
		xml: () => ['<transactionDateFrom>2024-12-31T23:00:00.000Z</transactionDateFrom>'],
		matches: () => (c) => c.transactions.some((t) => inWindow(t.date, '2024-12-31T23:00:00.000Z')),
	},
	{
		name: 'transactionDateTo',
		filters: () => ({ transactionDateTo: '2020-06-30T00:00:00' }),
		json: () => ({ transactionDateTo: '2020-06-30T21:59:59.999Z' }),
		xml: () => ['<transactionDateTo>2020-06-30T21:59:59.999Z</transactionDateTo>'],
		matches: () => (c) => c.transactions.some((t) => inWindow(t.date, undefined, '2020-06-30T21:59:59.999Z')),
	},
	{
		name: 'canBeContactedByMaison = yes',
		filters: () => ({ canBeContactedByMaison: 'yes' }),
		json: () => ({ canBeContactedByMaison: true }),
		xml: () => ['<canBeContactedByMaison>true</canBeContactedByMaison>'],
		matches: () => (c) => c.canBeContactedByMaison,
	},
	{
		name: 'canBeContactedByMaison = no',
		filters: () => ({ canBeContactedByMaison: 'no' }),
		json: () => ({ canBeContactedByMaison: false }),
		xml: () => ['<canBeContactedByMaison>false</canBeContactedByMaison>'],
		matches: () => (c) => !c.canBeContactedByMaison,
	},
	{
		name: 'birthdateMonths (January and December)',
		filters: () => ({ birthdateMonths: [1, 12] }),
		json: () => ({ birthdateMonths: [1, 12] }),
		xml: () => [xmlStrings('birthdateMonths', ['1', '12'], 'int')],
		matches: () => (c) => c.birthDate !== null && ['01', '12'].includes(c.birthDate.slice(5, 7)),
	},
	{
		name: 'interests',
		filters: () => ({ interests: { interest: [{ interest: 'Art', sapInterestId: 'CA-1' }, { interest: 'Music', sapInterestId: 'CA-4' }] } }),
		json: () => ({ interests: [{ interest: 'Art', sapInterestId: 'CA-1' }, { interest: 'Music', sapInterestId: 'CA-4' }] }),
		xml: () => [
			'<interests><GetCustomerInterest><interest>Art</interest><sapInterestId>CA-1</sapInterestId></GetCustomerInterest><GetCustomerInterest><interest>Music</interest><sapInterestId>CA-4</sapInterestId></GetCustomerInterest></interests>',
		],
		matches: () => (c) => c.interests.some((i) => ['CA-1', 'CA-4'].includes(i.sapInterestId)),
	},
	{
		name: 'hobbies (one by id, one by description)',
		filters: () => ({ hobbies: { hobby: [{ hobby: '', sapHobbyId: 'GLF' }, { hobby: 'Sailing', sapHobbyId: '' }] } }),
		json: () => ({ hobbies: [{ sapHobbyId: 'GLF' }, { hobby: 'Sailing' }] }),
		xml: () => ['<hobbies><GetCustomerHobby><sapHobbyId>GLF</sapHobbyId></GetCustomerHobby><GetCustomerHobby><hobby>Sailing</hobby></GetCustomerHobby></hobbies>'],
		matches: () => (c) => c.hobbies.some((h) => h.sapHobbyId === 'GLF' || lower(h.hobby) === 'sailing'),
	},
	{
		name: 'productCollections',
		filters: () => ({ productCollections: { productCollection: [{ productCollection: 'Panthère', sapProductCollectionId: 'PC-2' }] } }),
		json: () => ({ productCollections: [{ productCollection: 'Panthère', sapProductCollectionId: 'PC-2' }] }),
		xml: () => [
			'<productCollections><GetCustomerProductCollection><productCollection>Panthère</productCollection><sapProductCollectionId>PC-2</sapProductCollectionId></GetCustomerProductCollection></productCollections>',
		],
		matches: () => (c) => c.productCollections.some((p) => p.sapProductCollectionId === 'PC-2'),
	},
	{
		name: 'productCategories (grand and master category)',
		filters: () => ({
			productCategories: {
				productCategory: [{ grandCategoryId: 'WAT', masterCategoryId: 'WAT-M', categoryId: '', subCategoryId: '', brandCategoryId: '' }],
			},
		}),
		json: () => ({ productCategories: [{ grandCategoryId: 'WAT', masterCategoryId: 'WAT-M' }] }),
		xml: () => [
			`<productCategories xmlns:d2p1="${COMMON}"><d2p1:ProductCategory><d2p1:grandCategoryId>WAT</d2p1:grandCategoryId><d2p1:masterCategoryId>WAT-M</d2p1:masterCategoryId></d2p1:ProductCategory></productCategories>`,
		],
		matches: () => (c) => c.productCategories.some((p) => p.grandCategoryId === 'WAT' && p.masterCategoryId === 'WAT-M'),
	},
	{
		name: 'customerStatus',
		filters: () => ({ customerStatus: ['Prospect'] }),
		json: () => ({ customerStatus: ['Prospect'] }),
		xml: () => [xmlStrings('customerStatus', ['Prospect'])],
		matches: () => (c) => c.customerStatus === 'Prospect',
	},
	{
		name: 'boosterCustomerIds (comma-separated)',
		filters: () => ({ boosterCustomerIds: `${car[0].boosterCustomerId}, ${car[7].boosterCustomerId},${car[20].boosterCustomerId}` }),
		json: () => ({ boosterCustomerIds: [car[0].boosterCustomerId, car[7].boosterCustomerId, car[20].boosterCustomerId] }),
		xml: () => [xmlStrings('boosterCustomerIds', [car[0], car[7], car[20]].map((c) => String(c.boosterCustomerId)), 'int')],
		matches: () => (c) => [car[0], car[7], car[20]].includes(c),
	},
	{
		name: 'hasSapCrmError = yes',
		filters: () => ({ hasSapCrmError: 'yes' }),
		json: () => ({ hasSapCrmError: true }),
		xml: () => ['<hasSapCrmError>true</hasSapCrmError>'],
		matches: () => (c) => c.hasSapCrmError,
	},
	{
		name: 'hasSapCrmError = no',
		filters: () => ({ hasSapCrmError: 'no' }),
		json: () => ({ hasSapCrmError: false }),
		xml: () => ['<hasSapCrmError>false</hasSapCrmError>'],
		matches: () => (c) => !c.hasSapCrmError,
	},
	{
		name: 'saleRepresentativeEmails',
		filters: () => ({ saleRepresentativeEmails: car[0].saleRepresentativeEmails[0] }),
		json: () => ({ saleRepresentativeEmails: [car[0].saleRepresentativeEmails[0]] }),
		xml: () => [xmlStrings('saleRepresentativeEmails', [car[0].saleRepresentativeEmails[0]])],
		matches: () => (c) => c.saleRepresentativeEmails.map(lower).includes(lower(car[0].saleRepresentativeEmails[0])),
	},
	{
		name: 'all filters together',
		posCodes: '={{ $json.pos }}',
		filters: () => {
			const c = richCustomer();
			return {
				searchKey: c.lastName,
				phoneNumber: c.phone,
				email: c.email,
				locationCountryIds: c.locationCountryId,
				clientSpendingFrom: String(Math.max(0, Math.floor(spending(c)) - 1)),
				clientSpendingTo: Math.ceil(spending(c)) + 1,
				creationDateFrom: `${day(c.creationDate)}T00:00:00`,
				creationDateTo: `${day(c.creationDate)}T00:00:00`,
				transactionDateFrom: `${day(c.transactions[0].date)}T00:00:00`,
				transactionDateTo: `${day(c.transactions[0].date)}T00:00:00`,
				canBeContactedByMaison: c.canBeContactedByMaison ? 'yes' : 'no',
				birthdateMonths: [Number(c.birthDate!.slice(5, 7))],
				interests: { interest: [{ interest: c.interests[0].interest, sapInterestId: c.interests[0].sapInterestId }] },
				hobbies: { hobby: [{ hobby: c.hobbies[0].hobby, sapHobbyId: c.hobbies[0].sapHobbyId }] },
				productCollections: { productCollection: [{ ...c.productCollections[0] }] },
				customerStatus: [c.customerStatus],
				boosterCustomerIds: String(c.boosterCustomerId),
				hasSapCrmError: c.hasSapCrmError ? 'yes' : 'no',
				productCategories: { productCategory: [{ ...c.productCategories[0] }] },
				saleRepresentativeEmails: c.saleRepresentativeEmails.join(', '),
			};
		},
		json: () => {
			const c = richCustomer();
			return {
				brand: 'CAR',
				posCodes: [c.posCode],
				searchKey: c.lastName,
				phoneNumber: c.phone,
				email: c.email,
				locationCountryIds: [c.locationCountryId],
				clientSpendingFrom: Math.max(0, Math.floor(spending(c)) - 1),
				clientSpendingTo: Math.ceil(spending(c)) + 1,
				creationDateFrom: dayBounds(day(c.creationDate), env.engine.timezone).from,
				creationDateTo: dayBounds(day(c.creationDate), env.engine.timezone).to,
				transactionDateFrom: dayBounds(day(c.transactions[0].date), env.engine.timezone).from,
				transactionDateTo: dayBounds(day(c.transactions[0].date), env.engine.timezone).to,
				canBeContactedByMaison: c.canBeContactedByMaison,
				birthdateMonths: [Number(c.birthDate!.slice(5, 7))],
				interests: [c.interests[0]],
				hobbies: [c.hobbies[0]],
				productCollections: [c.productCollections[0]],
				customerStatus: [c.customerStatus],
				boosterCustomerIds: [c.boosterCustomerId],
				hasSapCrmError: c.hasSapCrmError,
				productCategories: [c.productCategories[0]],
				saleRepresentativeEmails: c.saleRepresentativeEmails,
			};
		},
		xml: () => {
			const c = richCustomer();
			return [`<boosterCustomerIds xmlns:d2p1="${ARRAYS}"><d2p1:int>${c.boosterCustomerId}</d2p1:int></boosterCustomerIds>`, `<searchKey>${c.lastName}</searchKey>`];
		},
		matches: () => {
			const c = richCustomer();
			const s = spending(c);
			return (x) =>
				x.posCode === c.posCode &&
				lower(`${x.firstName} ${x.lastName} ${x.lastName} ${x.firstName} ${x.email}`).includes(lower(c.lastName)) &&
				(x.phone === c.phone || x.phoneNumber === c.phone) &&
				lower(x.email) === lower(c.email) &&
				x.locationCountryId === c.locationCountryId &&
				spending(x) >= Math.max(0, Math.floor(s) - 1) &&
				spending(x) <= Math.ceil(s) + 1 &&
				day(x.creationDate) === day(c.creationDate) &&
				x.transactions.some((t) => day(t.date) === day(c.transactions[0].date)) &&
				x.canBeContactedByMaison === c.canBeContactedByMaison &&
				x.birthDate !== null &&
				x.birthDate.slice(5, 7) === c.birthDate!.slice(5, 7) &&
				x.interests.some((i) => i.sapInterestId === c.interests[0].sapInterestId) &&
				x.hobbies.some((h) => h.sapHobbyId === c.hobbies[0].sapHobbyId) &&
				x.productCollections.some((p) => p.sapProductCollectionId === c.productCollections[0].sapProductCollectionId) &&
				x.customerStatus === c.customerStatus &&
				x.boosterCustomerId === c.boosterCustomerId &&
				x.hasSapCrmError === c.hasSapCrmError &&
				x.productCategories.some((p) => p.subCategoryId === c.productCategories[0].subCategoryId && p.grandCategoryId === c.productCategories[0].grandCategoryId) &&
				x.saleRepresentativeEmails.some((e) => c.saleRepresentativeEmails.includes(e));
		},
	},
];

interface CaseResult {
	exportItems: INodeExecutionData[];
	exportError?: string;
	body?: string;
	contentType?: string;
	downloaded?: INodeExecutionData;
}

function exportNode(testCase: FilterCase, format: 'json' | 'xml') {
	return boosterNode({
		resource: 'customer',
		operation: 'export',
		brand: 'CAR',
		posCodes: testCase.posCodes ?? carPos,
		filters: testCase.filters(),
		// Output Task: the export is only started here; its file is fetched below with Task → Download File.
		output: 'task',
		advanced: { requestFormat: format },
	});
}

describe.each(['json', 'xml'] as const)('Export filters in %s', (format) => {
	const results = new Map<string, CaseResult>();

	beforeAll(async () => {
		for (const testCase of cases) {
			env.sandbox.state.requestLog.clear();
			const run = await env.engine.runNode({
				node: exportNode(testCase, format),
				inputItems: [{ json: { pos: [richCustomer().posCode] } }],
				credentials: [env.cred],
			});
			const [request] = exportRequests(env);
			results.set(testCase.name, {
				exportItems: run.items,
				exportError: run.error ? `${run.error.message} ${run.error.description ?? ''}` : undefined,
				body: request?.body,
				contentType: String(request?.headers['content-type'] ?? ''),
			});
		}
		// Let every task finish on the sandbox clock, then fetch all files in one run.
		env.sandbox.state.advanceClock(env.sandbox.state.config.exportDurationMs + 1000);
		const started = cases.filter((testCase) => results.get(testCase.name)!.exportItems.length === 1);
		const download = await env.engine.runNode({
			node: boosterNode(
				{ resource: 'task', operation: 'downloadFile', asyncTaskId: '={{ $json.asyncTaskId }}', advanced: { requestFormat: format } },
				{ onError: 'continueRegularOutput' },
			),
			inputItems: started.map((testCase) => ({ json: results.get(testCase.name)!.exportItems[0].json })),
			credentials: [env.cred],
		});
		for (const item of download.items) {
			const index = (item.pairedItem as { item: number }).item;
			results.get(started[index].name)!.downloaded = item;
		}
	});

	it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
		const result = results.get(testCase.name)!;
		expect(result.exportError).toBeUndefined();
		expect(result.body).toBeDefined();
		if (format === 'json') {
			expect(result.contentType).toMatch(/json/);
			const body = JSON.parse(result.body!) as IDataObject;
			expect(body).toMatchObject({ brand: 'CAR', ...testCase.json() });
			expect(typeof body.downloadRequestId).toBe('string');
		} else {
			expect(result.contentType).toMatch(/xml/);
			expect(result.body).toMatch(/^<ExportCustomer /);
			for (const fragment of testCase.xml()) expect(result.body).toContain(fragment);
			expect(result.body).toContain('<brand>CAR</brand>');
		}
		const expected = idsWhere(car, (c) => (testCase.posCodes === undefined ? carPos.includes(c.posCode) : true) && testCase.matches()(c));
		expect(expected.length).toBeGreaterThan(0);
		expect(result.downloaded).toBeDefined();
		expect(result.downloaded!.json.error).toBeUndefined();
		expect(result.downloaded!.json.status).toBe('COM');
		expect(await csvIds(env, result.downloaded!)).toEqual(expected);
		expect(result.downloaded!.json.totalResults).toBe(expected.length);
	});
});

describe('optional amounts left empty', () => {
	it.each(['json', 'xml'] as const)('Client Spending From and To left empty (the editor\'s default, text) are not sent (%s)', async (format) => {
		env.sandbox.state.requestLog.clear();
		const run = await env.engine.runNode({
			node: boosterNode({
				resource: 'customer',
				operation: 'export',
				brand: 'CAR',
				posCodes: carPos,
				output: 'task',
				filters: { clientSpendingFrom: '', clientSpendingTo: '  ', customerStatus: ['Client'] },
				advanced: { requestFormat: format },
			}),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const [request] = exportRequests(env);
		expect(request.body).not.toMatch(/clientSpending/);
		if (format === 'json') expect(JSON.parse(request.body)).toMatchObject({ brand: 'CAR', customerStatus: ['Client'] });
		else expect(request.body).toContain(xmlStrings('customerStatus', ['Client']));
	});
});
