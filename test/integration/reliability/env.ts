/**
 * Helpers of the reliability, security and adversarial suites, over the common environment
 * (test/helpers/env.ts): these suites reach the sandbox through a proxy, with a Base URL that has a
 * path, and read the sandbox log and everything a run leaves behind for secrets.
 */
import { format } from 'node:util';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { BOOSTER, type Env, allText, posOf, startEnv as startCommonEnv } from '../../helpers/env';
import type { ProxyHooks } from '../../helpers/proxy';
import type { SandboxOptions } from '../../sandbox';

export { API_PREFIX, BOOSTER, TRIGGER, type Env, allText, apiRequests, credential, newEngine, posOf, resetSandboxLog } from '../../helpers/env';

export async function startEnv(options: SandboxOptions = {}, hooks: Omit<ProxyHooks, 'prefix'> = {}): Promise<Env> {
	return await startCommonEnv({ sandbox: { customers: 2000, exportDurationMs: 300, ...options }, proxy: hooks });
}

/** What the bad-input suites start from: valid values of each kind to put beside the bad ones. */
export interface InputEnv {
	env: Env;
	goodCustomer: number;
	goodTask: string;
	pos: string[];
}

/** An environment with a customer the main account sees, the POS codes of CAR and one completed export task. */
export async function startInputEnv(): Promise<InputEnv> {
	const env = await startEnv({ exportDurationMs: 100 });
	const [goodCustomer] = customerIds(env, 1);
	const pos = posOf(env, 'CAR');
	const { items } = await env.engine.runNode({
		node: { type: BOOSTER, parameters: { resource: 'customer', operation: 'export', brand: 'CAR', posCodes: pos, output: 'task' } },
		credentials: [env.cred],
	});
	env.sandbox.state.advanceClock(10_000);
	return { env, goodCustomer, goodTask: String(items[0].json.asyncTaskId), pos };
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
