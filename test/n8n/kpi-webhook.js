'use strict';
// The "KPIs of posted customers" webhook workflow that drives n8n's queue mode under load, shared by
// the queue-mode e2e suite (test/e2e/queue.e2e.test.ts) and the queue-mode benchmark
// (test/bench/lib/queue.js): Webhook (answers when the last node has finished, with all its items)
// → Split Out (one item per posted ID) → Booster Get KPI.
//
//   const workflow = kpiWebhookWorkflow({ id, path, advanced: { concurrency: 8 } });
//   const answer = await postKpis(main.url, path, ids);   // { status, data: [kpi, …] }
//   okKpiItems(answer, ids)                               // KPIs answered for those ids, without error
const axios = require('axios');
const { SANDBOX_CREDENTIAL_ID, SANDBOX_CREDENTIAL_NAME } = require('./booster');

const KPI_PATH = 'booster-queue-kpis';
const KPI_NODE = 'Get KPIs';

/**
 * The workflow. Defaults are the e2e suite's; the benchmark gives its own id, path and webhookId
 * per variant, Get KPI's Advanced settings (`{ concurrency }`) and `onError` (to count failed items).
 */
function kpiWebhookWorkflow({
	id = 'BoosterQueueKpi1',
	name = 'Queue e2e: KPIs of posted customers',
	path = KPI_PATH,
	webhookId = '5b0f6d3e-8c21-4e7a-9f10-2a3b4c5d6eff',
	advanced,
	onError,
} = {}) {
	const kpiNode = {
		id: '5b0f6d3e-8c21-4e7a-9f10-2a3b4c5d6e03',
		name: KPI_NODE,
		type: 'n8n-nodes-booster.booster',
		typeVersion: 1.1,
		position: [480, 0],
		parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.boosterCustomerId }}', options: {}, ...(advanced ? { advanced } : {}) },
		credentials: { boosterApi: { id: SANDBOX_CREDENTIAL_ID, name: SANDBOX_CREDENTIAL_NAME } },
		...(onError ? { onError } : {}),
	};
	return {
		id,
		name,
		nodes: [
			{
				id: '5b0f6d3e-8c21-4e7a-9f10-2a3b4c5d6e01',
				name: 'Customer IDs posted',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId,
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: '5b0f6d3e-8c21-4e7a-9f10-2a3b4c5d6e02',
				name: 'One item per customer',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [240, 0],
				parameters: { fieldToSplitOut: 'body.boosterCustomerIds', include: 'noOtherFields', options: { destinationFieldName: 'boosterCustomerId' } },
			},
			kpiNode,
		],
		connections: {
			'Customer IDs posted': { main: [[{ node: 'One item per customer', type: 'main', index: 0 }]] },
			'One item per customer': { main: [[{ node: KPI_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
		tags: [],
	};
}

/** Posts the IDs to the workflow's webhook on `mainUrl`; any status resolves ({ status, data }). */
function postKpis(mainUrl, path, boosterCustomerIds, { timeoutMs = 300000 } = {}) {
	return axios.post(`${mainUrl}/webhook/${path}`, { boosterCustomerIds }, { validateStatus: () => true, timeout: timeoutMs });
}

/** How many of `ids` the webhook's answer gave a KPI for, in order and without an error. */
function okKpiItems(answer, ids) {
	if (answer.status !== 200 || !Array.isArray(answer.data)) return 0;
	return answer.data.filter((kpi, j) => kpi?.boosterCustomerId === ids[j] && kpi.error === undefined).length;
}

module.exports = { KPI_PATH, KPI_NODE, kpiWebhookWorkflow, postKpis, okKpiItems };
