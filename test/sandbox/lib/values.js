'use strict';

/** Scalar parsing and formatting shared by the JSON, XML and query-string binders. */

class ValueError extends Error {}

const WCF_DATE = /^\\?\/Date\((-?\d+)([+-]\d{4})?\)\\?\/$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A DateTime as a real DateTime API reads it: an instant. `ms` is the instant in whole milliseconds
 * (rounded down) and `subMsTicks` the rest in 100 ns ticks (0–9999; XML DateTime has up to 7
 * fractional digits). A bound with a zone (`Z`, `+01:00`) is that instant; an unzoned bound
 * (`2024-12-31T23:59:59.999`, `2024-12-31`) is read as UTC; a date without a time is midnight;
 * `/Date(ms)/` is ms since the epoch (an offset suffix only says which zone to show it in).
 */
function parseDateTime(text) {
	const raw = String(text).trim();
	const wcf = WCF_DATE.exec(raw);
	if (wcf) return { raw, ms: Number(wcf[1]), subMsTicks: 0 };
	const iso = ISO_DATE.exec(raw);
	if (!iso) throw new ValueError(`'${raw}' is not a valid date (use ISO 8601 or /Date(ms)/)`);
	const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone] = iso;
	const ticks = Number(fraction.padEnd(7, '0'));
	const asUtc = new Date(Date.UTC(2000, +month - 1, +day, +hour, +minute, +second, Math.floor(ticks / 10000)));
	asUtc.setUTCFullYear(+year, +month - 1, +day);
	const asUtcMs = asUtc.getTime();
	const check = new Date(asUtcMs);
	if (check.getUTCMonth() !== +month - 1 || check.getUTCDate() !== +day || +hour > 23 || +minute > 59 || +second > 59) {
		throw new ValueError(`'${raw}' is not a valid date`);
	}
	let offsetMinutes = 0;
	if (zone && zone.toUpperCase() !== 'Z') {
		const digits = zone.replace(':', '');
		const magnitude = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
		if (magnitude > 14 * 60 || Number(digits.slice(3, 5)) > 59) throw new ValueError(`'${raw}' has an invalid UTC offset (at most ±14:00)`);
		offsetMinutes = (digits[0] === '-' ? -1 : 1) * magnitude;
	}
	return { raw, ms: asUtcMs - offsetMinutes * 60000, subMsTicks: ticks % 10000 };
}

/**
 * A date bound as the filters and the KPI use it: a parsed DateTime (above), an ISO / `/Date(ms)/`
 * string, a Date, a number of ms, or null/undefined (no bound). Returns `{ fromMs, toMs }`: a
 * whole-millisecond instant t (the dataset's dates have millisecond precision) is on or after the
 * bound when t >= fromMs, and on or before it when t <= toMs.
 */
function dateBound(value) {
	if (value === null || value === undefined) return null;
	let parsed;
	if (value instanceof Date) parsed = { ms: value.getTime(), subMsTicks: 0 };
	else if (typeof value === 'number') parsed = { ms: Math.floor(value), subMsTicks: value === Math.floor(value) ? 0 : 1 };
	else if (typeof value === 'string') parsed = parseDateTime(value);
	else parsed = value;
	if (!Number.isFinite(parsed.ms)) throw new ValueError(`'${value}' is not a valid date`);
	return { fromMs: parsed.ms + (parsed.subMsTicks > 0 ? 1 : 0), toMs: parsed.ms };
}

/** Whether an ISO instant (or ms) lies inside the optional inclusive bounds from dateBound(). */
function inInstantRange(instant, from, to) {
	const ms = typeof instant === 'number' ? instant : Date.parse(instant);
	return (!from || ms >= from.fromMs) && (!to || ms <= to.toMs);
}

function parseGuid(text) {
	const compact = String(text).trim().replace(/^\{|\}$/g, '');
	if (/^[0-9a-f]{32}$/i.test(compact)) return compact.toLowerCase();
	if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(compact)) return compact.replace(/-/g, '').toLowerCase();
	throw new ValueError(`'${text}' is not a valid Guid`);
}

function dashedGuid(compact) {
	return `${compact.slice(0, 8)}-${compact.slice(8, 12)}-${compact.slice(12, 16)}-${compact.slice(16, 20)}-${compact.slice(20)}`;
}

/** Parses a scalar from text (XML, query string) or from a JSON value. */
function parseScalar(type, value) {
	if (value === null || value === undefined) return null;
	switch (type) {
		case 'string':
			if (typeof value === 'object') throw new ValueError('expected a string');
			return String(value);
		case 'int': {
			const number = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(String(value)) ? Number(value) : NaN;
			if (!Number.isInteger(number) || number > 2147483647 || number < -2147483648) throw new ValueError(`'${value}' is not a valid Int32`);
			return number;
		}
		case 'double':
		case 'decimal': {
			const number = typeof value === 'number' ? value : /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(String(value)) ? Number(value) : NaN;
			if (!Number.isFinite(number)) throw new ValueError(`'${value}' is not a valid number`);
			return number;
		}
		case 'bool':
			if (typeof value === 'boolean') return value;
			if (/^\s*true\s*$/i.test(String(value))) return true;
			if (/^\s*false\s*$/i.test(String(value))) return false;
			throw new ValueError(`'${value}' is not a valid Boolean`);
		case 'dateTime':
			if (typeof value !== 'string') throw new ValueError('expected a date string');
			return parseDateTime(value);
		case 'guid':
			return parseGuid(value);
		default:
			throw new Error(`Unknown scalar type ${type}`);
	}
}

/** Output values: dateTime values are held as ISO strings (UTC) or ms; guids as 32 hex digits. */
function formatXmlScalar(type, value) {
	switch (type) {
		case 'bool':
			return value ? 'true' : 'false';
		case 'dateTime':
			return new Date(value).toISOString().replace(/\.000Z$/, 'Z');
		case 'guid':
			return dashedGuid(value);
		default:
			return String(value);
	}
}

module.exports = { ValueError, parseDateTime, dateBound, inInstantRange, parseGuid, dashedGuid, parseScalar, formatXmlScalar };
