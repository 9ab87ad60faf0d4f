// The example workflows under examples/, imported into a real n8n and run against the sandbox; their
// output is checked against the sandbox's dataset (expectations computed in ./expected).
// The trigger example runs for real in trigger.e2e.test.ts.
import { useBoosterEnv, N8N_VERSION } from './env';
import { loadExampleWorkflows, hasNodeType, SANDBOX_CREDENTIAL_ID, SANDBOX_CREDENTIAL_NAME } from '../n8n/booster';
import { stateOf, compareRows, expectedExport, expectedKpi, nodeOutput, type ExportFilters } from './expected';

jest.setTimeout(5 * 60 * 1000);

const examples = loadExampleWorkflows();
const byName = (fragment: string) => {
	const found = examples.find((e) => e.workflow.name.toLowerCase().includes(fragment));
	if (!found) throw new Error(`no example workflow named like "${fragment}" in examples/`);
	return found.workflow;
};

describe('example workflows', () => {
	test('every example is an importable workflow that uses the sandbox credential', () => {
		expect(examples.map((e) => e.relative).sort()).toEqual([
			'examples/export-customers-and-read-the-file.json',
			'examples/kpis-for-a-list-of-customers.json',
			'examples/react-to-completed-exports.json',
		]);
		for (const { workflow, relative } of examples) {
			const boosterNodes = workflow.nodes.filter((n) => n.type.startsWith('n8n-nodes-booster.'));
			expect({ relative, booster: boosterNodes.length > 0 }).toEqual({ relative, booster: true });
			for (const node of boosterNodes) {
				expect(node.credentials).toEqual({ boosterApi: { id: SANDBOX_CREDENTIAL_ID, name: SANDBOX_CREDENTIAL_NAME } });
			}
			// manual examples start with a Manual Trigger; the trigger example with the Booster Trigger
			const starts = hasNodeType(workflow, 'n8n-nodes-base.manualTrigger') || hasNodeType(workflow, 'n8n-nodes-booster.boosterTrigger');
			expect({ relative, starts }).toEqual({ relative, starts: true });
		}
	});
});

describe(`example workflows run in n8n ${N8N_VERSION}`, () => {
	const env = useBoosterEnv({ name: 'examples', sandboxOptions: { exportDurationMs: 1500 } });

	beforeAll(async () => {
		await env().n8n.importWorkflows(examples.map((e) => e.workflow));
	});

	test('"Export customers and read the file": the rows read from the file are the customers the filters select', async () => {
		const { n8n } = env();
		const state = stateOf(env().sandbox);
		const workflow = byName('export customers');
		const exportNode = workflow.nodes.find((n) => n.type === 'n8n-nodes-booster.booster')!;
		const readNode = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.extractFromFile')!;
		state.resetRequestLog();

		const result = await n8n.executeWorkflow(workflow.id);

		// the filters as the example sets them, in the API's terms
		const p = exportNode.parameters;
		const filters: ExportFilters = {
			brand: p.brand,
			posCodes: p.posCodes,
			birthdateMonths: p.filters.birthdateMonths,
			canBeContactedByMaison: p.filters.canBeContactedByMaison === 'yes',
			clientSpendingFrom: p.filters.clientSpendingFrom,
		};
		const expected = expectedExport(state.dataset, filters);
		expect(expected.length).toBeGreaterThan(10); // a meaningful example

		const [task] = nodeOutput(result, exportNode.name);
		expect(task.json).toMatchObject({ status: 'COM', totalResults: expected.length, brand: 'CAR' });
		expect(task.binary?.data).toMatchObject({ mimeType: expect.stringMatching(/csv/), fileExtension: 'csv' });

		compareRows(nodeOutput(result, readNode.name).map((item) => item.json), expected);

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

	test('"KPIs for a list of customers": one item per customer with the KPIs of its transactions', async () => {
		const { n8n } = env();
		const { dataset } = stateOf(env().sandbox);
		const workflow = byName('kpis');
		const kpiNode = workflow.nodes.find((n) => n.type === 'n8n-nodes-booster.booster')!;
		const codeNode = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.code')!;

		const result = await n8n.executeWorkflow(workflow.id);

		const ids = nodeOutput(result, codeNode.name).map((item) => Number(item.json.boosterCustomerId));
		expect(ids.length).toBeGreaterThanOrEqual(5);
		const customers = ids.map((id) => dataset.customerById(id)!);
		expect(customers.every(Boolean)).toBe(true);
		// the list covers prospects (no transactions), clients with returns, and several currencies
		expect(customers.some((c) => c.transactions.length === 0)).toBe(true);
		expect(customers.some((c) => c.transactions.some((t) => t.type === 'return'))).toBe(true);
		expect(new Set(customers.map((c) => c.currencyCode)).size).toBeGreaterThan(1);

		const items = nodeOutput(result, kpiNode.name);
		expect(items.map((item) => item.json)).toEqual(customers.map(expectedKpi));
	});
});
