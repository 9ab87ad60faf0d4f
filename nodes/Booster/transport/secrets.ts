import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { Format } from '../api/serialize';

export const REDACTED = '[redacted]';

/** Shorter values are not treated as secrets: hiding every "ab" would garble messages, not protect. */
const SHORTEST_SECRET = 4;

/**
 * Every secret of a credential as it could come back in a response: the API key, the password, the
 * token n8n stored after sign-in and the Basic pair, plain and URL-encoded, longest first.
 */
export function secretsOf(data: ICredentialDataDecryptedObject): string[] {
	const values: unknown[] = [data.apiKey, data.password, data.accessToken];
	if (typeof data.userName === 'string' && typeof data.password === 'string') {
		values.push(Buffer.from(`${data.userName}:${data.password}`, 'utf8').toString('base64'));
	}
	const secrets = new Set<string>();
	for (const value of values) {
		if (typeof value !== 'string' || value.length < SHORTEST_SECRET) continue;
		secrets.add(value);
		secrets.add(encodeURIComponent(value));
	}
	return [...secrets].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
	return result;
}

/**
 * Whether text read from `raw` could hold a secret. A JSON string holds one only as written or
 * behind a backslash escape, so a 5,000-task list without either is not walked string by string.
 * XML is always walked: besides entities and character references, a comment, a CDATA section or
 * a child element can split a secret that parsing joins again (`bst_<!-- -->key`).
 */
export function mayHoldSecret(raw: string, secrets: readonly string[], format: Format): boolean {
	if (secrets.length === 0) return false;
	if (format === 'xml') return true;
	return raw.includes('\\') || secrets.some((secret) => raw.includes(secret));
}

/** `value` with every string redacted; objects and lists are rebuilt only where something changed. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
	if (secrets.length === 0) return value;
	if (typeof value === 'string') return redact(value, secrets) as T;
	if (Array.isArray(value)) {
		let changed = false;
		const entries = value.map((entry: unknown) => {
			const clean = redactDeep(entry, secrets);
			changed ||= clean !== entry;
			return clean;
		});
		return (changed ? entries : value) as T;
	}
	if (typeof value === 'object' && value !== null) {
		let result: Record<string, unknown> | undefined;
		for (const [key, entry] of Object.entries(value)) {
			const clean = redactDeep(entry, secrets);
			const cleanKey = redact(key, secrets);
			if (clean !== entry || cleanKey !== key) {
				result ??= { ...(value as Record<string, unknown>) };
				if (cleanKey !== key) delete result[key];
				result[cleanKey] = clean;
			}
		}
		return (result ?? value) as T;
	}
	return value;
}
