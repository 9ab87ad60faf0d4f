import { AdaptiveLimiter } from '../../../nodes/Booster/transport/limiter';
import { DEFAULT_RETRY_POLICY, backoffMs, retryAfterMs } from '../../../nodes/Booster/transport/retry';

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

describe('AdaptiveLimiter', () => {
	it('never runs more than its limit at once', async () => {
		const limiter = new AdaptiveLimiter(3);
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
		const limiter = new AdaptiveLimiter(4);
		const gates = Array.from({ length: 3 }, deferred);
		const runs = gates.map((gate) => limiter.run(async () => await gate.promise));
		gates.forEach((gate) => gate.resolve());
		expect((await Promise.all(runs)).map((run) => run.inFlightWithIt)).toEqual([1, 2, 3]);
	});

	it('settles at what the server accepted after a burst of 429s, and climbs back after successes', () => {
		const limiter = new AdaptiveLimiter(32);
		// A server that accepts 16: of a burst of 32, the 17th to 32nd are refused.
		for (let inFlightWithIt = 32; inFlightWithIt >= 17; inFlightWithIt--) limiter.tooMany(inFlightWithIt);
		expect(limiter.currentLimit).toBe(16);
		for (let i = 0; i < 16; i++) limiter.succeeded();
		expect(limiter.currentLimit).toBe(17);
	});

	it('a lone 429 lowers the limit by one, not to the few still in flight', () => {
		const limiter = new AdaptiveLimiter(16);
		limiter.tooMany(16);
		expect(limiter.currentLimit).toBe(15);
	});

	it('never drops below one', () => {
		const limiter = new AdaptiveLimiter(2);
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
		const limiter = new AdaptiveLimiter(4, clock);
		expect(limiter.startSpacingMs).toBe(0);
		limiter.succeeded(50);
		limiter.succeeded(40);
		limiter.succeeded(60);
		expect(limiter.startSpacingMs).toBeCloseTo((0.9 * 40) / 4);
	});

	it('holds a start back until it is due, even with places free', async () => {
		const clock = manualClock();
		const limiter = new AdaptiveLimiter(4, clock);
		limiter.succeeded(40); // spacing 9 ms
		const startedAt: number[] = [];
		const runs = Array.from({ length: 3 }, () => limiter.run(async () => void startedAt.push(clock.now())));
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
		const limiter = new AdaptiveLimiter(4, clock);
		limiter.succeeded(40); // spacing 9 ms
		const startedAt: number[] = [];
		const runs = Array.from({ length: 3 }, () => limiter.run(async () => void startedAt.push(clock.now())));
		await clock.advance(0);
		await clock.advance(12); // the timer for 9 fires 3 ms late
		await clock.advance(6); // the next is due at 18, not at 12 + 9
		expect(startedAt).toEqual([0, 12, 18]);
		await Promise.all(runs);
	});
});

describe('AdaptiveLimiter stop', () => {
	it('refuses the requests still waiting and any later one; the ones running finish', async () => {
		const limiter = new AdaptiveLimiter(1);
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
