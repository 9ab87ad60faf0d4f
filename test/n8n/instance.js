'use strict';
// A real n8n process for tests and `npm start`.
//
//   const n8n = await startN8n({ userFolder, port, env, version });
//   await n8n.importCredentials([...]); await n8n.importWorkflows([...]);
//   const out = await n8n.executeWorkflow(id);     // CLI `n8n execute --id --rawOutput`
//   await n8n.testCredential(id);                  // n8n's own credential test
//   await n8n.stop();
//
//   // queue mode (see queue.js): a worker is the same object, started with `command: 'worker'`; it is
//   // ready when its health check (/healthz/readiness on `port`) answers, and has no REST API.
//   const worker = await startN8n({ command: 'worker', args: ['--concurrency=10'], userFolder, env });
//
// n8n runs in its own process group (detached) so stop() takes its task runners with it. Its output
// goes to <userFolder>/n8n.log; failures quote the tail of that log.

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const axios = require('axios');
const { ensureN8n, requireFromN8n, DEFAULT_N8N_VERSION } = require('./toolchain');

const DEFAULT_OWNER = Object.freeze({
	email: 'owner@booster.local',
	password: 'Booster-Demo-2026',
	firstName: 'Booster',
	lastName: 'Owner',
});
const DEFAULT_ENCRYPTION_KEY = 'n8n-nodes-booster-test-encryption-key';

function defaultLog(line) {
	process.stderr.write(`[n8n] ${line}\n`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free TCP port on 127.0.0.1 (`preferred` when it is free). */
function freePort(preferred = 0) {
	const tryPort = (port) =>
		new Promise((resolve, reject) => {
			const srv = net.createServer();
			srv.unref();
			srv.once('error', reject);
			srv.listen(port, '127.0.0.1', () => {
				const { port: got } = srv.address();
				srv.close(() => resolve(got));
			});
		});
	if (!preferred) return tryPort(0);
	return tryPort(preferred).catch(() => tryPort(0));
}

function isPortFree(port) {
	return freePort(port).then((p) => p === port);
}

// Live n8n process groups, killed if this process exits without stopping them.
const live = new Set();
process.on('exit', () => {
	for (const pid of live) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});

function tail(file, chars = 6000) {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text.slice(-chars);
	} catch {
		return '(no log)';
	}
}

/** Parses the JSON n8n prints after its log lines (`n8n execute --rawOutput`). */
function parseJsonAfterLogs(stdout) {
	const lines = stdout.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const first = lines[i].trimStart()[0];
		if (first !== '{' && first !== '[') continue;
		try {
			return JSON.parse(lines.slice(i).join('\n'));
		} catch {
			// a log line that happens to start with a brace; keep looking
		}
	}
	throw new Error(`no JSON found in n8n output:\n${stdout.slice(-3000)}`);
}

/** A cookie-keeping axios client for n8n's internal REST API. */
function restClient(baseURL) {
	const jar = new Map();
	const client = axios.create({ baseURL, validateStatus: () => true, timeout: 120000, maxRedirects: 0 });
	client.interceptors.request.use((config) => {
		if (jar.size) config.headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
		// n8n 2.x rejects state-changing browser requests without this header
		config.headers['browser-id'] = 'booster-e2e';
		return config;
	});
	client.interceptors.response.use((res) => {
		for (const c of res.headers['set-cookie'] || []) {
			const [pair] = c.split(';');
			const idx = pair.indexOf('=');
			jar.set(pair.slice(0, idx).trim(), pair.slice(idx + 1).trim());
		}
		return res;
	});
	client.cookies = jar;
	return client;
}

function expectOk(res, what) {
	if (res.status >= 200 && res.status < 300) return res.data;
	const body = typeof res.data === 'string' ? res.data : JSON.stringify(res.data);
	const error = new Error(`${what}: HTTP ${res.status} ${body.slice(0, 1500)}`);
	error.status = res.status;
	error.data = res.data;
	throw error;
}

