/**
 * Shared setup for the reliability and security suites (issue 7): a sandbox per file, n8n's
 * engine with the package's node and credential types, and small helpers to read the sandbox log,
 * capture console/stdout/stderr and search everything for secrets.
 */
import { format } from 'node:util';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { BoosterApi } from '../../../credentials/BoosterApi.credentials';
import { Booster } from '../../../nodes/Booster/Booster.node';
import { BoosterTrigger } from '../../../nodes/BoosterTrigger/BoosterTrigger.node';
import { createEngine, type N8nTestEngine, type StoredCredential } from '../../helpers/n8n-engine';
import type { LocalServer } from '../../helpers/local-server';
import { type ProxyHooks, startProxy } from './proxy';
import { startSandbox, type RunningSandbox, type SandboxLogEntry, type SandboxOptions } from '../../sandbox';

export const BOOSTER = 'n8n-nodes-booster.booster';
export const TRIGGER = 'n8n-nodes-booster.boosterTrigger';

export interface Env {
	sandbox: RunningSandbox;
	/** Forwarding proxy serving the sandbox under `/api` (see startEnv). */
	proxy: LocalServer;
	/** Base URL the credentials use. */
	baseUrl: string;
	engine: N8nTestEngine;
	/** API key credential of the main account. */
	cred: StoredCredential;
	stop(): Promise<void>;
}

let counter = 0;

export function credential(data: ICredentialDataDecryptedObject, id = `rel-cred-${++counter}`): StoredCredential {
	return { id, name: `Booster ${id}`, type: 'boosterApi', data };
}

export function newEngine(): N8nTestEngine {
	return createEngine({ nodeTypes: [new Booster(), new BoosterTrigger()], credentialTypes: [new BoosterApi()] });
}

/**
 * The suites reach the sandbox through a base URL with a path (`<proxy>/api`). A base URL without a
 * path (`http://127.0.0.1:<port>`, like the default `https://dev-api-booster.richemont.com`) makes
 * the transport request `//customer/...` (see the "root base URL" test in security/hosts.test.ts);
 * set BOOSTER_TEST_DIRECT=1 to run every suite straight against the sandbox once that is fixed.
 */
export const API_PREFIX = '/api';
const DIRECT = process.env.BOOSTER_TEST_DIRECT === '1';

export async function startEnv(options: SandboxOptions = {}, hooks: Omit<ProxyHooks, 'prefix'> = {}): Promise<Env> {
	const sandbox = await startSandbox({ port: 0, customers: 2000, exportDurationMs: 300, ...options });
	const engine = newEngine();
	const proxy = await startProxy(sandbox.url, { prefix: API_PREFIX, ...hooks });
	const baseUrl = DIRECT ? sandbox.url : `${proxy.url}${API_PREFIX}`;
	const cred = credential({ baseUrl, authentication: 'apiKey', apiKey: sandbox.accounts.main.apiKey }, 'main-key');
	return {
		sandbox,
		proxy,
		baseUrl,
		engine,
		cred,
		stop: async () => {
			await proxy.close();
			await engine.dispose();
			await sandbox.stop();
		},
	};
}

/** API requests the sandbox logged (control routes left out). */
export function apiRequests(env: Env, filter: (entry: SandboxLogEntry) => boolean = () => true): SandboxLogEntry[] {
	return env.sandbox.state.requestLog.entries.filter((entry) => !entry.path.startsWith('/__sandbox') && filter(entry));
}

export function resetSandboxLog(env: Env): void {
	env.sandbox.state.requestLog.clear();
	env.sandbox.state.counters.reset();
}

export function posOf(env: Env, brand: string): string[] {
	return env.sandbox.state.pointsOfSale.filter((pos) => pos.brand === brand).map((pos) => pos.posCode);
}

/** The first `count` customers the main account may see (brand PAN is refused with 403). */
export function customerIds(env: Env, count: number): number[] {
	const ids: number[] = [];
	for (const customer of env.sandbox.state.dataset.allCustomers()) {
		if (env.sandbox.accounts.main.brands.includes(customer.brand)) ids.push(customer.boosterCustomerId);
		if (ids.length === count) break;
	}
	return ids;
}

/** Every string reachable from `value`: own properties (enumerable or not), errors' messages and stacks. */
export function allText(value: unknown, seen = new Set<unknown>()): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value !== 'object' && typeof value !== 'function') return String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	const parts: string[] = [];
	if (value instanceof Error) parts.push(value.message, String(value.stack ?? ''));
	if (Buffer.isBuffer(value)) parts.push(value.toString('utf8'));
	for (const key of Object.getOwnPropertyNames(value)) {
		try {
			parts.push(key, allText((value as Record<string, unknown>)[key], seen));
		} catch {
			// a getter that throws is skipped
		}
	}
	return parts.join('\n');
}

/** What n8n would store or display for an error: its JSON, message, description and cause. */
export function errorSurfaces(error: unknown): string {
	if (!error) return '';
	let json = '';
	try {
		json = JSON.stringify(error);
	} catch {
		json = '(not serialisable)';
	}
	const described = error as { message?: string; description?: string; cause?: unknown; context?: unknown };
	let cause = '';
	try {
		cause = JSON.stringify(described.cause ?? null) ?? '';
	} catch {
		cause = '(cause not serialisable)';
	}
	return [json, described.message, described.description, cause, allText(error)].join('\n');
}

export function itemsText(items: INodeExecutionData[] | undefined): string {
	return JSON.stringify(items ?? []) + '\n' + allText(items ?? []);
}

/** Which of `secrets` occur in `text` (also base64 of user:password pairs). */
export function leakedSecrets(text: string, secrets: string[]): string[] {
	return secrets.filter((secret) => secret !== '' && text.includes(secret));
}

/** Captures console.* and process.stdout/stderr writes while `work` runs. */
export async function captureOutput<T>(work: () => Promise<T>): Promise<{ result: T; output: string }> {
	const chunks: string[] = [];
	const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
	const originals = methods.map((name) => console[name]);
	const stdoutWrite = process.stdout.write.bind(process.stdout);
	const stderrWrite = process.stderr.write.bind(process.stderr);
	methods.forEach((name) => {
		console[name] = (...args: unknown[]) => {
			chunks.push(format(...args));
		};
	});
	const recorder = (chunk: unknown) => {
		chunks.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
		return true;
	};
	process.stdout.write = recorder as typeof process.stdout.write;
	process.stderr.write = recorder as typeof process.stderr.write;
	try {
		const result = await work();
		return { result, output: chunks.join('\n') };
	} finally {
		methods.forEach((name, index) => {
			console[name] = originals[index];
		});
		process.stdout.write = stdoutWrite;
		process.stderr.write = stderrWrite;
	}
}

export function kpiNode(parameters: IDataObject = {}, onError?: 'continueRegularOutput'): { type: string; parameters: IDataObject; onError?: 'continueRegularOutput' } {
	return {
		type: BOOSTER,
		parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '={{ $json.id }}', ...parameters },
		...(onError ? { onError } : {}),
	};
}
