/**
 * How many requests one node run keeps in flight. It starts at the node's concurrency, drops when
 * Booster answers 429 (so it never keeps more in flight than the server accepted) and climbs back
 * one step after a full window of successes.
 */
export class AdaptiveLimiter {
	private inFlight = 0;

	private limit: number;

	private successesSinceChange = 0;

	private readonly waiting: Array<(inFlightWithIt: number) => void> = [];

	constructor(private readonly ceiling: number) {
		this.limit = ceiling;
	}

	get currentLimit(): number {
		return this.limit;
	}

	/** Runs `work` when a place is free; also tells how many were in flight with it, itself included. */
	async run<T>(work: () => Promise<T>): Promise<{ result: T; inFlightWithIt: number }> {
		const inFlightWithIt = await this.acquire();
		try {
			return { result: await work(), inFlightWithIt };
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

	succeeded(): void {
		if (++this.successesSinceChange >= this.limit && this.limit < this.ceiling) {
			this.limit++;
			this.successesSinceChange = 0;
			this.admit();
		}
	}

	/** Resolves with the number in flight once this one is admitted, itself included. */
	private async acquire(): Promise<number> {
		if (this.inFlight < this.limit) return ++this.inFlight;
		return await new Promise<number>((resolve) => this.waiting.push(resolve));
	}

	private release(): void {
		this.inFlight--;
		this.admit();
	}

	private admit(): void {
		while (this.inFlight < this.limit && this.waiting.length > 0) {
			this.waiting.shift()!(++this.inFlight);
		}
	}
}

const limiters = new WeakMap<object, AdaptiveLimiter>();

/** One limiter per node run: the router registers it, the transport finds it by the run's context. */
export function useLimiter(context: object, concurrency: number): AdaptiveLimiter {
	const limiter = new AdaptiveLimiter(concurrency);
	limiters.set(context, limiter);
	return limiter;
}

export function limiterOf(context: object): AdaptiveLimiter | undefined {
	return limiters.get(context);
}
