// An export with every filter set, in JSON and in XML (the sandbox's strict DataContract XML), run
// by a real n8n: the request body the sandbox logged carries every filter as the API names it, and
// the file read back with n8n's Extract From File holds exactly the customers the filters select.
import { XMLParser } from 'fast-xml-parser';
import { useBoosterEnv, N8N_VERSION } from './env';
import { SANDBOX_CREDENTIAL_ID, SANDBOX_CREDENTIAL_NAME, stableId } from '../n8n/booster';
import { stateOf, compareRows, expectedExport, matches, nodeOutput, spending, type ExportFilters } from './expected';
import type { SandboxCustomer } from '../sandbox/index';
import { dayBounds, dayIn } from '../helpers/zones';

jest.setTimeout(5 * 60 * 1000);

/**
 * The workflows' time zone, set in their settings rather than left to the instance's default
 * (GENERIC_TIMEZONE, America/New_York unless set): the days picked are days of this zone.
 */
const TIME_ZONE = 'Europe/Zurich';

const shiftDay = (iso: string, days: number) => new Date(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);

/** Every filter, derived from one customer so that the export is not empty. */
function filtersFor(target: SandboxCustomer, others: SandboxCustomer[]): ExportFilters {
	const month = Number(target.birthDate!.slice(5, 7));
	const transaction = target.transactions[Math.floor(target.transactions.length / 2)];
	const category = target.productCategories[0];
	return {
		brand: target.brand,
		posCodes: [target.posCode, ...new Set(others.map((c) => c.posCode).filter((p) => p !== target.posCode))].slice(0, 3),
		searchKey: target.lastName,
		phoneNumber: target.phone,
		email: target.email,
		locationCountryIds: [target.locationCountryId, 'jp'],
		clientSpendingFrom: Math.floor(spending(target) / 2),
		clientSpendingTo: spending(target) + 1000,
		creationDateFrom: shiftDay(dayIn(TIME_ZONE, target.creationDate), -10),
		creationDateTo: shiftDay(dayIn(TIME_ZONE, target.creationDate), 10),
		transactionDateFrom: shiftDay(dayIn(TIME_ZONE, transaction.date), -1),
		transactionDateTo: shiftDay(dayIn(TIME_ZONE, transaction.date), 1),
		canBeContactedByMaison: target.canBeContactedByMaison,
		birthdateMonths: [month, (month % 12) + 1],
		interests: [target.interests[0], { interest: 'Nothing', sapInterestId: 'XX-0' }],
		hobbies: [target.hobbies[0]],
		productCollections: [target.productCollections[0]],
		customerStatus: [target.customerStatus],
		boosterCustomerIds: [target.boosterCustomerId, ...others.slice(0, 3).map((c) => c.boosterCustomerId)],
		hasSapCrmError: target.hasSapCrmError,
		productCategories: [{ grandCategoryId: category.grandCategoryId, masterCategoryId: category.masterCategoryId }],
		saleRepresentativeEmails: [target.saleRepresentativeEmails[0]],
	};
}

const yesNo = (value: boolean | undefined) => (value ? 'yes' : 'no');

/** The same filters as a user enters them in the node (editor value shapes). */
function nodeParameters(f: ExportFilters, requestFormat: 'json' | 'xml') {
	return {
		resource: 'customer',
		operation: 'export',
		brand: f.brand,
		posCodes: f.posCodes,
		filters: {
			birthdateMonths: f.birthdateMonths,
			boosterCustomerIds: f.boosterCustomerIds!.join(', '),
			canBeContactedByMaison: yesNo(f.canBeContactedByMaison),
			clientSpendingFrom: f.clientSpendingFrom,
			clientSpendingTo: f.clientSpendingTo,
			creationDateFrom: `${f.creationDateFrom}T00:00:00`,
			creationDateTo: `${f.creationDateTo}T00:00:00`,
			customerStatus: f.customerStatus,
			email: f.email,
			hasSapCrmError: yesNo(f.hasSapCrmError),
			hobbies: { hobby: f.hobbies },
			interests: { interest: f.interests },
			locationCountryIds: f.locationCountryIds!.join(', '),
			phoneNumber: f.phoneNumber,
			productCategories: {
				productCategory: f.productCategories!.map((c) => ({ brandCategoryId: '', categoryId: '', subCategoryId: '', ...c })),
			},
			productCollections: { productCollection: f.productCollections },
			saleRepresentativeEmails: f.saleRepresentativeEmails!.join(', '),
			searchKey: f.searchKey,
			transactionDateFrom: `${f.transactionDateFrom}T00:00:00`,
			transactionDateTo: `${f.transactionDateTo}T00:00:00`,
		},
		options: { downloadFile: true, pollIntervalSeconds: 1, timeoutMinutes: 5, requestFormat },
	};
}

