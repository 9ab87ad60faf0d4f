'use strict';
// Queue-mode scenario (issue 16, items 4 and 5): n8n's queue mode for real (test/n8n/queue.js:
// Postgres, Redis, one main, two workers with `--concurrency=10`, the package installed in each)
// against the Booster sandbox. A Webhook → Split Out → Booster Get KPI workflow
// (test/n8n/kpi-webhook.js, Get KPI with On Error: Continue so failed items can be counted) is
// called `executions` times at once with `perExecution` customer IDs each:
//
//   runs[0]  Get KPI with the default Concurrency (16), sandbox latency 50 ms, in-flight limit 16
//            (429 + Retry-After: 1 above)
//   runs[1]  the same with Concurrency 8 = limit ÷ workers (README, "Scaling with queue mode")
//   floor    the default workflow with latency 0 and no in-flight limit: what n8n itself costs
//
// Wall time = first webhook call → the last execution's stoppedAt (n8n's execution_entity); the
// answers (the webhook answers when the last node has finished) arrive a few ms later (answersMs).
// Items ok = KPIs in the answers for the IDs posted, in order, without an error. Requests, 429s
// and the highest in-flight count come from the sandbox's counters, reset before each run;
// executions per worker from the workers' logs (q.executionsByWorker()).
//
//   const { benchQueue, queueTable } = require('./lib/queue');
//   const result = await benchQueue({ smoke, log, packageDir });   // plain JSON
//   console.log(queueTable(result));                                 // Markdown section
//
// The credential (test/n8n/booster.js sandboxCredentials) and the workflows are created through the
// main's public API once the topology runs. Before the measured runs, each workflow is published and called once (the main registers its
// webhook shortly after publishing), then one warm-up round (`executions` calls of 10 IDs) loads
// the package into both workers. Postgres runs without fsync (`durable: false`, as in the e2e
// suite): the figures are about n8n and the node, not the disk.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const { startSandbox } = require(path.join(ROOT, 'test/sandbox'));
const { startQueue } = require(path.join(ROOT, 'test/n8n/queue'));
const { sandboxCredentials } = require(path.join(ROOT, 'test/n8n/booster'));
const { kpiWebhookWorkflow, postKpis, okKpiItems } = require(path.join(ROOT, 'test/n8n/kpi-webhook'));
const { table } = require('./format');

const WORKERS = 2;
const WORKER_CONCURRENCY = 10; // n8n worker --concurrency (n8n's default is 10 too)
const DEFAULT_CONCURRENCY = 16; // Get KPI's default Concurrency
const WAIT_MS = 180000; // ceiling for the executions of one run to be finished and logged

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function params(smoke) {
	return smoke
		? { executions: 4, perExecution: 25, latencyMs: 50, limit: 16, concurrencies: [DEFAULT_CONCURRENCY] }
		: { executions: 20, perExecution: 100, latencyMs: 50, limit: 16, concurrencies: [DEFAULT_CONCURRENCY, 16 / WORKERS] };
}

const runLabel = (concurrency) =>
	concurrency === DEFAULT_CONCURRENCY ? `Booster Get KPI, Concurrency ${concurrency} (default)` : `Booster Get KPI, Concurrency ${concurrency} (limit ÷ workers)`;

/** One workflow per Concurrency; webhook paths and ids unique to this bench. */
function kpiVariant(concurrency) {
	const webhookPath = `booster-bench-queue-kpis-c${concurrency}`;
	return {
		concurrency,
		path: webhookPath,
		workflow: kpiWebhookWorkflow({
			id: `BenchQueueKpiC${concurrency}`,
			name: `bench queue: KPIs of posted customers, Concurrency ${concurrency}`,
			path: webhookPath,
			webhookId: crypto.randomUUID(),
			advanced: concurrency === DEFAULT_CONCURRENCY ? undefined : { concurrency },
			onError: 'continueRegularOutput',
		}),
	};
}

/** The first `count` customer IDs the sandbox's main account may see (brand PAN gives 403). */
function visibleIds(sandbox, count) {
	const visible = new Set(sandbox.accounts.main.brands);
	const ids = [];
	for (let i = 0; ids.length < count && i < sandbox.state.dataset.size; i++) {
		const c = sandbox.state.dataset.customerAt(i);
		if (visible.has(c.brand)) ids.push(c.boosterCustomerId);
	}
	if (ids.length < count) throw new Error(`the sandbox has only ${ids.length} customers the main account may see, ${count} needed`);
	return ids;
}

