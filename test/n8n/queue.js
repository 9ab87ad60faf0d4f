'use strict';
// n8n's queue mode for real, on one machine: Postgres + Redis + one main (`n8n start`) + N workers
// (`n8n worker`), each n8n with its own user folder and the package installed as n8n's installer
// does. For the queue-mode e2e suite and `npm start -- --queue`.
//
//   const q = await startQueue({ baseDir, workers: 2, credentials, workflows });
//   q.main                  the main (N8nInstance from instance.js: REST, public API, CLI)
//   q.workers[i]            the workers (N8nInstance, command 'worker'; url = health check)
//   await q.restartMain();  await q.stopWorker(1); await q.startWorker(1);
//   q.executionsByWorker()  { 'worker-1': ['12', …], … } from the workers' logs
//   q.sql('select …')       rows as objects (psql, as the n8n role; synchronous)
//   await q.stop();         everything, in order (also done when this process exits)
//
// Layout of `baseDir` (kept between runs unless `fresh`; `npm start -- --queue` uses .cache/queue/start):
//   postgres/data, postgres/socket, postgres/postgres.log   (owned by the postgres user when run as root)
//   redis/redis.log                                          (no persistence: `--save ''`, no AOF)
//   main/, worker-1/, worker-2/ …                            n8n user folders, n8n.log in each
//   processes.json                                           live process groups, for the reaper
//
// Everything listens on 127.0.0.1 only, on free ports. Every service runs in its own process group;
// stop() ends them in order (n8n first, then Redis and Postgres). If this process ends without
// stop(), an exit handler signals them, and a small detached "reaper" process, which watches this
// process, ends them even when this process is killed (SIGKILL, a Ctrl-C on jest).
//
// n8n 2.41.1 names (checked in its @n8n/config and n8n-core sources):
//   EXECUTIONS_MODE=queue, DB_TYPE=postgresdb + DB_POSTGRESDB_HOST/PORT/DATABASE/USER/PASSWORD,
//   QUEUE_BULL_REDIS_HOST/PORT, QUEUE_HEALTH_CHECK_ACTIVE/PORT (+ N8N_WORKER_SERVER_ADDRESS, which
//   defaults to '::', i.e. all interfaces), N8N_DEFAULT_BINARY_DATA_MODE=database (the mode is called
//   `database`; n8n 2.41 also defaults to it in queue mode, files land in the `binary_data` table and
//   their ids start with `database:`). n8n does not record which worker ran an execution in the
//   `execution_entity` table: the worker logs "Worker started/finished execution <id> (job <n>)" and
//   the main logs "Enqueued execution <id>", so executionsByWorker() reads the workers' logs.
//   n8n 2.41 logs "Postgres 15 is not supported. n8n supports Postgres 17 and newer" at start-up:
//   Debian 12 has only 15; n8n runs its migrations and everything the e2e suite checks on it anyway.

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { startN8n, freePort, isPortFree, DEFAULT_ENCRYPTION_KEY } = require('./instance');
const { DEFAULT_N8N_VERSION, CACHE_DIR, ensureN8n } = require('./toolchain');
const { buildPackage, packPackage, installPackage } = require('./package-install');

const ROOT = path.resolve(__dirname, '..', '..');
const QUEUE_DIR = path.join(CACHE_DIR, 'queue');
const INSTALL_HINT = 'apt-get install postgresql redis-server';
const DB = Object.freeze({ database: 'n8n', user: 'n8n', password: 'n8n-queue-password' });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function defaultLog(line) {
	process.stderr.write(`[queue] ${line}\n`);
}

/** A path for humans: relative inside the project, absolute elsewhere. */
function shown(p) {
	return p.startsWith(`${ROOT}${path.sep}`) ? path.relative(process.cwd(), p) : p;
}

function tail(file, chars = 3000) {
	try {
		return fs.readFileSync(file, 'utf8').slice(-chars);
	} catch {
		return '(no log)';
	}
}

// ---------------------------------------------------------------------------------------------
// Binaries

