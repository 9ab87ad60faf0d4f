#!/usr/bin/env node
'use strict';
// `npm run bench` — issue 6's benchmark: the Booster node versus n8n's HTTP Request node, in one
// real n8n (2.41.1, filesystem binary data) against the Booster sandbox. Prints a table; asserts
// nothing about timing.   node test/bench/run.js [--smoke] [--only=kpi,nolimit,download,trigger] [--json=FILE]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const axios = require('axios');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_DIR = process.env.BOOSTER_PACKAGE_DIR ? path.resolve(process.env.BOOSTER_PACKAGE_DIR) : ROOT;
const { startSandbox } = require(path.join(ROOT, 'test/sandbox'));
const { startN8n } = require(path.join(ROOT, 'test/n8n/instance'));
const { ensureN8n } = require(path.join(ROOT, 'test/n8n/toolchain'));
const { installPackage } = require(path.join(ROOT, 'test/n8n/package-install'));
const { sandboxCredentials } = require(path.join(ROOT, 'test/n8n/booster'));
const wf = require('./lib/workflows');
const { watchProcess } = require('./lib/rss');
const { benchTrigger } = require('./lib/trigger');

const argv = process.argv.slice(2);
const SMOKE = argv.includes('--smoke');
const ONLY = (argv.find((a) => a.startsWith('--only=')) || '').slice(7).split(',').filter(Boolean);
const JSON_OUT = (argv.find((a) => a.startsWith('--json=')) || '').slice(7);
const want = (name) => !ONLY.length || ONLY.includes(name);

const P = SMOKE
	? { kpiItems: 100, latencyMs: 50, limit: 16, intervals: [100], customers: 8000, exportBrand: 'CAR', taskCount: 500, triggerRuns: 2, idleBaseline: false }
	: { kpiItems: 1000, latencyMs: 50, limit: 16, intervals: [50, 75, 100, 150, 200, 300], customers: 800000, exportBrand: 'CAR', taskCount: 5000, triggerRuns: 5, idleBaseline: true };
let IDS = []; // boosterCustomerIds the main account may see (it may not see brand PAN)
const HIGH_CONCURRENCY = 64; // the option's maximum

const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const mb = (bytes) => (bytes / 1048576).toFixed(1);
const s = (ms) => (ms == null || Number.isNaN(ms) ? '–' : (ms / 1000).toFixed(2));
const x = (v) => (v == null || !Number.isFinite(v) ? '–' : `${v.toFixed(2)}×`);