const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** Executions of a workflow in n8n's database: id, status, startedAt / stoppedAt in ms since the epoch. */
function executionsOf(q, workflowId) {
	return q.sql(
		`SELECT id::text AS id, status, finished, ` +
			`(extract(epoch FROM "startedAt") * 1000)::bigint AS "startedMs", (extract(epoch FROM "stoppedAt") * 1000)::bigint AS "stoppedMs" ` +
			`FROM execution_entity WHERE "workflowId" = ${lit(workflowId)}`,
	);
}

/**
 * The credential and the workflows, created through the main's public API once it runs rather than
 * imported with the CLI before it starts (startQueue's `credentials` / `workflows`): each CLI import
 * is one more n8n start-up, 10–20 s on a 2-CPU machine. Workflows get the credential's new id and
 * n8n's ids (variant.workflow is replaced).
 */
async function createThroughApi(q, credentials, variants) {
	const api = await q.main.publicApi();
	const ok = (res, what) => {
		if (res.status >= 200 && res.status < 300) return res.data;
		throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.data).slice(0, 500)}`);
	};
	const ids = {};
	for (const { id, name, type, data } of credentials) ids[id] = ok(await api.post('/credentials', { name, type, data }), `create credential ${name}`).id;
	for (const v of variants) {
		const nodes = v.workflow.nodes.map((node) =>
			node.credentials
				? { ...node, credentials: Object.fromEntries(Object.entries(node.credentials).map(([kind, ref]) => [kind, { ...ref, id: ids[ref.id] ?? ref.id }])) }
				: node,
		);
		const { name, connections, settings } = v.workflow;
		const created = ok(await api.post('/workflows', { name, nodes, connections, settings }), `create workflow ${name}`);
		v.workflow = { ...v.workflow, id: created.id, nodes };
	}
}

/** Publishes the workflow and calls it until the main has registered its webhook (404 until then). */
async function publish(q, variant, probeIds) {
	await q.main.publishWorkflow(variant.workflow.id);
	const deadline = Date.now() + 30000;
	for (;;) {
		const res = await postKpis(q.main.url, variant.path, probeIds);
		if (res.status === 200) return;
		if (res.status !== 404 || Date.now() > deadline) throw new Error(`webhook ${variant.path}: HTTP ${res.status} ${JSON.stringify(res.data).slice(0, 300)}`);
		await sleep(250);
	}
}

/**
 * `batches.length` webhook calls at once; resolves with the figures once every execution has
 * finished and the workers' logs name it.
 */
async function measure(q, sandbox, variant, batches, config) {
	sandbox.state.setConfig(config);
	const known = new Set(executionsOf(q, variant.workflow.id).map((e) => e.id));
	sandbox.state.counters.reset();

	const t0 = Date.now();
	const answers = await Promise.all(batches.map((ids) => postKpis(q.main.url, variant.path, ids)));
	const answersMs = Date.now() - t0;
	const counters = sandbox.state.counters.snapshot();

	// the executions of this run, finished (stoppedAt set) and named in a worker's log
	const deadline = Date.now() + WAIT_MS;
	let executions;
	let byWorker;
	for (;;) {
		executions = executionsOf(q, variant.workflow.id).filter((e) => !known.has(e.id));
		const ids = new Set(executions.map((e) => e.id));
		const logged = q.executionsByWorker();
		byWorker = Object.fromEntries(Object.entries(logged).map(([name, ran]) => [name, ran.filter((id) => ids.has(id)).length]));
		const finished = executions.length >= batches.length && executions.every((e) => e.stoppedMs != null);
		const attributed = Object.values(byWorker).reduce((a, b) => a + b, 0) >= executions.length;
		if (finished && attributed) break;
		if (Date.now() > deadline) {
			throw new Error(`after ${WAIT_MS / 1000} s: ${executions.length} of ${batches.length} executions, ${executions.filter((e) => e.stoppedMs != null).length} finished, per worker ${JSON.stringify(byWorker)}`);
		}
		await sleep(250);
	}

	const lastStop = Math.max(...executions.map((e) => Number(e.stoppedMs)));
	const firstStart = Math.min(...executions.map((e) => Number(e.startedMs)));
	const items = batches.reduce((sum, ids) => sum + ids.length, 0);
	const ok = answers.reduce((sum, answer, i) => sum + okKpiItems(answer, batches[i]), 0);
	const notOk = answers.map((a) => a.status).filter((s) => s !== 200);
	return {
		wallMs: lastStop - t0,
		answersMs,
		firstStartMs: firstStart - t0,
		ok,
		failed: items - ok,
		status429: counters.byStatus['429'] || 0,
		maxInFlight: counters.maxInFlightObserved,
		requests: counters.total,
		byWorker,
		executionStatus: executions.reduce((acc, e) => ({ ...acc, [e.status]: (acc[e.status] || 0) + 1 }), {}),
		...(notOk.length ? { httpErrors: notOk } : {}),
	};
}

/** Returns a plain object of figures; throws only when the topology cannot start. */
async function benchQueue({ smoke = false, log = () => {}, packageDir = process.env.BOOSTER_PACKAGE_DIR ? path.resolve(process.env.BOOSTER_PACKAGE_DIR) : ROOT, keep = false } = {}) {
	const P = params(smoke);
	const started = Date.now();
	const result = {
		smoke,
		workers: WORKERS,
		workerConcurrency: WORKER_CONCURRENCY,
		executions: P.executions,
		perExecution: P.perExecution,
		latencyMs: P.latencyMs,
		limit: P.limit,
		physicalMs: (P.executions * P.perExecution * P.latencyMs) / P.limit,
		loadavg: os.loadavg(),
		cpus: os.cpus().length,
		runs: [],
		floor: null,
	};
	const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'booster-bench-queue-'));
	let sandbox = null;
	let q = null;
	try {
		sandbox = await startSandbox({ port: 0, latencyMs: P.latencyMs, maxInFlight: P.limit, retryAfterSeconds: 1 });
		const ids = visibleIds(sandbox, P.executions * P.perExecution);
		const batches = Array.from({ length: P.executions }, (_, i) => ids.slice(i * P.perExecution, (i + 1) * P.perExecution));
		const variants = P.concurrencies.map(kpiVariant);

		q = await startQueue({
			baseDir,
			fresh: true,
			workers: WORKERS,
			concurrency: WORKER_CONCURRENCY,
			mainPort: 0,
			durable: false,
			packageDir,
			build: 'auto',
			log: (line) => log(`queue: ${line}`),
		});
		result.n8n = q.version;
		await createThroughApi(q, sandboxCredentials(sandbox), variants);
		result.topologyMs = Date.now() - started;
		log(`queue topology up, credential and workflows created in ${(result.topologyMs / 1000).toFixed(1)} s (${baseDir})`);

		// publish, then one warm-up round so both workers have loaded the package and the credential
		for (const v of variants) await publish(q, v, ids.slice(0, 2));
		const warm = await Promise.all(batches.map((b) => postKpis(q.main.url, variants[0].path, b.slice(0, 10))));
		log(`warm-up: ${warm.filter((a) => a.status === 200).length} of ${warm.length} calls answered 200`);

		const limited = { latencyMs: P.latencyMs, maxInFlight: P.limit, retryAfterSeconds: 1 };
		for (const v of variants) {
			const label = runLabel(v.concurrency);
			log(`${label}: ${P.executions} calls × ${P.perExecution} KPIs at once …`);
			try {
				const r = await measure(q, sandbox, v, batches, limited);
				result.runs.push({ label, concurrency: v.concurrency, ...r });
				log(`${label}: ${(r.wallMs / 1000).toFixed(2)} s, ok ${r.ok}, failed ${r.failed}, 429s ${r.status429}, max in flight ${r.maxInFlight}, per worker ${JSON.stringify(r.byWorker)}`);
			} catch (error) {
				result.runs.push({ label, concurrency: v.concurrency, error: error.message });
				log(`${label}: FAILED ${error.message}`);
			}
		}

		log(`CPU floor: latency 0, no in-flight limit, default Concurrency …`);
		try {
			const r = await measure(q, sandbox, variants[0], batches, { latencyMs: 0, maxInFlight: 0 });
			result.floor = { wallMs: r.wallMs, answersMs: r.answersMs, ok: r.ok, failed: r.failed, maxInFlight: r.maxInFlight, requests: r.requests, byWorker: r.byWorker };
			log(`CPU floor: ${(r.wallMs / 1000).toFixed(2)} s, ok ${r.ok}, failed ${r.failed}, max in flight ${r.maxInFlight}`);
		} catch (error) {
			result.floor = { error: error.message };
			log(`CPU floor: FAILED ${error.message}`);
		}
	} finally {
		if (q) await q.stop().catch((error) => log(`stopping the queue topology: ${error.message}`));
		if (sandbox) await sandbox.stop().catch((error) => log(`stopping the sandbox: ${error.message}`));
		if (keep) log(`kept ${baseDir}`);
		else fs.rmSync(baseDir, { recursive: true, force: true });
	}
	result.loadavgEnd = os.loadavg();
	result.totalMs = Date.now() - started;
	return result;
}

// ---------------------------------------------------------------------------------------------
// Markdown

const sec = (ms) => (ms == null || !Number.isFinite(ms) ? '–' : (ms / 1000).toFixed(2));
const times = (v) => (v == null || !Number.isFinite(v) ? '–' : `${v.toFixed(2)}×`);
const perWorker = (byWorker) => (byWorker ? Object.values(byWorker).join(' / ') : '–');
const count = (n) => n.toLocaleString('en-US');

/** The targets of issue 16 for the run with the default Concurrency. */
function queueTargets(r) {
	const run = r.runs.find((candidate) => candidate.concurrency === DEFAULT_CONCURRENCY && !candidate.error);
	if (!run) return { noFailed: { shown: 'did not run', met: false }, vsLimit: { shown: 'did not run', met: false } };
	return {
		noFailed: { shown: `${run.failed} failed of ${r.executions * r.perExecution}`, met: run.failed === 0 },
		vsLimit: { shown: `${sec(run.wallMs)} s = ${times(run.wallMs / r.physicalMs)}`, met: run.wallMs <= 2 * r.physicalMs },
	};
}

/** The queue scenario as a Markdown section (heading, table, limit / floor / targets line). */
function queueTable(result) {
	const r = result;
	const items = r.executions * r.perExecution;
	const workersWord = r.workers === 2 ? 'two workers' : `${r.workers} workers`;
	const heading = `### Queue mode: ${r.executions} executions × ${r.perExecution} KPIs over ${workersWord}, latency ${r.latencyMs} ms, in-flight limit ${r.limit}${r.smoke ? ' (smoke)' : ''}`;
	const rows = r.runs.map((run) =>
		run.error
			? [run.label, `NO (${run.error.slice(0, 80)})`, '', '', '', '', '', '']
			: [run.label, sec(run.wallMs), times(run.wallMs / r.physicalMs), run.ok, run.failed, run.status429, run.maxInFlight, perWorker(run.byWorker)],
	);
	if (r.floor) {
		rows.push(
			r.floor.error
				? ['CPU floor: latency 0, no limit, default Concurrency', `NO (${r.floor.error.slice(0, 80)})`, '', '', '', '', '', '']
				: ['CPU floor: latency 0, no limit, default Concurrency', sec(r.floor.wallMs), times(r.floor.wallMs / r.physicalMs), r.floor.ok, r.floor.failed, '', r.floor.maxInFlight, perWorker(r.floor.byWorker)],
		);
	}
	const body = table(['Run', 'Wall s', 'vs physical limit', 'Items ok', 'Items failed', '429s', 'Max in flight', 'Executions per worker'], rows);

	const target = 2 * r.physicalMs;
	const floorMs = r.floor && !r.floor.error ? r.floor.wallMs : null;
	const reference = Math.max(r.physicalMs, floorMs ?? 0);
	const byDefault = r.runs.find((run) => run.concurrency === DEFAULT_CONCURRENCY && !run.error);
	const shortLabel = (run) => `Concurrency ${run.concurrency}`;
	const met = (ok) => (ok ? 'met' : 'NOT met');
	const timeTargets = r.runs.map((run) => `${shortLabel(run)} ${met(!run.error && run.wallMs <= target)}`).join(', ');
	const failTargets = r.runs.map((run) => `${shortLabel(run)} ${met(!run.error && run.failed === 0)}`).join(', ');
	const lines = [
		`Physical limit ${count(items)} × ${r.latencyMs} ms ÷ ${r.limit} = ${sec(r.physicalMs)} s; ` +
			`CPU floor (same ${count(items)} items, latency 0, no in-flight limit) ${floorMs == null ? '–' : `${sec(floorMs)} s`}; ` +
			`default run / max(limit, floor) = ${byDefault ? times(byDefault.wallMs / reference) : '–'}.`,
		`Targets: wall ≤ 2× the physical limit (${sec(target)} s): ${timeTargets}; 0 failed items: ${failTargets}.`,
		`Wall = first webhook call → last execution's stoppedAt; ${r.workers} workers with --concurrency=${r.workerConcurrency}, Get KPI with On Error: Continue; ` +
			`load average at start ${r.loadavg.map((l) => l.toFixed(2)).join(' ')}${r.loadavgEnd ? `, at the end ${r.loadavgEnd.map((l) => l.toFixed(2)).join(' ')}` : ''} (${r.cpus} CPUs).`,
	];
	return `${heading}\n\n${body}\n\n${lines.join('\n')}`;
}

module.exports = { benchQueue, queueTable, queueTargets };
