// The n8n editor in a real browser: Debian's Chromium, headless, driven over the Chrome DevTools
// Protocol by test/e2e/browser/editor-check.js (run with the cached Node 24, whose global WebSocket
// speaks CDP; no browser npm package). It signs in, opens the example workflows and a workflow with
// one Booster node per remaining operation, opens each Booster node, and checks that its
// parameters render: their labels are in the panel, no error notification, no page exception, and
// the POS list loaded from the sandbox through n8n.
//
// Needs /usr/bin/chromium (`apt-get install -y chromium`), or CHROMIUM_BIN.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { useBoosterEnv, N8N_VERSION } from './env';
import { ensureNode24 } from '../n8n/toolchain';
import { loadExampleWorkflows, SANDBOX_CREDENTIAL_ID, SANDBOX_CREDENTIAL_NAME, stableId } from '../n8n/booster';

jest.setTimeout(8 * 60 * 1000);

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const credentials = { boosterApi: { id: SANDBOX_CREDENTIAL_ID, name: SANDBOX_CREDENTIAL_NAME } };

const taskWorkflow = {
	id: stableId('e2e-editor-task-operations'),
	name: 'e2e: Booster task operations',
	nodes: [
		{ id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...[
			['Get task', { resource: 'task', operation: 'get', asyncTaskId: '3f2b8c1e9a4d4e7b8c1f2a3b4c5d6e7f' }],
			['List tasks', { resource: 'task', operation: 'getMany', returnAll: false, limit: 10 }],
			['Download task file', { resource: 'task', operation: 'downloadFile', asyncTaskId: '3f2b8c1e9a4d4e7b8c1f2a3b4c5d6e7f' }],
		].map(([name, parameters], i) => ({
			id: `b0000000-0000-4000-8000-00000000001${i}`,
			name,
			type: 'n8n-nodes-booster.booster',
			typeVersion: 1,
			position: [300, i * 200],
			parameters,
			credentials,
		})),
	],
	connections: {
		Start: {
			main: [
				[
					{ node: 'Get task', type: 'main', index: 0 },
					{ node: 'List tasks', type: 'main', index: 0 },
					{ node: 'Download task file', type: 'main', index: 0 },
				],
			],
		},
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

interface Check {
	workflowId: string;
	nodeName: string;
	labels: string[];
	waitForLoadOptions?: boolean;
	posOptions?: boolean;
}

function checks(): Check[] {
	const examples = loadExampleWorkflows().map((e) => e.workflow);
	const node = (type: string, operation?: string) => {
		for (const workflow of examples) {
			const found = workflow.nodes.find((n) => n.type === type && (!operation || n.parameters?.operation === operation));
			if (found) return { workflowId: workflow.id, nodeName: found.name };
		}
		throw new Error(`no example workflow has a ${type} node${operation ? ` (${operation})` : ''}`);
	};
	const common = ['Credential', 'Resource', 'Operation'];
	return [
		{
			...node('n8n-nodes-booster.booster', 'export'),
			labels: [...common, 'Brand', 'POS Codes Names or IDs', 'Output', 'Filters', 'Birthdate Months', 'Can Be Contacted By Maison', 'Options', 'Poll Interval (Seconds)'],
			waitForLoadOptions: true,
			posOptions: true,
		},
		{ ...node('n8n-nodes-booster.booster', 'getKpi'), labels: [...common, 'Booster Customer ID', 'Options', 'Include Input Fields'] },
		{ ...node('n8n-nodes-booster.booster', 'get'), labels: [...common, 'Customer'] },
		{
			...node('n8n-nodes-booster.booster', 'search'),
			labels: [...common, 'Brand', 'POS Codes Names or IDs', 'Return All', 'Limit', 'Filters', 'Can Be Contacted By Maison', 'Customer Status', 'Options', 'Sort By'],
		},
		{
			...node('n8n-nodes-booster.booster', 'updateConsents'),
			labels: [...common, 'Customer', 'Contact by Email', 'Contact by Mail', 'Contact by Phone', 'Contact by SMS', 'Contact by Social Media', 'Privacy Acceptance', 'Allow Store Data Abroad'],
		},
		{ ...node('n8n-nodes-booster.booster', 'getMany'), labels: [...common, 'Brand', 'Return All'] },
		{ workflowId: taskWorkflow.id, nodeName: 'Get task', labels: [...common, 'Async Task ID', 'Advanced'] },
		{ workflowId: taskWorkflow.id, nodeName: 'List tasks', labels: [...common, 'Return All', 'Limit', 'Filters', 'Advanced'] },
		{ workflowId: taskWorkflow.id, nodeName: 'Download task file', labels: [...common, 'Async Task ID', 'Options'] },
		{ ...node('n8n-nodes-booster.boosterTrigger'), labels: ['Credential', 'Poll Times', 'Events', 'Task Type', 'Brand', 'Options', 'Download File'] },
	];
}

async function runEditorCheck(config: object): Promise<any> {
	const node = await ensureNode24();
	const script = path.join(__dirname, 'browser', 'editor-check.js');
	return new Promise((resolve, reject) => {
		const child = spawn(node.nodeBin, [script, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => {
			stderr += d;
			process.stderr.write(d);
		});
		child.on('error', reject);
		child.on('close', () => {
			try {
				resolve(JSON.parse(stdout.trim().split('\n').pop() || ''));
			} catch {
				reject(new Error(`editor-check printed no report:\n${stdout}\n${stderr.slice(-3000)}`));
			}
		});
	});
}

describe(`the Booster nodes in n8n ${N8N_VERSION}'s editor (headless Chromium)`, () => {
	const env = useBoosterEnv({ name: 'editor' });

	test('Chromium is installed', () => {
		expect({ chromium: CHROMIUM, exists: fs.existsSync(CHROMIUM) }).toEqual({ chromium: CHROMIUM, exists: true });
	});

	test('signed in, each Booster node opens and its parameters render for every operation, without errors', async () => {
		const { n8n, userFolder } = env();
		await n8n.importWorkflows([...loadExampleWorkflows().map((e) => e.workflow), taskWorkflow]);
		const report = await runEditorCheck({
			url: n8n.url,
			email: n8n.owner.email,
			password: n8n.owner.password,
			chromium: CHROMIUM,
			checks: checks(),
			screenshotDir: process.env.BOOSTER_E2E_KEEP ? path.join(userFolder, 'screenshots') : undefined,
		});
		expect(report.error).toBeUndefined();
		expect(report.ok).toBe(true);
		for (const result of report.results) {
			expect({ node: result.nodeName, missing: result.missing, errorNotifications: result.errorNotifications }).toEqual({
				node: result.nodeName,
				missing: [],
				errorNotifications: [],
			});
		}
		expect(report.results).toHaveLength(checks().length);
		// the POS codes were loaded from the sandbox through n8n (the node's loadOptions method)
		const exportResult = report.results.find((r: any) => r.posOptions);
		expect(exportResult.loadOptions.length).toBeGreaterThan(0);
		expect(exportResult.loadOptions.every((r: any) => r.status === 200)).toBe(true);
		// no uncaught exception in the page, and no failed request to n8n
		expect(report.exceptions).toEqual([]);
		expect(report.failedRequests).toEqual([]);
	});
});
