'use strict';
// Node.js and n8n for running a real n8n next to the package, cached in `.cache/` (git-ignored).
//
//   .cache/node24/                      `npm install node@24` (binary + headers from the npm registry)
//   .cache/n8n-<version>/               `npm install n8n@<version> --ignore-scripts` + native rebuilds
//
// The first call installs (minutes, with progress lines); later calls reuse the cache. A folder is
// only trusted once its `.complete` marker exists, so an interrupted install is redone from scratch.
// Parallel callers (several jest workers) serialize on a lock folder.
//
// Plain CommonJS for the machine's Node 20; n8n itself runs under the Node it needs.

const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE_DIR = process.env.BOOSTER_CACHE_DIR || path.join(ROOT, '.cache');
const DEFAULT_N8N_VERSION = '2.41.1';
const COMPAT_N8N_VERSION = '1.123.81';
const MARKER = '.complete';
/**
 * Native modules rebuilt after the `--ignore-scripts` install. n8n 1.x ships isolated-vm 6 (Node >= 22
 * only, used by an opt-in expression engine); on its Node 20 only sqlite3 is built.
 */
function nativeModulesFor(n8nVersion) {
	return parseVersion(n8nVersion).major < 2 ? ['sqlite3'] : ['sqlite3', 'isolated-vm'];
}

/**
 * npm `overrides` per n8n major: dependencies n8n fetches from outside the npm registry, which is all
 * this machine (and CI) can reach. n8n 1.x's n8n-nodes-base takes xlsx from cdn.sheetjs.com; 0.18.5
 * is the newest xlsx on the registry (used only by the spreadsheet nodes).
 */
function overridesFor(n8nVersion) {
	return parseVersion(n8nVersion).major < 2 ? { xlsx: '0.18.5' } : undefined;
}

