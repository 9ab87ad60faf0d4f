import { type INode, NodeOperationError, sleep } from 'n8n-workflow';

import { apiRoot, isLoopbackHost } from '../../../credentials/BoosterApi.credentials';
import { discardBody } from './body';
import { type HttpAnswer, describeLocation, failureError, headerText, itemSuffix } from './errors';
import type { BoosterSession } from './session';
import { DEFAULT_TIMEOUT_MS, type TransportSettings, sendToBooster, withRetries } from './send';

export interface DownloadedFile {
	stream: unknown;
	fileName?: string;
	mimeType?: string;
}

export type DownloadOutcome = DownloadedFile | { refused: number };

export interface DownloadLink {
	url: string;
	/** A pre-signed link: fetched with no credential. */
	signed: boolean;
}

const MAX_REDIRECTS = 5;

function fileNameFrom(disposition: string): string | undefined {
	const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
	if (encoded) {
		try {
			return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
		} catch {
			// A malformed encoded name falls back to the plain one.
		}
	}
	return /filename="?([^";]+)"?/i.exec(disposition)?.[1];
}

function linkError(node: INode, what: string, url: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, `The download link ${what}: ${describeLocation(url)}${itemSuffix(itemIndex)}`, {
		itemIndex,
		description:
			'Files are only fetched over https:// (http:// only when the Base URL is on this machine). Ask Booster support about the task, or run the export again.',
	});
}

/**
 * A link fetched without the credential: absolute, https:// (or http:// on loopback when the API
 * itself is on loopback, as the local sandbox is).
 */
function uncredentialedTarget(node: INode, raw: string, base: URL, itemIndex?: number, from?: URL): URL {
	let url: URL;
	try {
		url = from ? new URL(raw, from) : new URL(raw);
	} catch {
		throw linkError(node, 'is not a complete address', raw, itemIndex);
	}
	if (!from && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw.trim())) throw linkError(node, 'is not a complete address', raw, itemIndex);
	const loopbackAllowed = base.protocol === 'http:' && isLoopbackHost(url.hostname);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackAllowed)) {
		throw linkError(node, `uses ${url.protocol.replace(/:$/, '')}:, not https:`, url.href, itemIndex);
	}
	if (url.username || url.password) throw linkError(node, 'carries a user name or password', url.href, itemIndex);
	return url;
}

class StalledFileError extends Error {
	constructor(timeoutMs: number) {
		super(`no data for ${Math.round(timeoutMs / 1000)} s`);
		this.name = 'StalledFileError';
	}
}

async function nextWithin<T>(next: Promise<T>, timeoutMs: number): Promise<T> {
	const timer = new AbortController();
	const expiry = sleep(timeoutMs, timer.signal).then(() => {
		throw new StalledFileError(timeoutMs);
	});
	try {
		return await Promise.race([next, expiry]);
	} finally {
		timer.abort();
	}
}

/** The chunks of `source`, failing when none arrives for `timeoutMs`; the source is closed either way. */
async function* chunksWithin(source: AsyncIterable<unknown>, timeoutMs: number): AsyncGenerator<unknown> {
	const chunks = source[Symbol.asyncIterator]();
	try {
		for (;;) {
			const next = await nextWithin(chunks.next(), timeoutMs);
			if (next.done) return;
			yield next.value;
		}
	} finally {
		void chunks.return?.();
	}
}

interface ReadableClass {
	name: string;
	from(chunks: AsyncIterable<unknown>, options?: { objectMode: boolean }): unknown;
}

/** Node's Readable class, found on the stream itself (nodes may not import Node's modules). */
function readableClassOf(stream: object): ReadableClass | undefined {
	for (let prototype = Object.getPrototypeOf(stream); prototype; prototype = Object.getPrototypeOf(prototype)) {
		const candidate = prototype.constructor as ReadableClass | undefined;
		if (candidate?.name === 'Readable' && typeof candidate.from === 'function') return candidate;
	}
	return undefined;
}