/**
 * Starts n8n. Options:
 *   version        n8n version (default 2.41.1; installed into .cache on first use)
 *   command        'start' (default) or 'worker' (queue mode; `port` is then its health-check port)
 *   args           extra arguments for the command, e.g. ['--concurrency=10']
 *   userFolder     N8N_USER_FOLDER (required); database, .n8n/nodes, n8n.log live here
 *   port           N8N_PORT (default: a free port); a worker's QUEUE_HEALTH_CHECK_PORT
 *   env            extra environment for n8n (wins over the defaults below)
 *   owner          { email, password, firstName, lastName } (default owner@booster.local / Booster-Demo-2026)
 *   encryptionKey  N8N_ENCRYPTION_KEY (fixed default, so a kept user folder stays readable)
 *   credentials    array imported with `n8n import:credentials` before the first start
 *   workflows      array imported with `n8n import:workflow` before the first start
 *   startTimeoutMs how long to wait for /rest/login (default 240 s)
 *   logLevel       N8N_LOG_LEVEL (default info; below info `execute --rawOutput` prints no JSON)
 *   log            progress logger (line) => void
 */
async function startN8n(options = {}) {
	const {
		version = DEFAULT_N8N_VERSION,
		userFolder,
		owner = DEFAULT_OWNER,
		encryptionKey = DEFAULT_ENCRYPTION_KEY,
		startTimeoutMs = 240000,
		logLevel = 'info',
		log = defaultLog,
		command = 'start',
		args = [],
	} = options;
	if (!userFolder) throw new Error('startN8n: userFolder is required');
	const isWorker = command === 'worker';
	fs.mkdirSync(userFolder, { recursive: true });
	const toolchain = await ensureN8n(version, { log });
	const port = options.port || (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const logFile = path.join(userFolder, 'n8n.log');
	const bcrypt = requireFromN8n(toolchain, 'bcryptjs');

	const baseEnv = { ...toolchain.env };
	delete baseEnv.N8N_CUSTOM_EXTENSIONS; // would load the package as CUSTOM.* instead
	// under jest NODE_ENV=test, and n8n then refuses to load nodes ("Not available in tests")
	for (const key of Object.keys(baseEnv)) if (key === 'NODE_ENV' || key.startsWith('JEST_')) delete baseEnv[key];
	const makeEnv = (brokerPort) => ({
		...baseEnv,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `${url}/`,
		N8N_EDITOR_BASE_URL: `${url}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_LOG_LEVEL: logLevel,
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		// isolated-vm (n8n's default "vm" expression engine) needs Node >= 22; on Node 20 (n8n 1.x) use
		// the legacy engine
		...(parseInt(toolchain.node.version.replace(/^v/, ''), 10) < 22 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName || 'Booster',
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName || 'Owner',
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(owner.password, 10),
		// a worker serves no UI; its health check (/healthz, /healthz/readiness) tells when it is ready
		...(isWorker ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' } : {}),
		...(options.env || {}),
	});
	const serverBrokerPort = Number(options.env?.N8N_RUNNERS_BROKER_PORT) || (await freePort());

	/** Runs an n8n CLI command (own broker port, so it can run next to the server). */
	let tmpCounter = 0;
	/**
	 * Runs an n8n CLI command. Its stdout goes to a file, not a pipe: n8n ends with process.exit(),
	 * which cuts a large output (`execute --rawOutput` of 200,000 items) still waiting in a pipe.
	 */
	async function cli(args, { timeoutMs = 300000, allowFailure = false } = {}) {
		const env = makeEnv(await freePort());
		const stdoutFile = path.join(userFolder, `cli-stdout-${process.pid}-${Date.now()}-${tmpCounter++}.txt`);
		const stdoutFd = fs.openSync(stdoutFile, 'w');
		return new Promise((resolve, reject) => {
			let child;
			try {
				child = spawn(toolchain.nodeBin, [toolchain.n8nBin, ...args], {
					cwd: userFolder,
					env,
					detached: true,
					stdio: ['ignore', stdoutFd, 'pipe'],
				});
			} finally {
				fs.closeSync(stdoutFd);
			}
			live.add(child.pid);
			let stdout = '';
			let stderr = '';
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// gone
				}
			}, timeoutMs);
			child.on('error', reject);
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				live.delete(child.pid);
				stdout = fs.readFileSync(stdoutFile, 'utf8');
				fs.rmSync(stdoutFile, { force: true });
				try {
					process.kill(-child.pid, 'SIGKILL'); // stray task runners
				} catch {
					// gone
				}
				fs.appendFileSync(logFile, `\n--- n8n ${args.join(' ')} (exit ${code}) ---\n${stdout.length > 200000 ? `${stdout.slice(0, 100000)}\n…(${stdout.length} characters)\n` : stdout}${stderr}\n`);
				if (code !== 0 && !allowFailure) {
					const error = new Error(`n8n ${args.join(' ')} failed (exit ${code}${signal ? `, ${signal}` : ''}):\n${(stdout + stderr).slice(-4000)}`);
					error.stdout = stdout;
					error.stderr = stderr;
					return reject(error);
				}
				resolve({ code, stdout, stderr });
			});
		});
	}

	async function importArray(kind, items) {
		const list = Array.isArray(items) ? items : [items];
		if (!list.length) return;
		const dir = path.join(userFolder, 'imports');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${kind}-${process.pid}-${Date.now()}-${tmpCounter++}.json`);
		fs.writeFileSync(file, JSON.stringify(list, null, 2));
		try {
			await cli([`import:${kind}`, `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	let child = null;
	let exited = null;
	let rest = null;
	let apiKeyValue = null;
	let apiClient = null;

	function spawnServer() {
		fs.appendFileSync(logFile, `\n===== n8n ${version} ${[command, ...args].join(' ')} ${new Date().toISOString()} on ${url} =====\n`);
		const fd = fs.openSync(logFile, 'a');
		const proc = spawn(toolchain.nodeBin, [toolchain.n8nBin, command, ...args], {
			cwd: userFolder,
			env: makeEnv(serverBrokerPort),
			detached: true,
			stdio: ['ignore', fd, fd],
		});
		fs.closeSync(fd);
		live.add(proc.pid);
		exited = null;
		proc.once('exit', (code, signal) => {
			live.delete(proc.pid);
			exited = { code, signal };
		});
		return proc;
	}

	async function waitReady() {
		const started = Date.now();
		const probe = axios.create({ baseURL: url, validateStatus: () => true, timeout: 5000 });
		for (;;) {
			if (exited) {
				throw new Error(`n8n exited during start-up (${JSON.stringify(exited)}); log ${logFile}:\n${tail(logFile)}`);
			}
			if (Date.now() - started > startTimeoutMs) {
				throw new Error(`n8n did not answer ${isWorker ? '/healthz/readiness' : '/rest/login'} within ${startTimeoutMs / 1000}s; log ${logFile}:\n${tail(logFile)}`);
			}
			try {
				// a worker is ready once connected to the database and Redis and taking jobs
				if (isWorker) {
					if ((await probe.get('/healthz/readiness')).status === 200) return (Date.now() - started) / 1000;
					throw new Error('not ready');
				}
				// n8n answers /rest/login before it mounts its public API; until then /api/v1 gives 404
				// or the editor's page, so ready means both answer as themselves (401 without a key).
				const login = await probe.get('/rest/login');
				const publicApi = await probe.get('/api/v1/executions');
				const publicApiMounted = publicApi.status === 401 && /json/.test(String(publicApi.headers['content-type']));
				if ((login.status === 200 || login.status === 401) && publicApiMounted) return (Date.now() - started) / 1000;
			} catch {
				// not listening yet
			}
			await sleep(500);
		}
	}

	async function stopServer({ timeoutMs = 45000 } = {}) {
		const proc = child;
		if (!proc || exited) return;
		const done = new Promise((resolve) => proc.once('exit', resolve));
		try {
			process.kill(-proc.pid, 'SIGTERM');
		} catch {
			return;
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-proc.pid, 'SIGKILL');
			} catch {
				// gone
			}
		}, timeoutMs);
		await done;
		clearTimeout(timer);
		// task runners and anything else left in the group
		try {
			process.kill(-proc.pid, 'SIGKILL');
		} catch {
			// gone
		}
	}

	async function login() {
		rest = restClient(`${url}/rest`);
		const body = { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password };
		let res = await rest.post('/login', body);
		if (res.status === 401 || res.status === 400) {
			// n8n 1.x has no owner-from-env: set the owner up through the setup endpoint
			const settings = await rest.get('/settings');
			if (settings.data?.data?.userManagement?.showSetupOnFirstLoad) {
				expectOk(
					await rest.post('/owner/setup', {
						email: owner.email,
						password: owner.password,
						firstName: owner.firstName || 'Booster',
						lastName: owner.lastName || 'Owner',
					}),
					'owner setup',
				);
				res = await rest.post('/login', body);
			}
		}
		expectOk(res, `login as ${owner.email}`);
		return rest;
	}

	async function ensureRest() {
		return rest || login();
	}

	async function apiKey() {
		if (apiKeyValue) return apiKeyValue;
		const r = await ensureRest();
		const scopesRes = await r.get('/api-keys/scopes');
		const scopes = scopesRes.status === 200 ? scopesRes.data.data : undefined;
		const body = { label: `booster-e2e-${Date.now()}`, expiresAt: null };
		if (scopes) body.scopes = scopes;
		const created = expectOk(await r.post('/api-keys', body), 'create API key').data;
		apiKeyValue = created.rawApiKey || created.apiKey;
		return apiKeyValue;
	}

	async function publicApi() {
		if (apiClient) return apiClient;
		const key = await apiKey();
		apiClient = axios.create({
			baseURL: `${url}/api/v1`,
			headers: { 'X-N8N-API-KEY': key },
			validateStatus: () => true,
			timeout: 120000,
		});
		return apiClient;
	}

	const instance = {
		version,
		command,
		url,
		port,
		userFolder,
		logFile,
		owner: { ...owner },
		toolchain,
		get pid() {
			return child?.pid;
		},
		/** Logs in (owner) and returns the cookie-carrying axios client for `${url}/rest`. */
		login,
		/** An API key for the public API (created once per instance object). */
		apiKey,
		/** axios client for `${url}/api/v1` with the API key. */
		publicApi,
		/** Runs any n8n CLI command against this instance's database: cli(['list:workflow']). */
		cli,
		importCredentials: (creds) => importArray('credentials', creds),
		importWorkflows: (workflows) => importArray('workflow', workflows),
		/**
		 * Runs a workflow (must start with a Manual Trigger) with `n8n execute --id --rawOutput`.
		 * Resolves with the parsed run data; rejects when n8n reports an error.
		 */
		async executeWorkflow(id, { timeoutMs = 300000 } = {}) {
			const { stdout, stderr, code } = await cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutMs, allowFailure: true });
			if (code !== 0) {
				const error = new Error(`n8n execute --id=${id} failed (exit ${code}):\n${(stdout + stderr).slice(-4000)}`);
				error.stdout = stdout;
				error.stderr = stderr;
				throw error;
			}
			return parseJsonAfterLogs(stdout);
		},
		/**
		 * Runs a workflow as the editor's "Execute workflow" button does (REST `POST
		 * /rest/workflows/:id/run`, a manual execution inside the running server), starting from
		 * `trigger`: any trigger node, a Schedule Trigger too, which then fires once at once. Waits for
		 * the execution to finish and resolves with it, data included (public API shape); rejects when
		 * it failed.
		 */
		async runWorkflowFrom(id, trigger, { timeoutMs = 300000, includeData = true } = {}) {
			const r = await ensureRest();
			// n8n 1.x runs the workflow sent along; 2.x reads it from the database and ignores it
			const workflowData = expectOk(await r.get(`/workflows/${id}`), `get workflow ${id}`).data;
			const body = { workflowData, triggerToStartFrom: { name: trigger } };
			const started = expectOk(await r.post(`/workflows/${id}/run`, body), `run workflow ${id} from "${trigger}"`);
			const executionId = started?.data?.executionId ?? started?.executionId;
			if (!executionId) throw new Error(`run workflow ${id} from "${trigger}": no execution started (${JSON.stringify(started).slice(0, 500)})`);
			const api = await publicApi();
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				// A kept-alive connection that n8n closed while its main thread was busy with a large
				// execution resets; asking again is safe.
				const res = await api.get(`/executions/${executionId}`, { params: { includeData: false } }).catch((error) => {
					if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return { status: 0 };
					throw error;
				});
				const execution = res.status === 200 ? res.data : undefined;
				if (execution && !['new', 'running', 'waiting'].includes(execution.status) && (execution.finished || execution.stoppedAt)) {
					if (includeData) execution.data = await this.getExecutionData(executionId);
					const error = execution.data?.resultData?.error;
					if (execution.status !== 'success' || error) {
						throw new Error(`execution ${executionId} of workflow ${id} ended ${execution.status}: ${JSON.stringify(error ?? {}).slice(0, 2000)}`);
					}
					return execution;
				}
				if (Date.now() > deadline) throw new Error(`execution ${executionId} of workflow ${id} still ${execution?.status ?? `HTTP ${res.status}`} after ${timeoutMs / 1000}s`);
				await sleep(200);
			}
		},
		/** Publishes (n8n 2.x; "activates" on 1.x) a workflow through the public API. */
		async publishWorkflow(id) {
			const api = await publicApi();
			let res = await api.post(`/workflows/${id}/publish`, {});
			if (res.status === 404 || res.status === 405) res = await api.post(`/workflows/${id}/activate`, {});
			return expectOk(res, `publish workflow ${id}`);
		},
		/** Publishes through the CLI (takes effect on the next start, like `n8n publish:workflow`). */
		async publishWorkflowCli(id) {
			const major = parseInt(version, 10);
			if (major >= 2) return cli(['publish:workflow', `--id=${id}`]);
			return cli(['update:workflow', `--id=${id}`, '--active=true']);
		},
		async unpublishWorkflow(id) {
			const api = await publicApi();
			let res = await api.post(`/workflows/${id}/unpublish`, {});
			if (res.status === 404 || res.status === 405) res = await api.post(`/workflows/${id}/deactivate`, {});
			return expectOk(res, `unpublish workflow ${id}`);
		},
		/** Executions of a workflow, newest first, through the public API (all pages). */
		async listExecutions(workflowId, { includeData = false, status } = {}) {
			const api = await publicApi();
			const all = [];
			let cursor;
			do {
				const params = { workflowId, includeData, limit: 100 };
				if (status) params.status = status;
				if (cursor) params.cursor = cursor;
				const page = expectOk(await api.get('/executions', { params }), 'list executions');
				all.push(...page.data);
				cursor = page.nextCursor;
			} while (cursor);
			return all;
		},
		/**
		 * The run data of an execution, as the editor reads it (REST, the stored text parsed here):
		 * the public API's `includeData` parses and re-serialises it in n8n, which for 200,000 items
		 * ended in a reset connection.
		 */
		async getExecutionData(id) {
			const r = await ensureRest();
			const execution = expectOk(await r.get(`/executions/${id}`), `get execution ${id}`).data;
			return typeof execution.data === 'string' ? requireFromN8n(toolchain, 'flatted').parse(execution.data) : execution.data;
		},
		async getExecution(id, { includeData = true } = {}) {
			const api = await publicApi();
			return expectOk(await api.get(`/executions/${id}`, { params: { includeData } }), `get execution ${id}`);
		},
		/**
		 * n8n's credential test for a stored credential: { status: 'OK' | 'Error', message }.
		 * Public API on 2.x, the editor's REST endpoint where that does not exist.
		 */
		async testCredential(id) {
			const api = await publicApi();
			const res = await api.post(`/credentials/${id}/test`, {});
			if (res.status !== 404 && res.status !== 405) return expectOk(res, `test credential ${id}`);
			const r = await ensureRest();
			const stored = expectOk(await r.get(`/credentials/${id}`, { params: { includeData: true } }), `get credential ${id}`).data;
			const tested = expectOk(
				await r.post('/credentials/test', { credentials: { id, name: stored.name, type: stored.type, data: stored.data } }),
				`test credential ${id}`,
			);
			return tested.data ?? tested;
		},
		/** Node type descriptions n8n serves to the editor (`/types/nodes.json`). */
		async nodeTypes() {
			const r = await ensureRest();
			return expectOk(await r.get(`${url}/types/nodes.json`), 'GET /types/nodes.json');
		},
		/** Credential type descriptions (`/types/credentials.json`). */
		async credentialTypes() {
			const r = await ensureRest();
			return expectOk(await r.get(`${url}/types/credentials.json`), 'GET /types/credentials.json');
		},
		/** Stops n8n (SIGTERM to its process group, SIGKILL after `timeoutMs`). */
		async stop(opts) {
			await stopServer(opts);
			child = null;
		},
		/** Starts n8n again after stop() (same port and user folder); a no-op while it runs. */
		async start() {
			if (child && !exited) return instance;
			await waitPortFree(port);
			rest = null;
			apiClient = null;
			const secs = await startAndWait();
			log(`n8n ${command} started again in ${secs.toFixed(1)}s`);
			return instance;
		},
		/** Stops and starts n8n again on the same port and user folder; logs in again. */
		async restart() {
			await stopServer();
			await waitPortFree(port);
			rest = null;
			apiClient = null; // the key itself survives the restart
			const secs = await startAndWait();
			log(`n8n ${command} restarted in ${secs.toFixed(1)}s`);
			return instance;
		},
		logTail: (chars) => tail(logFile, chars),
	};

	async function startAndWait() {
		child = spawnServer();
		try {
			return await waitReady();
		} catch (error) {
			await stopServer({ timeoutMs: 5000 });
			throw error;
		}
	}

	if (!(await isPortFree(port))) throw new Error(`port ${port} on 127.0.0.1 is busy`);
	if (options.credentials?.length) await instance.importCredentials(options.credentials);
	if (options.workflows?.length) await instance.importWorkflows(options.workflows);
	log(`starting n8n ${version} ${command} (Node ${toolchain.node.version}) on ${url}, log ${logFile}`);
	const secs = await startAndWait();
	log(`n8n ${command} answered after ${secs.toFixed(1)}s`);
	if (isWorker) return instance;
	try {
		await login();
	} catch (error) {
		await instance.stop();
		error.message += `\nlog ${logFile}:\n${tail(logFile, 3000)}`;
		throw error;
	}
	return instance;
}

async function waitPortFree(port, timeoutMs = 15000) {
	const started = Date.now();
	while (!(await isPortFree(port))) {
		if (Date.now() - started > timeoutMs) throw new Error(`port ${port} still busy after ${timeoutMs / 1000}s`);
		await sleep(250);
	}
}

module.exports = { startN8n, freePort, isPortFree, parseJsonAfterLogs, DEFAULT_OWNER, DEFAULT_ENCRYPTION_KEY };
