/**
 * How many requests one node run keeps in flight. It starts at the node's concurrency, drops when
 * Booster answers 429 (so it never keeps more in flight than the server accepted) and climbs back
 * one step after a full window of successes.
 */
export class AdaptiveLimiter {
	private inFlight = 0;

	private limit: number;

	private successesSinceChange = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly ceiling: number) {
		this.limit = ceiling;
	}

	get currentLimit(): number {
		return this.limit;
	}

	async run<T>(work: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await work();
		} finally {
			this.release();
		}
	}

	/** The server refused a request as one too many: keep fewer in flight than it saw. */
	tooMany(): void {
		this.limit = Math.max(1, Math.min(this.limit - 1, this.inFlight - 1));
		this.successesSinceChange = 0;
	}

	succeeded(): void {
		if (++this.successesSinceChange >= this.limit && this.limit < this.ceiling) {
			this.limit++;
			this.successesSinceChange = 0;
			this.admit();
		}
	}

	private async acquire(): Promise<void> {
		if (this.inFlight < this.limit) {
			this.inFlight++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	private release(): void {
		this.inFlight--;
		this.admit();
	}

	private admit(): void {
		while (this.inFlight < this.limit && this.waiting.length > 0) {
			this.inFlight++;
			this.waiting.shift()!();
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
