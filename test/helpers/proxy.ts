/**
 * A small forwarding proxy in front of the sandbox, for trouble the sandbox cannot make itself:
 * a lost response (the request was processed, the answer never arrived) and task listings that
 * repeat or reorder tasks.
 */
import type { IncomingHttpHeaders } from 'node:http';

import { startLocalServer, type LocalServer, type RecordedRequest } from './local-server';

export interface ProxyHooks {
	/** Forward, then drop the connection instead of answering (the sandbox did the work). */
	loseResponse?(request: RecordedRequest): boolean;
	/** Rewrite a JSON body before it is sent back. */
	rewriteJson?(request: RecordedRequest, body: unknown): unknown;
	/** A path prefix the proxy serves the API under (e.g. `/api`); it is removed before forwarding. */
	prefix?: string;
}

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (HOP_HEADERS.has(name) || value === undefined) continue;
		result[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return result;
}

export async function startProxy(target: string, hooks: ProxyHooks = {}): Promise<LocalServer> {
	return await startLocalServer(async (request, response) => {
		if (request.url.startsWith('/__sandbox')) {
			response.writeHead(404);
			response.end();
			return;
		}
		let upstream: Response;
		try {
			const path = hooks.prefix && request.url.startsWith(`${hooks.prefix}/`) ? request.url.slice(hooks.prefix.length) : request.url;
			upstream = await fetch(`${target}${path}`, {
				method: request.method,
				headers: forwardHeaders(request.headers),
				body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
			});
		} catch {
			response.socket?.destroy();
			return;
		}
		const text = await upstream.text();
		if (hooks.loseResponse?.(request)) {
			response.socket?.destroy();
			return;
		}
		const headers: Record<string, string> = {};
		upstream.headers.forEach((value, name) => {
			if (!HOP_HEADERS.has(name) && name !== 'content-encoding') headers[name] = value;
		});
		let body = text;
		if (hooks.rewriteJson && /json/.test(headers['content-type'] ?? '') && upstream.status === 200) {
			body = JSON.stringify(hooks.rewriteJson(request, JSON.parse(text)));
		}
		response.writeHead(upstream.status, headers);
		response.end(body);
	});
}
