import {
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type ICredentialsDecrypted,
	type IPollFunctions,
	type JsonObject,
	NodeApiError,
	NodeOperationError,
	sleep,
} from 'n8n-workflow';

import { apiRoot, boosterBaseUrl } from '../../../credentials/BoosterApi.credentials';
import { ErrorResponse } from '../api/dtos';
import { coerceDto, parseResponse } from '../api/parse';
import { ResponseFormatError } from '../api/response-format-error';
import { parseXmlDocument } from '../api/xml';
import { type ApiOperation, allFields, pathParameters } from '../api/schema';
import { type Format, MEDIA_TYPES, serializeBody, toQuery } from '../api/serialize';
import { type FieldError, describeValue, findInvalidField } from '../api/validation';
import { limiterOf } from './limiter';
import { DEFAULT_RETRY_POLICY, RETRY_ERROR_CODES, RETRY_STATUSES, type RetryPolicy, backoffMs, retryAfterMs } from './retry';

export type BoosterFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export const CREDENTIAL_TYPE = 'boosterApi';

export interface TransportSettings {
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	/** Longest wait for one response, in milliseconds. */
	timeoutMs?: number;
}

export interface RequestSettings extends TransportSettings {
	format: Format;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

function itemSuffix(itemIndex: number | undefined): string {
	return itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
}

/** A bad value becomes an error that names the field, the value and the item, and says how to fix it. */
export function invalidInput(context: BoosterFunctions, error: FieldError, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(
		context.getNode(),
		`Invalid ${error.label} (${error.field}): ${describeValue(error.value)}${itemSuffix(itemIndex)}`,
		{ itemIndex, description: error.hint },
	);
}

interface RunCredentials {
	base: URL;
	decrypted: ICredentialsDecrypted;
}

const credentialsOfRun = new WeakMap<object, Promise<RunCredentials>>();

async function loadCredentials(context: BoosterFunctions, itemIndex?: number): Promise<RunCredentials> {
	const node = context.getNode();
	const data = await context.getCredentials(CREDENTIAL_TYPE, itemIndex ?? 0);
	let base: URL;
	try {
		base = boosterBaseUrl(data);
	} catch (error) {
		throw new NodeOperationError(node, (error as Error).message, { itemIndex });
	}
	const reference = node.credentials?.[CREDENTIAL_TYPE];
	return { base, decrypted: { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data } };
}

/**
 * The credential is read and decrypted once per node run and shared by its requests; n8n renews
 * an expired token in that shared object, so every later request of the run sends the new one.
 */
async function credentialsOf(context: BoosterFunctions, itemIndex?: number): Promise<RunCredentials> {
	let loading = credentialsOfRun.get(context);
	if (!loading) {
		loading = loadCredentials(context, itemIndex);
		credentialsOfRun.set(context, loading);
		loading.catch(() => credentialsOfRun.delete(context));
	}
	return await loading;
}

export function resolvePath(operation: ApiOperation, request: IDataObject): string {
	const fields = allFields(operation.request);
	return operation.route.replace(/\{(\w+)\}/g, (_, name: string) => {
		const value = request[name];
		const text = fields[name]?.kind === 'guid' ? String(value).replace(/-/g, '').toLowerCase() : String(value);
		return encodeURIComponent(text);
	});
}

function headerText(headers: FullResponse['headers'], name: string): string {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

function formatOf(contentType: string): Format | 'html' | 'other' {
	if (/json/i.test(contentType)) return 'json';
	if (/xml/i.test(contentType)) return 'xml';
	if (/html/i.test(contentType)) return 'html';
	return 'other';
}

interface ApiErrorDetails {
	httpCode: string;
	message: string;
	errorCode?: string;
	fieldErrors: Array<{ fieldName?: string; errorCode?: string; message?: string }>;
}

function readErrorBody(response: FullResponse): Omit<ApiErrorDetails, 'httpCode'> {
	const contentType = headerText(response.headers, 'content-type');
	const bodyFormat = formatOf(contentType);
	try {
		if (bodyFormat === 'json' || bodyFormat === 'xml') {
			const tree = bodyFormat === 'json' ? JSON.parse(response.body) : parseXmlDocument(response.body).root;
			const status = coerceDto(ErrorResponse, tree, bodyFormat).responseStatus as IDataObject | undefined;
			if (status && typeof status.message === 'string') {
				return {
					message: status.message,
					errorCode: typeof status.errorCode === 'string' ? status.errorCode : undefined,
					fieldErrors: (Array.isArray(status.errors) ? status.errors : []) as ApiErrorDetails['fieldErrors'],
				};
			}
		}
	} catch {
		// An unreadable error body is described below from its status and content type.
	}
	const kind = bodyFormat === 'html' ? 'an HTML page (often a proxy or a wrong Base URL)' : 'no Booster error details';
	return { message: `The Booster API answered with ${kind}`, fieldErrors: [] };
}

function apiError(context: BoosterFunctions, details: ApiErrorDetails, itemIndex?: number): NodeApiError {
	const fieldLines = details.fieldErrors.map(
		(entry) => `${entry.fieldName ?? '(request)'}: ${entry.message ?? entry.errorCode ?? 'invalid'}`,
	);
	const description = [
		`HTTP ${details.httpCode}${details.errorCode ? `, error code ${details.errorCode}` : ''}.`,
		...fieldLines,
	].join('\n');
	const errorResponse: JsonObject = {
		httpCode: details.httpCode,
		message: details.message,
		errorCode: details.errorCode ?? null,
		errors: details.fieldErrors as JsonObject[],
	};
	return new NodeApiError(context.getNode(), errorResponse, {
		message: `Booster API error: ${details.message}${itemSuffix(itemIndex)}`,
		description,
		httpCode: details.httpCode,
		itemIndex,
	});
}

interface ThrownHttpError {
	httpCode?: string | null;
	message?: string;
	code?: string;
	cause?: { response?: { status?: number; data?: unknown; headers?: FullResponse['headers'] }; code?: string; message?: string };
}

/** Errors thrown by n8n's HTTP helper carry the request (and its headers); keep only safe facts. */
function thrownError(context: BoosterFunctions, error: unknown, base: URL, itemIndex?: number): Error {
	if (error instanceof NodeOperationError) return error;
	const thrown = error as ThrownHttpError;
	const response = thrown.cause?.response;
	if (response?.status) {
		const body = typeof response.data === 'string' ? response.data : '';
		return apiError(
			context,
			{ httpCode: String(response.status), ...readErrorBody({ statusCode: response.status, headers: response.headers ?? {}, body }) },
			itemIndex,
		);
	}
	const code = thrown.cause?.code ?? thrown.code;
	if (!code) {
		const reason = (thrown.cause as { message?: string } | undefined)?.message ?? thrown.message ?? 'unknown error';
		return new NodeApiError(context.getNode(), { message: reason }, { message: `${reason}${itemSuffix(itemIndex)}`, itemIndex });
	}
	return new NodeApiError(
		context.getNode(),
		{ message: `Could not reach ${base.origin}`, code },
		{
			message: `Could not reach the Booster API at ${base.origin}${code ? ` (${code})` : ''}${itemSuffix(itemIndex)}`,
			description: 'Check the Base URL of the Booster credential and that the API is reachable from n8n.',
			itemIndex,
		},
	);
}

function transientCode(error: unknown): string | undefined {
	const thrown = error as ThrownHttpError;
	if (thrown.cause?.response?.status) return undefined;
	const code = thrown.cause?.code ?? thrown.code;
	return code && RETRY_ERROR_CODES.has(code) ? code : undefined;
}

function discardBody(response: FullResponse): void {
	(response.body as unknown as { resume?: () => void })?.resume?.();
}

/**
 * Sends with retries: 429, 502, 503, 504, time-outs and dropped connections are tried again with
 * back-off (Retry-After honoured); a 429 also lowers how many requests the run keeps in flight.
 */
async function withRetries(
	context: BoosterFunctions,
	send: () => Promise<FullResponse>,
	settings: TransportSettings,
	host: URL,
): Promise<FullResponse> {
	const policy = { ...DEFAULT_RETRY_POLICY, ...settings.retry };
	const limiter = limiterOf(context);
	for (let attempt = 0; ; attempt++) {
		let response: FullResponse | undefined;
		let inFlightWithIt = 1;
		let elapsedMs: number | undefined;
		let failure: unknown;
		try {
			if (limiter) ({ result: response, inFlightWithIt, elapsedMs } = await limiter.run(send));
			else response = await send();
		} catch (error) {
			failure = error;
		}
		const retryable = response ? RETRY_STATUSES.has(response.statusCode) : transientCode(failure) !== undefined;
		if (!retryable || attempt >= policy.maxRetries) {
			if (response) {
				if (response.statusCode < 400) limiter?.succeeded(elapsedMs);
				return response;
			}
			throw thrownError(context, failure, host, settings.itemIndex);
		}
		let retryAfter: number | undefined;
		if (response) {
			if (response.statusCode === 429) limiter?.tooMany(inFlightWithIt);
			retryAfter = retryAfterMs(headerText(response.headers, 'retry-after'));
			discardBody(response);
		}
		await sleep(backoffMs(policy, attempt, retryAfter));
	}
}

/** The one place that sends requests to Booster: every operation, load option and poll uses it. */
export async function sendToBooster(
	context: BoosterFunctions,
	options: Omit<IHttpRequestOptions, 'url'> & { path: string },
	settings: TransportSettings = {},
): Promise<FullResponse> {
	const { base, decrypted } = await credentialsOf(context, settings.itemIndex);
	const { path, ...rest } = options;
	const request: IHttpRequestOptions = {
		...rest,
		url: `${apiRoot(base)}${path}`,
		returnFullResponse: true,
		json: false,
		encoding: rest.encoding ?? 'text',
		timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		// 401 stays an error so that n8n renews an expired token and sends the request again.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		sendCredentialsOnCrossOriginRedirect: false,
	};
	const send = async () =>
		(await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, { ...request }, {
			credentialsDecrypted: decrypted,
		})) as FullResponse;
	return await withRetries(context, send, settings, base);
}

export interface DownloadedFile {
	stream: unknown;
	fileName?: string;
	mimeType?: string;
}

export type DownloadOutcome = DownloadedFile | { refused: number };

function fileNameFrom(disposition: string): string | undefined {
	const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
	if (encoded) return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
	const plain = /filename="?([^";]+)"?/i.exec(disposition);
	return plain?.[1];
}

