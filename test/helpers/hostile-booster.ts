/**
 * A hand-written Booster API for attack tests of Customer → Export (Output Customers), Search and
 * Point of Sale → Get Many: every export is answered with a task the test describes, whose file is
 * served by a second server (the signed link) or by the API itself (the authenticated downloadUrl),
 * and list routes answer pages the test writes. Also a raw TCP file server, for bodies whose end
 * only a closed connection marks (no Content-Length, no chunked encoding).
 */
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type LocalServer, type RecordedRequest, sendJson, startLocalServer } from './local-server';

export const HOSTILE_PREFIX = '/api';

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface HostileTask {
	asyncTaskId: string;
	brand?: string;
	status?: string;
	totalResults?: number | null;
	/** The signed link (served by `files`); default `${files.url}/f/<id>.csv`. null: none. */
	signedDownloadUrl?: string | null;
	/** The authenticated link; default none. */
	downloadUrl?: string | null;
}

export interface HostileBooster {
	api: LocalServer;
	files: LocalServer;
	/** Path of a file link on the files server for a task. */
	fileLink(asyncTaskId: string): string;
	/** The task the export POST of `brand` starts, by order of the POST (0, 1, …). */
	taskFor: (brand: string, index: number, request: RecordedRequest) => HostileTask;
	/** The file served at `/f/<id>.csv` on the files server. */
	serveFile: (asyncTaskId: string, request: RecordedRequest, response: ServerResponse) => void | Promise<void>;
	/** `GET /api/tasks/<id>/file` (an authenticated downloadUrl on the API). */
	serveApiFile: Handler;
	/** `GET /api/customer/<brand>/slim` and `GET /api/security/pos`. */
	servePage: Handler;
	/** Other API routes. */
	other: Handler;
	close(): Promise<void>;
}

function taskJson(task: HostileTask, files: LocalServer): Record<string, unknown> {
	return {
		asyncTaskId: task.asyncTaskId,
		type: 'crm',
		requestDate: '2026-12-01T08:00:00.000Z',
		status: task.status ?? 'COM',
		percentage: 100,
		brand: task.brand ?? 'CAR',
		downloadUrl: task.downloadUrl ?? null,
		signedDownloadUrl: task.signedDownloadUrl === undefined ? `${files.url}/f/${task.asyncTaskId}.csv?signature=abc` : task.signedDownloadUrl,
		// Unless a test says how many customers the task announces, it announces none (null).
		totalResults: task.totalResults ?? null,
		totalSucceeded: task.totalResults ?? null,
		totalFailed: 0,
	};
}

export async function startHostileBooster(): Promise<HostileBooster> {
	const started = new Map<string, HostileTask>();
	let exportCount = 0;
	// eslint-disable-next-line prefer-const
	let hostile: HostileBooster;
	const files = await startLocalServer(async (request, response) => {
		const match = /^\/f\/([0-9a-f]+)\.csv/.exec(request.url);
		if (!match) return sendJson(response, 404, { message: 'no such file' });
		await hostile.serveFile(match[1], request, response);
	});
	const api = await startLocalServer(async (request, response) => {
		const path = request.url.split('?')[0];
		const exportMatch = new RegExp(`^${HOSTILE_PREFIX}/customer/([^/]+)/export$`).exec(path);
		if (request.method === 'POST' && exportMatch) {
			const task = hostile.taskFor(decodeURIComponent(exportMatch[1]), exportCount++, request);
			started.set(task.asyncTaskId, task);
			return sendJson(response, 200, { asyncTaskId: task.asyncTaskId });
		}
		const fileMatch = new RegExp(`^${HOSTILE_PREFIX}/tasks/([0-9a-f-]+)/file$`).exec(path);
		if (fileMatch) return await hostile.serveApiFile(request, response);
		const taskMatch = new RegExp(`^${HOSTILE_PREFIX}/tasks/([0-9a-f-]+)$`).exec(path);
		if (taskMatch) {
			const task = started.get(taskMatch[1].replace(/-/g, ''));
			if (!task) return sendJson(response, 404, { responseStatus: { errorCode: 'NotFound', message: 'No such task' } });
			return sendJson(response, 200, taskJson(task, files));
		}
		if (new RegExp(`^${HOSTILE_PREFIX}/customer/[^/]+/slim$`).test(path) || path === `${HOSTILE_PREFIX}/security/pos`) {
			return await hostile.servePage(request, response);
		}
		return await hostile.other(request, response);
	});
	hostile = {
		api,
		files,
		fileLink: (asyncTaskId) => `${files.url}/f/${asyncTaskId}.csv?signature=abc`,
		taskFor: (brand, index) => ({ asyncTaskId: `${'0'.repeat(24)}${String(index).padStart(8, '0')}`, brand }),
		serveFile: (_id, _request, response) => {
			response.writeHead(200, { 'content-type': 'text/csv' });
			response.end('boosterCustomerId\r\n1000001\r\n');
		},
		serveApiFile: (_request, response) => sendJson(response, 404, { message: 'no file' }),
		servePage: (_request, response) => sendJson(response, 200, { page: 0, items: 0, totalPages: 0, totalResults: 0, elements: [] }),
		other: (_request, response) => sendJson(response, 404, { responseStatus: { errorCode: 'NotFound', message: 'No route' } }),
		close: async () => {
			await files.close();
			await api.close();
		},
	};
	return hostile;
}

export interface RawServer {
	url: string;
	hits: number;
	close(): Promise<void>;
}

/**
 * A TCP server that answers every connection with `head` and `body` as written, then closes the
 * connection: with no Content-Length and no chunked encoding, the close is the body's only end
 * (HTTP/1.1 allows it), so a client cannot tell a cut body from a whole one.
 */
export async function startRawFileServer(answer: () => { head: string; body: Buffer | string }): Promise<RawServer> {
	const sockets = new Set<Socket>();
	let hits = 0;
	const server = createTcpServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
		let received = '';
		socket.on('data', (data) => {
			received += data.toString('latin1');
			if (!received.includes('\r\n\r\n')) return;
			hits++;
			const { head, body } = answer();
			socket.write(head);
			socket.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		get hits() {
			return hits;
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
