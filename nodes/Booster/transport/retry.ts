export interface RetryPolicy {
	/** Further attempts after the first one. */
	maxRetries: number;
	/** First back-off step; each retry doubles it, and a random part spreads retries apart. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** Longest Retry-After honoured; a longer one is cut to this. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 300,
	maxDelayMs: 10_000,
	maxRetryAfterMs: 60_000,
};

export const RETRY_STATUSES = new Set([429, 502, 503, 504]);

/** Network failures worth another try; refused connections and unknown hosts are configuration errors. */
export const RETRY_ERROR_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT', 'EAI_AGAIN']);

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string, now = Date.now()): number | undefined {
	if (header.trim() === '') return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(policy: RetryPolicy, attempt: number, retryAfter: number | undefined, random = Math.random): number {
	if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxRetryAfterMs) + Math.round(random() * policy.baseDelayMs);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
