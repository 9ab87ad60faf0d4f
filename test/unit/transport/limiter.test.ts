import { AdaptiveLimiter, joinAccountLimiter } from '../../../nodes/Booster/transport/limiter';
import { DEFAULT_RETRY_POLICY, backoffMs, retryAfterMs } from '../../../nodes/Booster/transport/retry';

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

/** A limiter with one run joined at `concurrency`. */
function oneRun(concurrency: number, clock?: ConstructorParameters<typeof AdaptiveLimiter>[0]) {
	const limiter = new AdaptiveLimiter(clock);
	return { limiter, run: limiter.join(concurrency) };
}

describe('AdaptiveLimiter', () => {
	it('never runs more than its limit at once', async () => {
		const { run: limiter } = oneRun(3);
		let running = 0;
		let peak = 0;
		const gates = Array.from({ length: 10 }, deferred);
		const runs = gates.map((gate) =>
			limiter.run(async () => {
				running++;
				peak = Math.max(peak, running);
				await gate.promise;
				running--;
			}),
		);
		for (const gate of gates) {
			await Promise.resolve();
			gate.resolve();
			await new Promise((next) => setImmediate(next));
		}
		await Promise.all(runs);
		expect(peak).toBe(3);
	});

	it('tells each run how many were in flight with it', async () => {
		const { run: limiter } = oneRun(4);
		const gates = Array.from({ length: 3 }, deferred);
		const runs = gates.map((gate) => limiter.run(async () => await gate.promise));
		gates.forEach((gate) => gate.resolve());
		expect((await Promise.all(runs)).map((run) => run.inFlightWithIt)).toEqual([1, 2, 3]);
	});

	it('settles at what the server accepted after a burst of 429s, and climbs back after successes', () => {
		const { limiter } = oneRun(32);
		// A server that accepts 16: of a burst of 32, the 17th to 32nd are refused.
		for (let inFlightWithIt = 32; inFlightWithIt >= 17; inFlightWithIt--) limiter.tooMany(inFlightWithIt);
		expect(limiter.currentLimit).toBe(16);
		for (let i = 0; i < 16; i++) limiter.succeeded();
		expect(limiter.currentLimit).toBe(17);
	});

	it('a lone 429 lowers the limit by one, not to the few still in flight', () => {
		const { limiter } = oneRun(16);
		limiter.tooMany(16);
		expect(limiter.currentLimit).toBe(15);
	});

	it('never drops below one', () => {
		const { limiter } = oneRun(2);
		for (let i = 0; i < 5; i++) limiter.tooMany(1);
		expect(limiter.currentLimit).toBe(1);
	});
});

/** A clock the test moves by hand; sleepers wake when it passes their time. */
function manualClock() {
	let now = 0;
	const sleepers: Array<{ at: number; wake: () => void }> = [];
	return {
		now: () => now,
		sleep: async (ms: number) => await new Promise<void>((wake) => sleepers.push({ at: now + ms, wake })),
		async advance(ms: number) {
			now += ms;
			for (const sleeper of sleepers.filter((entry) => entry.at <= now)) {
				sleepers.splice(sleepers.indexOf(sleeper), 1);
				sleeper.wake();
			}
			for (let i = 0; i < 5; i++) await Promise.resolve();
		},
	};
}

describe('AdaptiveLimiter pacing', () => {
	it('starts unpaced until a round trip is measured, then spaces starts by 0.9 × the shortest one ÷ the limit', async () => {
		const clock = manualClock();
		const { limiter } = oneRun(4, clock);
		expect(limiter.startSpacingMs).toBe(0);
		limiter.succeeded(50);
		limiter.succeeded(40);
		limiter.succeeded(60);
		expect(limiter.startSpacingMs).toBeCloseTo((0.9 * 40) / 4);
	});

	it('holds a start back until it is due, even with places free', async () => {
		const clock = manualClock();
		const { limiter, run } = oneRun(4, clock);
		limiter.succeeded(40); // spacing 9 ms
		const startedAt: number[] = [];
		const runs = Array.from({ length: 3 }, () => run.run(async () => void startedAt.push(clock.now())));
		await clock.advance(0);
		expect(startedAt).toEqual([0]);
		await clock.advance(8);
		expect(startedAt).toEqual([0]);
		await clock.advance(1);
		expect(startedAt).toEqual([0, 9]);
		await clock.advance(9);
		expect(startedAt).toEqual([0, 9, 18]);
		await Promise.all(runs);
	});

	it('a start that came late does not delay the ones after it', async () => {
		const clock = manualClock();
		const { limiter, run } = oneRun(4, clock);
		limiter.succeeded(40); // spacing 9 ms
		const startedAt: number[] = [];
		const runs = Array.from({ length: 3 }, () => run.run(async () => void startedAt.push(clock.now())));
		await clock.advance(0);
		await clock.advance(12); // the timer for 9 fires 3 ms late
		await clock.advance(6); // the next is due at 18, not at 12 + 9
		expect(startedAt).toEqual([0, 12, 18]);
		await Promise.all(runs);
	});
});

