'use strict';
// Scenario 4, in process: the Booster Trigger's poll() in n8n-core 2.41.1's own PollContext (the
// project's test harness, test/helpers/n8n-engine.ts, loaded through ./ts-register) against a
// sandbox holding `taskCount` finished tasks. The sandbox runs in this process too; its HTTP server
// is timed from the 'request' event to the response's 'finish', so
// time in the node = poll() time − time the sandbox spent serving.
const crypto = require('node:crypto');
const http = require('node:http');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE_DIR = process.env.BOOSTER_PACKAGE_DIR ? path.resolve(process.env.BOOSTER_PACKAGE_DIR) : ROOT;

function median(values) {
	const s = [...values].sort((a, b) => a - b);
	return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
}

/** Adds `count` finished (COM) crm tasks of the main account straight into the sandbox state. */
function seedFinishedTasks(state, count) {
	const now = state.now();
	const brands = ['CAR', 'VCA', 'IWC', 'JLC', 'MTB'];
	for (let i = 0; i < count; i++) {
		const asyncTaskId = crypto.randomUUID().replace(/-/g, '');
		const brand = brands[i % brands.length];
		state.tasks.set(asyncTaskId, {
			asyncTaskId,
			accountName: 'main',
			brand,
			downloadRequestId: `bench-${i}`,
			search: { brand },
			requestMs: now - 86400000 + i * 1000,
			durationMs: 0,
			failing: false,
			fileName: `crm-export-${brand.toLowerCase()}-${asyncTaskId}.csv`,
			filePath: path.join(state.dataDir, `${asyncTaskId}.csv`),
			fileReady: true,
			writeError: null,
			totalResults: 100 + i,
		});
	}
}

async function startTimedSandbox(options) {
	const { startSandbox } = require(path.join(ROOT, 'test/sandbox'));
	const original = http.createServer;
	const servers = [];
	http.createServer = function patched(...args) {
		const server = original.apply(this, args);
		servers.push(server);
		return server;
	};
	let sandbox;
	try {
		sandbox = await startSandbox(options);
	} finally {
		http.createServer = original;
	}
	const served = [];
	for (const server of servers) {
		server.prependListener('request', (req, res) => {
			const t0 = process.hrtime.bigint();
			res.once('finish', () => {
				if (!req.url.startsWith('/__sandbox')) served.push({ url: req.url, ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode });
			});
		});
	}
	return { sandbox, served, timed: servers.length > 0 };
}

/**
 * → [{ format, tasks, runs, pollMs, servedMs, nodeMs, ratio, requests, items }] (medians over `runs` polls
 * after one warm-up).
 */
async function benchTrigger({ taskCount, runs = 5, log = () => {} }) {
	require('./ts-register').register();
	const { createEngine } = require(path.join(ROOT, 'test/helpers/n8n-engine.ts'));
	const { BoosterTrigger } = require(path.join(PACKAGE_DIR, 'nodes/BoosterTrigger/BoosterTrigger.node.ts'));
	const { BoosterApi } = require(path.join(PACKAGE_DIR, 'credentials/BoosterApi.credentials.ts'));
	const { sandbox, served, timed } = await startTimedSandbox({ port: 0, customers: 1000, latencyMs: 0, maxInFlight: 0 });
	const engine = createEngine({ nodeTypes: [new BoosterTrigger()], credentialTypes: [new BoosterApi()] });
	const results = [];
	try {
		seedFinishedTasks(sandbox.state, taskCount);
		const cred = {
			id: 'bench-main',
			name: 'Booster bench',
			type: 'boosterApi',
			data: { baseUrl: sandbox.url, authentication: 'apiKey', apiKey: sandbox.accounts.main.apiKey },
		};
		for (const format of ['json', 'xml']) {
			const node = {
				name: 'Booster Trigger',
				type: 'n8n-nodes-booster.boosterTrigger',
				parameters: { events: ['COM'], taskType: 'crm', brand: '', options: format === 'xml' ? { requestFormat: 'xml' } : {} },
			};
			const samples = [];
			for (let run = 0; run <= runs; run++) {
				const staticData = {}; // every poll is the first of an activation: lists, sorts and records all tasks
				served.length = 0;
				const t0 = process.hrtime.bigint();
				let error = null;
				try {
					await engine.pollOnce({ node, staticData, credentials: [cred] });
				} catch (e) {
					error = e;
				}
				const pollMs = Number(process.hrtime.bigint() - t0) / 1e6;
				const servedMs = served.reduce((sum, s) => sum + s.ms, 0);
				const state = staticData['node:Booster Trigger'] || {};
				const seen = state.seenTaskIds !== undefined ? state.seenTaskIds.split(' ').filter(Boolean).length : Object.keys(state.seen || {}).length;
				if (error) throw new Error(`trigger poll (${format}) failed: ${error.message}`);
				if (run > 0) samples.push({ pollMs, servedMs, nodeMs: pollMs - servedMs, requests: served.length, seen });
			}
			const r = {
				format,
				tasks: taskCount,
				runs,
				pollMs: median(samples.map((s) => s.pollMs)),
				servedMs: median(samples.map((s) => s.servedMs)),
				nodeMs: median(samples.map((s) => s.nodeMs)),
				requests: samples[0].requests,
				seen: samples[0].seen,
				timed,
			};
			r.ratio = r.nodeMs / r.servedMs;
			log(`trigger ${format}: poll ${r.pollMs.toFixed(1)} ms, served ${r.servedMs.toFixed(1)} ms, node ${r.nodeMs.toFixed(1)} ms, ${r.seen} tasks recorded`);
			results.push(r);
		}
	} finally {
		await engine.dispose();
		await sandbox.stop();
	}
	return results;
}

module.exports = { benchTrigger, seedFinishedTasks };
