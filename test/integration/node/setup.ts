import { parseCsv } from '../../helpers/csv';
import { finishSandboxTasks } from '../../helpers/sandbox-tasks';
/**
 * Shared setup for the node integration suites: a sandbox per file, n8n's engine with the package's
 * node and credential types, and helpers that compute expectations from the sandbox's dataset.
 */
import type { ICredentialDataDecryptedObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { BoosterApi } from '../../../credentials/BoosterApi.credentials';
import { Booster } from '../../../nodes/Booster/Booster.node';
import { BoosterTrigger } from '../../../nodes/BoosterTrigger/BoosterTrigger.node';
import { createEngine, type N8nTestEngine, type NodeUnderTest, type StoredCredential } from '../../helpers/n8n-engine';
import { startSandbox, type RunningSandbox, type SandboxCustomer, type SandboxLogEntry, type SandboxOptions } from '../../sandbox';

export const BOOSTER = 'n8n-nodes-booster.booster';
export const TRIGGER = 'n8n-nodes-booster.boosterTrigger';

export interface Env {
	sandbox: RunningSandbox;
	engine: N8nTestEngine;
	/** API key credential of the main account. */
	cred: StoredCredential;
	stop(): Promise<void>;
}

let credentialCounter = 0;

export function credential(data: ICredentialDataDecryptedObject, id = `cred-${++credentialCounter}`): StoredCredential {
	return { id, name: `Booster ${id}`, type: 'boosterApi', data };
}

export async function startEnv(options: SandboxOptions = {}, timezone?: string): Promise<Env> {
	const sandbox = await startSandbox({ port: 0, customers: 600, exportDurationMs: 500, ...options });
	const engine = createEngine({
		nodeTypes: [new Booster(), new BoosterTrigger()],
		credentialTypes: [new BoosterApi()],
		timezone,
	});
	const cred = credential(
		{ baseUrl: sandbox.url, authentication: 'apiKey', apiKey: sandbox.accounts.main.apiKey },
		'main-key',
	);
	return {
		sandbox,
		engine,
		cred,
		stop: async () => {
			await engine.dispose();
			await sandbox.stop();
		},
	};
}

/** Requests the sandbox logged, without the control routes. */
export function logged(env: Env, filter: (entry: SandboxLogEntry) => boolean = () => true): SandboxLogEntry[] {
	return env.sandbox.state.requestLog.entries.filter((entry) => !entry.path.startsWith('/__sandbox') && filter(entry));
}

export function exportRequests(env: Env): SandboxLogEntry[] {
	return logged(env, (entry) => entry.method === 'POST' && /^\/customer\/[^/]+\/export/.test(entry.path));
}

export function posOf(env: Env, brand: string): string[] {
	return env.sandbox.state.pointsOfSale.filter((pos) => pos.brand === brand).map((pos) => pos.posCode);
}

export function customersOf(env: Env, brand: string): SandboxCustomer[] {
	return [...env.sandbox.state.dataset.customersOfBrand(brand)];
}

/** All-time spending in cents-exact arithmetic, as the README defines totalSpendingAmount. */
export function spending(customer: SandboxCustomer): number {
	return Math.round(customer.transactions.reduce((sum, t) => sum + (t.type === 'sale' ? 1 : -1) * Math.round(t.amount * 100), 0)) / 100;
}

export function idsWhere(customers: SandboxCustomer[], predicate: (customer: SandboxCustomer) => boolean): number[] {
	return customers.filter(predicate).map((customer) => customer.boosterCustomerId).sort((a, b) => a - b);
}


export async function csvIds(env: Env, item: INodeExecutionData, property = 'data'): Promise<number[]> {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`No binary "${property}" on item ${JSON.stringify(item.json)}`);
	const text = (await env.engine.getBinaryDataBuffer(binary)).toString('utf8');
	return parseCsv(text)
		.map((row) => Number(row.boosterCustomerId))
		.sort((a, b) => a - b);
}

