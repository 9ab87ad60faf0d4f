'use strict';

function hashInts(...values) {
	let hash = 0x811c9dc5;
	for (const value of values) {
		hash = Math.imul(hash ^ (value >>> 0), 0x01000193);
		hash ^= hash >>> 15;
		hash = Math.imul(hash, 0x2c1b3c6d);
		hash ^= hash >>> 12;
	}
	return hash >>> 0;
}

/** mulberry32: small, fast, deterministic generator returning floats in [0, 1). */
function createRandom(seed) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (minInclusive, maxInclusive) => minInclusive + Math.floor(next() * (maxInclusive - minInclusive + 1)),
		pick: (list) => list[Math.floor(next() * list.length)],
		chance: (probability) => next() < probability,
		sample(list, count) {
			const copy = list.slice();
			const picked = [];
			while (picked.length < count && copy.length > 0) {
				picked.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
			}
			return picked;
		},
	};
}

module.exports = { hashInts, createRandom };
