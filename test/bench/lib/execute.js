'use strict';
// One benchmark workflow run with `n8n execute`: timed three ways, memory sampled, output read.
const { watchProcess, peakBetween } = require('./rss');
const { UNDER_TEST } = require('./workflows');

/**
 * Runs `workflow` (imported first) and reads the nodes under test from its run data: node time is
 * the sum of their executionTime, items are the last one's output.
 *
 * By default with `n8n execute`, a process of its own: its memory is the workflow's alone. That
 * command also prints the whole run data through n8n's logger, which for 200,000 items takes longer
 * than the workflow; `inServer` runs it instead as the editor's Execute button does, in the running
 * n8n, whose memory then counts from what it used just before.
 */
async function execute(n8n, sandbox, workflow, { watchMemory = false, inServer = false, timeoutMs = 900000 } = {}) {
	await n8n.importWorkflows([workflow]);
	sandbox.state.counters.reset();
	sandbox.state.requestLog.clear();
	const watch = watchMemory ? watchProcess(inServer ? n8n.pid : ['execute', `--id=${workflow.id}`], 50) : null;
	const t0 = Date.now();
	let out = null;
	let error = null;
	try {
		out = inServer ? await n8n.runWorkflowFrom(workflow.id, 'Manual', { timeoutMs }) : await n8n.executeWorkflow(workflow.id, { timeoutMs });
	} catch (e) {
		error = e;
	}
	const wallMs = Date.now() - t0;
	const memory = watch ? watch.stop() : null;
	if (memory && inServer) {
		memory.before = memory.timeline[0]?.[1] ?? null;
		const stoppedAt = out?.stoppedAt ? Date.parse(out.stoppedAt) : Infinity;
		memory.peakDuringRun = peakBetween(memory.timeline, t0, stoppedAt);
	}
	const counters = sandbox.state.counters.snapshot();
	let exec = out;
	let executionId = out?.id ?? null;
	// A run in the server came back with its execution; `n8n execute` printed only its run data
	if (!inServer) {
		try {
			const list = await n8n.listExecutions(workflow.id);
			if (list[0]) {
				executionId = list[0].id;
				if (!exec) exec = await n8n.getExecution(list[0].id, { includeData: true });
				exec = { ...exec, startedAt: exec.startedAt ?? list[0].startedAt, stoppedAt: exec.stoppedAt ?? list[0].stoppedAt };
			}
		} catch (e) {
			process.stderr.write(`[bench] listExecutions: ${e.message.split('\n')[0]}\n`);
		}
	}
	const runData = exec?.data?.resultData?.runData || {};
	const names = UNDER_TEST.filter((name) => runData[name]);
	const runs = names.map((name) => runData[name][0]);
	const items = runs.at(-1)?.data?.main?.[0] || [];
	const runError = exec?.data?.resultData?.error || runs.find((r) => r.error)?.error;
	// Where the memory went: while the nodes under test ran, or afterwards (n8n saving and printing the run data)
	if (memory && runs.length) {
		const from = runs[0].startTime;
		const to = runs.at(-1).startTime + (runs.at(-1).executionTime ?? 0);
		memory.peakWhileNodesRan = peakBetween(memory.timeline, from, to);
		memory.peakAfterNodes = peakBetween(memory.timeline, to + 1, Infinity);
	}
	if (memory) delete memory.timeline;
	return {
		workflow,
		wallMs,
		executionMs: exec?.startedAt && exec?.stoppedAt ? new Date(exec.stoppedAt) - new Date(exec.startedAt) : null,
		executionId,
		nodeMs: runs.length ? runs.reduce((sum, r) => sum + (r.executionTime ?? 0), 0) : null,
		nodeTimes: Object.fromEntries(names.map((name, i) => [name, runs[i].executionTime])),
		items,
		failed: items.filter((i) => i.json && i.json.error !== undefined).length,
		error: error ? runError?.message || error.message.split('\n')[0] : runError?.message || null,
		requests: counters.total,
		status429: counters.byStatus['429'] || 0,
		maxInFlightObserved: counters.maxInFlightObserved,
		requestLog: [...sandbox.state.requestLog.entries],
		memory,
	};
}

/** The figures of a run that go into the JSON results. */
function figures(r) {
	return {
		nodeMs: r.nodeMs,
		nodeTimes: r.nodeTimes,
		executionMs: r.executionMs,
		wallMs: r.wallMs,
		requests: r.requests,
		status429: r.status429,
		maxInFlightObserved: r.maxInFlightObserved,
		items: r.items.length,
		failed: r.failed,
		error: r.error,
		executionId: r.executionId,
		memory: r.memory,
	};
}

module.exports = { execute, figures };
