#!/usr/bin/env node
'use strict';
// `npm run bench`: the Booster nodes against what an n8n user would build instead, in one real n8n
// (2.41.1, filesystem binary data) and in n8n's queue mode, against the Booster sandbox. Prints
// Markdown tables and draws test/bench/chart.svg; asserts nothing about timing.
//   node test/bench/run.js [--smoke] [--only=kpi,nolimit,kpi10k,customers,download,queue,trigger] [--json=FILE] [--chart=FILE]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_DIR = process.env.BOOSTER_PACKAGE_DIR ? path.resolve(process.env.BOOSTER_PACKAGE_DIR) : ROOT;
const { startSandbox } = require(path.join(ROOT, 'test/sandbox'));
const { startN8n } = require(path.join(ROOT, 'test/n8n/instance'));
const { ensureN8n } = require(path.join(ROOT, 'test/n8n/toolchain'));
const { installPackage } = require(path.join(ROOT, 'test/n8n/package-install'));
const { sandboxCredentials } = require(path.join(ROOT, 'test/n8n/booster'));
const wf = require('./lib/workflows');
const { execute } = require('./lib/execute');
const kpi = require('./lib/kpi');
const files = require('./lib/files');
const { benchTrigger } = require('./lib/trigger');
const { benchQueue, queueTable, queueTargets } = require('./lib/queue');
const { renderChart } = require('./lib/chart');
const { headlineGroups } = require('./lib/headlines');
const { s, x, met, table } = require('./lib/format');

const argv = process.argv.slice(2);
const SMOKE = argv.includes('--smoke');
const option = (name) => (argv.find((a) => a.startsWith(`--${name}=`)) || '').slice(name.length + 3);
const ONLY = option('only').split(',').filter(Boolean);
const JSON_OUT = option('json');
const CHART_OUT = option('chart') || (!SMOKE && !ONLY.length ? path.join(__dirname, 'chart.svg') : '');
const want = (name) => !ONLY.length || ONLY.includes(name);

const P = SMOKE
	? { kpiItems: 100, manyKpiItems: 500, intervals: [100], manyIntervals: [100], customers: 40000, taskCount: 500, triggerRuns: 2 }
	: { kpiItems: 1000, manyKpiItems: 10000, intervals: [50, 75, 100, 150, 200, 300], manyIntervals: [50, 75, 100, 150], customers: 4005000, taskCount: 5000, triggerRuns: 5 };
const LATENCY_MS = 50;
const LIMIT = 16;
const BRAND = 'CAR'; // a quarter of the customers: ≈ 1,000,000 in the full run
const TWO_YEARS = { from: '2019-01-01T00:00:00Z', to: '2020-12-31T23:59:59Z' }; // ≈ a fifth of them

const log = (line) => process.stderr.write(`[bench] ${line}\n`);

/** The first `count` customers the main account may see (it may not see brand PAN). */
function visibleCustomerIds(sandbox, count) {
	const visible = new Set(sandbox.accounts.main.brands);
	const ids = [];
	for (let i = 0; ids.length < count; i++) {
		const c = sandbox.state.dataset.customerAt(i);
		if (visible.has(c.brand)) ids.push(c.boosterCustomerId);
	}
	return ids;
}

/** The HTTP Request node with the boosterApi credential as a predefined type; header auth if n8n refuses it. */
async function httpAuthFor(n8n, sandbox, id) {
	const probe = await execute(n8n, sandbox, wf.httpKpi({ ids: [id], baseUrl: sandbox.url, auth: 'predefined' }));
	if (!probe.error && !probe.failed) return 'predefined';
	log(`HTTP Request with predefined boosterApi failed (${probe.error || JSON.stringify(probe.items[0]?.json).slice(0, 200)}); using header auth`);
	return 'header';
}