describe('AdaptiveLimiter stop', () => {
	it('refuses the requests still waiting and any later one; the ones running finish', async () => {
		const { run: limiter } = oneRun(1);
		const gate = deferred();
		const running = limiter.run(async () => await gate.promise);
		const waiting = limiter.run(async () => 'never sent');
		const reason = new Error('item 0 failed');
		limiter.stop(reason);
		await expect(waiting).rejects.toBe(reason);
		await expect(limiter.run(async () => 'never sent')).rejects.toBe(reason);
		gate.resolve();
		await expect(running).resolves.toMatchObject({ inFlightWithIt: 1 });
	});
});

/** Starts `count` works in `run` that each wait for their gate; counts how many run at once. */
function gatedWorks(run: { run: (work: () => Promise<unknown>) => Promise<unknown> }, count: number, meter: { now: number; peak: number }) {
	const own = { now: 0, peak: 0 };
	const gates = Array.from({ length: count }, deferred);
	const done = gates.map((gate) =>
		run.run(async () => {
			meter.peak = Math.max(meter.peak, ++meter.now);
			own.peak = Math.max(own.peak, ++own.now);
			await gate.promise;
			meter.now--;
			own.now--;
		}),
	);
	return { gates, done, own };
}

const settle = async () => {
	for (let i = 0; i < 5; i++) await new Promise((next) => setImmediate(next));
};

async function openGatesOneByOne(gates: Array<{ resolve: () => void }>) {
	for (const gate of gates) {
		gate.resolve();
		await settle();
	}
}

describe('AdaptiveLimiter shared by several runs', () => {
	it('keeps the runs of one account to one limit together, and each run to its own concurrency', async () => {
		const limiter = new AdaptiveLimiter();
		const wide = limiter.join(4);
		const narrow = limiter.join(2);
		const meter = { now: 0, peak: 0 };
		const a = gatedWorks(wide, 10, meter);
		const b = gatedWorks(narrow, 10, meter);
		await settle();
		expect(meter.now).toBe(4);
		await openGatesOneByOne(a.gates.flatMap((gate, index) => [gate, b.gates[index]]));
		await Promise.all([...a.done, ...b.done]);
		expect(meter.peak).toBe(4);
		expect(b.own.peak).toBe(2);
		expect(a.own.peak).toBe(4);
	});

	it('follows the highest concurrency of the runs under way', () => {
		const limiter = new AdaptiveLimiter();
		const small = limiter.join(2);
		expect(limiter.currentLimit).toBe(2);
		const large = limiter.join(8);
		expect(limiter.currentLimit).toBe(8);
		large.leave();
		expect(limiter.currentLimit).toBe(2);
		small.leave();
		expect(limiter.idle).toBe(true);
	});

	it('a 429 met by one run lowers the limit of all of them', () => {
		const limiter = new AdaptiveLimiter();
		const first = limiter.join(16);
		limiter.join(16);
		first.tooMany(11);
		expect(limiter.currentLimit).toBe(10);
		const late = limiter.join(32);
		expect(limiter.currentLimit).toBe(10);
		for (let i = 0; i < 10; i++) late.succeeded();
		expect(limiter.currentLimit).toBe(11);
	});

	it('stopping one run refuses its waiting requests only', async () => {
		const limiter = new AdaptiveLimiter();
		const failing = limiter.join(1);
		const healthy = limiter.join(1);
		const gate = deferred();
		const running = failing.run(async () => await gate.promise);
		const failingWaits = failing.run(async () => 'never sent');
		const healthyWaits = healthy.run(async () => 'sent');
		const reason = new Error('item 3 failed');
		failing.stop(reason);
		await expect(failingWaits).rejects.toBe(reason);
		gate.resolve();
		await expect(running).resolves.toMatchObject({ inFlightWithIt: 1 });
		await expect(healthyWaits).resolves.toMatchObject({ result: 'sent' });
	});
});

type ManualClock = ReturnType<typeof manualClock>;