function workflowFor(name: string, parameters: object) {
	return {
		id: stableId(`e2e-filters-${name}`),
		name: `e2e: every filter (${name})`,
		nodes: [
			{ id: 'a0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a0000000-0000-4000-8000-000000000002',
				name: 'Export',
				type: 'n8n-nodes-booster.booster',
				typeVersion: 1,
				position: [240, 0],
				parameters,
				credentials: { boosterApi: { id: SANDBOX_CREDENTIAL_ID, name: SANDBOX_CREDENTIAL_NAME } },
			},
			{
				id: 'a0000000-0000-4000-8000-000000000003',
				name: 'Read',
				type: 'n8n-nodes-base.extractFromFile',
				typeVersion: 1,
				position: [480, 0],
				parameters: { operation: 'csv', binaryPropertyName: 'data', options: {} },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Export', type: 'main', index: 0 }]] },
			Export: { main: [[{ node: 'Read', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1', timezone: TIME_ZONE },
		active: false,
	};
}

/**
 * The request as the API defines it, independent of the serialization. A day picked without a time
 * is a day of the workflow's time zone, sent as a UTC instant (YYYY-MM-DDTHH:mm:ss.sssZ): its first
 * moment for a From, its last for a To (the whole day).
 */
function expectedRequest(f: ExportFilters) {
	const { brand: _brand, ...rest } = f;
	const request: Record<string, unknown> = { ...rest };
	for (const range of ['creationDate', 'transactionDate']) {
		const from = request[`${range}From`];
		const to = request[`${range}To`];
		if (typeof from === 'string') request[`${range}From`] = dayBounds(from, TIME_ZONE).from;
		if (typeof to === 'string') request[`${range}To`] = dayBounds(to, TIME_ZONE).to;
	}
	return request;
}

/** Reads the logged XML body back into the request's terms (lists unwrapped, numbers and booleans typed). */
function requestFromXml(xml: string) {
	const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, isArray: (_n, jpath) => String(jpath).split('.').length === 3 });
	const doc = parser.parse(xml);
	const [[root, body]] = Object.entries(doc).filter(([k]) => k !== '?xml') as [string, any][];
	const out: Record<string, unknown> = {};
	const typed = (key: string, v: string): unknown => {
		if (['clientSpendingFrom', 'clientSpendingTo'].includes(key)) return Number(v);
		if (['canBeContactedByMaison', 'hasSapCrmError'].includes(key)) return v === 'true';
		return v;
	};
	for (const [key, value] of Object.entries(body ?? {})) {
		if (typeof value !== 'object' || value === null) {
			out[key] = typed(key, String(value));
			continue;
		}
		const entries = value as Record<string, unknown>;
		// a list: <posCodes><d2p1:string>…</d2p1:string></posCodes> or object entries
		const [[itemName, items]] = Object.entries(entries) as [string, any][];
		const list = Array.isArray(items) ? items : [items];
		out[key] = ['string', 'int'].includes(itemName)
			? list.map((v) => (itemName === 'int' ? Number(v) : v))
			: list.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)])));
	}
	return { root, request: out };
}

describe(`an export with every filter set, in n8n ${N8N_VERSION}`, () => {
	const env = useBoosterEnv({ name: 'filters', sandboxOptions: { exportDurationMs: 1000, strictXml: true } });

	function scenario(id: number) {
		const { dataset } = stateOf(env().sandbox);
		const target = dataset.customerById(id)!;
		const others = [...dataset.customersOfBrand(target.brand)].filter((c) => c.boosterCustomerId !== id).slice(0, 8);
		const filters = filtersFor(target, others);
		const expected = expectedExport(dataset, filters, TIME_ZONE);
		// the scenario is meaningful: the target passes every filter, and each filter alone would
		// let more customers through than all of them together
		expect(expected.map((c) => c.boosterCustomerId)).toEqual([id]);
		const loose = [...dataset.customersOfBrand(target.brand)].filter((c) => matches(c, { brand: filters.brand, posCodes: filters.posCodes }, TIME_ZONE));
		expect(loose.length).toBeGreaterThan(100);
		return { filters, expected };
	}

	async function run(format: 'json' | 'xml', customerId: number) {
		const { n8n } = env();
		const state = stateOf(env().sandbox);
		const { filters, expected } = scenario(customerId);
		const workflow = workflowFor(format, nodeParameters(filters, format));
		await n8n.importWorkflows([workflow]);
		state.resetRequestLog();

		const result = await n8n.executeWorkflow(workflow.id);

		const [task] = nodeOutput(result, 'Export');
		expect(task.json).toMatchObject({ status: 'COM', totalResults: 1 });
		compareRows(nodeOutput(result, 'Read').map((item) => item.json), expected);

		const entries = state.requestLog.entries;
		const exports = entries.filter((e) => e.method === 'POST' && /\/customer\/[^/]+\/export/.test(e.path));
		expect(exports).toHaveLength(1);
		expect(exports[0]).toMatchObject({ status: 200, path: expect.stringContaining(`/customer/${filters.brand}/export`) });
		// every request of the run used the chosen format, and succeeded
		expect(entries.filter((e) => e.status !== 200).map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([]);
		return { body: exports[0].body, headers: exports[0].headers, filters };
	}

	test('JSON: the body carries every filter, and the file holds exactly the selected customers', async () => {
		const { body, headers, filters } = await run('json', 1000010);
		expect(String(headers['content-type'])).toMatch(/application\/json/);
		const request = JSON.parse(body);
		expect(request).toEqual({ ...expectedRequest(filters), ...(request.brand !== undefined ? { brand: filters.brand } : {}), downloadRequestId: expect.any(String) });
	});

	test('XML (strict DataContract order and namespaces): the sandbox accepts the body, and it carries every filter', async () => {
		const { body, headers, filters } = await run('xml', 1000028);
		expect(String(headers['content-type'])).toMatch(/xml/);
		const { root, request } = requestFromXml(body);
		expect(root).toBe('ExportCustomer');
		const { downloadRequestId, brand, ...rest } = request;
		expect(typeof downloadRequestId).toBe('string');
		if (brand !== undefined) expect(brand).toBe(filters.brand);
		expect(rest).toEqual(expectedRequest(filters));
	});
});
