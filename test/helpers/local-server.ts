import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path with query string, e.g. `/items?page=2`. */
	url: string;
	headers: IncomingHttpHeaders;
	body: string;
}

export type LocalHandler = (
	request: RecordedRequest,
	response: ServerResponse,
) => void | Promise<void>;

export interface LocalServer {
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** Every request received, oldest first. */
	hits: RecordedRequest[];
	close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 and a free port, recording each request it answers. */
export async function startLocalServer(handler: LocalHandler): Promise<LocalServer> {
	const hits: RecordedRequest[] = [];
	const server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const recorded: RecordedRequest = {
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			hits.push(recorded);
			Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
				res.statusCode = 500;
				res.end(String(error));
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		hits,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve, reject) =>
				server.close((error) => (error ? reject(error) : resolve())),
			);
		},
	};
}

/** Writes a JSON response. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}
