import { type IDataObject, type JsonObject, type INode, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ErrorResponse } from '../api/dtos';
import { coerceDto } from '../api/parse';
import type { Format } from '../api/serialize';
import { type FieldError, describeValue } from '../api/validation';
import { parseXmlDocument } from '../api/xml';
import { InterruptedBodyError, OversizedBodyError } from './body';
import { redact, redactDeep } from './secrets';

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	/** A stream until it is read, then its text. */
	body: unknown;
}

export function itemSuffix(itemIndex: number | undefined): string {
	return itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
}

/** A bad value becomes an error that names the field, the value and the item, and says how to fix it. */
export function invalidInput(node: INode, error: FieldError, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, `Invalid ${error.label} (${error.field}): ${describeValue(error.value)}${itemSuffix(itemIndex)}`, {
		itemIndex,
		description: error.hint,
	});
}

export function headerText(headers: HttpAnswer['headers'], name: string): string {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

export function formatOf(contentType: string): Format | 'html' | 'other' {
	if (/json/i.test(contentType)) return 'json';
	if (/xml/i.test(contentType)) return 'xml';
	if (/html/i.test(contentType)) return 'html';
	return 'other';
}

export interface ApiErrorDetails {
	httpCode: string;
	message: string;
	errorCode?: string;
	fieldErrors: Array<{ fieldName?: string; errorCode?: string; message?: string }>;
}

/** The ServiceStack `responseStatus` of an error answer, with the credential's secrets removed. */
export function readErrorBody(answer: HttpAnswer, text: string, secrets: readonly string[]): Omit<ApiErrorDetails, 'httpCode'> {
	const bodyFormat = formatOf(headerText(answer.headers, 'content-type'));
	try {
		if (bodyFormat === 'json' || bodyFormat === 'xml') {
			const tree = bodyFormat === 'json' ? JSON.parse(text) : parseXmlDocument(text).root;
			const status = redactDeep(coerceDto(ErrorResponse, tree, bodyFormat).responseStatus, secrets) as IDataObject | undefined;
			if (status && typeof status.message === 'string' && status.message.trim() !== '') {
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
	return { message: `The Booster API answered HTTP ${answer.statusCode} with ${kind}`, fieldErrors: [] };
}

const HTTP_ADVICE: Record<string, string> = {
	'400': 'Booster refused the request; the lines below say which field.',
	'401': 'Booster refused the credential: check the API key, or the user name and password, in the Booster credential.',
	'403': 'The Booster account has no access to this brand or resource.',
	'404': 'Booster does not know this resource: check the ID, or the Base URL of the credential.',
	'429': 'Booster received too many requests: lower Concurrency, or run the workflow later.',
};

export function apiError(node: INode, details: ApiErrorDetails, itemIndex?: number): NodeApiError {
	const fieldLines = details.fieldErrors.map((entry) => `${entry.fieldName ?? '(request)'}: ${entry.message ?? entry.errorCode ?? 'invalid'}`);
	const advice = HTTP_ADVICE[details.httpCode] ?? (details.httpCode.startsWith('5') ? 'Booster failed to answer; try again later.' : '');
	const description = [`HTTP ${details.httpCode}${details.errorCode ? `, error code ${details.errorCode}` : ''}. ${advice}`.trim(), ...fieldLines].join('\n');
	const errorResponse: JsonObject = {
		httpCode: details.httpCode,
		message: details.message,
		errorCode: details.errorCode ?? null,
		errors: details.fieldErrors as JsonObject[],
	};
	return new NodeApiError(node, errorResponse, {
		message: `Booster API error: ${details.message}${itemSuffix(itemIndex)}`,
		description,
		httpCode: details.httpCode,
		itemIndex,
	});
}

/** A failure that is not an answer from Booster (network, time-out, oversized body), in plain words. */
export function transportError(node: INode, summary: string, advice: string, itemIndex?: number): NodeApiError {
	// No `code` in the response object: n8n would replace the message with its generic one for it.
	return new NodeApiError(node, { message: summary }, { message: `${summary}${itemSuffix(itemIndex)}`, description: advice, itemIndex });
}

interface ThrownHttpError {
	message?: string;
	code?: string;
	name?: string;
	cause?: { response?: { status?: number; data?: unknown; headers?: HttpAnswer['headers'] }; code?: string; message?: string; name?: string };
}

/** The HTTP status of an answer carried by an error n8n's HTTP helper threw, if there is one. */
export function answerOf(error: unknown): HttpAnswer | undefined {
	const response = (error as ThrownHttpError)?.cause?.response;
	if (!response?.status) return undefined;
	return { statusCode: response.status, headers: response.headers ?? {}, body: response.data };
}

export function errorCodeOf(error: unknown): string | undefined {
	const thrown = error as ThrownHttpError;
	return thrown?.cause?.code ?? thrown?.code;
}

const NETWORK_ADVICE = 'Check the Base URL of the Booster credential and that the API is reachable from n8n, then run the workflow again.';

/**
 * Errors thrown by n8n's HTTP helper carry the request and its headers: only safe facts are kept,
 * and any text that came from the server or the network has the credential's secrets removed.
 */
export function failureError(node: INode, error: unknown, origin: string, secrets: readonly string[], itemIndex?: number): Error {
	if (error instanceof NodeOperationError) return error;
	if (error instanceof OversizedBodyError) {
		return transportError(node, error.message, 'This is not an answer the Booster API gives; check the Base URL of the credential.', itemIndex);
	}
	if (error instanceof InterruptedBodyError) {
		return transportError(node, `The answer from Booster at ${origin} was cut off before its end`, 'It was tried again up to Max Retries times. Run the workflow again later; if it keeps happening, check the network between n8n and Booster.', itemIndex);
	}
	const thrown = error as ThrownHttpError;
	const code = errorCodeOf(error);
	if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT') {
		// Without the code in the text: n8n swaps a message naming ETIMEDOUT for a generic one.
		return transportError(node, `Booster at ${origin} did not answer in time`, 'Raise the Request Timeout in the node\'s options, or try again later.', itemIndex);
	}
	if (code) {
		return transportError(node, `Could not reach the Booster API at ${origin} (${code})`, NETWORK_ADVICE, itemIndex);
	}
	const reason = redact(String(thrown?.cause?.message || thrown?.message || '').trim(), secrets) || 'the request failed without a reason';
	return transportError(node, `The request to Booster at ${origin} failed: ${reason}`, NETWORK_ADVICE, itemIndex);
}

/**
 * API calls do not follow redirects (following puts every request through one more layer of n8n's
 * HTTP stack, and the API never redirects): a redirect means the Base URL is not the API's address.
 */
export function redirectError(node: INode, answer: HttpAnswer, itemIndex?: number): NodeApiError {
	const httpCode = String(answer.statusCode);
	const target = describeLocation(headerText(answer.headers, 'location'));
	return new NodeApiError(
		node,
		{ httpCode, message: `Redirected to ${target}` },
		{
			message: `The Booster API redirected the request to ${target}${itemSuffix(itemIndex)}`,
			description: `HTTP ${httpCode}. Requests are not sent on to another address. Check the Base URL of the Booster credential: it should be the address the API answers at.`,
			httpCode,
			itemIndex,
		},
	);
}

/** Where a link points, without user info, query string or fragment (they may hold signatures). */
export function describeLocation(location: string, base?: string): string {
	try {
		const url = new URL(location, base);
		return `${url.protocol}//${url.host}${url.pathname}`;
	} catch {
		return 'another address';
	}
}
