#!/usr/bin/env node
'use strict';
// `npm run screenshots`: the README's pictures, taken in headless Chromium from a real n8n with the
// package and the example workflows (the editor check's browser driver, test/e2e/browser/). Writes
// PNGs to examples/screenshots/, which is not part of the published package.
//
// Needs /usr/bin/chromium (`apt-get install -y chromium`), or CHROMIUM_BIN.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { DEFAULT_N8N_VERSION, ensureNode24 } = require('./toolchain');
const { installPackage } = require('./package-install');
const { startN8n } = require('./instance');
const { ROOT, sandboxCredentials, loadExampleWorkflows } = require('./booster');

const OUT_DIR = path.join(ROOT, 'examples', 'screenshots');
const log = (line) => console.log(`[screenshots] ${line}`);

/** The pictures: [file name, example file, node to open (null: the canvas), parameter to scroll to]. */
const PICTURES = [
	['export-node', 'examples/birthdays-next-month.json', 'Customers with a birthday next month', 'Output'],
	['trigger-node', 'examples/react-to-completed-exports.json', 'Booster Trigger'],
	['birthdays-workflow', 'examples/birthdays-next-month.json', null],
];

async function main() {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'booster-screenshots-'));
	const { startSandbox } = require(path.join(ROOT, 'test', 'sandbox'));
	const sandbox = await startSandbox({ port: 0 });
	let n8n;
	try {
		installPackage({ userFolder, build: 'auto', log });
		n8n = await startN8n({ version: DEFAULT_N8N_VERSION, userFolder, credentials: sandboxCredentials(sandbox), log });
		const examples = loadExampleWorkflows();
		await n8n.importWorkflows(examples.map((e) => e.workflow));
		const checks = PICTURES.map(([screenshot, file, nodeName, scrollTo]) => {
			const example = examples.find((e) => e.relative === file);
			if (!example) throw new Error(`no example ${file}`);
			const node = nodeName ?? example.workflow.nodes[0].name;
			const labels = example.workflow.nodes.find((n) => n.name === node) ? ['Credential'] : [];
			return { workflowId: example.workflow.id, nodeName: node, labels, screenshot, scrollTo, openNode: nodeName !== null };
		});
		const node = await ensureNode24({ log });
		const config = {
			url: n8n.url,
			email: n8n.owner.email,
			password: n8n.owner.password,
			checks,
			screenshotDir: OUT_DIR,
			windowSize: '1280,800',
		};
		const run = spawnSync(node.nodeBin, [path.join(ROOT, 'test', 'e2e', 'browser', 'editor-check.js'), JSON.stringify(config)], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const report = JSON.parse(run.stdout.trim().split('\n').pop() || '{}');
		if (!report.ok) throw new Error(`the browser did not finish: ${report.error ?? run.stdout.slice(-2000)}`);
		for (const [name] of PICTURES) {
			const file = path.join(OUT_DIR, `${name}.png`);
			log(`${path.relative(ROOT, file)}: ${(fs.statSync(file).size / 1024).toFixed(0)} kB`);
		}
	} finally {
		if (n8n) await n8n.stop();
		await sandbox.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(`npm run screenshots failed: ${error.message}`);
	process.exitCode = 1;
});
