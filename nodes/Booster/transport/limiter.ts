import { sleep } from 'n8n-workflow';

/** Starts are spaced by a little less than a window's share (0.9), so that the window stays the limit. */
const SPACING_SHARE_OF_ROUND_TRIP = 0.9;

export interface Clock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

interface Waiter {
	run: LimiterRun;
	admit: (inFlightWithIt: number) => void;
	refuse: (reason: Error) => void;
}

/**
 * The requests that one process sends to one Booster account, whichever run of a node sends them.
 *
 * The rule: at most `currentLimit` requests in flight, each run at most its own concurrency, and
 * starts at least SPACING_SHARE_OF_ROUND_TRIP × (shortest round trip) ÷ limit apart. The limit is
 * the highest concurrency of the runs under way, unless Booster taught a lower one with 429s (see
 * `tooMany`); `limit` successes in a row raise it by one.
 *
 * Why spaced starts: a window filled all at once comes back all at once, and n8n then handles the
 * answers one after another and sends the next requests together, so every round waits for the
 * whole burst. Spaced starts give spaced answers, each handled while the others are on the wire.
 */
export class AdaptiveLimiter {
	private inFlight = 0;

	/** What Booster's 429s taught, raised again by successes; no bound until the first 429. */
	private learnedLimit = Infinity;

	private successesSinceChange = 0;

	/** When the latest burst of 429s began; a burst's refusals come back within a round trip. */
	private burstStartedAt = -Infinity;

	private readonly runs = new Set<LimiterRun>();

	private readonly waiting: Waiter[] = [];

	/** The shortest round trip seen: what the server needs when nothing waits on this side. */
	private shortestRoundTripMs = Infinity;

	private nextStartAt = 0;

	private wakeUpPending = false;

	constructor(
		private readonly clock: Clock = { now: () => performance.now(), sleep },
		private readonly onIdle: () => void = () => {},
	) {}

	/** A run of a node joins with its concurrency; it leaves when its items are done. */
	join(concurrency: number): LimiterRun {
		const run = new LimiterRun(this, Math.max(1, concurrency));
		this.runs.add(run);
		this.admit();
		return run;
	}

	get idle(): boolean {
		return this.runs.size === 0;
	}

	get currentLimit(): number {
		let ceiling = 1;
		for (const run of this.runs) ceiling = Math.max(ceiling, run.concurrency);
		return Math.min(ceiling, this.learnedLimit);
	}

	/** Least time between two starts, in milliseconds: 0 until a round trip has been measured. */
	get startSpacingMs(): number {
		if (this.shortestRoundTripMs === Infinity) return 0;
		return (SPACING_SHARE_OF_ROUND_TRIP * this.shortestRoundTripMs) / this.currentLimit;
	}

	/**
	 * The server refused a request sent with `inFlightWithIt` in flight as one too many, so it
	 * accepts fewer: of a burst, the first refused request tells the limit exactly.
	 *
	 * That holds for a process alone that overshoots. A burst that begins with a request sent within
	 * the limit already learned means that room is gone: another process (another n8n worker) uses
	 * the account too, and lowering by one would never leave it any. The limit is halved instead,
	 * once per burst, and processes that share an account settle on shares of its limit with few
	 * 429s. Alone, a raise by one that overshoots is halved too: the limit climbs back one per round
	 * trip, with one 429 per climb rather than one per round trip.
	 */
	tooMany(inFlightWithIt: number): void {
		const limit = this.currentLimit;
		let next = Math.min(limit, inFlightWithIt - 1);
		const now = this.clock.now();
		if (now - this.burstStartedAt >= this.shortestRoundTripMs) {
			this.burstStartedAt = now;
			const withinLearned = this.learnedLimit !== Infinity && inFlightWithIt <= this.learnedLimit;
			if (withinLearned) next = Math.min(next, Math.floor(limit / 2));
		}
		this.learnedLimit = Math.max(1, next);
		this.successesSinceChange = 0;
	}