async function inN8n(results, sections) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'booster-bench-'));
	let sandbox = null;
	let n8n = null;
	const stop = async () => {
		await n8n?.stop().catch(() => {});
		await sandbox?.stop().catch(() => {});
		fs.rmSync(userFolder, { recursive: true, force: true });
	};
	process.once('SIGINT', () => stop().then(() => process.exit(130)));
	try {
		const toolchain = await ensureN8n(undefined, { log });
		Object.assign(results, { n8n: toolchain.version, node: toolchain.node.version });
		installPackage({ userFolder, packageDir: PACKAGE_DIR, build: 'auto', log });
		sandbox = await startSandbox({ port: 0, customers: P.customers, exportDurationMs: 500 });
		log(`sandbox ${sandbox.url} with ${P.customers} customers`);
		n8n = await startN8n({
			userFolder,
			log,
			credentials: [...sandboxCredentials(sandbox), wf.headerCredential(sandbox.accounts.main.apiKey)],
			// n8n does not read back the run data of an execution above 100 MB (200,000 customers: 146 MB); the bench counts their items
			env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', EXECUTIONS_DATA_PRUNE: 'false', EXECUTIONS_DATA_MAX_DISPLAY_SIZE: String(2 ** 31) },
		});
		const ids = visibleCustomerIds(sandbox, Math.max(P.kpiItems, want('kpi10k') ? P.manyKpiItems : 0));
		const httpAuth = await httpAuthFor(n8n, sandbox, ids[0]);
		results.httpAuth = httpAuth;
		const baseline = await execute(n8n, sandbox, wf.idleBaseline({ asyncTaskId: 'none' }), { watchMemory: true });
		results.baseline = { executionMs: baseline.executionMs, wallMs: baseline.wallMs, memory: baseline.memory };
		log(`baseline (No Op): execution ${s(baseline.executionMs)} s, CLI wall ${s(baseline.wallMs)} s, VmHWM ${(baseline.memory.mainHwm / 1048576).toFixed(1)} MB`);

		if (want('kpi')) {
			const some = ids.slice(0, P.kpiItems);
			const rows = await kpi.runLimited(n8n, sandbox, { ids: some, latencyMs: LATENCY_MS, limit: LIMIT, intervals: P.intervals, httpAuth, log });
			const floor = await kpi.runFloor(n8n, sandbox, { ids: some, log });
			const physicalMs = (some.length * LATENCY_MS) / LIMIT;
			const section = kpi.limitedSection({ title: `Get KPI, ${some.length} customers, latency ${LATENCY_MS} ms, in-flight limit ${LIMIT} (429 above)`, rows, floor, physicalMs, targets: { vsLimit: 1.25, vsTuned: 1.8 } });
			results.kpi = { rows, floor, physicalMs, ...section };
			sections.push(section.text);
		}
		if (want('nolimit')) {
			const rows = await kpi.runNoLimit(n8n, sandbox, { ids: ids.slice(0, P.kpiItems), latencyMs: LATENCY_MS, httpAuth, log });
			const section = kpi.noLimitSection({ title: `Get KPI, ${P.kpiItems} customers, latency ${LATENCY_MS} ms, no in-flight limit`, rows });
			results.nolimit = { rows, ...section };
			sections.push(section.text);
		}
		if (want('kpi10k')) {
			const many = ids.slice(0, P.manyKpiItems);
			const rows = await kpi.runLimited(n8n, sandbox, { ids: many, latencyMs: LATENCY_MS, limit: LIMIT, intervals: P.manyIntervals, httpAuth, withHttpDefault: false, baseline, log });
			const floor = await kpi.runFloor(n8n, sandbox, { ids: many, log });
			const physicalMs = (many.length * LATENCY_MS) / LIMIT;
			const section = kpi.limitedSection({ title: `Get KPI, ${many.length} customers, latency ${LATENCY_MS} ms, in-flight limit ${LIMIT}`, rows, floor, physicalMs, targets: { vsLimit: 1.3 } });
			results.kpi10k = { rows, floor, physicalMs, ...section };
			sections.push(section.text);
		}
		if (want('customers')) {
			const c = await files.runCustomers(n8n, sandbox, { brand: BRAND, ...TWO_YEARS, log });
			const section = files.customersSection(c);
			results.customers = { ...c, ...section };
			sections.push(section.text);
		}
		if (want('download')) {
			const posCodes = sandbox.state.pointsOfSale.filter((p) => p.brand === BRAND).map((p) => p.posCode);
			const request = (filters) => ({ path: `/customer/${BRAND}/export`, body: { posCodes, ...filters } });
			const sizes = await files.runDownloads(n8n, sandbox, {
				exports: [request({ creationDateFrom: TWO_YEARS.from, creationDateTo: TWO_YEARS.to }), request({})],
				baseline,
				log,
			});
			const section = files.downloadsSection(sizes, baseline);
			results.download = { sizes, ...section };
			sections.push(section.text);
		}
	} finally {
		await stop();
	}
}

