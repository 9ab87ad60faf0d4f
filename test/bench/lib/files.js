'use strict';
// Scenarios on export files: Export → Customers against HTTP Request + Extract From File, and
// Download File of a 200,000- and a 1,000,000-customer export against the HTTP Request node. Memory
// is the `n8n execute` process's, growth measured against a workflow that downloads nothing.
const fs = require('node:fs');
const axios = require('axios');
const wf = require('./workflows');
const { execute, figures } = require('./execute');
const { mb, s, x, met, table } = require('./format');

/** Starts an export through the API and waits until the sandbox has written its file. */
async function finishedExport(sandbox, { path, body }) {
	const client = axios.create({ baseURL: sandbox.url, headers: { Authorization: `Bearer ${sandbox.accounts.main.apiKey}` }, validateStatus: () => true });
	const downloadRequestId = `bench-${Date.now()}-${Math.random().toString(36).slice(2)}`;
	const created = await client.post(path, { ...body, downloadRequestId });
	if (created.status !== 200) throw new Error(`export: HTTP ${created.status} ${JSON.stringify(created.data)}`);
	const { asyncTaskId } = created.data;
	for (;;) {
		const task = (await client.get(`/tasks/${asyncTaskId}`)).data;
		if (task.status === 'COM') return { ...task, downloadRequestId, fileBytes: fs.statSync(sandbox.state.tasks.get(asyncTaskId).filePath).size };
		if (task.status === 'ERR') throw new Error(`export ${asyncTaskId} failed`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

const growth = (r, baseline) => (r.memory && baseline?.memory ? r.memory.mainHwm - baseline.memory.mainHwm : null);

function memoryRow(label, r, baseline) {
	return { label, ...figures(r), growth: growth(r, baseline) };
}

/** A run in the n8n server: growth over what the server used just before it. */
function serverMemoryRow(label, r) {
	const { before, peakDuringRun, peakWhileNodesRan } = r.memory;
	return { label, ...figures(r), growth: peakDuringRun - before, nodesGrowth: peakWhileNodesRan - before };
}

/**
 * One finished export of `brand`, every POS, customers created between `from` and `to` (≈ 200,000
 * in the full run), read by Export → Customers and by HTTP Request + Extract From File. The Export
 * node is given the export's Download Request ID, so Booster answers with the finished task and
 * both read the same file: the figures compare reading it, not waiting for Booster to write it.
 */
async function runCustomers(n8n, sandbox, { brand, from, to, log }) {
	sandbox.state.setConfig({ latencyMs: 0, maxInFlight: 0, signedUrlTtlSeconds: 3600 });
	const posCodes = sandbox.state.pointsOfSale.filter((p) => p.brand === brand).map((p) => p.posCode);
	const filters = { creationDateFrom: from, creationDateTo: to };
	const task = await finishedExport(sandbox, { path: `/customer/${brand}/export`, body: { posCodes, ...filters } });
	log(`export ${task.asyncTaskId}: ${task.totalResults} customers, ${mb(task.fileBytes)} MB`);
	const booster = await execute(n8n, sandbox, wf.boosterExportCustomers({ brand, posCodes, filters, downloadRequestId: task.downloadRequestId }), { watchMemory: true, inServer: true });
	log(`Export → Customers: node ${s(booster.nodeMs)} s, ${booster.items.length} items, RSS ${mb(booster.memory.before)} → ${mb(booster.memory.peakDuringRun)} MB ${booster.error || ''}`);
	const started = booster.requestLog.filter((e) => e.method === 'POST').length;
	const http = await execute(n8n, sandbox, wf.httpExtractCustomers({ asyncTaskId: task.asyncTaskId, signedUrl: task.signedDownloadUrl }), { watchMemory: true, inServer: true });
	log(`HTTP Request + Extract From File: node ${s(http.nodeMs)} s, ${http.items.length} items, RSS ${mb(http.memory.before)} → ${mb(http.memory.peakDuringRun)} MB ${http.error || ''}`);
	const sameCustomers = booster.items.length === task.totalResults && http.items.length === task.totalResults;
	return {
		task: { asyncTaskId: task.asyncTaskId, customers: task.totalResults, fileBytes: task.fileBytes },
		exportsStartedByBooster: started,
		rows: [serverMemoryRow('Booster Export → Customers', booster), serverMemoryRow('HTTP Request (file) → Extract From File (CSV)', http)],
		sameCustomers,
	};
}

function customersSection(c) {
	const [booster, http] = c.rows;
	const speedup = http.nodeMs / booster.nodeMs;
	const memoryRatio = booster.growth / http.growth;
	return {
		targets: {
			speedup: { shown: `${s(booster.nodeMs)} s vs ${s(http.nodeMs)} s = ${x(speedup)}`, met: speedup >= 2 },
			memory: { shown: `+${mb(booster.growth)} MB vs +${mb(http.growth)} MB = ${x(memoryRatio)}`, met: memoryRatio <= 0.5 },
			items: { shown: `${booster.items} and ${http.items} of ${c.task.customers}`, met: c.sameCustomers },
		},
		text:
			`### Customers as items: an export of ${c.task.customers} customers (${mb(c.task.fileBytes)} MB CSV)\n\n` +
			table(
				['Run', 'Node time s', 'Execution s', 'RSS before MB', 'Peak RSS while the nodes ran MB', 'Peak RSS until the execution stopped MB', 'Growth while the nodes ran MB', 'Growth MB', 'Items out', 'OK'],
				c.rows.map((r) => [
					r.label,
					s(r.nodeMs),
					s(r.executionMs),
					mb(r.memory.before),
					mb(r.memory.peakWhileNodesRan),
					mb(r.memory.peakDuringRun),
					mb(r.nodesGrowth),
					mb(r.growth),
					r.items,
					r.error ? `NO ${r.error.slice(0, 60)}` : 'yes',
				]),
			) +
			`\n\nBoth read the same finished export (the Export node is given its Download Request ID, and started ${c.exportsStartedByBooster} export${c.exportsStartedByBooster === 1 ? '' : 's'}). ` +
			`Node time (HTTP Request + Extract From File) / Booster = ${x(speedup)} (target ≥ 2×, ${met(speedup >= 2)}); memory growth Booster / alternative = ${x(memoryRatio)} (target ≤ 0.5×, ${met(memoryRatio <= 0.5)}); ` +
			`both output every customer of the task: ${c.sameCustomers ? 'yes' : 'NO'}. ` +
			'Run in the n8n server as the editor\'s Execute button runs it (`n8n execute` would add the time and memory of printing 200,000 items through its logger); memory of the server process sampled every 50 ms, growth over its RSS just before the run, until the execution stopped (n8n saving the run data included).',
	};
}

/** Download File and HTTP Request (file) of each finished export in `exports`. */
async function runDownloads(n8n, sandbox, { exports, baseline, log }) {
	sandbox.state.setConfig({ latencyMs: 0, maxInFlight: 0, signedUrlTtlSeconds: 3600 });
	const sizes = [];
	for (const request of exports) {
		const task = await finishedExport(sandbox, request);
		log(`export ${task.asyncTaskId}: ${task.totalResults} customers, ${mb(task.fileBytes)} MB`);
		const rows = [];
		for (const [label, workflow] of [
			['Booster Task → Download File', wf.boosterDownload({ asyncTaskId: task.asyncTaskId })],
			['HTTP Request (signed link, file)', wf.httpDownload({ asyncTaskId: task.asyncTaskId, signedUrl: task.signedDownloadUrl })],
		]) {
			const r = await execute(n8n, sandbox, workflow, { watchMemory: true });
			const binary = r.items[0]?.binary?.data;
			rows.push({ ...memoryRow(label, r, baseline), binary: binary ? { fileSize: binary.fileSize, mode: String(binary.id || 'in memory').split(':')[0] } : null });
			log(`${label}: node ${s(r.nodeMs)} s, HWM ${mb(r.memory.mainHwm)} MB, growth ${mb(growth(r, baseline))} MB ${r.error || ''}`);
		}
		sizes.push({ customers: task.totalResults, fileBytes: task.fileBytes, rows });
	}
	return sizes;
}

function downloadsSection(sizes, baseline) {
	const [small, large] = sizes;
	const boosterOf = (size) => size.rows[0];
	const httpOf = (size) => size.rows[1];
	const flat = boosterOf(large).growth / boosterOf(small).growth;
	const targets = {
		flat: { shown: `+${mb(boosterOf(large).growth)} MB vs +${mb(boosterOf(small).growth)} MB = ${x(flat)}`, met: flat <= 1.2 },
		belowHttp: { shown: `+${mb(boosterOf(large).growth)} MB vs +${mb(httpOf(large).growth)} MB`, met: boosterOf(large).growth < httpOf(large).growth },
		under100: { shown: `+${mb(boosterOf(small).growth)} MB`, met: boosterOf(small).growth < 100 * 1048576 },
	};
	return {
		targets,
		text:
			`### Download File, memory against file size\n\n` +
			table(
				['Export', 'Run', 'Node time s', 'Execution s', 'VmHWM MB', 'Peak RSS with task runner MB', 'Growth vs baseline MB', 'Binary', 'OK'],
				[
					['–', 'baseline: same workflow, No Op instead of a download', s(baseline.nodeMs), s(baseline.executionMs), mb(baseline.memory.mainHwm), mb(baseline.memory.peakTreeRss), '', '', baseline.error ? 'NO' : 'yes'],
					...sizes.flatMap((size) =>
						size.rows.map((r) => [
							`${size.customers} customers, ${mb(size.fileBytes)} MB`,
							r.label,
							s(r.nodeMs),
							s(r.executionMs),
							mb(r.memory.mainHwm),
							mb(r.memory.peakTreeRss),
							mb(r.growth),
							r.binary ? `${r.binary.fileSize} ${r.binary.mode}` : '',
							r.error ? `NO ${r.error.slice(0, 60)}` : 'yes',
						]),
					),
				],
			) +
			`\n\nMemory of the \`n8n execute\` process (VmHWM, sampled every 50 ms from /proc), binary data mode filesystem. Targets: Booster's growth for ${large.customers} customers ≤ 1.2× its growth for ${small.customers} (${x(flat)}, ${met(targets.flat.met)}); ` +
			`below the HTTP Request node's for the same file (${mb(boosterOf(large).growth)} vs ${mb(httpOf(large).growth)} MB, ${met(targets.belowHttp.met)}); under 100 MB for ${small.customers} customers (${mb(boosterOf(small).growth)} MB, ${met(targets.under100.met)}).`,
	};
}

module.exports = { runCustomers, customersSection, runDownloads, downloadsSection };