/** Moves the clock 1 ms at a time, letting everything that woke up run, until `done()` or `limitMs`. */
async function simulate(clock: ManualClock, done: () => boolean, limitMs = 60_000, everyMs?: (now: number) => void) {
	while (!done() && clock.now() < limitMs) {
		everyMs?.(clock.now());
		await clock.advance(1);
		await new Promise((next) => setImmediate(next));
	}
}

/**
 * Booster as the limiter meets it: `capacity` requests in flight at most, answered in 45–55 ms; one
 * more is refused at once (429). Requests take 1 ms on the wire each way, so that another process's
 * request can arrive while a place is free.
 */
function boosterServer(clock: ManualClock, capacity: number) {
	let answered = 0;
	const server = {
		inFlight: 0,
		refusedAt: [] as number[],
		async request(): Promise<200 | 429> {
			await clock.sleep(1);
			if (server.inFlight >= capacity) {
				server.refusedAt.push(clock.now());
				await clock.sleep(1);
				return 429;
			}
			server.inFlight++;
			await clock.sleep(45 + ((answered++ * 7) % 11));
			server.inFlight--;
			await clock.sleep(1);
			return 200;
		},
	};
	return server;
}

/**
 * One n8n process running Get KPI with Concurrency 16 over `items` items, as send.ts and router.ts
 * do: twice the concurrency under way, a 429 reported and retried after its Retry-After of 1 s.
 */
function kpiProcess(clock: ManualClock, server: ReturnType<typeof boosterServer>, items: number) {
	const limiter = new AdaptiveLimiter(clock);
	const n8nProcess = { limiter, succeededAt: [] as number[], done: false };
	const run = limiter.join(16);
	let next = 0;
	const worker = async () => {
		for (; next < items; next++) {
			for (;;) {
				const { result, inFlightWithIt, elapsedMs } = await run.run(async () => await server.request());
				if (result === 200) {
					run.succeeded(elapsedMs);
					n8nProcess.succeededAt.push(clock.now());
					break;
				}
				run.tooMany(inFlightWithIt);
				await clock.sleep(1000);
			}
		}
	};
	void Promise.all(Array.from({ length: 32 }, worker)).then(() => {
		run.leave();
		n8nProcess.done = true;
	});
	return n8nProcess;
}

const between = (times: number[], from: number, to: number) => times.filter((at) => at >= from && at < to).length;

describe('AdaptiveLimiter: processes that share one Booster account', () => {
	it('two processes of Concurrency 16 against a limit of 16 settle on shares of it, with few 429s', async () => {
		const clock = manualClock();
		const server = boosterServer(clock, 16);
		const [a, b] = [kpiProcess(clock, server, 1000), kpiProcess(clock, server, 1000)];
		const together: number[] = [];
		await simulate(clock, () => a.done && b.done, 60_000, (now) => {
			if (now >= 1000 && !a.done && !b.done) together.push(a.limiter.currentLimit + b.limiter.currentLimit);
		});
		// Lowering the limit by one per 429 let about 130 through after the first second, and kept 17 together.
		expect(between(server.refusedAt, 1000, Infinity)).toBeLessThanOrEqual(60);
		const median = [...together].sort((x, y) => x - y)[Math.floor(together.length / 2)];
		expect(median).toBeLessThanOrEqual(16);
		// 2,000 KPIs at 16 per 50 ms take 6.25 s at the very least.
		expect(clock.now()).toBeLessThan(9_000);
	});

	it('a process that joins one already running gets its share within a second, with few 429s', async () => {
		const clock = manualClock();
		const server = boosterServer(clock, 16);
		const first = kpiProcess(clock, server, 2000);
		await simulate(clock, () => clock.now() >= 2000);
		expect(server.refusedAt).toEqual([]);
		const joining = kpiProcess(clock, server, 2000);
		await simulate(clock, () => clock.now() >= 4000);
		// Its first requests met a full Booster and wait their Retry-After; in the second after that, it
		// has at least a third of the answers (lowering by one per 429 gave it 28 %, with 37 refusals).
		const [mine, theirs] = [between(joining.succeededAt, 3000, 4000), between(first.succeededAt, 3000, 4000)];
		expect(mine / (mine + theirs)).toBeGreaterThanOrEqual(1 / 3);
		expect(between(server.refusedAt, 3000, 4000)).toBeLessThanOrEqual(15);
	});

	it('alone, the first refused request of a burst still tells the limit exactly', async () => {
		const clock = manualClock();
		const server = boosterServer(clock, 16);
		const { limiter, run } = oneRun(32, clock);
		const burst = Array.from({ length: 32 }, async () => {
			const { result, inFlightWithIt } = await run.run(async () => await server.request());
			if (result === 429) run.tooMany(inFlightWithIt);
		});
		await simulate(clock, () => server.refusedAt.length === 16 && clock.now() >= 3);
		expect(limiter.currentLimit).toBe(16);
		await simulate(clock, () => clock.now() >= 100);
		await Promise.all(burst);
		expect(limiter.currentLimit).toBe(16);
	});

	it('a 429 within the limit learned halves it, once per round trip however many refusals come', async () => {
		const clock = manualClock();
		const { limiter } = oneRun(32, clock);
		limiter.succeeded(50);
		limiter.tooMany(17); // nothing learned yet: a process alone that sent one too many
		expect(limiter.currentLimit).toBe(16);
		await clock.advance(60);
		limiter.tooMany(16);
		limiter.tooMany(14);
		limiter.tooMany(12);
		expect(limiter.currentLimit).toBe(8);
		await clock.advance(40); // still the same round trip
		limiter.tooMany(16); // sent before the limit came down: no news
		expect(limiter.currentLimit).toBe(8);
		await clock.advance(10);
		limiter.tooMany(8);
		expect(limiter.currentLimit).toBe(4);
	});

	it('a refusal of a request sent before the limit came down does not halve it again', async () => {
		const clock = manualClock();
		const { limiter } = oneRun(32, clock);
		limiter.succeeded(50);
		limiter.tooMany(17);
		await clock.advance(60);
		limiter.tooMany(16);
		expect(limiter.currentLimit).toBe(8);
		await clock.advance(200); // a late answer
		limiter.tooMany(12);
		expect(limiter.currentLimit).toBe(8);
	});
});