/**
 * A file stream that fails when the file stops arriving: n8n's time-out covers the wait for the
 * answer's start, not a body that stops half-way, which would otherwise hang the run.
 */
function endingWhenStalled(stream: unknown, timeoutMs: number): unknown {
	if (typeof stream !== 'object' || stream === null || !(Symbol.asyncIterator in stream)) return stream;
	const Readable = readableClassOf(stream);
	return Readable ? Readable.from(chunksWithin(stream as AsyncIterable<unknown>, timeoutMs), { objectMode: false }) : stream;
}

function asFile(answer: HttpAnswer, timeoutMs: number): DownloadedFile {
	const contentType = headerText(answer.headers, 'content-type');
	return {
		stream: endingWhenStalled(answer.body, timeoutMs),
		fileName: fileNameFrom(headerText(answer.headers, 'content-disposition')),
		mimeType: contentType ? contentType.split(';')[0].trim() : undefined,
	};
}

/** A link on the API itself is fetched with the credential; a link elsewhere never gets it. */
function onApi(target: URL, base: URL): boolean {
	const basePath = new URL(apiRoot(base)).pathname.replace(/\/$/, '');
	return target.origin === base.origin && target.pathname.startsWith(`${basePath}/`);
}

/**
 * Streams a file. A pre-signed link, and any address a download is redirected to outside the API,
 * is fetched with n8n's plain HTTP helper: no credential and no Booster header. The API's own
 * `downloadUrl` is fetched with the credential. Redirects are followed by hand (at most five), each
 * hop checked like the link itself.
 */
export async function downloadFromBooster(session: BoosterSession, link: DownloadLink, settings: TransportSettings = {}): Promise<DownloadOutcome> {
	const { itemIndex } = settings;
	const { context } = session;
	const node = context.getNode();
	const { base } = await session.credential(itemIndex);
	let target: URL;
	let credentialed = !link.signed;
	if (link.signed) target = uncredentialedTarget(node, link.url, base, itemIndex);
	else {
		try {
			target = new URL(link.url, `${apiRoot(base)}/`);
		} catch {
			throw linkError(node, 'is not a valid address', link.url, itemIndex);
		}
		if (!onApi(target, base)) {
			throw new NodeOperationError(
				node,
				`The download link points to ${target.origin}, not to the Booster API at ${base.origin}; the credential is not sent there${itemSuffix(itemIndex)}`,
				{ itemIndex, description: 'Only the API\'s own address receives the credential. Ask Booster support about the task.' },
			);
		}
	}
	for (let hop = 0; ; hop++) {
		let answer: HttpAnswer;
		if (credentialed) {
			const path = `${target.pathname.slice(new URL(apiRoot(base)).pathname.replace(/\/$/, '').length)}${target.search}`;
			answer = await sendToBooster(session, { method: 'GET', path, stream: true }, settings);
		} else {
			const url = target.href;
			const send = async () =>
				(await context.helpers.httpRequest({
					method: 'GET',
					url,
					encoding: 'stream',
					returnFullResponse: true,
					timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
				})) as HttpAnswer;
			try {
				answer = await withRetries(session, send, settings);
			} catch (error) {
				throw failureError(node, error, target.origin, await session.secrets(itemIndex), itemIndex);
			}
		}
		if (answer.statusCode >= 200 && answer.statusCode < 300) return asFile(answer, settings.timeoutMs ?? DEFAULT_TIMEOUT_MS);
		discardBody(answer.body);
		const location = headerText(answer.headers, 'location');
		if (answer.statusCode < 300 || answer.statusCode >= 400 || location === '') return { refused: answer.statusCode };
		if (hop >= MAX_REDIRECTS) throw linkError(node, `was redirected more than ${MAX_REDIRECTS} times, last to`, new URL(location, target).href, itemIndex);
		const next = uncredentialedTarget(node, location, base, itemIndex, target);
		credentialed = credentialed && onApi(next, base);
		target = next;
	}
}
