import type { IDataObject, IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

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

/** The Options and Advanced settings of an item; a setting saved in Options before it moved to Advanced still counts. */
export function settingsOf(context: IExecuteFunctions, itemIndex: number): { options: IDataObject; advanced: IDataObject } {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const advanced = context.getNodeParameter('advanced', itemIndex, {}) as IDataObject;
	return { options, advanced: { ...options, ...advanced } };
}

/** How an item's requests are sent. */
export function itemRequestSettings(context: IExecuteFunctions, itemIndex: number): RequestSettings {
	return requestSettings(settingsOf(context, itemIndex).advanced, itemIndex);
}

/** How a poll's requests are sent. */
export function pollRequestSettings(context: IPollFunctions): RequestSettings {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const advanced = context.getNodeParameter('advanced', {}) as IDataObject;
	return requestSettings({ ...options, ...advanced });
}