function onPath(name) {
	for (const dir of (process.env.PATH || '').split(path.delimiter).concat(['/usr/sbin', '/usr/bin', '/usr/local/bin'])) {
		const candidate = path.join(dir, name);
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			return candidate;
		} catch {
			// not here
		}
	}
	return null;
}

/** Postgres' server binaries: Debian keeps them in /usr/lib/postgresql/<major>/bin, off PATH. */
function postgresBinaries() {
	const dirs = [];
	const onPathPostgres = onPath('postgres');
	if (onPathPostgres) dirs.push(path.dirname(fs.realpathSync(onPathPostgres)));
	try {
		const majors = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
		for (const major of majors) dirs.push(path.join('/usr/lib/postgresql', major, 'bin'));
	} catch {
		// not Debian's layout
	}
	const dir = dirs.find((d) => ['postgres', 'initdb', 'pg_isready', 'psql'].every((b) => fs.existsSync(path.join(d, b))));
	if (!dir) throw new Error(`Postgres (postgres, initdb, psql) is not installed: ${INSTALL_HINT}`);
	const bin = (name) => path.join(dir, name);
	return { dir, postgres: bin('postgres'), initdb: bin('initdb'), pgIsReady: bin('pg_isready'), psql: bin('psql') };
}

function redisBinary() {
	const bin = onPath('redis-server');
	if (!bin) throw new Error(`redis-server is not installed: ${INSTALL_HINT}`);
	return bin;
}

// ---------------------------------------------------------------------------------------------
// Process groups: every service is spawned detached (its own group) and registered here.

const SIGNAL_FOR = { n8n: 'SIGKILL', postgres: 'SIGINT', redis: 'SIGTERM' }; // when this process dies
const allTopologies = new Set();
process.on('exit', () => {
	for (const topology of allTopologies) topology.signalAll();
});

/**
 * A detached watcher: when the process `parentPid` is gone, it signals the groups listed in
 * `stateFile` (n8n SIGKILL, Postgres SIGINT = fast shutdown, Redis SIGTERM), SIGKILLs what is left
 * 10 s later, and exits. It exits by itself once `stateFile` is deleted (a normal stop()).
 */
const REAPER_SOURCE = `
const fs = require('node:fs');
const [parentPid, stateFile] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const read = () => { try { return JSON.parse(fs.readFileSync(stateFile, 'utf8')); } catch { return null; } };
const timer = setInterval(() => {
	const groups = read();
	if (!groups) return clearInterval(timer);
	if (alive(Number(parentPid))) return;
	clearInterval(timer);
	for (const g of groups) { try { process.kill(-g.pid, g.signal); } catch {} }
	setTimeout(() => {
		for (const g of groups) { try { process.kill(-g.pid, 'SIGKILL'); } catch {} }
		try { fs.rmSync(stateFile, { force: true }); } catch {}
	}, 10000);
}, 1000);
`;

function createProcessRegistry(stateFile) {
	const groups = new Map(); // name → { pid, kind }
	let reaper = null;
	const write = () => {
		const list = [...groups.values()].map(({ pid, kind }) => ({ pid, signal: SIGNAL_FOR[kind] }));
		fs.writeFileSync(stateFile, JSON.stringify(list));
	};
	return {
		set(name, kind, pid) {
			if (pid) groups.set(name, { pid, kind });
			else groups.delete(name);
			write();
			if (!reaper) {
				reaper = spawn(process.execPath, ['-e', REAPER_SOURCE, String(process.pid), stateFile], { detached: true, stdio: 'ignore' });
				reaper.unref();
			}
		},
		/** Synchronous last resort (process exit): signal every live group. */
		signalAll() {
			for (const { pid, kind } of groups.values()) {
				try {
					process.kill(-pid, SIGNAL_FOR[kind]);
				} catch {
					// gone
				}
			}
		},
		/** After a normal stop: the reaper sees the file gone and exits. */
		close() {
			groups.clear();
			fs.rmSync(stateFile, { force: true });
		},
	};
}

