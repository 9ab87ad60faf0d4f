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