/**
 * Streams a file. A pre-signed link is fetched with n8n's plain HTTP helper, so no credential is
 * attached; a link on the API's own host is fetched with the credential. Links that need
 * credentials but point elsewhere are refused, so a token never leaves for another host.
 */
export async function downloadFromBooster(
	context: BoosterFunctions,
	link: { url: string; signed: boolean },
	settings: TransportSettings = {},
): Promise<DownloadOutcome> {
	const { itemIndex } = settings;
	const streaming = { method: 'GET' as const, encoding: 'stream' as const, returnFullResponse: true };
	let response: FullResponse;
	if (link.signed) {
		const send = async () =>
			(await context.helpers.httpRequest({
				...streaming,
				url: link.url,
				timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				ignoreHttpStatusErrors: true,
			})) as FullResponse;
		response = await withRetries(context, send, settings, new URL(link.url));
	} else {
		const { base } = await credentialsOf(context, itemIndex);
		const target = new URL(link.url, `${apiRoot(base)}/`);
		const basePath = new URL(apiRoot(base)).pathname.replace(/\/$/, '');
		if (target.origin !== base.origin || !target.pathname.startsWith(`${basePath}/`)) {
			throw new NodeOperationError(
				context.getNode(),
				`The download link points to ${target.origin}, not to the Booster API at ${base.origin}; the credential is not sent there${itemSuffix(itemIndex)}`,
				{ itemIndex },
			);
		}
		const path = `${target.pathname.slice(basePath.length)}${target.search}`;
		response = await sendToBooster(context, { ...streaming, path }, settings);
	}
	if (response.statusCode >= 200 && response.statusCode < 300) {
		const contentType = headerText(response.headers, 'content-type');
		return {
			stream: response.body,
			fileName: fileNameFrom(headerText(response.headers, 'content-disposition')),
			mimeType: contentType ? contentType.split(';')[0].trim() : undefined,
		};
	}
	const body = response.body as { resume?: () => void };
	body?.resume?.();
	return { refused: response.statusCode };
}