describe('joinAccountLimiter', () => {
	it('gives the runs of one account one limiter, and another account its own', async () => {
		const account = `cred-1 http://127.0.0.1:1/${Math.random()}`;
		const first = joinAccountLimiter(account, 1);
		const second = joinAccountLimiter(account, 1);
		const other = joinAccountLimiter(`${account}/other`, 1);
		const gate = deferred();
		const started: string[] = [];
		const held = first.run(async () => {
			started.push('first');
			await gate.promise;
		});
		const queued = second.run(async () => void started.push('second'));
		const elsewhere = other.run(async () => void started.push('other'));
		await settle();
		expect(started).toEqual(['first', 'other']);
		gate.resolve();
		await Promise.all([held, queued, elsewhere]);
		expect(started).toEqual(['first', 'other', 'second']);
		for (const run of [first, second, other]) run.leave();
	});

	it('forgets an account once its last run has left: what a 429 taught does not outlive the runs', async () => {
		const account = `cred-2 http://127.0.0.1:1/${Math.random()}`;
		const taught = joinAccountLimiter(account, 4);
		taught.tooMany(2); // limit 1
		const meter = { now: 0, peak: 0 };
		const before = gatedWorks(taught, 4, meter);
		await settle();
		expect(meter.now).toBe(1);
		await openGatesOneByOne(before.gates);
		await Promise.all(before.done);
		taught.leave();

		const fresh = joinAccountLimiter(account, 4);
		const after = gatedWorks(fresh, 4, meter);
		await settle();
		expect(meter.now).toBe(4);
		await openGatesOneByOne(after.gates);
		await Promise.all(after.done);
		fresh.leave();
	});
});

describe('retry timing', () => {
	it('reads Retry-After in seconds and as an HTTP date', () => {
		expect(retryAfterMs('2')).toBe(2000);
		expect(retryAfterMs('Sun, 22 Nov 2026 10:00:05 GMT', Date.parse('Sun, 22 Nov 2026 10:00:00 GMT'))).toBe(5000);
		expect(retryAfterMs('')).toBeUndefined();
		expect(retryAfterMs('soon')).toBeUndefined();
	});

	it('honours Retry-After up to its cap, and backs off exponentially otherwise', () => {
		const policy = DEFAULT_RETRY_POLICY;
		expect(backoffMs(policy, 0, 1500, () => 0)).toBe(1500);
		expect(backoffMs(policy, 0, 3_600_000, () => 0)).toBe(policy.maxRetryAfterMs);
		const first = backoffMs(policy, 0, undefined, () => 1);
		const third = backoffMs(policy, 2, undefined, () => 1);
		expect(third).toBe(first * 4);
		expect(backoffMs(policy, 30, undefined, () => 1)).toBe(policy.maxDelayMs);
		expect(backoffMs(policy, 1, undefined, () => 0)).toBe(policy.baseDelayMs);
	});
});
