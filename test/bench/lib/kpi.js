'use strict';
// Get KPI scenarios: the Booster node against n8n's HTTP Request node, under an in-flight limit
// and without one, and the CPU floor (the same items with no latency and no limit).
const wf = require('./workflows');
const { execute, figures } = require('./execute');
const { mb, s, x, met, table } = require('./format');

const HIGH_CONCURRENCY = 64; // the option's maximum

function row(label, r, ids, extra = {}) {
	const completed = !r.error && r.items.length === ids.length && r.failed === 0;
	const inOrder = extra.booster ? r.items.every((it, i) => it.json && Number(it.json.boosterCustomerId) === ids[i]) : null;
	return { label, completed, inOrder, ...figures(r), ...extra };
}

const logRow = (log, r) => log(`${r.label}: node ${s(r.nodeMs)} s, ${r.requests} requests, ${r.status429} × 429, ${r.failed} failed ${r.error || ''}`);

/**
 * Under the limit: Booster with its defaults, HTTP Request with its defaults (`withHttpDefault`),
 * then HTTP Request batching `limit` per interval until a run completes with no failed item.
 */
async function runLimited(n8n, sandbox, { ids, latencyMs, limit, intervals, httpAuth, withHttpDefault = true, baseline = null, log }) {
	sandbox.state.setConfig({ latencyMs, maxInFlight: limit, retryAfterSeconds: 1 });
	const rows = [];
	const run = async (label, workflow, extra) => {
		const r = await execute(n8n, sandbox, workflow, { watchMemory: Boolean(baseline) });
		const result = row(label, r, ids, { ...extra, growth: baseline && r.memory ? r.memory.mainHwm - baseline.memory.mainHwm : null });
		logRow(log, result);
		rows.push(result);
		return result;
	};
	await run(`Booster Get KPI (default, concurrency ${limit})`, wf.boosterKpi({ ids }), { booster: true });
	if (withHttpDefault) await run('HTTP Request (default)', wf.httpKpi({ ids, baseUrl: sandbox.url, auth: httpAuth }));
	for (const intervalMs of intervals) {
		const r = await run(`HTTP Request (batch ${limit} per ${intervalMs} ms)`, wf.httpKpi({ ids, baseUrl: sandbox.url, auth: httpAuth, batch: { size: limit, intervalMs } }), { tuned: true });
		if (r.completed) break; // the smallest interval that still completes
	}
	return rows;
}

async function runNoLimit(n8n, sandbox, { ids, latencyMs, httpAuth, log }) {
	sandbox.state.setConfig({ latencyMs, maxInFlight: 0 });
	const rows = [];
	for (const [label, workflow, extra] of [
		[`Booster Get KPI (concurrency ${HIGH_CONCURRENCY})`, wf.boosterKpi({ ids, concurrency: HIGH_CONCURRENCY }), { booster: true }],
		['Booster Get KPI (default, concurrency 16)', wf.boosterKpi({ ids }), { booster: true }],
		['HTTP Request (default)', wf.httpKpi({ ids, baseUrl: sandbox.url, auth: httpAuth }), {}],
	]) {
		const result = row(label, await execute(n8n, sandbox, workflow), ids, extra);
		logRow(log, result);
		rows.push(result);
	}
	return rows;
}

/** What n8n and the node cost without any wait: the same items, latency 0, no limit, default settings. */
async function runFloor(n8n, sandbox, { ids, log }) {
	sandbox.state.setConfig({ latencyMs: 0, maxInFlight: 0 });
	const result = row('CPU floor: Booster Get KPI, latency 0, no limit', await execute(n8n, sandbox, wf.boosterKpi({ ids })), ids, { booster: true });
	logRow(log, result);
	return result;
}

/** Booster's time against the larger of the physical limit and the CPU floor. */
function againstFloor(nodeMs, physicalMs, floorMs) {
	const bound = Math.max(physicalMs, floorMs ?? 0);
	return { bound, ratio: nodeMs / bound, boundBy: floorMs > physicalMs ? 'CPU floor' : 'physical limit' };
}