/** Every target of issue 6 and issue 16 with what this run measured. */
function summary(results) {
	const rows = [];
	const add = (scenario, target, t) => t && rows.push([scenario, target, t.shown, met(t.met)]);
	const k = results.kpi?.targets;
	add(`Get KPI ${P.kpiItems}, limit ${LIMIT}`, '0 failed items', k?.noFailed);
	add(`Get KPI ${P.kpiItems}, limit ${LIMIT}`, '≤ 1.25× physical limit', k?.vsLimit);
	add(`Get KPI ${P.kpiItems}, limit ${LIMIT}`, 'tuned HTTP Request ≥ 1.8× Booster\'s time', k?.vsTuned);
	add(`Get KPI ${P.kpiItems}, no limit`, 'concurrency 64 no slower than HTTP Request', results.nolimit?.targets.notSlower);
	add(`Get KPI ${P.manyKpiItems}, limit ${LIMIT}`, '0 failed items', results.kpi10k?.targets.noFailed);
	add(`Get KPI ${P.manyKpiItems}, limit ${LIMIT}`, '≤ 1.3× physical limit', results.kpi10k?.targets.vsLimit);
	add('Customers as items', 'every customer, in both', results.customers?.targets.items);
	add('Customers as items', '≥ 2× faster than HTTP Request + Extract From File', results.customers?.targets.speedup);
	add('Customers as items', 'memory growth ≤ 0.5× the alternative\'s', results.customers?.targets.memory);
	add('Download File', 'growth, large file ≤ 1.2× small file', results.download?.targets.flat);
	add('Download File', 'growth below HTTP Request\'s, large file', results.download?.targets.belowHttp);
	add('Download File', 'growth < 100 MB, small file', results.download?.targets.under100);
	add('Queue mode', '0 failed items', results.queue?.targets?.noFailed);
	add('Queue mode', '≤ 2× physical limit', results.queue?.targets?.vsLimit);
	for (const t of results.trigger || []) {
		const xml = t.format === 'xml';
		add(`Trigger poll, ${t.tasks} ${t.format.toUpperCase()} tasks`, xml ? 'poll < 250 ms' : 'in node < sandbox serving', {
			shown: `poll ${t.pollMs.toFixed(0)} ms (node ${t.nodeMs.toFixed(0)}, serving ${t.servedMs.toFixed(0)})`,
			met: xml ? t.pollMs < 250 : t.nodeMs < t.servedMs,
		});
	}
	return `### Targets\n\n${table(['Scenario', 'Target', 'Measured', 'Met'], rows)}`;
}

