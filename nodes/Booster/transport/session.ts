import {
	type ICredentialsDecrypted,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	NodeApiError,
	NodeOperationError,
	sleep,
} from 'n8n-workflow';

import { BOOSTER_CREDENTIAL, boosterBaseUrl } from '../../../credentials/BoosterApi.credentials';
import { itemSuffix } from './errors';
import { type LimiterRun, joinAccountLimiter } from './limiter';
import { secretsOf } from './secrets';

export type BoosterFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export type TryOutcome = 'accepted' | 'unknown' | { refused: Error };

interface LoadedCredential {
	base: URL;
	decrypted: ICredentialsDecrypted;
}

interface Refusal {
	message: string;
	description: string;
	httpCode: string;
}

/**
 * What the requests of one node run (or one poll, or one dropdown) share, created by whoever starts
 * them and passed to every transport call:
 * - the n8n context the requests are made with;
 * - its share of the account's limiter (joined once the credential is read; `close()` leaves it):
 *   every run in this process against the same credential and base URL keeps to one limit;
 * - the credential, read and decrypted once (n8n renews an expired token in it, so later requests
 *   send the new one);
 * - whether Booster has accepted or refused the credential. Until it has been accepted once,
 *   requests go one at a time; once it is refused, nothing more is sent with it, so a wrong password
 *   costs one attempt per run, not one per item;
 * - whether the run has failed (`stop()`): then none of its requests that has not started is sent,
 *   whether it waits for the credential, for the request trying it, or for a place in the limiter.
 */
export class BoosterSession<Context extends BoosterFunctions = BoosterFunctions> {
	private loading?: Promise<LoadedCredential>;

	private accepted = false;

	private refusal?: Refusal;

	private firstRequest?: Promise<void>;

	/** When the run (or poll, or dropdown) began. */
	readonly startedAt = new Date();

	private limiterRun?: LimiterRun;

	private stoppedBecause?: Error;

	/** `concurrency`: how many of this run's requests may be in flight at once. */
	constructor(
		readonly context: Context,
		private readonly concurrency = 1,
	) {}

	/** The run's share of the account's limiter; there once the credential has been read. */
	get limiter(): LimiterRun | undefined {
		return this.limiterRun;
	}

	/**
	 * The run has failed: its requests not yet started are not sent, even when it has not joined the
	 * limiter yet (an item failed before any request read the credential).
	 */
	stop(reason: Error): void {
		this.stoppedBecause ??= reason;
		this.limiterRun?.stop(this.stoppedBecause);
	}

	/** The run is over: its share of the limiter is given back. */
	close(): void {
		this.limiterRun?.leave();
		this.limiterRun = undefined;
	}

	async credential(itemIndex?: number): Promise<LoadedCredential> {
		if (!this.loading) {
			this.loading = this.load(itemIndex);
			this.loading.catch(() => (this.loading = undefined));
		}
		return await this.loading;
	}

	/** The secrets to keep out of anything shown: read each time, since a sign-in replaces the token. */
	async secrets(itemIndex?: number): Promise<string[]> {
		return secretsOf((await this.credential(itemIndex)).decrypted.data ?? {});
	}

	/**
	 * Waits until a request may go: at once when the credential has been accepted, otherwise after
	 * the request that is trying it. Returns the function that reports how the request ended.
	 */
	async admit(itemIndex?: number): Promise<(outcome: TryOutcome) => void> {
		for (;;) {
			if (this.stoppedBecause) throw this.stoppedBecause;
			if (this.refusal) throw this.refusedError(itemIndex);
			if (this.accepted || !this.firstRequest) break;
			await this.firstRequest;
		}
		let settle: (() => void) | undefined;
		if (!this.accepted) this.firstRequest = new Promise<void>((resolve) => (settle = resolve));
		return (outcome: TryOutcome) => {
			if (outcome === 'accepted') this.accepted = true;
			else if (outcome !== 'unknown') this.refusal ??= refusalOf(outcome.refused);
			if (settle) {
				// The requests waiting for this one go on only once its answer has been handled: when
				// that answer fails its item, the run is stopped by then and they are not sent.
				const release = settle;
				void sleep(0).then(() => {
					this.firstRequest = undefined;
					release();
				});
			}
		};
	}

	private async load(itemIndex?: number): Promise<LoadedCredential> {
		const node = this.context.getNode();
		const data = await this.context.getCredentials(BOOSTER_CREDENTIAL, itemIndex ?? 0);
		let base: URL;
		try {
			base = boosterBaseUrl(data);
		} catch (error) {
			throw new NodeOperationError(node, (error as Error).message, { itemIndex });
		}
		const reference = node.credentials?.[BOOSTER_CREDENTIAL];
		this.limiterRun ??= joinAccountLimiter(`${reference?.id ?? ''} ${base.href}`, this.concurrency);
		if (this.stoppedBecause) this.limiterRun.stop(this.stoppedBecause);
		return { base, decrypted: { id: reference?.id ?? '', name: reference?.name ?? '', type: BOOSTER_CREDENTIAL, data } };
	}

	private refusedError(itemIndex?: number): NodeApiError {
		const refusal = this.refusal!;
		return new NodeApiError(this.context.getNode(), { message: refusal.message, httpCode: refusal.httpCode }, {
			message: `${refusal.message}${itemSuffix(itemIndex)}`,
			description: `${refusal.description}\nNo further request of this run was sent with the refused credential.`,
			httpCode: refusal.httpCode,
			itemIndex,
		});
	}
}

function refusalOf(error: Error): Refusal {
	const { message, description, httpCode } = error as Error & { description?: string | null; httpCode?: string | null };
	return { message: message.replace(/ \[item \d+\]$/, ''), description: description ?? '', httpCode: httpCode ?? '401' };
}
