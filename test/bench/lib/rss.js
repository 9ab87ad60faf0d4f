'use strict';
// Memory of a process tree from /proc (Linux): VmRSS of a process and its descendants, VmHWM of
// the root. Used to watch the `n8n execute` process that runs a benchmark workflow.
const fs = require('node:fs');

function readStatus(pid) {
	try {
		const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (key) => {
			const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
			return m ? Number(m[1]) * 1024 : 0;
		};
		const ppid = Number((text.match(/^PPid:\s+(\d+)/m) || [])[1]);
		return { rss: kb('VmRSS'), hwm: kb('VmHWM'), ppid };
	} catch {
		return null;
	}
}

function allPids() {
	return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

function cmdline(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	} catch {
		return [];
	}
}

/** Pid of the process whose command line contains every one of `parts`. */
function findProcess(parts) {
	for (const pid of allPids()) {
		const args = cmdline(pid);
		if (parts.every((part) => args.some((a) => a.includes(part)))) return pid;
	}
	return null;
}

function descendants(root) {
	const byParent = new Map();
	for (const pid of allPids()) {
		const s = readStatus(pid);
		if (!s) continue;
		if (!byParent.has(s.ppid)) byParent.set(s.ppid, []);
		byParent.get(s.ppid).push(pid);
	}
	const out = [];
	const stack = [root];
	while (stack.length) {
		const pid = stack.pop();
		for (const child of byParent.get(pid) || []) {
			out.push(child);
			stack.push(child);
		}
	}
	return out;
}

/**
 * Samples, every `intervalMs`, the process matching `parts` (once it appears; or the pid `parts`) and its children.
 * stop() → { pid, peakMainRss, peakTreeRss, mainHwm, samples, timeline: [[epoch ms, main RSS]] }.
 */
function watchProcess(parts, intervalMs = 50) {
	let pid = typeof parts === 'number' ? parts : null;
	let peakMainRss = 0;
	let peakTreeRss = 0;
	let mainHwm = 0;
	let samples = 0;
	let children = [];
	let childScan = 0;
	const timeline = [];
	const tick = () => {
		if (!pid) pid = findProcess(parts);
		if (!pid) return;
		const main = readStatus(pid);
		if (!main) return;
		if (childScan++ % 10 === 0) children = descendants(pid); // the task runner starts once
		let tree = main.rss;
		for (const c of children) tree += readStatus(c)?.rss || 0;
		samples++;
		timeline.push([Date.now(), main.rss]);
		peakMainRss = Math.max(peakMainRss, main.rss);
		peakTreeRss = Math.max(peakTreeRss, tree);
		mainHwm = Math.max(mainHwm, main.hwm);
	};
	const timer = setInterval(tick, intervalMs);
	return {
		stop() {
			tick();
			clearInterval(timer);
			return { pid, peakMainRss, peakTreeRss, mainHwm, samples, timeline };
		},
	};
}

/** The highest RSS of `timeline` between `from` and `to` (epoch ms). */
function peakBetween(timeline, from, to) {
	let peak = null;
	for (const [at, rss] of timeline) if (at >= from && at <= to && (peak === null || rss > peak)) peak = rss;
	return peak;
}

module.exports = { watchProcess, findProcess, readStatus, peakBetween };