function table(headers, rows) {
	const cells = [headers, ...rows].map((r) => r.map((c) => String(c ?? '')));
	const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
	const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

/** Runs one workflow with `n8n execute`; times it three ways and reads the node's output. */
async function execute(n8n, sandbox, workflow, { watchMemory = false } = {}) {
	await n8n.importWorkflows([workflow]);
	sandbox.state.counters.reset();
	const watch = watchMemory ? watchProcess(['execute', `--id=${workflow.id}`], 50) : null;
	const t0 = Date.now();
	let out = null;
	let error = null;
	try {
		out = await n8n.executeWorkflow(workflow.id, { timeoutMs: 600000 });
	} catch (e) {
		error = e;
	}
	const wallMs = Date.now() - t0;
	const memory = watch ? watch.stop() : null;
	const counters = sandbox.state.counters.snapshot();
	let exec = out;
	let executionId = null;
	try {
		const list = await n8n.listExecutions(workflow.id);
		if (list[0]) {
			executionId = list[0].id;
			if (!exec) exec = await n8n.getExecution(list[0].id, { includeData: true });
			exec = { ...exec, startedAt: exec.startedAt ?? list[0].startedAt, stoppedAt: exec.stoppedAt ?? list[0].stoppedAt };
		}
	} catch (e) {
		log(`listExecutions: ${e.message.split('\n')[0]}`);
	}
	const runData = exec?.data?.resultData?.runData?.[wf.NODE_UNDER_TEST]?.[0];
	const items = runData?.data?.main?.[0] || [];
	const runError = exec?.data?.resultData?.error || runData?.error;
	return {
		workflow,
		wallMs,
		executionMs: exec?.startedAt && exec?.stoppedAt ? new Date(exec.stoppedAt) - new Date(exec.startedAt) : null,
		executionId,
		nodeMs: runData?.executionTime ?? null,
		items,
		failed: items.filter((i) => i.json && i.json.error !== undefined).length,
		error: error ? (runError?.message || error.message.split('\n')[0]) : runError?.message || null,
		requests: counters.total,
		status429: counters.byStatus['429'] || 0,
		maxInFlightObserved: counters.maxInFlightObserved,
		memory,
	};
}

function kpiRow(label, r, expected) {
	const completed = !r.error && r.items.length === expected && r.failed === 0;
	return { label, r, completed };
}

async function runKpi(n8n, sandbox, { limit, httpAuth }) {
	sandbox.state.setConfig({ latencyMs: P.latencyMs, maxInFlight: limit, retryAfterSeconds: 1 });
	const n = P.kpiItems;
	const ids = IDS;
	const rows = [];
	const exec = (w) => execute(n8n, sandbox, w);
	const orderOk = (r) => r.items.every((it, i) => it.json && Number(it.json.boosterCustomerId) === IDS[i]);
	if (limit) {
		let r = await exec(wf.boosterKpi({ ids }));
		rows.push({ ...kpiRow('Booster Get KPI (default, concurrency 16)', r, n), order: orderOk(r) });
		log(`booster default: node ${s(r.nodeMs)} s, ${r.requests} requests, ${r.status429} 429, ${r.failed} failed ${r.error || ''}`);
		r = await exec(wf.httpKpi({ ids, baseUrl: sandbox.url, auth: httpAuth }));
		rows.push({ ...kpiRow('HTTP Request (default)', r, n), order: null });
		log(`http default: node ${s(r.nodeMs)} s, ${r.requests} requests, ${r.status429} 429, ${r.failed} failed ${r.error || ''}`);
		for (const intervalMs of P.intervals) {
			r = await exec(wf.httpKpi({ ids, baseUrl: sandbox.url, auth: httpAuth, batch: { size: limit, intervalMs } }));
			const row = { ...kpiRow(`HTTP Request (batch ${limit} per ${intervalMs} ms)`, r, n), order: null, tuned: true };
			rows.push(row);
			log(`http ${limit}/${intervalMs}ms: node ${s(r.nodeMs)} s, ${r.requests} requests, ${r.status429} 429, ${r.failed} failed ${r.error || ''}`);
			if (row.completed) break; // the smallest interval that still completes
		}
	} else {
		let r = await exec(wf.boosterKpi({ ids, concurrency: HIGH_CONCURRENCY }));
		rows.push({ ...kpiRow(`Booster Get KPI (concurrency ${HIGH_CONCURRENCY})`, r, n), order: orderOk(r) });
		log(`booster c=${HIGH_CONCURRENCY}: node ${s(r.nodeMs)} s, ${r.requests} requests`);
		r = await exec(wf.boosterKpi({ ids }));
		rows.push({ ...kpiRow('Booster Get KPI (default, concurrency 16)', r, n), order: orderOk(r) });
		log(`booster default: node ${s(r.nodeMs)} s, ${r.requests} requests`);
		r = await exec(wf.httpKpi({ ids, baseUrl: sandbox.url, auth: httpAuth }));
		rows.push({ ...kpiRow('HTTP Request (default)', r, n), order: null });
		log(`http default: node ${s(r.nodeMs)} s, ${r.requests} requests`);
	}
	return rows;
}

async function createExport(sandbox) {
	const client = axios.create({ baseURL: sandbox.url, headers: { Authorization: `Bearer ${sandbox.accounts.main.apiKey}` }, validateStatus: () => true });
	const posCodes = sandbox.state.pointsOfSale.filter((p) => p.brand === P.exportBrand).map((p) => p.posCode);
	const created = await client.post(`/customer/${P.exportBrand}/export`, { downloadRequestId: `bench-${Date.now()}`, posCodes });
	if (created.status !== 200) throw new Error(`export: HTTP ${created.status} ${JSON.stringify(created.data)}`);
	const { asyncTaskId } = created.data;
	for (;;) {
		const task = (await client.get(`/tasks/${asyncTaskId}`)).data;
		if (task.status === 'COM') return task;
		if (task.status === 'ERR') throw new Error(`export ${asyncTaskId} failed`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

async function runDownload(n8n, sandbox) {
	sandbox.state.setConfig({ latencyMs: 0, maxInFlight: 0, signedUrlTtlSeconds: 3600, exportDurationMs: 500 });
	const t0 = Date.now();
	const task = await createExport(sandbox);
	const internal = sandbox.state.tasks.get(task.asyncTaskId);
	const fileBytes = fs.statSync(internal.filePath).size;
	log(`export ${task.asyncTaskId}: ${task.totalResults} customers, ${mb(fileBytes)} MB, ready after ${s(Date.now() - t0)} s`);
	const runs = [];
	const one = async (label, w) => {
		const r = await execute(n8n, sandbox, w, { watchMemory: true });
		const binary = r.items[0]?.binary?.data;
		runs.push({ label, r, binary });
		log(`${label}: node ${s(r.nodeMs)} s, peak RSS ${mb(r.memory.peakMainRss)} MB (tree ${mb(r.memory.peakTreeRss)} MB), ${r.memory.samples} samples ${r.error || ''}`);
	};
	if (P.idleBaseline) await one('baseline: same workflow, No Op instead of a download', wf.idleBaseline({ asyncTaskId: task.asyncTaskId }));
	await one('Booster Task → Download File', wf.boosterDownload({ asyncTaskId: task.asyncTaskId }));
	await one('HTTP Request (signed URL, response file)', wf.httpDownload({ asyncTaskId: task.asyncTaskId, signedUrl: task.signedDownloadUrl }));
	return { task, fileBytes, runs };
}

async function main() {
	const started = new Date();
	const results = { date: started.toISOString(), smoke: SMOKE, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGB: (os.totalmem() / 2 ** 30).toFixed(1), loadavg: os.loadavg() } };
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'booster-bench-'));
	let sandbox = null;
	let n8n = null;
	const cleanup = async () => {
		if (n8n) await n8n.stop().catch(() => {});
		n8n = null;
		if (sandbox) await sandbox.stop().catch(() => {});
		sandbox = null;
		fs.rmSync(userFolder, { recursive: true, force: true });
	};
	process.once('SIGINT', () => cleanup().then(() => process.exit(130)));
	try {
		const printed = [];
		const needN8n = ['kpi', 'nolimit', 'download'].some(want);
		if (needN8n) {
			const toolchain = await ensureN8n(undefined, { log });
			results.n8n = toolchain.version;
			results.node = toolchain.node.version;
			installPackage({ userFolder, packageDir: PACKAGE_DIR, build: 'auto', log });
			sandbox = await startSandbox({ port: 0, customers: P.customers, exportDurationMs: 500 });
			log(`sandbox ${sandbox.url} with ${P.customers} customers`);
			const visible = new Set(sandbox.accounts.main.brands);
			for (let i = 0; IDS.length < P.kpiItems; i++) {
				const c = sandbox.state.dataset.customerAt(i);
				if (visible.has(c.brand)) IDS.push(c.boosterCustomerId);
			}
			n8n = await startN8n({
				userFolder,
				log,
				credentials: [...sandboxCredentials(sandbox), wf.headerCredential(sandbox.accounts.main.apiKey)],
				env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', EXECUTIONS_DATA_PRUNE: 'false' },
			});
			// The HTTP Request node with the boosterApi credential as a predefined type; header auth if n8n refuses it
			let httpAuth = 'predefined';
			const probe = await execute(n8n, sandbox, wf.httpKpi({ ids: IDS.slice(0, 1), baseUrl: sandbox.url, auth: httpAuth }));
			if (probe.error || probe.failed) {
				log(`HTTP Request with predefined boosterApi failed (${probe.error || JSON.stringify(probe.items[0]?.json).slice(0, 200)}); using header auth`);
				httpAuth = 'header';
			}
			results.httpAuth = httpAuth;
			const boot = probe.wallMs - (probe.executionMs ?? 0);
			log(`n8n execute start-up overhead ≈ ${s(boot)} s per run`);

			if (want('kpi')) {
				const rows = await runKpi(n8n, sandbox, { limit: P.limit, httpAuth });
				const ours = rows[0];
				const best = rows.filter((r) => r.tuned && r.completed).pop();
				const physicalMs = (P.kpiItems * P.latencyMs) / P.limit;
				results.kpi = { physicalMs, rows: rows.map(({ label, r, completed, order }) => ({ label, completed, order, ...pick(r) })) };
				printed.push(
					`### 1. Get KPI, ${P.kpiItems} customers, latency ${P.latencyMs} ms, in-flight limit ${P.limit} (429 above)\n\n` +
						table(
							['Run', 'Node time s', 'Execution s', 'CLI wall s', 'Requests', '429s', 'Max in flight', 'Items ok', 'Items failed', 'Completed', 'In order', 'vs Booster'],
							rows.map(({ label, r, completed, order }) => [
								label, s(r.nodeMs), s(r.executionMs), s(r.wallMs), r.requests, r.status429, r.maxInFlightObserved,
								r.items.length - r.failed, r.failed + (r.items.length ? 0 : P.kpiItems), completed ? 'yes' : `NO${r.error ? ` (${r.error.slice(0, 60)})` : ''}`,
								order == null ? '' : order ? 'yes' : 'NO', r === ours.r ? '1.00×' : x(r.nodeMs / ours.r.nodeMs),
							]),
						) +
						`\n\nPhysical limit ${P.kpiItems} × ${P.latencyMs} ms ÷ ${P.limit} = ${s(physicalMs)} s; Booster / limit = ${x(ours.r.nodeMs / physicalMs)} (target ≤ 1.25×); ` +
						`best completing tuned HTTP Request / Booster = ${best ? x(best.r.nodeMs / ours.r.nodeMs) : 'none completed'} (target ≥ 1.8×); Booster failed items ${ours.r.failed} (target 0).`,
				);
			}
			if (want('nolimit')) {
				const rows = await runKpi(n8n, sandbox, { limit: 0, httpAuth });
				const http = rows.find((r) => r.label.startsWith('HTTP'));
				results.nolimit = rows.map(({ label, r, completed, order }) => ({ label, completed, order, ...pick(r) }));
				printed.push(
					`### 2. Get KPI, ${P.kpiItems} customers, latency ${P.latencyMs} ms, no in-flight limit\n\n` +
						table(
							['Run', 'Node time s', 'Execution s', 'CLI wall s', 'Requests', 'Max in flight', 'Items failed', 'Completed', 'HTTP default / this'],
							rows.map(({ label, r, completed }) => [label, s(r.nodeMs), s(r.executionMs), s(r.wallMs), r.requests, r.maxInFlightObserved, r.failed, completed ? 'yes' : `NO ${r.error || ''}`, x(http.r.nodeMs / r.nodeMs)]),
						) +
						`\n\nTarget: Booster at concurrency ${HIGH_CONCURRENCY} no slower than HTTP Request default (ratio ≥ 1.00×).`,
				);
			}
			if (want('download')) {
				const d = await runDownload(n8n, sandbox);
				const base = d.runs.find((r) => r.label.startsWith('baseline'));
				results.download = { asyncTaskId: d.task.asyncTaskId, customers: d.task.totalResults, fileBytes: d.fileBytes, runs: d.runs.map(({ label, r, binary }) => ({ label, binary, memory: r.memory, ...pick(r) })) };
				printed.push(
					`### 3. Download of an export of ${d.task.totalResults} customers (${mb(d.fileBytes)} MB CSV), N8N_DEFAULT_BINARY_DATA_MODE=filesystem\n\n` +
						table(
							['Run', 'Node time s', 'Execution s', 'Peak RSS main MB', 'VmHWM main MB', 'Peak RSS tree MB', 'Growth vs baseline MB', 'Binary', 'OK'],
							d.runs.map(({ label, r, binary }) => [
								label, s(r.nodeMs), s(r.executionMs), mb(r.memory.peakMainRss), mb(r.memory.mainHwm), mb(r.memory.peakTreeRss),
								base && r !== base.r ? mb(r.memory.mainHwm - base.r.memory.mainHwm) : '',
								binary ? `${binary.fileSize || ''} ${binary.id ? String(binary.id).split(':')[0] : 'in memory'}` : '',
								r.error ? `NO ${r.error.slice(0, 60)}` : 'yes',
							]),
						) +
						`\n\nMemory of the \`n8n execute\` process that runs the workflow (sampled every 50 ms from /proc; tree = with its task runner). Target: growth < 100 MB for the Booster download.`,
				);
			}
			await n8n.stop();
			n8n = null;
			await sandbox.stop();
			sandbox = null;
		}
		if (want('trigger')) {
			const t = await benchTrigger({ taskCount: P.taskCount, runs: P.triggerRuns, log });
			results.trigger = t;
			printed.push(
				`### 4. Booster Trigger, one poll over ${P.taskCount} finished tasks (in process: n8n-core 2.41.1 PollContext via test/helpers/n8n-engine.ts, Node ${process.version}; median of ${P.triggerRuns})\n\n` +
					table(
						['Format', 'Poll total ms', 'Sandbox serving ms', 'In node ms', 'Node / sandbox', 'Tasks recorded'],
						t.map((r) => [r.format.toUpperCase(), r.pollMs.toFixed(1), r.servedMs.toFixed(1), r.nodeMs.toFixed(1), x(r.ratio), r.seen]),
					) +
					'\n\nTarget: in node < sandbox serving (ratio < 1.00×).',
			);
		}
		const header = `## n8n-nodes-booster benchmark${SMOKE ? ' (smoke)' : ''} — ${started.toISOString()}\n\nn8n ${results.n8n || '-'} (Node ${results.node || '-'}), ${results.machine.cpus} CPU ${results.machine.model}, ${results.machine.memGB} GB, load average at start ${results.machine.loadavg.map((l) => l.toFixed(2)).join(' ')}; HTTP Request auth: ${results.httpAuth || '-'}.\nNode time = the node under test's executionTime in n8n's run data; Execution = n8n's startedAt→stoppedAt; CLI wall = around \`n8n execute\` (includes its start-up).`;
		process.stdout.write(`\n${header}\n\n${printed.join('\n\n')}\n`);
		if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
	} finally {
		await cleanup();
	}
}

function pick(r) {
	return { nodeMs: r.nodeMs, executionMs: r.executionMs, wallMs: r.wallMs, requests: r.requests, status429: r.status429, maxInFlightObserved: r.maxInFlightObserved, items: r.items.length, failed: r.failed, error: r.error, executionId: r.executionId };
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
