'use strict';
// Project-specific glue between the sandbox, the credential and the example workflows, shared by
// `npm start` (test/n8n/start.js) and the e2e suite (test/e2e/).

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');

/** Id of the Booster credential created by `npm start`; example workflows may reference it. */
const SANDBOX_CREDENTIAL_ID = 'BoosterSandbox01';
const SANDBOX_CREDENTIAL_NAME = 'Booster sandbox';
const FALLBACK_SANDBOX_API_KEY = 'bst_sandbox_main_key';

/**
 * THE mapping from a sandbox to the `boosterApi` credential's data. Adjust here when the
 * credential's fields change.
 */
function boosterCredentialData({ baseUrl, apiKey }) {
	return { baseUrl, authentication: 'apiKey', apiKey };
}

/** The main account's API key of a running sandbox (`startSandbox()` result or module exports). */
function sandboxApiKey(sandbox, sandboxModule) {
	const pick = (accounts) => {
		if (!accounts) return undefined;
		if (Array.isArray(accounts)) return (accounts.find((a) => /main/i.test(a.id || a.name || a.key || '')) || accounts[0])?.apiKey;
		return accounts.main?.apiKey ?? Object.values(accounts).find((a) => a && a.apiKey)?.apiKey;
	};
	return pick(sandbox?.accounts) || pick(sandboxModule?.SANDBOX_ACCOUNTS) || FALLBACK_SANDBOX_API_KEY;
}

/** The credential array for `n8n import:credentials`, pointing at a running sandbox. */
function sandboxCredentials(sandbox, sandboxModule) {
	return [
		{
			id: SANDBOX_CREDENTIAL_ID,
			name: SANDBOX_CREDENTIAL_NAME,
			type: 'boosterApi',
			data: boosterCredentialData({ baseUrl: sandbox.url, apiKey: sandboxApiKey(sandbox, sandboxModule) }),
		},
	];
}

/** A stable n8n-style id (16 alphanumerics) for an example file without an `id`. */
function stableId(seed) {
	const hex = crypto.createHash('sha256').update(seed).digest('hex');
	return `ex${BigInt(`0x${hex}`).toString(36).slice(0, 14)}`.padEnd(16, '0');
}

/**
 * Every `*.json` workflow under examples/ (recursively): [{ file, relative, hash, workflow }].
 * Workflows without an id get a stable one derived from their path, so re-imports update them.
 */
function loadExampleWorkflows(dir = EXAMPLES_DIR) {
	if (!fs.existsSync(dir)) return [];
	const out = [];
	const walk = (d) => {
		for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
			const full = path.join(d, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.json')) {
				const text = fs.readFileSync(full, 'utf8');
				let workflow;
				try {
					workflow = JSON.parse(text);
				} catch (error) {
					throw new Error(`${full}: invalid JSON (${error.message})`);
				}
				if (!workflow || !Array.isArray(workflow.nodes) || typeof workflow.connections !== 'object') continue; // not a workflow
				const relative = path.relative(ROOT, full);
				if (!workflow.id) workflow = { ...workflow, id: stableId(relative) };
				out.push({ file: full, relative, hash: crypto.createHash('sha256').update(text).digest('hex'), workflow });
			}
		}
	};
	walk(dir);
	return out;
}

/** Workflow contains a node of this type (e.g. 'n8n-nodes-base.manualTrigger'). */
function hasNodeType(workflow, type) {
	return workflow.nodes.some((n) => n.type === type);
}

module.exports = {
	ROOT,
	EXAMPLES_DIR,
	SANDBOX_CREDENTIAL_ID,
	SANDBOX_CREDENTIAL_NAME,
	boosterCredentialData,
	sandboxApiKey,
	sandboxCredentials,
	loadExampleWorkflows,
	hasNodeType,
	stableId,
};