function limitedSection({ title, rows, floor, physicalMs, targets: wanted }) {
	const ours = rows[0];
	const best = rows.filter((r) => r.tuned && r.completed).pop();
	const floorRatio = againstFloor(ours.nodeMs, physicalMs, floor?.nodeMs);
	const vsLimit = ours.nodeMs / physicalMs;
	const vsTuned = best ? best.nodeMs / ours.nodeMs : null;
	const targets = {
		noFailed: { shown: `${ours.failed} failed of ${ours.items}`, met: ours.completed && ours.failed === 0 },
		vsLimit: { shown: `${s(ours.nodeMs)} s = ${x(vsLimit)}`, met: vsLimit <= wanted.vsLimit },
		...(wanted.vsTuned ? { vsTuned: { shown: best ? `${x(vsTuned)} (${s(best.nodeMs)} s)` : 'none completed', met: vsTuned != null && vsTuned >= wanted.vsTuned } } : {}),
	};
	const withMemory = rows.some((r) => r.growth != null);
	const headers = ['Run', 'Node time s', 'Execution s', 'CLI wall s', 'Requests', '429s', 'Max in flight', 'Items ok', 'Items failed', 'Completed', 'In order', 'vs Booster', ...(withMemory ? ['RSS growth MB'] : [])];
	const line = (r) => [
		r.label, s(r.nodeMs), s(r.executionMs), s(r.wallMs), r.requests, r.status429, r.maxInFlightObserved, r.items - r.failed, r.failed,
		r.completed ? 'yes' : `NO${r.error ? ` (${r.error.slice(0, 60)})` : ''}`, r.inOrder == null ? '' : r.inOrder ? 'yes' : 'NO',
		r === ours ? '1.00×' : x(r.nodeMs / ours.nodeMs), ...(withMemory ? [mb(r.growth)] : []),
	];
	return {
		targets,
		figures: { physicalMs, floorMs: floor?.nodeMs ?? null, vsBound: floorRatio.ratio, boundBy: floorRatio.boundBy },
		text:
			`### ${title}\n\n${table(headers, [...rows, ...(floor ? [{ ...floor, label: floor.label }] : [])].map(line))}\n\n` +
			`Physical limit ${s(physicalMs)} s; CPU floor ${floor ? `${s(floor.nodeMs)} s` : 'not measured'}; Booster / larger of the two (${floorRatio.boundBy}) = ${x(floorRatio.ratio)}. ` +
			`Targets: 0 failed items (${ours.failed}, ${met(targets.noFailed.met)}); ≤ ${wanted.vsLimit}× the physical limit (${x(vsLimit)}, ${met(targets.vsLimit.met)})` +
			(wanted.vsTuned ? `; best completing tuned HTTP Request ≥ ${wanted.vsTuned}× Booster's time (${best ? `${best.label}: ${x(vsTuned)}` : 'none completed'}, ${met(targets.vsTuned.met)})` : '') +
			'.',
	};
}

function noLimitSection({ title, rows }) {
	const http = rows.find((r) => r.label.startsWith('HTTP'));
	const ratio = http.nodeMs / rows[0].nodeMs;
	return {
		targets: { notSlower: { shown: `${s(rows[0].nodeMs)} s vs ${s(http.nodeMs)} s = ${x(ratio)}`, met: ratio >= 1 } },
		text:
			`### ${title}\n\n` +
			table(
				['Run', 'Node time s', 'Execution s', 'CLI wall s', 'Requests', 'Max in flight', 'Items failed', 'Completed', 'HTTP default / this'],
				rows.map((r) => [r.label, s(r.nodeMs), s(r.executionMs), s(r.wallMs), r.requests, r.maxInFlightObserved, r.failed, r.completed ? 'yes' : `NO ${r.error || ''}`, x(http.nodeMs / r.nodeMs)]),
			) +
			`\n\nTarget: Booster at concurrency ${HIGH_CONCURRENCY} no slower than HTTP Request default (${x(ratio)}, ${met(ratio >= 1)}).`,
	};
}

module.exports = { runLimited, runNoLimit, runFloor, limitedSection, noLimitSection, againstFloor };