function spawnService(cmd, args, { logFile, cwd, uid, gid, env }) {
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd], ...(uid !== undefined ? { uid, gid } : {}) });
	fs.closeSync(fd);
	const state = { child, exited: null };
	child.once('exit', (code, signal) => {
		state.exited = { code, signal };
	});
	child.once('error', (error) => {
		state.exited = { error: error.message };
	});
	return state;
}

async function stopService(state, signal, timeoutMs = 20000) {
	if (!state || state.exited) return;
	const done = new Promise((resolve) => state.child.once('exit', resolve));
	try {
		process.kill(state.child.pid, signal);
	} catch {
		return;
	}
	const timer = setTimeout(() => {
		try {
			process.kill(-state.child.pid, 'SIGKILL');
		} catch {
			// gone
		}
	}, timeoutMs);
	await done;
	clearTimeout(timer);
	try {
		process.kill(-state.child.pid, 'SIGKILL'); // anything left in the group
	} catch {
		// gone
	}
}

// ---------------------------------------------------------------------------------------------
// Postgres

/** Postgres refuses to run as root: as root it runs as the `postgres` user (uid/gid of `id`). */
function postgresUser() {
	if (process.getuid() !== 0) return null; // a normal user runs it as themself
	const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
	const u = id('-u');
	const g = id('-g');
	if (u.status !== 0 || g.status !== 0) throw new Error(`running as root, and there is no "postgres" user to run Postgres as: ${INSTALL_HINT}`);
	return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * The postgres user must reach its folder: every folder above it needs o+x. /work/main/.cache is
 * root's but 755, so that holds; a mkdtemp folder (the tests' base folder) is 700, so the caller's
 * base folder is opened to 755 (its contents keep their own modes; the data folder stays 700).
 */
function makeReachable(baseDir, user) {
	if (!user) return;
	fs.chmodSync(baseDir, 0o755);
	const check = spawnSync('test', ['-x', baseDir], { uid: user.uid, gid: user.gid });
	if (check.status !== 0) {
		throw new Error(`the postgres user cannot reach ${baseDir}: a folder above it lacks o+x (chmod o+x it, or pass another baseDir)`);
	}
}

