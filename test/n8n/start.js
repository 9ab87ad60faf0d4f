#!/usr/bin/env node
'use strict';
// `npm start`: the package running in a real n8n, against the Booster sandbox.
//
//   1. npm run build
//   2. start the Booster sandbox (test/sandbox) on 127.0.0.1 (SANDBOX_PORT, default 4010 if free)
//   3. Node 24 + n8n 2.41.1 into .cache/ (first time only)
//   4. npm pack + install the package into .cache/n8n-home/.n8n/nodes like n8n's installer
//   5. owner account, a "Booster sandbox" credential, the example workflows from examples/
//   6. n8n on http://127.0.0.1:5678 (or N8N_PORT, or a free port when 5678 is busy)
//   Ctrl-C stops n8n and the sandbox.
//
// `npm start -- --queue`: n8n's queue mode instead (test/n8n/queue.js): Postgres + Redis + the
// sandbox + an n8n main and two workers, each n8n with the package installed; data in
// .cache/queue/start (Postgres data, the user folders, every log), kept between starts.
//
// Options:  --no-build            use the existing dist/
//           --fresh               wipe .cache/n8n-home (or .cache/queue/start with --queue) first (new database)
//           --queue               queue mode (needs `apt-get install postgresql redis-server`)
//           --dev                 rebuild on every change to the sources and reload the package in n8n
//                                 (`npm run dev`; test/n8n/dev.js)
//           --n8n-version=X       another n8n (e.g. 1.123.81, runs on the machine's Node 20)
// Env:      N8N_PORT, BOOSTER_SANDBOX_PORT (+ the sandbox's other BOOSTER_SANDBOX_* knobs), BOOSTER_N8N_HOME (user folder),
//           BOOSTER_QUEUE_HOME (queue mode's folder), N8N_LOG_LEVEL

const fs = require('node:fs');
const path = require('node:path');
const { DEFAULT_N8N_VERSION, ensureN8n, CACHE_DIR } = require('./toolchain');
const { installPackage } = require('./package-install');
const { startN8n, freePort, isPortFree, DEFAULT_OWNER } = require('./instance');
const { startQueue, QUEUE_DIR } = require('./queue');
const { watchSources } = require('./dev');
const { ROOT, sandboxCredentials, loadExampleWorkflows, SANDBOX_CREDENTIAL_NAME } = require('./booster');

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
	const hit = args.find((a) => a.startsWith(`--${name}=`));
	return hit ? hit.slice(name.length + 3) : fallback;
};

const log = (line) => console.log(`[start] ${line}`);

async function startSandboxFromProject() {
	// test hook: BOOSTER_SANDBOX_MODULE points at another module with the same interface
	const modulePath = process.env.BOOSTER_SANDBOX_MODULE || path.join(ROOT, 'test', 'sandbox');
	let sandboxModule;
	try {
		sandboxModule = require(modulePath);
	} catch (error) {
		throw new Error(`cannot load the Booster sandbox (${modulePath}): ${error.message}`);
	}
	// the sandbox's own BOOSTER_SANDBOX_* knobs (as for `npm run sandbox`), when it exposes them
	let options = {};
	try {
		options = require(path.join(path.dirname(require.resolve(modulePath)), 'lib', 'config')).optionsFromCommandLine([], process.env);
	} catch {
		// another sandbox module (test hook)
	}
	const wanted = Number(process.env.BOOSTER_SANDBOX_PORT || process.env.SANDBOX_PORT) || 4010;
	const port = (await isPortFree(wanted)) ? wanted : await freePort();
	if (port !== wanted) log(`port ${wanted} is busy, the sandbox uses ${port}`);
	const sandbox = await sandboxModule.startSandbox({ ...options, port });
	return { sandbox, sandboxModule };
}

/** Imports example workflows that are new or changed since the last `npm start`. */
async function importExamples(n8n, userFolder) {
	const examples = loadExampleWorkflows();
	if (!examples.length) {
		log('no example workflows in examples/ yet');
		return [];
	}
	const ledgerFile = path.join(userFolder, 'imported-examples.json');
	let ledger = {};
	try {
		ledger = JSON.parse(fs.readFileSync(ledgerFile, 'utf8'));
	} catch {
		// first run
	}
	const todo = examples.filter((e) => ledger[e.relative] !== e.hash);
	if (todo.length) {
		await n8n.importWorkflows(todo.map((e) => e.workflow));
		for (const e of todo) ledger[e.relative] = e.hash;
		fs.writeFileSync(ledgerFile, JSON.stringify(ledger, null, 2));
	}
	log(`example workflows: ${examples.length} (${todo.length} imported now, unchanged ones kept as you left them)`);
	return examples;
}