/** What must hold on any machine, however slow: every item out, no error. A smoke run fails without it. */
function failures(results) {
	const problems = [];
	const check = (what, ok) => ok || problems.push(what);
	for (const [name, scenario] of Object.entries({ kpi: results.kpi, kpi10k: results.kpi10k })) {
		if (scenario) check(`${name}: Booster failed items or error`, scenario.targets.noFailed.met);
	}
	for (const r of results.nolimit?.rows || []) check(`nolimit: ${r.label} did not complete`, r.completed);
	if (results.customers) {
		check('customers: an item count differs from the task', results.customers.targets.items.met);
		for (const r of results.customers.rows) check(`customers: ${r.label}: ${r.error}`, !r.error);
	}
	for (const size of results.download?.sizes || []) for (const r of size.rows) check(`download ${size.customers}: ${r.label}: ${r.error || 'no file'}`, !r.error && r.binary?.fileSize);
	if (results.queue) check('queue: failed items or a run that did not complete', results.queue.targets.noFailed.met);
	for (const t of results.trigger || []) check(`trigger ${t.format}: recorded ${t.seen} of ${t.tasks} tasks`, t.seen === t.tasks);
	return problems;
}

async function main() {
	const started = new Date();
	const results = { date: started.toISOString(), smoke: SMOKE, only: ONLY, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGB: (os.totalmem() / 2 ** 30).toFixed(1), loadavg: os.loadavg() } };
	const sections = [];
	if (['kpi', 'nolimit', 'kpi10k', 'customers', 'download'].some(want)) await inN8n(results, sections);
	if (want('queue')) {
		const queue = await benchQueue({ smoke: SMOKE, log, packageDir: PACKAGE_DIR });
		results.queue = { ...queue, targets: queueTargets(queue) };
		sections.push(queueTable(queue));
	}
	if (want('trigger')) {
		results.trigger = await benchTrigger({ taskCount: P.taskCount, runs: P.triggerRuns, log });
		sections.push(
			`### Booster Trigger, one poll over ${P.taskCount} finished tasks (in process: n8n-core 2.41.1 PollContext via test/helpers/n8n-engine.ts, Node ${process.version}; median of ${P.triggerRuns})\n\n` +
				table(
					['Format', 'Poll total ms', 'Sandbox serving ms', 'In node ms', 'Node / sandbox', 'Tasks recorded'],
					results.trigger.map((r) => [r.format.toUpperCase(), r.pollMs.toFixed(1), r.servedMs.toFixed(1), r.nodeMs.toFixed(1), x(r.ratio), r.seen]),
				) +
				'\n\nTargets: JSON, in node < sandbox serving; XML, the whole poll < 250 ms.',
		);
	}
	results.loadavgAtEnd = os.loadavg();
	const minutes = ((Date.now() - started.getTime()) / 60000).toFixed(1);
	const header =
		`## n8n-nodes-booster benchmark${SMOKE ? ' (smoke)' : ''}: ${started.toISOString()}\n\n` +
		`n8n ${results.n8n || '-'} (Node ${results.node || '-'}), ${results.machine.cpus} CPU ${results.machine.model}, ${results.machine.memGB} GB; load average at start ${results.machine.loadavg.map((l) => l.toFixed(2)).join(' ')}, at end ${results.loadavgAtEnd.map((l) => l.toFixed(2)).join(' ')}; ${minutes} min; HTTP Request auth: ${results.httpAuth || '-'}.\n` +
		'Node time = the executionTime of the node(s) under test in n8n\'s run data; Execution = n8n\'s startedAt→stoppedAt; CLI wall = around `n8n execute` (includes its start-up).';
	process.stdout.write(`\n${header}\n\n${sections.join('\n\n')}\n\n${summary(results)}\n`);
	const problems = failures(results);
	if (problems.length) {
		log(`runs that did not complete:\n  ${problems.join('\n  ')}`);
		if (SMOKE) process.exitCode = 1;
	}
	if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(results, (key, value) => (key === 'requestLog' ? undefined : value), 2));
	if (CHART_OUT) {
		fs.writeFileSync(CHART_OUT, renderChart(headlineGroups(results), { title: 'n8n-nodes-booster against the alternative, n8n 2.41.1', subtitle: `${started.toISOString().slice(0, 10)}, ${results.machine.cpus} CPU ${results.machine.model}` }));
		log(`chart: ${path.relative(process.cwd(), CHART_OUT)}`);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
