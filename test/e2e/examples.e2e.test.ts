// The example workflows under examples/, imported into a real n8n and run against the sandbox; their
// output is checked against the sandbox's dataset (expectations computed in ./expected).
// Manual examples run with `n8n execute`, or (the ones added with node version 1.1, to keep the
// suite fast) from their trigger inside the running n8n, as the editor's Execute Workflow button
// does; the scheduled example runs that way from its Schedule Trigger; the webhook example is
// published and called. The trigger example runs for real in trigger.e2e.test.ts.
import axios from 'axios';
import { useBoosterEnv, N8N_VERSION } from './env';
import { loadExampleWorkflows, hasNodeType, sandboxApiKey, SANDBOX_CREDENTIAL_ID, SANDBOX_CREDENTIAL_NAME } from '../n8n/booster';
import {
	stateOf,
	compareCustomers,
	expectedExport,
	expectedKpi,
	expectedPointsOfSale,
	expectedSearch,
	nextMonthIn,
	nodeOutput,
	type ExportFilters,
} from './expected';

jest.setTimeout(5 * 60 * 1000);

const examples = loadExampleWorkflows();
const byName = (fragment: string) => {
	const found = examples.find((e) => e.workflow.name.toLowerCase().includes(fragment));
	if (!found) throw new Error(`no example workflow named like "${fragment}" in examples/`);
	return found.workflow;
};
const BOOSTER = 'n8n-nodes-booster.booster';
const boosterNode = (workflow: ReturnType<typeof byName>, operation: string) => {
	const found = workflow.nodes.find((n) => n.type === BOOSTER && n.parameters.operation === operation);
	if (!found) throw new Error(`example "${workflow.name}" has no Booster node with operation ${operation}`);
	return found;
};
const nodeOfType = (workflow: ReturnType<typeof byName>, type: string) => {
	const found = workflow.nodes.find((n) => n.type === type);
	if (!found) throw new Error(`example "${workflow.name}" has no ${type} node`);
	return found;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const yesNo = (value: unknown) => (value === 'yes' ? true : value === 'no' ? false : undefined);

describe('example workflows', () => {
	test('every example is an importable workflow that uses the sandbox credential', () => {
		expect(examples.map((e) => e.relative).sort()).toEqual([
			'examples/birthdays-next-month.json',
			'examples/export-customers.json',
			'examples/get-a-customer.json',
			'examples/kpis-for-a-list-of-customers.json',
			'examples/list-points-of-sale.json',
			'examples/react-to-completed-exports.json',
			'examples/search-customers.json',
			'examples/unsubscribe-to-booster-consents.json',
		]);
		for (const { workflow, relative } of examples) {
			const boosterNodes = workflow.nodes.filter((n) => n.type.startsWith('n8n-nodes-booster.'));
			expect({ relative, booster: boosterNodes.length > 0 }).toEqual({ relative, booster: true });
			for (const node of boosterNodes) {
				expect(node.credentials).toEqual({ boosterApi: { id: SANDBOX_CREDENTIAL_ID, name: SANDBOX_CREDENTIAL_NAME } });
			}
			// the Booster node of every example is the current version
			const versions = workflow.nodes.filter((n) => n.type === BOOSTER).map((n) => n.typeVersion);
			expect({ relative, versions }).toEqual({ relative, versions: versions.map(() => 1.1) });
			// manual examples start with a Manual Trigger; the others with a schedule, a webhook or the Booster Trigger
			const starts = ['manualTrigger', 'scheduleTrigger', 'webhook'].some((t) => hasNodeType(workflow, `n8n-nodes-base.${t}`)) || hasNodeType(workflow, 'n8n-nodes-booster.boosterTrigger');
			expect({ relative, starts }).toEqual({ relative, starts: true });
			// no sticky notes; only the trigger example still reads a file
			expect({ relative, notes: hasNodeType(workflow, 'n8n-nodes-base.stickyNote') }).toEqual({ relative, notes: false });
			if (!hasNodeType(workflow, 'n8n-nodes-booster.boosterTrigger')) {
				expect({ relative, extract: hasNodeType(workflow, 'n8n-nodes-base.extractFromFile') }).toEqual({ relative, extract: false });
			}
		}
	});
});

describe(`example workflows run in n8n ${N8N_VERSION}`, () => {
	const env = useBoosterEnv({ name: 'examples', sandboxOptions: { exportDurationMs: 1500 } });

	beforeAll(async () => {
		await env().n8n.importWorkflows(examples.map((e) => e.workflow));
	});

	test('"Export customers": one item per customer the filters select, with the file\'s columns typed', async () => {
		const { n8n } = env();
		const state = stateOf(env().sandbox);
		const workflow = byName('export customers');
		const exportNode = boosterNode(workflow, 'export');
		expect(exportNode.parameters.output).toBe('customers');
		state.resetRequestLog();

		const result = await n8n.executeWorkflow(workflow.id);

		// the filters as the example sets them, in the API's terms
		const p = exportNode.parameters;
		const filters: ExportFilters = {
			brand: p.brand,
			posCodes: p.posCodes,
			birthdateMonths: p.filters.birthdateMonths,
			canBeContactedByMaison: yesNo(p.filters.canBeContactedByMaison),
			clientSpendingFrom: Number(p.filters.clientSpendingFrom),
		};
		const expected = expectedExport(state.dataset, filters);
		expect(expected.length).toBeGreaterThan(10); // a meaningful example

		const items = nodeOutput(result, exportNode.name);
		expect(items.every((item) => item.binary === undefined)).toBe(true);
		compareCustomers(items.map((item) => item.json), expected);

		// one export started, with exactly the example's filters
		const exports = state.requestLog.entries.filter((e) => e.method === 'POST' && /\/customer\/[^/]+\/export/.test(e.path));
		expect(exports).toHaveLength(1);
		const body = JSON.parse(exports[0].body);
		expect(body).toMatchObject({
			brand: 'CAR',
			posCodes: p.posCodes,
			birthdateMonths: [3, 4, 5],
			canBeContactedByMaison: true,
			clientSpendingFrom: 10000,
			downloadRequestId: expect.any(String),
		});
	});

	test('"KPIs for a list of customers": each input item with the KPIs of its customer added', async () => {
		const { n8n } = env();
		const { dataset } = stateOf(env().sandbox);
		const workflow = byName('kpis');
		const kpiNode = boosterNode(workflow, 'getKpi');
		const codeNode = nodeOfType(workflow, 'n8n-nodes-base.code');
		expect(kpiNode.parameters.options).toMatchObject({ includeInputFields: true });

		const result = await n8n.executeWorkflow(workflow.id);

		const inputs = nodeOutput(result, codeNode.name).map((item) => item.json);
		const customers = inputs.map((input) => dataset.customerById(Number(input.boosterCustomerId))!);
		expect(customers.length).toBeGreaterThanOrEqual(5);
		expect(customers.every(Boolean)).toBe(true);
		// the list covers prospects (no transactions), clients with returns, and several currencies
		expect(customers.some((c) => c.transactions.length === 0)).toBe(true);
		expect(customers.some((c) => c.transactions.some((t) => t.type === 'return'))).toBe(true);
		expect(new Set(customers.map((c) => c.currencyCode)).size).toBeGreaterThan(1);
		// the input items carry columns of their own, which the output keeps
		expect(inputs.every((input) => Object.keys(input).length > 1)).toBe(true);

		const items = nodeOutput(result, kpiNode.name);
		expect(items.map((item) => item.json)).toEqual(customers.map((c, i) => ({ ...inputs[i], ...expectedKpi(c) })));
	});

	test('"Every Monday, customers with a birthday next month": run from its Schedule Trigger, the contactable customers of its POS born next month, as items', async () => {
		const { n8n } = env();
		const state = stateOf(env().sandbox);
		const workflow = byName('birthday next month');
		const schedule = nodeOfType(workflow, 'n8n-nodes-base.scheduleTrigger');
		const exportNode = boosterNode(workflow, 'export');
		const last = nodeOfType(workflow, 'n8n-nodes-base.noOp');
		// weekly, on Mondays at 07:00, with the month as an expression and the customers as items
		expect(schedule.parameters.rule).toEqual({ interval: [{ field: 'weeks', triggerAtDay: [1], triggerAtHour: 7 }] });
		expect(exportNode.parameters).toMatchObject({ output: 'customers', filters: { birthdateMonths: expect.stringMatching(/^=\{\{.*\$now.*\}\}$/) } });
		state.resetRequestLog();

		const execution = await n8n.runWorkflowFrom(workflow.id, schedule.name);

		// next month as seen by the trigger: its time and the workflow's time zone
		const [fired] = nodeOutput(execution, schedule.name);
		const timeZone = String(fired.json.Timezone).split(' ')[0];
		const month = nextMonthIn(timeZone, new Date(fired.json.timestamp));
		const p = exportNode.parameters;
		const filters: ExportFilters = { brand: p.brand, posCodes: p.posCodes, birthdateMonths: [month], canBeContactedByMaison: true };
		const expected = expectedExport(state.dataset, filters);
		expect(expected.length).toBeGreaterThan(3);

		const exports = state.requestLog.entries.filter((e) => e.method === 'POST' && /\/customer\/[^/]+\/export/.test(e.path));
		expect(exports).toHaveLength(1);
		expect(JSON.parse(exports[0].body)).toMatchObject({ brand: 'CAR', posCodes: p.posCodes, birthdateMonths: [month], canBeContactedByMaison: true });

		const items = nodeOutput(execution, exportNode.name);
		expect(items.every((item) => item.binary === undefined)).toBe(true);
		compareCustomers(items.map((item) => item.json), expected);
		// and on to the next step, unchanged
		expect(nodeOutput(execution, last.name).map((item) => item.json)).toEqual(items.map((item) => item.json));
	});

	test('"Unsubscribe in the e-mail tool → Booster consents": the webhook turns Contact by Email off and leaves the other consents', async () => {
		const { n8n, sandbox } = env();
		const state = stateOf(sandbox);
		const workflow = byName('unsubscribe');
		const webhook = nodeOfType(workflow, 'n8n-nodes-base.webhook');
		const updateNode = boosterNode(workflow, 'updateConsents');
		// a customer who may be e-mailed and phoned, and not written to: every flag shows whether it was left alone
		const customer = [...state.dataset.customersOfBrand('CAR')].find((c) => {
			const flags = state.consentsOf(c.boosterCustomerId)!;
			return flags.contactByEmailFlag && flags.contactByPhoneFlag && !flags.contactByMailFlag;
		})!;
		const id = customer.boosterCustomerId;
		const before = state.consentsOf(id)!;
		const updatesBefore = state.consentUpdates.length;

		await n8n.publishWorkflow(workflow.id);
		try {
			// n8n registers the webhook shortly after publishing; until then it answers 404 and runs nothing
			const call = () => axios.post(`${n8n.url}/webhook/${webhook.parameters.path}`, { boosterCustomerId: id }, { validateStatus: () => true });
			let res = await call();
			for (const deadline = Date.now() + 30000; res.status === 404 && Date.now() < deadline; res = await call()) await sleep(250);
			expect({ status: res.status, body: res.data }).toEqual({ status: 200, body: { boosterCustomerId: id, contactByEmailFlag: false } });
		} finally {
			await n8n.unpublishWorkflow(workflow.id);
		}

		expect(state.consentsOf(id)).toEqual({ ...before, contactByEmailFlag: false });
		// one update, with that flag only
		expect(state.consentUpdates.slice(updatesBefore)).toEqual([expect.objectContaining({ boosterCustomerId: id, flags: { contactByEmailFlag: false }, accountName: 'main' })]);
		// the customer may still be phoned, so the Maison may still contact them
		expect(state.dataset.customerById(id)!.canBeContactedByMaison).toBe(true);
		const [execution] = await n8n.listExecutions(workflow.id, { includeData: true });
		expect(execution).toMatchObject({ mode: 'webhook', status: 'success' });
		expect(nodeOutput(execution, updateNode.name).map((item) => item.json)).toEqual([{ boosterCustomerId: id, contactByEmailFlag: false }]);
	});

	test('"Get a customer": the customer as Booster answers, with the sandbox\'s data', async () => {
		const { n8n, sandbox, sandboxModule } = env();
		const { dataset } = stateOf(sandbox);
		const workflow = byName('get a customer');
		const getNode = boosterNode(workflow, 'get');
		const id = Number(getNode.parameters.customerId.value);
		const customer = dataset.customerById(id)!;
		expect(customer.birthDate).toBeTruthy(); // shows an event

		const execution = await n8n.runWorkflowFrom(workflow.id, nodeOfType(workflow, 'n8n-nodes-base.manualTrigger').name);

		const items = nodeOutput(execution, getNode.name).map((item) => item.json);
		// what the API answers for this customer, asked directly; its date (WCF /Date(ms)/ in JSON) as ISO 8601
		const direct = await axios.get(`${sandbox.url}/customer/${id}`, {
			headers: { Authorization: `Bearer ${sandboxApiKey(sandbox, sandboxModule)}`, Accept: 'application/json' },
		});
		expect(direct.data.registrationDate).toMatch(/^\/Date\(\d+[-+]\d{4}\)\/$/);
		expect(items).toEqual([{ ...direct.data, registrationDate: customer.creationDate }]);
		const [birthYear, birthMonth, birthDay] = customer.birthDate!.split('-').map(Number);
		expect(items[0]).toMatchObject({
			id,
			sapId: customer.sapId,
			firstName: customer.firstName,
			lastName: customer.lastName,
			brand: customer.brand,
			countryId: customer.locationCountryId,
			language: customer.language,
			gender: customer.gender,
			canBeContacted: customer.canBeContactedByMaison,
			registrationDate: customer.creationDate,
			emails: [expect.objectContaining({ email: customer.email, isMain: true })],
			phones: [expect.objectContaining({ phone: customer.phoneNumber, telephonePrefix: customer.phonePrefix, isMain: true })],
			events: [expect.objectContaining({ eventDay: birthDay, eventMonth: birthMonth, eventYear: birthYear })],
		});
	});

	test('"Search customers": the customers the filters select, in name order, up to the limit', async () => {
		const { n8n } = env();
		const state = stateOf(env().sandbox);
		const workflow = byName('search customers');
		const searchNode = boosterNode(workflow, 'search');
		const p = searchNode.parameters;
		const filters: ExportFilters = {
			brand: p.brand,
			posCodes: p.posCodes,
			canBeContactedByMaison: yesNo(p.filters.canBeContactedByMaison),
			clientSpendingFrom: Number(p.filters.clientSpendingFrom),
			customerStatus: p.filters.customerStatus,
		};
		expect(p.returnAll ?? false).toBe(false);
		expect(expectedExport(state.dataset, filters).length).toBeGreaterThan(p.limit); // the limit matters
		state.resetRequestLog();

		const execution = await n8n.runWorkflowFrom(workflow.id, nodeOfType(workflow, 'n8n-nodes-base.manualTrigger').name);

		const items = nodeOutput(execution, searchNode.name).map((item) => item.json);
		expect(items).toEqual(expectedSearch(state.dataset, filters, { sortBy: p.options.sortBy, limit: p.limit }));
		// one page, no bigger than the limit
		const pages = state.requestLog.entries.filter((e) => e.method === 'GET' && /\/customer\/[^/]+\/slim/.test(e.path));
		expect(pages).toHaveLength(1);
		expect(pages[0].query).toMatchObject({ items: String(p.limit), page: '0' });
	});

	test('"List the points of sale": every point of sale of the brand the account sees', async () => {
		const { n8n } = env();
		const { dataset } = stateOf(env().sandbox);
		const workflow = byName('points of sale');
		const posNode = boosterNode(workflow, 'getMany');
		expect(posNode.parameters).toMatchObject({ resource: 'pointOfSale', returnAll: true });

		const execution = await n8n.runWorkflowFrom(workflow.id, nodeOfType(workflow, 'n8n-nodes-base.manualTrigger').name);

		const expected = expectedPointsOfSale(dataset.pointsOfSale, posNode.parameters.brand);
		expect(expected.length).toBeGreaterThan(2);
		expect(nodeOutput(execution, posNode.name).map((item) => item.json)).toEqual(expected);
	});
});
