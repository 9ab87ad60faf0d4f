import { type Dto, type Field, type ScalarKind, allFields, classChain } from './schema';

/** A value the API would refuse or misread, found before anything is sent. */
export class FieldError extends Error {
	constructor(
		readonly field: string,
		readonly label: string,
		readonly value: unknown,
		readonly hint: string,
	) {
		super(`Invalid ${label} (${field}): ${describeValue(value)}. ${hint}`);
		this.name = 'FieldError';
	}
}

export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
	if (Array.isArray(value) && value.length > 10) return `a list of ${value.length} values`;
	if (typeof value === 'object' && value !== null) {
		// A short list may still hold a 10 MB text: it is cut like any other value.
		const text = JSON.stringify(value);
		return text.length > 80 ? `${text.slice(0, 77)}...` : text;
	}
	return String(value);
}

/**
 * An address as mail servers take it: dot-separated words before the "@" (no leading, trailing or
 * double dot), and a domain of labels that do not start or end with "-" and a top-level label of
 * two characters or more. Letters beyond ASCII are allowed on both sides.
 */
const EMAIL =
	/^[^\s@<>()[\]\\,;:".]+(?:\.[^\s@<>()[\]\\,;:".]+)*@(?:[^\s@<>()[\]\\,;:"._-](?:[^\s@<>()[\]\\,;:"._]*[^\s@<>()[\]\\,;:"._-])?\.)+[^\s@<>()[\]\\,;:"._-][^\s@<>()[\]\\,;:"._]*[^\s@<>()[\]\\,;:"._-]$/;
const PATH_SEGMENT = /^[A-Za-z0-9_-]+$/;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,7})?Z?)?$/;
/**
 * Characters no XML 1.0 document can carry, and that no field of the API expects: control
 * characters other than tab and line breaks (U+0000 to U+001F, see hasControlCharacter), U+FFFE/U+FFFF
 * and lone halves of surrogate pairs.
 */
const UNSENDABLE = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Whether `value` has a C0 control character other than tab, line feed and carriage return. */
function hasControlCharacter(value: string): boolean {
	for (let index = 0; index < value.length; index++) {
		const code = value.charCodeAt(index);
		if (code < 0x20 && code !== TAB && code !== LINE_FEED && code !== CARRIAGE_RETURN) return true;
	}
	return false;
}

/** Longest text sent when a field does not set its own limit. */
export const DEFAULT_MAX_TEXT_LENGTH = 1000;

const GUID = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/;

export function isCalendarDate(value: string): boolean {
	const match = CALENDAR_DATE.exec(value);
	if (!match) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	const timeValid = match[4] === undefined || (Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6]) < 60);
	return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && timeValid;
}

export function isGuid(value: string): boolean {
	return GUID.test(value);
}

/**
 * The one set of messages for a value of the wrong kind: used where a parameter is converted
 * (helpers/inputs.ts) and where a request is checked against its description (below).
 */
export const KIND_HINTS: Record<ScalarKind | 'textList' | 'intList' | 'yesNo' | 'impossibleDate', string> = {
	string: 'Enter text, not a list or an object.',
	int: 'Enter a whole number, such as 1234567.',
	double: 'Enter a number in plain digits, such as 10000 or 2500.50.',
	decimal: 'Enter a number in plain digits, such as 10000 or 2500.50.',
	bool: 'Choose Any, Yes or No.',
	dateTime: 'Pick a date, or enter one as YYYY-MM-DD (optionally with a time, such as 2024-01-31T18:30:00), such as 2024-01-31.',
	guid: 'Enter the task ID returned by an export, such as 3f2b8c1e-9a4d-4e7b-8c1f-2a3b4c5d6e7f.',
	textList: 'Enter plain values separated by commas, or an expression returning a list of them.',
	intList: 'Enter whole numbers separated by commas, such as 1234567, 7654321.',
	yesNo: 'Choose Any, Yes or No.',
	impossibleDate: 'This date or time does not exist; pick a date from the calendar.',
};

function checkScalar(kind: ScalarKind, value: unknown): boolean {
	switch (kind) {
		case 'string':
			return typeof value === 'string';
		case 'int':
			return typeof value === 'number' && Number.isSafeInteger(value);
		case 'double':
		case 'decimal':
			return typeof value === 'number' && Number.isFinite(value);
		case 'bool':
			return typeof value === 'boolean';
		case 'dateTime':
			return typeof value === 'string' && isCalendarDate(value);
		case 'guid':
			return typeof value === 'string' && isGuid(value);
	}
}