async function startPostgres({ dir, durable, log, onSpawn }) {
	const bins = postgresBinaries();
	const user = postgresUser();
	const dataDir = path.join(dir, 'data');
	const socketDir = path.join(dir, 'socket');
	const logFile = path.join(dir, 'postgres.log');
	fs.mkdirSync(socketDir, { recursive: true });
	if (user) {
		for (const p of [dir, socketDir]) fs.chownSync(p, user.uid, user.gid);
		if (fs.existsSync(logFile)) fs.chownSync(logFile, user.uid, user.gid);
	}
	const asPostgres = user ? { uid: user.uid, gid: user.gid } : {};
	const pgEnv = { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C', HOME: dir };

	if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
		fs.rmSync(dataDir, { recursive: true, force: true });
		log(`initdb ${shown(dataDir)}`);
		// superuser `postgres` over the unix socket only (trust); n8n's role logs in over TCP with a password
		const r = spawnSync(
			bins.initdb,
			['-D', dataDir, '--username=postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions'],
			{ cwd: dir, env: pgEnv, encoding: 'utf8', ...asPostgres },
		);
		if (r.status !== 0) throw new Error(`initdb failed (exit ${r.status}): ${r.error?.message || ''}${r.stdout}${r.stderr}`);
	}

	const port = await freePort();
	const settings = {
		listen_addresses: '127.0.0.1',
		unix_socket_directories: socketDir,
		max_connections: '200',
		// test databases live in a temp folder and are thrown away: no need to wait for the disk
		...(durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
	};
	const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
	fs.appendFileSync(logFile, `\n===== postgres on 127.0.0.1:${port} ${new Date().toISOString()} =====\n`);
	if (user) fs.chownSync(logFile, user.uid, user.gid);
	const service = spawnService(bins.postgres, args, { logFile, cwd: dir, env: pgEnv, ...asPostgres });
	onSpawn(service.child.pid);
	try {
		const started = Date.now();
		for (;;) {
			if (service.exited) throw new Error(`postgres exited during start-up (${JSON.stringify(service.exited)}); log ${logFile}:\n${tail(logFile)}`);
			const ready = spawnSync(bins.pgIsReady, ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-q'], { env: pgEnv });
			if (ready.status === 0) break;
			if (Date.now() - started > 60000) throw new Error(`postgres not ready after 60 s; log ${logFile}:\n${tail(logFile)}`);
			await sleep(200);
		}
		createRoleAndDatabase({ psql: bins.psql, socketDir, port, env: pgEnv });
	} catch (error) {
		await stopService(service, 'SIGINT', 10000);
		throw error;
	}

	return {
		host: '127.0.0.1',
		port,
		...DB,
		dir,
		dataDir,
		socketDir,
		logFile,
		service,
		/** Rows of a query, as the n8n role (over TCP with its password). */
		query(sql) {
			const wrapped = `SELECT coalesce(json_agg(t), '[]'::json) FROM (${sql}) t`;
			const r = spawnSync(bins.psql, ['-h', '127.0.0.1', '-p', String(port), '-U', DB.user, '-d', DB.database, '-v', 'ON_ERROR_STOP=1', '-Atq', '-c', wrapped], {
				env: { ...pgEnv, PGPASSWORD: DB.password },
				encoding: 'utf8',
				maxBuffer: 256 * 1024 * 1024,
			});
			if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}\n${sql}`);
			return JSON.parse(r.stdout);
		},
		/** SIGINT = Postgres' "fast" shutdown: disconnects clients, writes a checkpoint. */
		stop: () => stopService(service, 'SIGINT', 30000),
	};
}

/** n8n's role (password login over TCP) and database, unless a kept data folder has them already. */
function createRoleAndDatabase({ psql, socketDir, port, env }) {
	const psqlAdmin = (sql) => {
		const r = spawnSync(psql, ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-Atq', '-c', sql], {
			env,
			encoding: 'utf8',
		});
		if (r.status !== 0) throw new Error(`psql (admin) failed: ${r.stderr}`);
		return r.stdout.trim();
	};
	const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;
	if (!psqlAdmin(`SELECT 1 FROM pg_roles WHERE rolname = ${lit(DB.user)}`)) {
		psqlAdmin(`CREATE ROLE "${DB.user}" LOGIN PASSWORD ${lit(DB.password)}`);
	}
	if (!psqlAdmin(`SELECT 1 FROM pg_database WHERE datname = ${lit(DB.database)}`)) {
		psqlAdmin(`CREATE DATABASE "${DB.database}" OWNER "${DB.user}"`);
	}
}

// ---------------------------------------------------------------------------------------------
// Redis

function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		socket.setTimeout(2000);
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d;
			if (answer.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(answer.startsWith('+PONG')));
		socket.on('error', () => resolve(false));
		socket.on('timeout', () => socket.destroy());
	});
}

async function startRedis({ dir, log, onSpawn }) {
	const bin = redisBinary();
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const logFile = path.join(dir, 'redis.log');
	fs.appendFileSync(logFile, `\n===== redis on 127.0.0.1:${port} ${new Date().toISOString()} =====\n`);
	// no persistence: the queue is rebuilt from Postgres (n8n recovers dangling executions)
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
	const service = spawnService(bin, args, { logFile, cwd: dir, env: { PATH: process.env.PATH } });
	onSpawn(service.child.pid);
	const started = Date.now();
	while (!(await redisPing(port))) {
		const problem = service.exited ? `exited during start-up (${JSON.stringify(service.exited)})` : Date.now() - started > 30000 ? 'not answering after 30 s' : null;
		if (problem) {
			await stopService(service, 'SIGTERM', 5000);
			throw new Error(`redis-server ${problem}; log ${logFile}:\n${tail(logFile)}`);
		}
		await sleep(100);
	}
	log(`redis on 127.0.0.1:${port}`);
	return { host: '127.0.0.1', port, dir, logFile, service, stop: () => stopService(service, 'SIGTERM') };
}

// ---------------------------------------------------------------------------------------------
// The topology

/**
 * Starts Postgres, Redis, the n8n main and `workers` workers. Options:
 *   baseDir      folder for everything (default .cache/queue/<name>)
 *   name         default 'default'
 *   fresh        wipe baseDir first
 *   workers      number of workers (default 2)
 *   concurrency  `n8n worker --concurrency` (default 10)
 *   version      n8n version (default 2.41.1)
 *   mainPort     the main's port (default 5678 when free, else a free port; 0 = any free port)
 *   credentials  imported with the main's CLI before it starts (the database is shared)
 *   workflows    imported likewise
 *   packageDir / build / tarball   what to install (as installPackage; packed once, installed into every user folder)
 *   env          extra environment for every n8n process
 *   durable      Postgres with fsync (default true; tests pass false)
 *   log          progress logger
 */
async function startQueue(options = {}) {
	const {
		name = 'default',
		fresh = false,
		workers: workerCount = 2,
		concurrency = 10,
		version = DEFAULT_N8N_VERSION,
		packageDir = ROOT,
		build = 'auto',
		durable = true,
		log = defaultLog,
	} = options;
	const baseDir = path.resolve(options.baseDir || path.join(QUEUE_DIR, name));
	// fail early, before minutes of installing, when the services are missing
	postgresBinaries();
	redisBinary();
	await ensureN8n(version, { log });

	if (fresh) fs.rmSync(baseDir, { recursive: true, force: true });
	fs.mkdirSync(baseDir, { recursive: true });
	const user = postgresUser();
	makeReachable(baseDir, user);
	const registry = createProcessRegistry(path.join(baseDir, 'processes.json'));
	const started = Date.now();
	const topology = { signalAll: () => registry.signalAll() };
	allTopologies.add(topology);

	let postgres = null;
	let redis = null;
	let main = null;
	const workers = [];
	const track = (label, instance) => registry.set(label, 'n8n', instance?.pid);

	async function stop() {
		// n8n first (they hold the connections), then the queue and the database
		await Promise.all([main, ...workers].filter(Boolean).map((n) => n.stop().catch((e) => log(`stopping n8n: ${e.message}`))));
		if (redis) await redis.stop();
		if (postgres) await postgres.stop();
		registry.close();
		allTopologies.delete(topology);
		log('queue topology stopped');
	}

	try {
		// 1. the package, packed once and installed into every user folder
		const folders = { main: path.join(baseDir, 'main'), workers: Array.from({ length: workerCount }, (_, i) => path.join(baseDir, `worker-${i + 1}`)) };
		let tarball = options.tarball;
		let packDir = null;
		if (!tarball) {
			if (build) buildPackage({ packageDir, force: build === true, log });
			const packed = packPackage({ packageDir });
			tarball = packed.tarball;
			packDir = path.dirname(tarball);
		}
		let installed;
		try {
			for (const folder of [folders.main, ...folders.workers]) installed = installPackage({ userFolder: folder, tarball, log });
		} finally {
			if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
		}

		// 2. Postgres and Redis, side by side (each registered for the reaper as soon as it is spawned)
		const services = await Promise.allSettled([
			startPostgres({ dir: path.join(baseDir, 'postgres'), durable, log, onSpawn: (pid) => registry.set('postgres', 'postgres', pid) }).then((p) => (postgres = p)),
			startRedis({ dir: path.join(baseDir, 'redis'), log, onSpawn: (pid) => registry.set('redis', 'redis', pid) }).then((r) => (redis = r)),
		]);
		const failed = services.find((s) => s.status === 'rejected');
		if (failed) throw failed.reason;
		log(`postgres on 127.0.0.1:${postgres.port} (data ${shown(postgres.dataDir)})`);

		const sharedEnv = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// n8n 2.41's name for "binary data in Postgres" (also its queue-mode default; said explicitly)
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// manual runs from the editor go to the workers too (n8n 3's only behaviour)
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...(options.env || {}),
		};
		const encryptionKey = options.encryptionKey || DEFAULT_ENCRYPTION_KEY;

		// 3. the main first: its CLI imports run the migrations before anything else touches the database
		const wanted = options.mainPort ?? 5678;
		const mainPort = wanted && (await isPortFree(wanted)) ? wanted : await freePort();
		main = await startN8n({
			version,
			userFolder: folders.main,
			port: mainPort,
			encryptionKey,
			env: sharedEnv,
			credentials: options.credentials,
			workflows: options.workflows,
			log: (line) => log(`main: ${line}`),
		});
		track('main', main);

		// 4. the workers, side by side; webhook and resume URLs they build point at the main
		const workerEnv = { ...sharedEnv, WEBHOOK_URL: `${main.url}/`, N8N_EDITOR_BASE_URL: `${main.url}/` };
		const startWorker = async (i) => {
			const worker = await startN8n({
				version,
				command: 'worker',
				args: [`--concurrency=${concurrency}`],
				userFolder: folders.workers[i],
				encryptionKey,
				env: workerEnv,
				log: (line) => log(`worker-${i + 1}: ${line}`),
			});
			workers[i] = worker;
			track(`worker-${i + 1}`, worker);
		};
		await Promise.all(folders.workers.map((_, i) => startWorker(i)));
		log(`queue topology ready in ${((Date.now() - started) / 1000).toFixed(0)}s: main ${main.url}, ${workers.length} workers`);

		const workerName = (i) => `worker-${i + 1}`;
		const readIds = (file, pattern) => [...tail(file, Infinity).matchAll(pattern)].map((m) => m[1]);

		Object.assign(topology, {
			baseDir,
			version,
			installed,
			postgres,
			redis,
			main,
			workers,
			encryptionKey,
			/** Rows of a SQL query on n8n's database (as objects). */
			sql: (query) => postgres.query(query),
			/** Stops the main, runs `whileStopped` (if given), starts it again; same port and folder. */
			async restartMain({ whileStopped } = {}) {
				await main.stop();
				track('main', null);
				if (whileStopped) await whileStopped();
				await main.start();
				track('main', main);
				await main.login();
				return main;
			},
			/** Stops worker `i` (0-based) with SIGTERM: n8n lets its running executions finish first. */
			async stopWorker(i, opts) {
				await workers[i].stop(opts);
				track(workerName(i), null);
			},
			async startWorker(i) {
				await workers[i].start();
				track(workerName(i), workers[i]);
				return workers[i];
			},
			/**
			 * Which worker ran which execution, from the workers' logs ("Worker finished execution
			 * <id>"): { 'worker-1': ['12', …], … }; `started` for "Worker started execution <id>".
			 */
			executionsByWorker({ started: startedToo = false } = {}) {
				const pattern = startedToo ? /Worker started execution (\d+)/g : /Worker finished execution (\d+)/g;
				return Object.fromEntries(workers.map((w, i) => [workerName(i), readIds(w.logFile, pattern)]));
			},
			/** Execution ids the main put on the queue ("Enqueued execution <id>"). */
			enqueuedExecutions: () => readIds(main.logFile, /Enqueued execution (\d+)/g),
			/** Where everything is, for humans. */
			describe() {
				return [
					`Main:      ${main.url}   (log ${shown(main.logFile)})`,
					...workers.map((w, i) => `Worker ${i + 1}:  health ${w.url}/healthz   (log ${shown(w.logFile)})`),
					`Postgres:  127.0.0.1:${postgres.port} db ${postgres.database} user ${postgres.user} / ${postgres.password}   (data ${shown(postgres.dataDir)}, log ${shown(postgres.logFile)})`,
					`Redis:     127.0.0.1:${redis.port}   (no persistence, log ${shown(redis.logFile)})`,
				];
			},
			stop,
		});
		return topology;
	} catch (error) {
		await stop().catch(() => {});
		throw error;
	}
}

module.exports = { startQueue, postgresBinaries, redisBinary, QUEUE_DIR, INSTALL_HINT };