function defaultLog(line) {
	process.stderr.write(`[n8n-toolchain] ${line}\n`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function parseVersion(v) {
	const [major, minor, patch] = String(v).replace(/^v/, '').split('.').map((n) => parseInt(n, 10) || 0);
	return { major, minor, patch };
}

/** Minimum Node major an n8n version needs (see /work/shared/n8n-notes.md). */
function requiredNodeMajor(n8nVersion) {
	const { major, minor } = parseVersion(n8nVersion);
	if (major < 2 || (major === 2 && minor < 10)) return 20;
	if (major === 2 && minor < 36) return 22;
	return 24;
}

function isComplete(dir) {
	return fs.existsSync(path.join(dir, MARKER));
}

function writeMarker(dir, info) {
	fs.writeFileSync(path.join(dir, MARKER), `${JSON.stringify({ ...info, completedAt: new Date().toISOString() }, null, 2)}\n`);
}

/** mkdir-based lock, safe across processes; stale after `staleMs` (a killed installer). */
async function withLock(dir, fn, { log = defaultLog, staleMs = 30 * 60 * 1000 } = {}) {
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const lock = `${dir}.lock`;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let stale = false;
			try {
				const pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
				if (pid) {
					try {
						process.kill(pid, 0);
					} catch {
						stale = true; // owner is gone
					}
				}
				if (Date.now() - fs.statSync(lock).mtimeMs > staleMs) stale = true;
			} catch {
				// pid file not written yet; wait
			}
			if (stale) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!announced) log(`waiting for another process installing into ${path.relative(ROOT, dir)}…`);
			announced = true;
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * Runs a command, appends its output to `logFile`, prints a heartbeat every `heartbeatMs`.
 * Rejects with the tail of the log on failure.
 */
function run(cmd, args, { cwd, env, logFile, log = defaultLog, label, heartbeatMs = 20000, progress } = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const out = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
		out?.write(`\n$ ${cmd} ${args.join(' ')}   (${new Date().toISOString()})\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let tail = '';
		const onData = (chunk) => {
			out?.write(chunk);
			tail = (tail + chunk.toString()).slice(-4000);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const timer = setInterval(() => {
			const secs = Math.round((Date.now() - started) / 1000);
			const extra = progress ? progress() : '';
			log(`${label || cmd}: still running (${secs}s${extra ? `, ${extra}` : ''})`);
		}, heartbeatMs);
		child.on('error', (error) => {
			clearInterval(timer);
			out?.end();
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearInterval(timer);
			const secs = ((Date.now() - started) / 1000).toFixed(1);
			out?.write(`\n[exit ${code}${signal ? ` signal ${signal}` : ''} after ${secs}s]\n`);
			out?.end();
			if (code === 0) return resolve({ seconds: Number(secs) });
			const error = new Error(
				`${label || cmd} failed (exit ${code}${signal ? `, ${signal}` : ''})` +
					`${logFile ? `; full log: ${logFile}` : ''}\n--- last output ---\n${tail}`,
			);
			reject(error);
		});
	});
}

function npmCommand() {
	return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

function nodeVersionOf(bin) {
	const r = spawnSync(bin, ['-v'], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : null;
}

// ---------------------------------------------------------------------------------------------
// Node 24

const NODE24_DIR = path.join(CACHE_DIR, 'node24');

function node24Paths(dir = NODE24_DIR) {
	const platformPkg = `node-${process.platform}-${process.arch}`;
	// npm may hoist the arch package or keep it nested under `node`
	const candidates = [
		path.join(dir, 'node_modules', 'node', 'node_modules', platformPkg),
		path.join(dir, 'node_modules', platformPkg),
	];
	const nodeDir = candidates.find((c) => fs.existsSync(path.join(c, 'bin', 'node'))) || candidates[0];
	return { dir, nodeDir, binDir: path.join(nodeDir, 'bin'), nodeBin: path.join(nodeDir, 'bin', 'node') };
}

/**
 * Node 24 from the npm registry. Returns { nodeBin, binDir, nodeDir, version }.
 * `nodeDir` holds `include/` (headers) and is what `npm_config_nodedir` must point at.
 */
async function ensureNode24({ log = defaultLog } = {}) {
	const paths = node24Paths();
	const ready = () => {
		const p = node24Paths();
		const version = fs.existsSync(p.nodeBin) ? nodeVersionOf(p.nodeBin) : null;
		return version && parseVersion(version).major === 24 ? { ...p, version } : null;
	};
	if (isComplete(paths.dir)) {
		const ok = ready();
		if (ok) return ok;
	}
	return withLock(paths.dir, async () => {
		if (isComplete(paths.dir)) {
			const ok = ready();
			if (ok) return ok;
		}
		// An earlier install without marker (e.g. done by hand): adopt it if it works.
		const existing = ready();
		if (existing && fs.existsSync(path.join(existing.nodeDir, 'include', 'node', 'node.h'))) {
			writeMarker(paths.dir, { node: existing.version, adopted: true });
			log(`reusing Node ${existing.version} in ${path.relative(ROOT, paths.dir)}`);
			return existing;
		}
		log(`installing Node 24 from the npm registry into ${path.relative(ROOT, paths.dir)} (first time only)…`);
		const started = Date.now();
		fs.rmSync(paths.dir, { recursive: true, force: true });
		fs.mkdirSync(paths.dir, { recursive: true });
		fs.writeFileSync(path.join(paths.dir, 'package.json'), '{"private":true}\n');
		await run(npmCommand(), ['install', 'node@24', '--no-audit', '--no-fund'], {
			cwd: paths.dir,
			env: withoutProjectNpmVariables(),
			logFile: path.join(paths.dir, 'install.log'),
			log,
			label: 'npm install node@24',
		});
		const done = ready();
		if (!done) throw new Error(`Node 24 install in ${paths.dir} did not produce a working node binary`);
		writeMarker(paths.dir, { node: done.version });
		log(`Node ${done.version} ready (${((Date.now() - started) / 1000).toFixed(0)}s)`);
		return done;
	});
}

// ---------------------------------------------------------------------------------------------
// n8n

function n8nDir(version) {
	return path.join(CACHE_DIR, `n8n-${version}`);
}

/** Which Node runs a given n8n version: this process's Node if recent enough, else Node 24. */
async function nodeFor(n8nVersion, { log = defaultLog } = {}) {
	const need = requiredNodeMajor(n8nVersion);
	const current = parseVersion(process.version);
	const currentOk = current.major >= need && !(need === 20 && current.major === 20 && current.minor < 19);
	if (currentOk && current.major <= 24) {
		return { nodeBin: process.execPath, binDir: path.dirname(process.execPath), nodeDir: null, version: process.version };
	}
	return ensureNode24({ log });
}

/**
 * The environment without the project's own npm variables: under `npm start` or `npm test` the
 * project's ignore-scripts=true arrives as npm_config_ignore_scripts and would skip the install
 * scripts and native builds that Node 24 and n8n need.
 */
function withoutProjectNpmVariables(base = process.env) {
	const env = { ...base };
	for (const key of Object.keys(env)) {
		if (/^npm_(lifecycle|package|config)_/.test(key)) delete env[key];
	}
	return env;
}

function runtimeEnv(node, base = process.env) {
	const env = { ...withoutProjectNpmVariables(base), PATH: `${node.binDir}${path.delimiter}${base.PATH || ''}` };
	if (node.nodeDir) env.npm_config_nodedir = node.nodeDir;
	return env;
}

function countEntries(dir) {
	try {
		return fs.readdirSync(dir).length;
	} catch {
		return 0;
	}
}

function verifyN8nInstall(dir, node, version) {
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!fs.existsSync(n8nBin)) return `missing ${n8nBin}`;
	const present = nativeModulesFor(version).filter((m) => fs.existsSync(path.join(dir, 'node_modules', m, 'package.json')));
	const script = present.map((m) => `require(${JSON.stringify(m)});`).join('') + 'require("bcryptjs");';
	const r = spawnSync(node.nodeBin, ['-e', script], { cwd: dir, env: runtimeEnv(node), encoding: 'utf8' });
	if (r.status !== 0) return `native modules do not load under Node ${node.version}: ${r.stderr.slice(-1500)}`;
	return null;
}

/**
 * n8n `version` installed in `.cache/n8n-<version>/`.
 * Returns { version, dir, n8nBin, nodeBin, node, env } where `env` puts the right Node first on PATH.
 */
async function ensureN8n(version = DEFAULT_N8N_VERSION, { log = defaultLog } = {}) {
	const dir = n8nDir(version);
	const node = await nodeFor(version, { log });
	const result = () => ({
		version,
		dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin: node.nodeBin,
		node,
		env: runtimeEnv(node),
	});
	if (isComplete(dir) && fs.existsSync(result().n8nBin)) return result();

	return withLock(dir, async () => {
		if (isComplete(dir) && fs.existsSync(result().n8nBin)) return result();

		// An install done before the marker existed: adopt it if it verifies.
		if (fs.existsSync(path.join(dir, 'node_modules', 'n8n', 'package.json'))) {
			const installed = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
			if (installed.version === version && !verifyN8nInstall(dir, node, version)) {
				writeMarker(dir, { n8n: version, node: node.version, adopted: true });
				log(`reusing n8n ${version} in ${path.relative(ROOT, dir)}`);
				return result();
			}
		}

		const started = Date.now();
		log(`installing n8n ${version} into ${path.relative(ROOT, dir)} (first time only; ~3-10 min, ~3 GB)…`);
		log(`  full npm output: ${path.join(path.relative(ROOT, dir), 'install.log')}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const manifest = { private: true, dependencies: { n8n: version } };
		const overrides = overridesFor(version);
		if (overrides) manifest.overrides = overrides;
		fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
		const env = runtimeEnv(node);
		const logFile = path.join(dir, 'install.log');
		const nm = path.join(dir, 'node_modules');
		// --ignore-scripts: a plain install fails building the Kafka client (downloads sources).
		const install = await run(
			npmCommand(),
			['install', `n8n@${version}`, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'],
			{ cwd: dir, env, logFile, log, label: `npm install n8n@${version}`, progress: () => `${countEntries(nm)} packages in node_modules` },
		);
		log(`  npm install done in ${install.seconds.toFixed(0)}s; building native modules (${nativeModulesFor(version).join(', ')}) for Node ${node.version}…`);
		const present = nativeModulesFor(version).filter((m) => fs.existsSync(path.join(nm, m, 'package.json')));
		if (present.length) {
			const rebuild = await run(npmCommand(), ['rebuild', ...present], {
				cwd: dir,
				env,
				logFile,
				log,
				label: `npm rebuild ${present.join(' ')}`,
			});
			log(`  native modules built in ${rebuild.seconds.toFixed(0)}s`);
		}
		const problem = verifyN8nInstall(dir, node, version);
		if (problem) throw new Error(`n8n ${version} install in ${dir} is not usable: ${problem}`);
		writeMarker(dir, { n8n: version, node: node.version });
		log(`n8n ${version} ready (${((Date.now() - started) / 1000).toFixed(0)}s total)`);
		return result();
	});
}

/** Loads a module from inside the n8n install (e.g. bcryptjs). */
function requireFromN8n(toolchain, moduleName) {
	const { createRequire } = require('node:module');
	return createRequire(path.join(toolchain.dir, 'node_modules', 'n8n', 'package.json'))(moduleName);
}

module.exports = {
	ROOT,
	CACHE_DIR,
	DEFAULT_N8N_VERSION,
	COMPAT_N8N_VERSION,
	ensureNode24,
	ensureN8n,
	requiredNodeMajor,
	requireFromN8n,
	runtimeEnv,
	run,
	n8nDir,
};

if (require.main === module) {
	// node test/n8n/toolchain.js [version]  — prepare the cache ahead of time (CI warm-up)
	const version = process.argv[2] || DEFAULT_N8N_VERSION;
	ensureN8n(version)
		.then((t) => defaultLog(`n8n ${t.version}: ${t.n8nBin} on Node ${t.node.version}`))
		.catch((error) => {
			console.error(error.message);
			process.exit(1);
		});
}
