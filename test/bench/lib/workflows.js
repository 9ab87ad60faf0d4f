'use strict';
// Benchmark workflows: Manual Trigger → Code (the items) → node under test (→ the node after it).
const { SANDBOX_CREDENTIAL_ID, SANDBOX_CREDENTIAL_NAME } = require('../../n8n/booster');

const BOOSTER_CREDENTIAL = { boosterApi: { id: SANDBOX_CREDENTIAL_ID, name: SANDBOX_CREDENTIAL_NAME } };
const HEADER_CREDENTIAL_ID = 'BenchHeaderAuth1';
const HEADER_CREDENTIAL = { httpHeaderAuth: { id: HEADER_CREDENTIAL_ID, name: 'Bench header auth' } };

let counter = 0;
/** n8n workflow ids: up to 21 characters; unique per run so executions are easy to find. */
function newId(tag) {
	counter++;
	return `bn${tag}${Date.now().toString(36)}${counter}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 21);
}

/** The names of the nodes whose times and output a benchmark reads, in order. */
const UNDER_TEST = ['Under Test', 'Then'];

function workflow(tag, name, codeJs, ...nodesUnderTest) {
	const id = newId(tag);
	const chain = nodesUnderTest.map((node, i) => ({ id: `u${i + 1}`, name: UNDER_TEST[i], position: [400 + 200 * i, 0], ...node }));
	const names = ['Manual', 'Items', ...chain.map((node) => node.name)];
	return {
		id,
		name: `bench ${name} ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'm1', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'c1', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: codeJs } },
			...chain,
		],
		connections: Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }])),
	};
}

const customerItems = (ids) => `return ${JSON.stringify(ids)}.map((boosterCustomerId) => ({ json: { boosterCustomerId } }));`;

function boosterKpi({ ids, concurrency }) {
	const options = concurrency ? { concurrency } : {};
	return workflow('bk', `Booster Get KPI c=${concurrency || 'default'}`, customerItems(ids), {
		type: 'n8n-nodes-booster.booster',
		typeVersion: 1,
		onError: 'continueRegularOutput',
		credentials: BOOSTER_CREDENTIAL,
		parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.boosterCustomerId }}', options },
	});
}

/** auth: 'predefined' (the boosterApi credential through the HTTP Request node) or 'header'. */
function httpAuth(auth) {
	if (auth === 'header') {
		return {
			parameters: { authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth' },
			credentials: HEADER_CREDENTIAL,
		};
	}
	return { parameters: { authentication: 'predefinedCredentialType', nodeCredentialType: 'boosterApi' }, credentials: BOOSTER_CREDENTIAL };
}

function httpKpi({ ids, baseUrl, batch, auth }) {
	const a = httpAuth(auth);
	const options = batch ? { batching: { batch: { batchSize: batch.size, batchInterval: batch.intervalMs } } } : {};
	return workflow('hk', `HTTP Request KPI ${batch ? `${batch.size}/${batch.intervalMs}ms` : 'default'}`, customerItems(ids), {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		onError: 'continueRegularOutput',
		credentials: a.credentials,
		parameters: {
			method: 'GET',
			url: `=${baseUrl}/customer/{{ $json.boosterCustomerId }}/kpi`,
			...a.parameters,
			options,
		},
	});
}

const taskItem = (asyncTaskId, signedUrl) => `return [{ json: ${JSON.stringify({ asyncTaskId, signedUrl })} }];`;

function boosterDownload({ asyncTaskId }) {
	return workflow('bd', 'Booster Task Download File', taskItem(asyncTaskId), {
		type: 'n8n-nodes-booster.booster',
		typeVersion: 1,
		credentials: BOOSTER_CREDENTIAL,
		parameters: { resource: 'task', operation: 'downloadFile', asyncTaskId: '={{ $json.asyncTaskId }}', options: {} },
	});
}

const httpDownloadNode = {
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	parameters: {
		method: 'GET',
		url: '={{ $json.signedUrl }}',
		options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
	},
};

function httpDownload({ asyncTaskId, signedUrl }) {
	return workflow('hd', 'HTTP Request download', taskItem(asyncTaskId, signedUrl), httpDownloadNode);
}

/** Export → Customers: starts the export (or, given its Download Request ID, finds it), waits for it, reads its file into items. */
function boosterExportCustomers({ brand, posCodes, filters, downloadRequestId }) {
	return workflow('bc', 'Booster Export Customers', 'return [{ json: {} }];', {
		type: 'n8n-nodes-booster.booster',
		typeVersion: 1.1,
		credentials: BOOSTER_CREDENTIAL,
		parameters: { resource: 'customer', operation: 'export', brand, posCodes, output: 'customers', filters, options: { pollIntervalSeconds: 1, ...(downloadRequestId ? { downloadRequestId } : {}) } },
	});
}

/** What a user wires today for a finished export: HTTP Request (file) on its signed link → Extract From File (CSV). */
function httpExtractCustomers({ asyncTaskId, signedUrl }) {
	return workflow('hx', 'HTTP Request + Extract From File', taskItem(asyncTaskId, signedUrl), httpDownloadNode, {
		type: 'n8n-nodes-base.extractFromFile',
		typeVersion: 1.1,
		parameters: { operation: 'csv', binaryPropertyName: 'data', options: {} },
	});
}

/** Same shape, no download: the memory the `n8n execute` process needs anyway. */
function idleBaseline({ asyncTaskId }) {
	return workflow('bl', 'baseline (no download)', taskItem(asyncTaskId), {
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		parameters: {},
	});
}

function headerCredential(apiKey) {
	return {
		id: HEADER_CREDENTIAL_ID,
		name: 'Bench header auth',
		type: 'httpHeaderAuth',
		data: { name: 'Authorization', value: `Bearer ${apiKey}` },
	};
}

module.exports = { boosterKpi, httpKpi, boosterDownload, httpDownload, boosterExportCustomers, httpExtractCustomers, idleBaseline, headerCredential, UNDER_TEST };
