/** Largest API answer read, after decompression: the longest task lists are a few megabytes. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** The connection failed while the answer was arriving: worth another try, like a reset before it. */
export class InterruptedBodyError extends Error {
	readonly code = 'ECONNRESET';

	constructor(reason: string) {
		super(`The connection to Booster broke while its answer was arriving (${reason})`);
		this.name = 'InterruptedBodyError';
	}
}

/** The answer grew past MAX_ANSWER_BYTES: reading stopped there. */
export class OversizedBodyError extends Error {
	constructor(readonly limitBytes: number) {
		super(`Booster's answer is larger than ${Math.round(limitBytes / (1024 * 1024))} MB once decompressed, so it was not read`);
		this.name = 'OversizedBodyError';
	}
}

interface Destroyable {
	destroy?: (error?: Error) => void;
}

function reasonOf(error: unknown): string {
	const { code, message } = (error ?? {}) as { code?: string; message?: string };
	return code ?? (message || 'the stream ended early');
}

/** Reads an answer streamed by n8n's HTTP helper as UTF-8 text, never more than `limitBytes`. */
export async function readBody(body: unknown, limitBytes = MAX_ANSWER_BYTES): Promise<string> {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	const chunks: Buffer[] = [];
	let size = 0;
	let interruption: unknown;
	try {
		for await (const chunk of body as AsyncIterable<Buffer | string>) {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
			size += buffer.length;
			if (size > limitBytes) break;
			chunks.push(buffer);
		}
	} catch (error) {
		interruption = error ?? 'unknown';
	}
	if (interruption !== undefined) throw new InterruptedBodyError(reasonOf(interruption));
	if (size > limitBytes) {
		(body as Destroyable).destroy?.();
		throw new OversizedBodyError(limitBytes);
	}
	return Buffer.concat(chunks, size).toString('utf8');
}

/** Lets go of an answer that will not be read, so that its connection can be reused or closed. */
export function discardBody(body: unknown): void {
	const stream = body as { resume?: () => void; destroy?: () => void } | undefined;
	if (typeof stream?.destroy === 'function') stream.destroy();
	else stream?.resume?.();
}