/**
 * API calls do not follow redirects (following puts every request through one more layer of n8n's
 * HTTP stack, and the API never redirects): a redirect means the Base URL is not the API's address.
 */
function redirectError(context: BoosterFunctions, response: FullResponse, itemIndex?: number): NodeApiError {
	const location = headerText(response.headers, 'location');
	let target = 'another address';
	try {
		const url = new URL(location);
		target = `${url.origin}${url.pathname}`;
	} catch {
		// A relative or missing Location is described as "another address".
	}
	const httpCode = String(response.statusCode);
	return new NodeApiError(
		context.getNode(),
		{ httpCode, message: `Redirected to ${target}` },
		{
			message: `The Booster API redirected the request to ${target}${itemSuffix(itemIndex)}`,
			description: `HTTP ${httpCode}. Requests are not sent on to another address. Check the Base URL of the Booster credential: it should be the address the API answers at.`,
			httpCode,
			itemIndex,
		},
	);
}

/** Validates, serializes, sends and parses one call of a described API operation. */
export async function callBooster(
	this: BoosterFunctions,
	operation: ApiOperation,
	request: IDataObject,
	settings: RequestSettings,
): Promise<unknown> {
	const { format, itemIndex } = settings;
	const invalid = findInvalidField(operation.request, request);
	if (invalid) throw invalidInput(this, invalid, itemIndex);
	const media = MEDIA_TYPES[format];
	const headers: IDataObject = { Accept: media };
	const options: Omit<IHttpRequestOptions, 'url'> & { path: string } = {
		method: operation.method,
		path: resolvePath(operation, request),
		headers,
		disableFollowRedirect: true,
	};
	if (operation.method === 'GET') {
		options.qs = toQuery(operation.request, request, pathParameters(operation));
	} else {
		headers['Content-Type'] = media;
		options.body = serializeBody(operation.request, request, format);
	}
	const response = await sendToBooster(this, options, settings);
	const httpCode = String(response.statusCode);
	if (response.statusCode >= 300 && response.statusCode < 400) throw redirectError(this, response, itemIndex);
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw apiError(this, { httpCode, ...readErrorBody(response) }, itemIndex);
	}
	const answered = formatOf(headerText(response.headers, 'content-type'));
	try {
		if (answered !== format) {
			throw new ResponseFormatError(
				`Expected ${format.toUpperCase()} but the response's content type is "${headerText(response.headers, 'content-type') || 'missing'}"`,
			);
		}
		return parseResponse(operation.response, response.body, format, operation.responseIsList);
	} catch (error) {
		const reason = (error as Error).message;
		throw apiError(this, { httpCode, message: `The response could not be read: ${reason}`, fieldErrors: [] }, itemIndex);
	}
}
