import type { IDataObject } from 'n8n-workflow';

import type { Format } from '../api/serialize';
import { DEFAULT_TIMEOUT_MS, type RequestSettings } from '../transport';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';

export function formatFrom(options: { requestFormat?: unknown }): Format {
	return options.requestFormat === 'xml' ? 'xml' : 'json';
}

/** A whole number from an option, kept within [min, max]; `fallback` when it is not a number. */
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
