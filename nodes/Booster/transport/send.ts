import { type IHttpRequestOptions, NodeApiError, sleep } from 'n8n-workflow';

import { BOOSTER_CREDENTIAL, SIGN_IN_REFUSED, apiRoot } from '../../../credentials/BoosterApi.credentials';
import { discardBody, readBody } from './body';
import { type HttpAnswer, answerOf, apiError, errorCodeOf, failureError, headerText, itemSuffix, readErrorBody } from './errors';
import { DEFAULT_RETRY_POLICY, RETRY_ERROR_CODES, RETRY_STATUSES, type RetryPolicy, backoffMs, retryAfterMs } from './retry';
import type { BoosterSession } from './session';

export interface TransportSettings {
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	/** Longest wait for one attempt (a sign-in it needs included), in milliseconds. */
	timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

class AttemptTimedOut extends Error {
	readonly code = 'ETIMEDOUT';

	constructor(timeoutMs: number) {
		super(`No answer within ${timeoutMs / 1000} s`);
	}
}

/** One attempt; `abandoned` is aborted when the attempt has run out of time and nobody waits for it. */
export type Attempt = (abandoned: AbortSignal) => Promise<HttpAnswer>;

/**
 * Runs one attempt, ending it after `timeoutMs` even when a sign-in it waits for hangs or its
 * answer stalls after the headers; an abandoned attempt's answer is let go, so its connection closes.
 */
async function withinTime(send: Attempt, timeoutMs: number): Promise<HttpAnswer> {
	const timer = new AbortController();
	const abandon = new AbortController();
	const attempt = send(abandon.signal);
	attempt.then((late) => abandon.signal.aborted && discardBody(late.body), () => {});
	const expiry = sleep(timeoutMs, timer.signal).then(() => {
		abandon.abort();
		throw new AttemptTimedOut(timeoutMs);
	});
	try {
		return await Promise.race([attempt, expiry]);
	} finally {
		timer.abort();
	}
}

function isTransient(failure: unknown): boolean {
	if (answerOf(failure)) return false;
	const code = errorCodeOf(failure);
	return code !== undefined && RETRY_ERROR_CODES.has(code);
}

/**
 * Sends with retries: 429, 502, 503, 504, time-outs and dropped connections (also in the middle
 * of an answer) are tried again with back-off, Retry-After honoured; a 429 also lowers how many
 * requests the run keeps in flight.
 */
export async function withRetries(
	session: BoosterSession,
	send: Attempt,
	settings: TransportSettings,
): Promise<HttpAnswer> {
	const policy = { ...DEFAULT_RETRY_POLICY, ...settings.retry };
	const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const { limiter } = session;
	const timedSend = async () => await withinTime(send, timeoutMs);
	for (let attempt = 0; ; attempt++) {
		let answer: HttpAnswer | undefined;
		let inFlightWithIt = 1;
		let elapsedMs: number | undefined;
		let failure: unknown;
		try {
			if (limiter) ({ result: answer, inFlightWithIt, elapsedMs } = await limiter.run(timedSend));
			else answer = await timedSend();
		} catch (error) {
			failure = error;
		}
		const retryable = answer ? RETRY_STATUSES.has(answer.statusCode) : isTransient(failure);
		if (!retryable || attempt >= policy.maxRetries) {
			if (answer) {
				if (answer.statusCode < 400) limiter?.succeeded(elapsedMs);
				return answer;
			}
			throw failure;
		}
		let retryAfter: number | undefined;
		if (answer) {
			if (answer.statusCode === 429) limiter?.tooMany(inFlightWithIt);
			retryAfter = retryAfterMs(headerText(answer.headers, 'retry-after'));
			discardBody(answer.body);
		}
		await sleep(backoffMs(policy, attempt, retryAfter));
	}
}

/** The credential's refused sign-in, as thrown by preAuthentication and wrapped by n8n. */
function isRefusedSignIn(error: unknown): boolean {
	for (let current = error as { name?: string; cause?: unknown } | undefined, depth = 0; current && depth < 4; depth++) {
		if (current.name === SIGN_IN_REFUSED) return true;
		current = current.cause as typeof current;
	}
	return false;
}

async function failureOf(session: BoosterSession, error: unknown, itemIndex?: number): Promise<Error> {
	const node = session.context.getNode();
	const secrets = await session.secrets(itemIndex);
	const answer = answerOf(error);
	if (answer) {
		const text = await readBody(answer.body).catch(() => '');
		return apiError(node, { httpCode: String(answer.statusCode), ...readErrorBody(answer, text, secrets) }, itemIndex);
	}
	if (isRefusedSignIn(error)) {
		return new NodeApiError(node, { message: 'Booster refused the user name or password', httpCode: '401' }, {
			message: `Booster refused the user name or password${itemSuffix(itemIndex)}`,
			description: 'Check the user name and password in the Booster credential.',
			httpCode: '401',
			itemIndex,
		});
	}
	return failureError(node, error, (await session.credential(itemIndex)).base.origin, secrets, itemIndex);
}

export type SendOptions = Omit<IHttpRequestOptions, 'url' | 'encoding'> & {
	path: string;
	/** Hand the answer's body back as a stream (file downloads); otherwise it is read as text. */
	stream?: boolean;
};

/** The one place that sends requests to Booster: every operation, load option and poll uses it. */
export async function sendToBooster(session: BoosterSession, options: SendOptions, settings: TransportSettings = {}): Promise<HttpAnswer> {
	const { itemIndex } = settings;
	const { context } = session;
	const { base, decrypted } = await session.credential(itemIndex);
	const report = await session.admit(itemIndex);
	const { path, stream = false, ...rest } = options;
	const request: IHttpRequestOptions = {
		...rest,
		url: `${apiRoot(base)}${path}`,
		returnFullResponse: true,
		json: false,
		encoding: 'stream',
		timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		// 401 stays an error so that n8n renews an expired token and sends the request again.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	const send: Attempt = async (abandoned) => {
		const answer = (await context.helpers.httpRequestWithAuthentication.call(context, BOOSTER_CREDENTIAL, { ...request }, {
			credentialsDecrypted: decrypted,
		})) as HttpAnswer;
		if (stream || abandoned.aborted) return answer;
		// An answer that stalls after its headers is dropped when the attempt runs out of time.
		const raw = answer.body;
		const drop = () => discardBody(raw);
		abandoned.addEventListener('abort', drop, { once: true });
		try {
			answer.body = await readBody(raw);
		} finally {
			abandoned.removeEventListener('abort', drop);
		}
		return answer;
	};
	try {
		const answer = await withRetries(session, send, settings);
		report('accepted');
		return answer;
	} catch (error) {
		const failure = await failureOf(session, error, itemIndex);
		report((failure as { httpCode?: string }).httpCode === '401' ? { refused: failure } : 'unknown');
		throw failure;
	}
}
