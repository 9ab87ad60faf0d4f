'use strict';

const { hashInts, createRandom } = require('./random');

const MAX_BODY_IN_LOG = 64 * 1024;

function maskHeaders(headers) {
	const masked = {};
	for (const [name, value] of Object.entries(headers)) {
		if (name === 'authorization') {
			const scheme = String(value).trim().split(/\s+/)[0];
			masked[name] = /^(bearer|basic)$/i.test(scheme) ? `${scheme.charAt(0).toUpperCase()}${scheme.slice(1).toLowerCase()} ***` : '***';
		} else if (name === 'cookie') {
			masked[name] = String(value)
				.split(';')
				.map((part) => `${part.split('=')[0].trim()}=***`)
				.join('; ');
		} else if (name === 'x-ss-id' || name === 'x-api-key') {
			masked[name] = '***';
		} else {
			masked[name] = value;
		}
	}
	return masked;
}

/** The last `limit` requests (masked), and every request that brought credentials to a signed URL. */
function createRequestLog(limit = 10000) {
	let nextId = 1;
	const log = {
		entries: [],
		leaks: [],
		start(request, { path, query }) {
			const entry = {
				id: nextId++,
				timestamp: new Date().toISOString(),
				method: request.method,
				path,
				query,
				headers: maskHeaders(request.headers),
				body: '',
				route: null,
				status: null,
				authLeak: false,
			};
			log.entries.push(entry);
			if (log.entries.length > limit) log.entries.splice(0, log.entries.length - limit);
			return entry;
		},
		setBody(entry, text) {
			entry.body = text.length > MAX_BODY_IN_LOG ? `${text.slice(0, MAX_BODY_IN_LOG)}…(truncated)` : text;
		},
		recordLeak(entry, request) {
			entry.authLeak = true;
			const leaked = ['authorization', 'cookie', 'x-ss-id'].filter((name) => request.headers[name] !== undefined);
			log.leaks.push({ id: entry.id, timestamp: entry.timestamp, method: entry.method, path: entry.path, headers: leaked });
			if (log.leaks.length > limit) log.leaks.splice(0, log.leaks.length - limit);
		},
		clear() {
			log.entries.length = 0;
			log.leaks.length = 0;
		},
	};
	return log;
}

function createCounters() {
	const counters = {
		total: 0,
		inFlight: 0,
		maxInFlightObserved: 0,
		byRoute: {},
		byStatus: {},
		faults: { 429: 0, 500: 0, 503: 0, reset: 0, maxInFlight429: 0 },
		reset() {
			counters.total = 0;
			counters.maxInFlightObserved = counters.inFlight;
			counters.byRoute = {};
			counters.byStatus = {};
			counters.faults = { 429: 0, 500: 0, 503: 0, reset: 0, maxInFlight429: 0 };
		},
		snapshot() {
			const { total, inFlight, maxInFlightObserved, byRoute, byStatus, faults } = counters;
			return JSON.parse(JSON.stringify({ total, inFlight, maxInFlightObserved, byRoute, byStatus, faults }));
		},
	};
	return counters;
}

/**
 * Decides a fault for each request from config.faults.seed, the request's method and path, and how
 * many times that method and path were asked before: the same requests meet the same faults
 * whatever order concurrent clients send them in, and a retry meets a fresh draw.
 */
function createFaultInjector(config) {
	let seedInUse = null;
	const attemptsByRequest = new Map();
	return {
		draw(method, path) {
			const { rate429, rate500, rate503, resetRate, seed } = config.faults;
			if (!(rate429 || rate500 || rate503 || resetRate)) return null;
			if (seed !== seedInUse) {
				seedInUse = seed;
				attemptsByRequest.clear();
			}
			const key = `${method} ${path}`;
			const attempt = (attemptsByRequest.get(key) || 0) + 1;
			attemptsByRequest.set(key, attempt);
			const roll = createRandom(hashInts(seed, hashString(key), attempt)).next();
			if (roll < rate429) return 429;
			if (roll < rate429 + rate500) return 500;
			if (roll < rate429 + rate500 + rate503) return 503;
			if (roll < rate429 + rate500 + rate503 + resetRate) return 'reset';
			return null;
		},
		restart() {
			seedInUse = null;
		},
	};
}

function hashString(text) {
	let hash = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
	return hash >>> 0;
}

module.exports = { maskHeaders, createRequestLog, createCounters, createFaultInjector };