	/**
	 * A request was answered (not refused) after `elapsedMs`. Successes raise what Booster taught only
	 * while it is the limit: above the runs' ceiling (a wide run taught it and left) they would lower it.
	 */
	succeeded(elapsedMs?: number): void {
		if (elapsedMs !== undefined && elapsedMs > 0) this.shortestRoundTripMs = Math.min(this.shortestRoundTripMs, elapsedMs);
		const limit = this.currentLimit;
		if (this.learnedLimit > limit) return;
		if (++this.successesSinceChange >= limit) {
			this.learnedLimit = limit + 1;
			this.successesSinceChange = 0;
			this.admit();
		}
	}

	/**
	 * Runs `work` for `run` when a place is free and its start is due; also tells how many requests
	 * were in flight with it (itself included) and how long it took.
	 */
	async runFor<T>(run: LimiterRun, work: () => Promise<T>): Promise<{ result: T; inFlightWithIt: number; elapsedMs: number }> {
		if (run.stoppedBecause) throw run.stoppedBecause;
		const inFlightWithIt = await new Promise<number>((admit, refuse) => {
			this.waiting.push({ run, admit, refuse });
			this.admit();
		});
		const startedAt = this.clock.now();
		try {
			const result = await work();
			return { result, inFlightWithIt, elapsedMs: this.clock.now() - startedAt };
		} finally {
			run.inFlight--;
			this.inFlight--;
			this.admit();
		}
	}

	refuseWaitersOf(run: LimiterRun, reason: Error): void {
		for (let index = this.waiting.length - 1; index >= 0; index--) {
			if (this.waiting[index].run === run) this.waiting.splice(index, 1)[0].refuse(reason);
		}
	}

	leave(run: LimiterRun): void {
		this.runs.delete(run);
		if (this.idle) this.onIdle();
		else this.admit();
	}

	private dueInMs(): number {
		return this.nextStartAt - this.clock.now();
	}

	/** The next start is due one spacing after this one was due, so a late timer does not push every later start. */
	private start(run: LimiterRun): number {
		const spacing = this.startSpacingMs;
		this.nextStartAt = Math.max(this.nextStartAt, this.clock.now() - spacing) + spacing;
		run.inFlight++;
		return ++this.inFlight;
	}

	/** First come, first served, skipping the requests of a run that has its own concurrency in flight. */
	private admit(): void {
		while (this.inFlight < this.currentLimit) {
			const index = this.waiting.findIndex((waiter) => waiter.run.inFlight < waiter.run.concurrency);
			if (index < 0) return;
			const dueInMs = this.dueInMs();
			if (dueInMs > 0) {
				this.wakeUpAfter(dueInMs);
				return;
			}
			const [waiter] = this.waiting.splice(index, 1);
			waiter.admit(this.start(waiter.run));
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

/** One run's share of an AdaptiveLimiter: what the transport of that run talks to. */
export class LimiterRun {
	inFlight = 0;

	stoppedBecause: Error | undefined;

	constructor(
		private readonly limiter: AdaptiveLimiter,
		readonly concurrency: number,
	) {}

	async run<T>(work: () => Promise<T>): Promise<{ result: T; inFlightWithIt: number; elapsedMs: number }> {
		return await this.limiter.runFor(this, work);
	}

	tooMany(inFlightWithIt: number): void {
		this.limiter.tooMany(inFlightWithIt);
	}

	succeeded(elapsedMs?: number): void {
		this.limiter.succeeded(elapsedMs);
	}

	/** The run has failed: its requests waiting for a place are dropped, and none of it starts any more. */
	stop(reason: Error): void {
		this.stoppedBecause ??= reason;
		this.limiter.refuseWaitersOf(this, this.stoppedBecause);
	}

	leave(): void {
		this.limiter.leave(this);
	}
}

const limitersByAccount = new Map<string, AdaptiveLimiter>();

/**
 * Joins the limiter of a Booster account (credential and base URL): every run under way in this
 * process against that account shares it, so that ten executions in one n8n worker keep to one
 * limit instead of each sending its own concurrency. It is forgotten when its last run leaves.
 */
export function joinAccountLimiter(account: string, concurrency: number): LimiterRun {
	let limiter = limitersByAccount.get(account);
	if (!limiter) {
		const created = new AdaptiveLimiter(undefined, () => {
			if (limitersByAccount.get(account) === created) limitersByAccount.delete(account);
		});
		limitersByAccount.set(account, created);
		limiter = created;
	}
	return limiter.join(concurrency);
}
