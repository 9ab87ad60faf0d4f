import { type IDataObject, type IHttpRequestOptions } from 'n8n-workflow';

import { parseResponse } from '../api/parse';
import { ResponseFormatError } from '../api/response-format-error';
import { type ApiOperation, type ResponseOf, allFields, pathParameters } from '../api/schema';
import { type Format, MEDIA_TYPES, compactGuid, serializeBody, toQuery } from '../api/serialize';
import { findInvalidField } from '../api/validation';
import { apiError, formatOf, headerText, invalidInput, readErrorBody, redirectError } from './errors';
import type { BoosterSession } from './session';
import { mayHoldSecret, redactDeep } from './secrets';
import { type TransportSettings, sendToBooster } from './send';

export { DEFAULT_TIMEOUT_MS, type TransportSettings, sendToBooster } from './send';
export { type DownloadOutcome, type DownloadedFile, downloadFromBooster } from './download';
export { invalidInput } from './errors';
export { type BoosterFunctions, BoosterSession } from './session';

export interface RequestSettings extends TransportSettings {
	format: Format;
}

export function resolvePath(operation: ApiOperation, request: IDataObject): string {
	const fields = allFields(operation.request);
	return operation.route.replace(/\{(\w+)\}/g, (_, name: string) => {
		const value = request[name];
		const text = fields[name]?.kind === 'guid' ? compactGuid(String(value)) : String(value);
		return encodeURIComponent(text);
	});
}

/**
 * Validates, serializes, sends and parses one call of a described API operation. Text that came
 * from the server has the credential's secrets removed before it reaches an item or an error.
 */
export async function callBooster<Operation extends ApiOperation>(
	session: BoosterSession,
	operation: Operation,
	request: IDataObject,
	settings: RequestSettings,
): Promise<ResponseOf<Operation>> {
	const { format, itemIndex } = settings;
	const node = session.context.getNode();
	const invalid = findInvalidField(operation.request, request);
	if (invalid) throw invalidInput(node, invalid, itemIndex);
	const media = MEDIA_TYPES[format];
	const headers: IDataObject = { Accept: media };
	const options: Omit<IHttpRequestOptions, 'url'> & { path: string } = {
		method: operation.method,
		path: resolvePath(operation, request),
		headers,
	};
	if (operation.method === 'GET' || operation.queryOnly) {
		options.qs = toQuery(operation.request, request, pathParameters(operation));
	} else {
		headers['Content-Type'] = media;
		options.body = serializeBody(operation.request, request, format);
	}
	const answer = await sendToBooster(session, options, settings);
	const secrets = await session.secrets(itemIndex);
	const text = String(answer.body ?? '');
	const httpCode = String(answer.statusCode);
	if (answer.statusCode >= 300 && answer.statusCode < 400) throw redirectError(node, answer, itemIndex);
	if (answer.statusCode < 200 || answer.statusCode >= 300) {
		throw apiError(node, { httpCode, ...readErrorBody(answer, text, secrets) }, itemIndex);
	}
	const answered = formatOf(headerText(answer.headers, 'content-type'));
	try {
		if (answered !== format) {
			throw new ResponseFormatError(
				`Expected ${format.toUpperCase()} but the response's content type is "${headerText(answer.headers, 'content-type') || 'missing'}"`,
			);
		}
		// An operation that answers an empty DTO may answer with no body at all (ServiceStack's 204).
		if (text.trim() === '' && Object.keys(operation.response.fields).length === 0) return {} as ResponseOf<Operation>;
		const parsed = parseResponse(operation.response, text, format, operation.responseIsList) as ResponseOf<Operation>;
		return mayHoldSecret(text, secrets, format) ? redactDeep(parsed, secrets) : parsed;
	} catch (error) {
		const reason = redactDeep((error as Error).message, secrets);
		throw apiError(node, { httpCode, message: `The response could not be read: ${reason}`, fieldErrors: [] }, itemIndex);
	}
}
