import type { Field } from '../api/schema';
import { FieldError, KIND_HINTS, isCalendarDate } from '../api/validation';

/**
 * Turns what a user typed, picked or computed with an expression into the value the API expects,
 * or throws a FieldError that names the field and says how to fix it.
 */

export type Named = { name: string; definition: Field };

function fail(target: Named, value: unknown, hint: string): never {
	throw new FieldError(target.name, target.definition.label, value, hint);
}

export function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Lists accept an array, comma- or line-separated text, or a mix of both (arrays of such texts). */
export function toTextList(target: Named, value: unknown): string[] | undefined {
	if (isBlank(value)) return undefined;
	const entries = Array.isArray(value) ? value.flat(Infinity) : [value];
	const texts: string[] = [];
	for (const entry of entries) {
		if (entry === null || entry === undefined) continue;
		if (typeof entry === 'object') fail(target, value, KIND_HINTS.textList);
		texts.push(...String(entry).split(/[,\n;]/).map((text) => text.trim()).filter((text) => text !== ''));
	}
	return texts.length > 0 ? texts : undefined;
}

/** Plain decimal notation only: "0x10", "0b11", "1e3" and "Infinity" are not what a user means by a number. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function decimalNumber(text: string): number {
	const trimmed = text.trim();
	return DECIMAL.test(trimmed) ? Number(trimmed) : NaN;
}

export function toNumber(target: Named, value: unknown): number | undefined {
	if (isBlank(value)) return undefined;
	const number = typeof value === 'number' ? value : typeof value === 'string' ? decimalNumber(value) : NaN;
	if (!Number.isFinite(number)) fail(target, value, KIND_HINTS.double);
	return number;
}

export function toInteger(target: Named, value: unknown): number | undefined {
	const number = toNumber(target, value);
	if (number !== undefined && !Number.isSafeInteger(number)) fail(target, value, KIND_HINTS.int);
	return number;
}

export function toIntegerList(target: Named, value: unknown): number[] | undefined {
	const numbers = Array.isArray(value) && value.every((entry) => typeof entry === 'number') ? (value as number[]) : undefined;
	const texts = numbers ? undefined : toTextList(target, value);
	const list = numbers ?? texts?.map(decimalNumber);
	if (!list || list.length === 0) return undefined;
	list.forEach((number, index) => {
		if (!Number.isSafeInteger(number)) {
			fail(target, numbers ? number : texts![index], KIND_HINTS.intList);
		}
	});
	return list;
}

/** "Any" leaves the filter out; yes and no send true and false. */
export function toOptionalBoolean(target: Named, value: unknown): boolean | undefined {
	if (isBlank(value) || value === 'any') return undefined;
	if (value === true || value === 'yes' || value === 'true') return true;
	if (value === false || value === 'no' || value === 'false') return false;
	return fail(target, value, KIND_HINTS.yesNo);
}

/** The wall-clock time of `instant` in `timeZone`, as YYYY-MM-DDTHH:mm:ss.fff. */
export function wallTimeIn(timeZone: string, instant: Date): string {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		fractionalSecondDigits: 3,
		hourCycle: 'h23',
	}).formatToParts(instant);
	const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '00';
	return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}.${part('fractionalSecond')}`;
}

/** The moment a wall-clock time (YYYY-MM-DDTHH:mm:ss.fff) of `timeZone` stands for. */
export function instantOfWallTime(wallTime: string, timeZone: string): Date {
	const asUtc = Date.parse(`${wallTime}Z`);
	if (Number.isNaN(asUtc)) return new Date(NaN);
	// The zone's offset at a moment, read a day inside the calendar's range at its very ends.
	const offsetAt = (instant: number) => {
		const inside = Math.min(Math.max(instant, EARLIEST_MOMENT + DAY_MS), LATEST_MOMENT - DAY_MS);
		return Date.parse(`${wallTimeIn(timeZone, new Date(inside))}Z`) - inside;
	};
	const guess = asUtc - offsetAt(asUtc);
	// Near a change of daylight saving time the offset of the guess is the one that applies.
	return new Date(asUtc - offsetAt(guess));
}

const DATE_HELP = KIND_HINTS.dateTime;

/** A date, an optional time and, after a time only, an optional zone; nothing else. */
const WRITTEN_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function textOfDate(target: Named, value: unknown): string {
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) fail(target, 'an invalid date', DATE_HELP);
		return value.toISOString();
	}
	if (typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function') {
		const text = (value as { toISO: () => string | null }).toISO();
		if (typeof text !== 'string') fail(target, 'an invalid date', DATE_HELP);
		return text;
	}
	if (typeof value === 'string') return value.trim();
	return fail(target, value, DATE_HELP);
}

/** Which end of a date range a date is: the end of a range covers the whole of a day given without a time. */
export type DateBound = 'start' | 'end';

const MIDNIGHT = 'T00:00:00.000';
const DAY_MS = 86_400_000;
const EARLIEST_MOMENT = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_MOMENT = Date.parse('9999-12-31T23:59:59.999Z');
const LAST_MOMENT = 'T23:59:59.999';

/**
 * The moment the user meant, in UTC (YYYY-MM-DDTHH:mm:ss.sssZ), so that no reading of zones can
 * move it. A date picked in the editor has no zone: it is a time of the workflow's time zone. A
 * moment with a zone (an expression such as {{ $now }}) is that moment. A day without a time, or at
 * midnight in the workflow's time zone, that ends a range means the whole of that day. The date and
 * time must exist as written: 30 February or 25:00 are refused, never rolled over.
 */
export function toDateTime(target: Named, value: unknown, timeZone: string, bound: DateBound = 'start'): string | undefined {
	if (isBlank(value)) return undefined;
	const text = textOfDate(target, value);
	const written = WRITTEN_DATE.exec(text);
	if (!written) return fail(target, value, DATE_HELP);
	const [, day, hours, minutes, seconds, fraction, zone] = written;
	const timeValid = hours === undefined || (Number(hours) < 24 && Number(minutes) < 60 && Number(seconds ?? 0) < 60);
	const zoneValid = zone === undefined || /^z$/i.test(zone) || (Number(zone.slice(1, 3)) <= 14 && Number(zone.slice(-2)) < 60);
	if (!isCalendarDate(day) || !timeValid || !zoneValid) {
		fail(target, value, KIND_HINTS.impossibleDate);
	}
	const millis = (fraction ?? '.000').slice(1).padEnd(3, '0').slice(0, 3);
	const wallTime =
		zone === undefined
			? `${day}T${hours ?? '00'}:${minutes ?? '00'}:${seconds ?? '00'}.${millis}`
			: wallTimeIn(timeZone, new Date(text.replace(' ', 'T')));
	const meant = bound === 'end' && wallTime.endsWith(MIDNIGHT) ? wallTime.slice(0, 10) + LAST_MOMENT : wallTime;
	const instant = instantOfWallTime(meant, timeZone).getTime();
	if (Number.isNaN(instant)) return fail(target, value, DATE_HELP);
	// The first and last days of the calendar, moved by a zone, stay inside it (a DateTime's range).
	return new Date(Math.min(Math.max(instant, EARLIEST_MOMENT), LATEST_MOMENT)).toISOString();
}

export function toText(target: Named, value: unknown): string | undefined {
	if (isBlank(value)) return undefined;
	if (typeof value === 'object') fail(target, value, KIND_HINTS.string);
	return String(value).trim();
}
