/**
 * The one environment of the engine + sandbox suites: a Booster sandbox per file, n8n's engine with
 * the package's node and credential types, an API-key credential of the sandbox's main account, and,
 * when asked for, a forwarding proxy in front of the sandbox (test/helpers/proxy.ts) for trouble the
 * sandbox cannot make itself. With a proxy, the credential's Base URL carries a path (`<proxy>/api`),
 * as an API behind a gateway would.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { BoosterApi } from '../../credentials/BoosterApi.credentials';
import { Booster } from '../../nodes/Booster/Booster.node';
import { BoosterTrigger } from '../../nodes/BoosterTrigger/BoosterTrigger.node';
import { startSandbox, type RunningSandbox, type SandboxLogEntry, type SandboxOptions } from '../sandbox';
import type { LocalServer } from './local-server';
import { createEngine, type N8nTestEngine, type StoredCredential } from './n8n-engine';
import { type ProxyHooks, startProxy } from './proxy';

export const BOOSTER = 'n8n-nodes-booster.booster';
export const TRIGGER = 'n8n-nodes-booster.boosterTrigger';
export const API_PREFIX = '/api';

export interface Env {
	sandbox: RunningSandbox;
	engine: N8nTestEngine;
	/** Base URL the credentials use: the sandbox, or `<proxy>/api`. */
	baseUrl: string;
	/** API key credential of the main account. */
	cred: StoredCredential;
	/** Present when the environment was started with one. */
	proxy?: LocalServer;
	stop(): Promise<void>;
}

export interface EnvOptions {
	sandbox?: SandboxOptions;
	/** The workflow time zone of the engine. */
	timezone?: string;
	/** Put a forwarding proxy in front of the sandbox, with these hooks. */
	proxy?: Omit<ProxyHooks, 'prefix'>;
}

let counter = 0;

export function credential(data: ICredentialDataDecryptedObject, id = `cred-${++counter}`): StoredCredential {
	return { id, name: `Booster ${id}`, type: 'boosterApi', data };
}

export function newEngine(timezone?: string): N8nTestEngine {
	return createEngine({ nodeTypes: [new Booster(), new BoosterTrigger()], credentialTypes: [new BoosterApi()], timezone });
}

export async function startEnv(options: EnvOptions = {}): Promise<Env> {
	const sandbox = await startSandbox({ port: 0, ...options.sandbox });
	const engine = newEngine(options.timezone);
	const proxy = options.proxy ? await startProxy(sandbox.url, { prefix: API_PREFIX, ...options.proxy }) : undefined;
	const baseUrl = proxy ? `${proxy.url}${API_PREFIX}` : sandbox.url;
	const cred = credential({ baseUrl, authentication: 'apiKey', apiKey: sandbox.accounts.main.apiKey }, 'main-key');
	return {
		sandbox,
		engine,
		baseUrl,
		cred,
		proxy,
		stop: async () => {
			await proxy?.close();
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