/** Every string reachable from `value` (error messages, descriptions, output json). */
export function allText(value: unknown, seen = new Set<unknown>()): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value !== 'object') return String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	const parts: string[] = [];
	if (value instanceof Error) parts.push(value.message, String(value.stack ?? ''));
	for (const key of Object.getOwnPropertyNames(value)) {
		try {
			parts.push(key, allText((value as Record<string, unknown>)[key], seen));
		} catch {
			// getters that throw are skipped
		}
	}
	return parts.join('\n');
}

export function secretsOf(env: Env): string[] {
	const { main, limited } = env.sandbox.accounts;
	return [main.apiKey, main.password, limited.apiKey, limited.password];
}

/** A Booster node for runNode; parameters as the editor stores them (loosely typed for brevity). */
export function boosterNode(parameters: Record<string, unknown>, extra: Partial<NodeUnderTest> = {}): NodeUnderTest {
	return { type: BOOSTER, parameters: parameters as INodeParameters, ...extra };
}

export function triggerNode(parameters: Record<string, unknown>, name = 'Booster Trigger'): NodeUnderTest {
	return { name, type: TRIGGER, parameters: parameters as INodeParameters };
}

export const normalizeId = (id: unknown) => String(id).replace(/-/g, '').toLowerCase();

/** The sandbox's view of a task, whatever the GUID form (dashed or not). */
export function taskView(env: Env, asyncTaskId: unknown) {
	for (const key of env.sandbox.state.tasks.keys()) {
		if (normalizeId(key) === normalizeId(asyncTaskId)) return env.sandbox.state.taskView(key);
	}
	return null;
}

/** Starts an export straight on the sandbox (test setup, not the node under test). Returns the asyncTaskId. */
export async function startExportDirect(env: Env, brand: string, downloadRequestId: string, body: Record<string, unknown> = {}): Promise<string> {
	const response = await fetch(`${env.sandbox.url}/customer/${brand}/export`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${env.sandbox.accounts.main.apiKey}`, 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify({ posCodes: posOf(env, brand), downloadRequestId, ...body }),
	});
	if (response.status !== 200) throw new Error(`export setup failed: ${response.status} ${await response.text()}`);
	return ((await response.json()) as { asyncTaskId: string }).asyncTaskId;
}

/** Lets every task finish on the sandbox clock and waits until the files are written. */
export async function finishTasks(env: Env): Promise<void> {
	await finishSandboxTasks(env.sandbox);
}

export interface Proxy {
	url: string;
	/** Called with each proxied response body before it is returned; may rewrite it. */
	rewrite?: (path: string, body: Buffer, headers: Record<string, unknown>) => Buffer;
	close(): Promise<void>;
}

/** A pass-through HTTP proxy in front of the sandbox, to reorder lists or act between two requests. */
export async function startProxy(env: Env): Promise<Proxy> {
	const http = await import('node:http');
	const target = new URL(env.sandbox.url);
	const proxy: Proxy = { url: '', close: async () => undefined };
	const server = http.createServer((request, response) => {
		const headers = { ...request.headers };
		delete headers.host;
		const upstream = http.request(
			{ host: target.hostname, port: target.port, method: request.method, path: request.url, headers },
			(answer) => {
				const chunks: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => chunks.push(chunk));
				answer.on('end', () => {
					let body: Buffer = Buffer.concat(chunks);
					if (proxy.rewrite) body = proxy.rewrite(String(request.url), body, answer.headers);
					const out = { ...answer.headers, 'content-length': String(body.length) };
					delete out['transfer-encoding'];
					response.writeHead(answer.statusCode ?? 502, out);
					response.end(body);
				});
			},
		);
		upstream.on('error', () => {
			response.writeHead(502);
			response.end();
		});
		request.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address() as { port: number };
	proxy.url = `http://127.0.0.1:${address.port}`;
	proxy.close = async () => await new Promise<void>((resolve) => server.close(() => resolve()));
	return proxy;
}

export { parseCsv } from '../../helpers/csv';