function validateItem(name: string, definition: Field, kind: ScalarKind, value: unknown, where: string): void {
	const { rules, label } = definition;
	const fail = (hint: string) => {
		throw new FieldError(name, label, value, `${where}${hint}`);
	};
	if (!checkScalar(kind, value)) fail(KIND_HINTS[kind]);
	if (typeof value === 'number') {
		if (rules.min !== undefined && value < rules.min) fail(`It must be at least ${rules.min}.`);
		if (rules.max !== undefined && value > rules.max) fail(`It must be at most ${rules.max}.`);
	}
	if (typeof value === 'string') {
		if (kind === 'string' && definition.required && value.trim() === '') fail('It must not be empty.');
		const maxLength = rules.maxLength ?? DEFAULT_MAX_TEXT_LENGTH;
		if (value.length > maxLength) fail(`It may hold at most ${maxLength} characters.`);
		if (hasControlCharacter(value) || UNSENDABLE.test(value)) fail('It contains a control character or a broken character; remove it (copying from another tool sometimes adds one).');
		if (rules.oneOf && !rules.oneOf.includes(value)) fail(`Choose one of: ${rules.oneOf.join(', ')}.`);
		if (rules.format === 'email' && !EMAIL.test(value)) fail('Enter an e-mail address such as name@example.com.');
		if (rules.format === 'pathSegment' && !PATH_SEGMENT.test(value))
			fail('Use only letters, digits, "-" and "_" (a brand is a trigram such as CAR).');
	}
}

function validateField(definition: Field, value: unknown, path: string): void {
	if (value === undefined || value === null) {
		if (definition.required) throw new FieldError(path, definition.label, value, 'This field is required.');
		return;
	}
	if (definition.kind === 'object') {
		validateDto(definition.dto, value, `${path}.`);
		return;
	}
	if (definition.kind !== 'list') {
		validateItem(path, definition, definition.kind, value, '');
		return;
	}
	const { rules, label, item } = definition;
	if (!Array.isArray(value)) throw new FieldError(path, label, value, 'Enter a list of values.');
	if (definition.required && value.length < (rules.minItems ?? 1))
		throw new FieldError(path, label, value, 'Enter at least one value.');
	if (rules.maxItems !== undefined && value.length > rules.maxItems)
		throw new FieldError(path, label, value, `Enter at most ${rules.maxItems} values; split the work into several items.`);
	value.forEach((entry, index) => {
		if (typeof item === 'string') validateItem(path, definition, item, entry, `Entry ${index + 1}: `);
		else validateDto(item, entry, `${path}[${index}].`);
	});
}

export function validateDto(dto: Dto, value: unknown, prefix = ''): void {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new FieldError(prefix.replace(/\.$/, '') || dto.name, dto.name, value, 'Enter an object with the fields of the API.');
	}
	const record = value as Record<string, unknown>;
	const fields = allFields(dto);
	for (const [name, definition] of Object.entries(fields)) {
		validateField(definition, record[name], `${prefix}${name}`);
	}
	for (const key of Object.keys(record)) {
		if (!(key in fields) && record[key] !== undefined) {
			throw new FieldError(`${prefix}${key}`, key, record[key], `The API's ${dto.name} has no field "${key}".`);
		}
	}
	for (const level of classChain(dto)) validateRanges(fields, record, level.ranges ?? [], prefix);
}

/** Checks that each `from` value does not come after its `to` value. */
function validateRanges(
	fields: Record<string, Field>,
	value: Record<string, unknown>,
	ranges: Array<[string, string]>,
	prefix: string,
): void {
	for (const [fromName, toName] of ranges) {
		const from = value[fromName];
		const to = value[toName];
		if (from === undefined || from === null || to === undefined || to === null) continue;
		if ((from as number | string) > (to as number | string)) {
			throw new FieldError(
				`${prefix}${fromName}`,
				fields[fromName].label,
				from,
				`It comes after ${fields[toName].label} (${describeValue(to)}); swap the two values or correct one of them.`,
			);
		}
	}
}

/** The first field of `value` that the API would refuse, or undefined when the request is valid. */
export function findInvalidField(dto: Dto, value: unknown): FieldError | undefined {
	try {
		validateDto(dto, value);
		return undefined;
	} catch (error) {
		return error instanceof FieldError ? error : new FieldError(dto.name, dto.name, value, String(error));
	}
}