/** `--queue`: Postgres, Redis, the sandbox, a main and two workers; prints where everything is. */
async function startQueueMode({ version, started, resources, shutdown }) {
	const baseDir = path.resolve(process.env.BOOSTER_QUEUE_HOME || path.join(QUEUE_DIR, 'start'));
	const { sandbox, sandboxModule } = await startSandboxFromProject();
	resources.sandbox = sandbox;
	log(`Booster sandbox on ${sandbox.url}`);

	// The credential is (re)imported on every start: it follows the sandbox's current URL.
	const queue = await startQueue({
		baseDir,
		fresh: flag('fresh'),
		version,
		workers: 2,
		mainPort: Number(process.env.N8N_PORT) || 5678,
		packageDir: process.env.BOOSTER_PACKAGE_DIR || ROOT, // test hook
		build: flag('no-build') ? false : true,
		credentials: sandboxCredentials(sandbox, sandboxModule),
		log,
	});
	resources.queue = queue;
	const examples = await importExamples(queue.main, queue.main.userFolder);

	const line = '─'.repeat(64);
	console.log(`\n${line}`);
	console.log(`  n8n ${version} in queue mode with ${queue.installed.name}@${queue.installed.version} is running`);
	console.log(`  URL:       ${queue.main.url}`);
	console.log(`  Login:     ${DEFAULT_OWNER.email}  /  ${DEFAULT_OWNER.password}`);
	console.log(`  Sandbox:   ${sandbox.url}  (credential "${SANDBOX_CREDENTIAL_NAME}")`);
	console.log(`  Workflows: ${examples.length ? examples.map((e) => e.workflow.name).join(', ') : '(none yet)'}`);
	for (const where of queue.describe()) console.log(`  ${where}`);
	console.log(`  Data:      ${path.relative(process.cwd(), baseDir) || baseDir}  (kept between starts; --fresh wipes it)`);
	console.log(`  Ready after ${((Date.now() - started) / 1000).toFixed(0)}s. Press Ctrl-C to stop everything.`);
	console.log(`${line}\n`);

	// any n8n process dying on its own ends `npm start` too
	const watch = (resources.watch = setInterval(() => {
		for (const n8n of [queue.main, ...queue.workers]) {
			try {
				process.kill(n8n.pid, 0);
			} catch {
				clearInterval(watch);
				console.error(`n8n ${n8n.command} exited unexpectedly; last log lines (${n8n.logFile}):\n${n8n.logTail(3000)}`);
				shutdown(1);
				return;
			}
		}
	}, 2000));
}

async function main() {
	const started = Date.now();
	const version = option('n8n-version', process.env.BOOSTER_N8N_VERSION || DEFAULT_N8N_VERSION);
	const userFolder = path.resolve(process.env.BOOSTER_N8N_HOME || path.join(CACHE_DIR, 'n8n-home'));
	const resources = { n8n: null, sandbox: null, queue: null, watch: null };
	let stopping = false;

	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		clearInterval(resources.watch); // what stops now is not a crash
		log('stopping…');
		if (resources.n8n) await resources.n8n.stop().catch((e) => console.error(e.message));
		if (resources.queue) await resources.queue.stop().catch((e) => console.error(e.message));
		if (resources.sandbox) await Promise.resolve(resources.sandbox.stop()).catch((e) => console.error(e.message));
		log('stopped');
		process.exit(code);
	};
	process.on('SIGINT', () => shutdown(0));
	process.on('SIGTERM', () => shutdown(0));
	process.on('SIGHUP', () => shutdown(0));

	try {
		// the slow first-time install first, so its progress is the first thing a new user sees
		await ensureN8n(version, { log });
		if (flag('queue')) {
			if (flag('dev')) throw new Error('--dev reloads one n8n; run it without --queue');
			await startQueueMode({ version, started, resources, shutdown });
			return;
		}

		if (flag('fresh')) fs.rmSync(userFolder, { recursive: true, force: true });
		fs.mkdirSync(userFolder, { recursive: true });
		const installed = installPackage({
			userFolder,
			packageDir: process.env.BOOSTER_PACKAGE_DIR || ROOT, // test hook
			build: flag('no-build') ? false : true,
			log,
		});

		const { sandbox, sandboxModule } = await startSandboxFromProject();
		resources.sandbox = sandbox;
		log(`Booster sandbox on ${sandbox.url}`);

		const wanted = Number(process.env.N8N_PORT) || 5678;
		const port = (await isPortFree(wanted)) ? wanted : await freePort();
		if (port !== wanted) log(`port ${wanted} is busy, n8n uses ${port}`);

		// The credential is (re)imported on every start: it follows the sandbox's current URL.
		const n8n = await startN8n({
			version,
			userFolder,
			port,
			log,
			credentials: sandboxCredentials(sandbox, sandboxModule),
			env: { N8N_PORT: String(port), ...(flag('dev') ? { N8N_DEV_RELOAD: 'true' } : {}) },
		});
		resources.n8n = n8n;
		// imported while n8n runs; it reads workflows from the database on demand
		const examples = await importExamples(n8n, userFolder);

		const line = '─'.repeat(64);
		console.log(`\n${line}`);
		console.log(`  n8n ${version} with ${installed.name}@${installed.version} is running`);
		console.log(`  URL:       ${n8n.url}`);
		console.log(`  Login:     ${DEFAULT_OWNER.email}  /  ${DEFAULT_OWNER.password}`);
		console.log(`  Sandbox:   ${sandbox.url}  (credential "${SANDBOX_CREDENTIAL_NAME}")`);
		console.log(`  Workflows: ${examples.length ? examples.map((e) => e.workflow.name).join(', ') : '(none yet)'}`);
		console.log(`  n8n log:   ${path.relative(process.cwd(), n8n.logFile)}`);
		console.log(`  Ready after ${((Date.now() - started) / 1000).toFixed(0)}s. Press Ctrl-C to stop.`);
		console.log(`${line}\n`);
		const dev = flag('dev') ? watchSources({ n8n, packageDir: installed.packageDir, log }) : null;

		// n8n dying on its own ends `npm start` too
		const watch = (resources.watch = setInterval(() => {
			if (dev?.restarting()) return;
			try {
				process.kill(n8n.pid, 0);
			} catch {
				clearInterval(watch);
				console.error(`n8n exited unexpectedly; last log lines:\n${n8n.logTail(3000)}`);
				resources.n8n = null;
				shutdown(1);
			}
		}, 2000));
	} catch (error) {
		console.error(`\nnpm start failed: ${error.message}`);
		await shutdown(1);
	}
}

main();
