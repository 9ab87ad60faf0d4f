import { sleep } from 'n8n-workflow';

/** Starts are spaced by a little less than a window's share (0.9), so that the window stays the limit. */
const SPACING_SHARE_OF_ROUND_TRIP = 0.9;

export interface Clock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

/**
 * The rule: at most `limit` requests in flight, and starts at least
 * SPACING_SHARE_OF_ROUND_TRIP × (shortest round trip) ÷ limit apart. A 429 lowers `limit` to the
 * number in flight when it was sent, minus one; `limit` successes in a row raise it by one, up to
 * the node's concurrency (`ceiling`).
 *
 * Why spaced starts: a window filled all at once comes back all at once, and n8n then handles the
 * answers one after another and sends the next requests together, so every round waits for the
 * whole burst. Spaced starts give spaced answers, each handled while the others are on the wire.
 */
export class AdaptiveLimiter {
	private inFlight = 0;

	private limit: number;

	private successesSinceChange = 0;

	private readonly waiting: Array<{ admit: (inFlightWithIt: number) => void; refuse: (reason: Error) => void }> = [];

	private stoppedBecause: Error | undefined;

	/** The shortest round trip of the run: what the server needs when nothing waits on this side. */
	private shortestRoundTripMs = Infinity;

	private nextStartAt = 0;

	private wakeUpPending = false;

	constructor(
		private readonly ceiling: number,
		private readonly clock: Clock = { now: () => performance.now(), sleep },
	) {
		this.limit = ceiling;
	}

	get currentLimit(): number {
		return this.limit;
	}

	/** Least time between two starts, in milliseconds: 0 until a round trip has been measured. */
	get startSpacingMs(): number {
		if (this.shortestRoundTripMs === Infinity) return 0;
		return (SPACING_SHARE_OF_ROUND_TRIP * this.shortestRoundTripMs) / this.limit;
	}

	/**
	 * Runs `work` when a place is free and its start is due; also tells how many were in flight with
	 * it (itself included) and how long it took.
	 */
	async run<T>(work: () => Promise<T>): Promise<{ result: T; inFlightWithIt: number; elapsedMs: number }> {
		const inFlightWithIt = await this.acquire();
		const startedAt = this.clock.now();
		try {
			const result = await work();
			return { result, inFlightWithIt, elapsedMs: this.clock.now() - startedAt };
		} finally {
			this.release();
		}
	}

	/**
	 * The server refused a request sent with `inFlightWithIt` in flight as one too many, so it
	 * accepts fewer: of a burst, the first refused request tells the limit exactly.
	 */
	tooMany(inFlightWithIt: number): void {
		this.limit = Math.max(1, Math.min(this.limit, inFlightWithIt - 1));
		this.successesSinceChange = 0;
	}

	/** The run has failed: requests waiting for a place are dropped, and none starts any more. */
	stop(reason: Error): void {
		this.stoppedBecause ??= reason;
		for (const waiter of this.waiting.splice(0)) waiter.refuse(this.stoppedBecause);
	}

	/** A request was answered (not refused) after `elapsedMs`. */
	succeeded(elapsedMs?: number): void {
		if (elapsedMs !== undefined && elapsedMs > 0) this.shortestRoundTripMs = Math.min(this.shortestRoundTripMs, elapsedMs);
		if (++this.successesSinceChange >= this.limit && this.limit < this.ceiling) {
			this.limit++;
			this.successesSinceChange = 0;
			this.admit();
		}
	}

	/** Resolves with the number in flight once this one is admitted, itself included. */
	private async acquire(): Promise<number> {
		if (this.stoppedBecause) throw this.stoppedBecause;
		if (this.waiting.length === 0 && this.inFlight < this.limit && this.dueInMs() <= 0) return this.start();
		const admitted = new Promise<number>((admit, refuse) => this.waiting.push({ admit, refuse }));
		this.admit();
		return await admitted;
	}

	private release(): void {
		this.inFlight--;
		this.admit();
	}

	private dueInMs(): number {
		return this.nextStartAt - this.clock.now();
	}

	/** The next start is due one spacing after this one was due, so a late timer does not push every later start. */
	private start(): number {
		const spacing = this.startSpacingMs;
		this.nextStartAt = Math.max(this.nextStartAt, this.clock.now() - spacing) + spacing;
		return ++this.inFlight;
	}

	private admit(): void {
		while (this.inFlight < this.limit && this.waiting.length > 0) {
			const dueInMs = this.dueInMs();
			if (dueInMs > 0) {
				this.wakeUpAfter(dueInMs);
				return;
			}
			this.waiting.shift()!.admit(this.start());
		}
	}

	private wakeUpAfter(delayMs: number): void {
		if (this.wakeUpPending) return;
		this.wakeUpPending = true;
		void this.clock.sleep(delayMs).then(() => {
			this.wakeUpPending = false;
			this.admit();
		});
	}
}
