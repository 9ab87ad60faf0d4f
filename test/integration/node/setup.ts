/**
 * Helpers of the node integration suites, over the common environment (test/helpers/env.ts): they
 * compute expectations from the sandbox's dataset.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { parseCsv } from '../../helpers/csv';
import { BOOSTER, type Env, TRIGGER, apiRequests, startEnv as startCommonEnv } from '../../helpers/env';
import type { NodeUnderTest } from '../../helpers/n8n-engine';
import { finishSandboxTasks } from '../../helpers/sandbox-tasks';
import type { SandboxCustomer, SandboxLogEntry, SandboxOptions } from '../../sandbox';
import { posOf } from '../../helpers/env';

export { BOOSTER, TRIGGER, type Env, allText, credential } from '../../helpers/env';
export { posOf };

export async function startEnv(options: SandboxOptions = {}, timezone?: string): Promise<Env> {
	return await startCommonEnv({ sandbox: { customers: 600, exportDurationMs: 500, ...options }, timezone });
}

/** Requests the sandbox logged, without the control routes. */
export const logged = apiRequests;

export function exportRequests(env: Env): SandboxLogEntry[] {
	return logged(env, (entry) => entry.method === 'POST' && /^\/customer\/[^/]+\/export/.test(entry.path));
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
