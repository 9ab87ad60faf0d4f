import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Format } from '../api/serialize';
import { DEFAULT_TIMEOUT_MS, type RequestSettings } from '../transport';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';

export const requestFormatOption: INodeProperties = {
	displayName: 'Request Format',
	name: 'requestFormat',
	type: 'options',
	options: [
		{ name: 'JSON', value: 'json' },
		{ name: 'XML', value: 'xml' },
	],
	default: 'json',
	description: 'Format of the request and response bodies. The output is the same JSON either way.',
};

export function formatFrom(options: { requestFormat?: unknown }): Format {
	return options.requestFormat === 'xml' ? 'xml' : 'json';
}

/** Options every operation offers about how its requests are sent. */
export const transportOptions: INodeProperties[] = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		default: DEFAULT_RETRY_POLICY.maxRetries,
		typeOptions: { minValue: 0, maxValue: 10 },
		description:
			'How often to retry a request that failed for a passing reason: 429, 502, 503, 504, a time-out or a dropped connection',
	},
	requestFormatOption,
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		default: DEFAULT_TIMEOUT_MS / 1000,
		typeOptions: { minValue: 1, maxValue: 3600 },
		description: 'How long to wait for Booster to answer one request',
	},
];

export function wholeNumberIn(value: unknown, fallback: number, min: number, max: number): number {
	const number = Number(value ?? fallback);
	return Number.isFinite(number) ? Math.min(Math.max(Math.round(number), min), max) : fallback;
}

/** Format, retries and time-out chosen in the node's options. */
export function requestSettings(options: IDataObject, itemIndex?: number): RequestSettings {
	return {
		format: formatFrom(options),
		itemIndex,
		retry: { maxRetries: wholeNumberIn(options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, 0, 10) },
		timeoutMs: wholeNumberIn(options.timeoutSeconds, DEFAULT_TIMEOUT_MS / 1000, 1, 3600) * 1000,
	};
}

export const MONTH_OPTIONS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
].map((name, index) => ({ name, value: index + 1 }));

export const ANY_YES_NO_OPTIONS = [
	{ name: 'Any', value: 'any' },
	{ name: 'Yes', value: 'yes' },
	{ name: 'No', value: 'no' },
];

/** The "Options" collection each operation ends with. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}

export const asyncTaskIdParameter: INodeProperties = {
	displayName: 'Async Task ID',
	name: 'asyncTaskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 3f2b8c1e-9a4d-4e7b-8c1f-2a3b4c5d6e7f',
	description: 'ID of the task returned by an export, usually mapped from the asyncTaskId field of an earlier node',
};

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
};
