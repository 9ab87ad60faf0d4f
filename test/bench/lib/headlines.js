'use strict';
// The headline comparisons of a benchmark run, as the panels of chart.js: Booster beside the
// alternative for each scenario, physical limit and CPU floor marked.

const seconds = (ms) => (ms == null ? null : ms / 1000);
const megabytes = (bytes) => (bytes == null ? null : bytes / 1048576);

const mark = (label, ms) => ({ label: `${label} ${(ms / 1000).toFixed(2)} s`, value: seconds(ms) });

function kpiGroup(title, k) {
	if (!k) return null;
	const [ours, ...others] = k.rows;
	const best = others.filter((r) => r.tuned && r.completed).pop();
	const httpDefault = others.find((r) => r.label === 'HTTP Request (default)');
	const bars = [{ label: 'Booster Get KPI (defaults)', value: seconds(ours.nodeMs), kind: 'booster' }];
	if (best) bars.push({ label: best.label, value: seconds(best.nodeMs), kind: 'alternative' });
	if (httpDefault && !httpDefault.completed) bars.push({ label: 'HTTP Request (default)', value: null, kind: 'alternative', text: `${httpDefault.failed} items failed (429)` });
	const marks = [mark('physical limit', k.physicalMs)];
	if (k.floor) marks.push(mark('CPU floor', k.floor.nodeMs));
	return { title, unit: 's', bars, marks, note: 'time, lower is better' };
}

/** The panels for `results` of run.js (scenarios not run are left out). */
function headlineGroups(results) {
	const groups = [];
	const push = (group) => group && groups.push(group);
	push(results.kpi && kpiGroup(`Get KPI, ${results.kpi.rows[0].items} customers, in-flight limit 16`, results.kpi));
	push(results.kpi10k && kpiGroup(`Get KPI, ${results.kpi10k.rows[0].items} customers, in-flight limit 16`, results.kpi10k));
	if (results.customers) {
		const [booster, http] = results.customers.rows;
		const customers = results.customers.task.customers.toLocaleString('en-US');
		push({
			title: `Customers as items: reading an export of ${customers} customers`,
			unit: 's',
			bars: [
				{ label: 'Booster Export → Customers', value: seconds(booster.nodeMs - (results.customers.exportWaitMs ?? 0)), kind: 'booster' },
				{ label: 'HTTP Request → Extract From File', value: seconds(http.nodeMs), kind: 'alternative' },
			],
			note: 'time after the export is finished, lower is better',
		});
		push({
			title: `Customers as items: memory growth of n8n, ${customers} customers`,
			unit: 'MB',
			bars: [
				{ label: 'Booster Export → Customers', value: megabytes(booster.growth), kind: 'booster' },
				{ label: 'HTTP Request → Extract From File', value: megabytes(http.growth), kind: 'alternative' },
			],
			note: 'peak memory of the n8n server over its memory before the run, lower is better',
		});
	}
	if (results.download) {
		const bars = results.download.sizes.flatMap((size) =>
			size.rows.map((r, i) => ({
				label: `${i === 0 ? 'Booster Download File' : 'HTTP Request (file)'}, ${size.customers.toLocaleString('en-US')}`,
				value: megabytes(r.growth),
				kind: i === 0 ? 'booster' : 'alternative',
			})),
		);
		push({ title: 'Download File: memory growth of n8n by export size (customers)', unit: 'MB', bars, note: 'lower is better' });
	}
	if (results.queue?.runs?.length) {
		const q = results.queue;
		push({
			title: `Queue mode: ${q.executions} executions × ${q.perExecution} KPIs over ${q.workers} workers, limit ${q.limit}`,
			unit: 's',
			bars: q.runs.map((r) => ({ label: r.label, value: seconds(r.wallMs), kind: 'booster' })),
			marks: [mark('physical limit', q.physicalMs), ...(q.floor ? [mark('CPU floor', q.floor.wallMs)] : [])],
			note: 'wall time, lower is better',
		});
	}
	return groups;
}

module.exports = { headlineGroups };
