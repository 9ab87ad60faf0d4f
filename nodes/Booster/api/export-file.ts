/**
 * Customer export files: UTF-8 CSV (see ./csv) streamed in, each row typed from the
 * `ExportedCustomer` description.
 */
import { CsvFormatError, CsvReader, type CsvRecord } from './csv';
import { ExportedCustomer } from './dtos';
import { type Dto, type Field, type ScalarKind, allFields } from './schema';
import { dashedGuid } from './serialize';
import { isGuid } from './validation';

// Typing rows ------------------------------------------------------------------------------------

/** What a converter answers for a value that does not fit its column. */
const INVALID: unique symbol = Symbol('invalid');
type Convert = (text: string) => unknown;

const WHOLE_NUMBER = /^-?\d+$/;
const DECIMAL_NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const WCF_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;
/** Date, then optionally a separator, the time and a zone (Z, ±hh:mm, ±hhmm, ±hh). */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:([Tt ])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

function toInt(text: string): unknown {
	if (text === '') return null;
	const value = Number(text);
	if (!WHOLE_NUMBER.test(text) || !Number.isSafeInteger(value)) return INVALID;
	return value === 0 ? 0 : value;
}

function toNumber(text: string): unknown {
	if (text === '') return null;
	const value = Number(text);
	if (!DECIMAL_NUMBER.test(text) || !Number.isFinite(value)) return INVALID;
	return value === 0 ? 0 : value;
}

function toBool(text: string): unknown {
	if (text === '') return null;
	const lower = text.toLowerCase();
	if (lower === 'true' || text === '1') return true;
	if (lower === 'false' || text === '0') return false;
	return INVALID;
}

function toText(text: string): unknown {
	return text === '' ? null : text;
}

function toGuid(text: string): unknown {
	if (text === '') return null;
	return isGuid(text) ? dashedGuid(text) : INVALID;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1–12) of `year` (proleptic Gregorian, as Date counts). */
function daysInMonth(year: number, month: number): number {
	return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS_IN_MONTH[month];
}

/**
 * An ISO 8601 text. `/Date(ms)/` and zoned date-times become UTC (`toISOString()`); a date-time
 * without a zone is kept as written, with a `T` between date and time; a date alone as written.
 */
function toDateTime(text: string): unknown {
	if (text === '') return null;
	const match = ISO_DATE_TIME.exec(text);
	if (match === null) {
		const wcf = WCF_DATE.exec(text);
		if (wcf === null) return INVALID;
		const date = new Date(Number(wcf[1]));
		return Number.isNaN(date.getTime()) ? INVALID : date.toISOString();
	}
	const year = Number(match[1]);
	const month = Number(match[2]);
	const day = Number(match[3]);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return INVALID;
	const separator = match[4];
	if (separator === undefined) return text;
	const hours = Number(match[5]);
	const minutes = Number(match[6]);
	const seconds = Number(match[7] ?? 0);
	if (hours > 23 || minutes > 59 || seconds > 59) return INVALID;
	const fraction = match[8] ?? '';
	const zone = match[9];
	if (zone === undefined) return separator === 'T' ? text : `${text.slice(0, 10)}T${text.slice(11)}`;
	if (separator === 'T' && zone === 'Z' && fraction.length === 3) return text; // already as toISOString() writes it
	let offset = 0;
	if (match[10] !== undefined) {
		const offsetHours = Number(match[11]);
		const offsetMinutes = Number(match[12] ?? 0);
		if (offsetHours > 23 || offsetMinutes > 59) return INVALID;
		offset = (match[10] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
	}
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	date.setUTCHours(hours, minutes - offset, seconds, Number(fraction.slice(0, 3).padEnd(3, '0')));
	return date.toISOString();
}

const SCALAR_CONVERTERS: Record<ScalarKind, Convert> = {
	int: toInt,
	double: toNumber,
	decimal: toNumber,
	bool: toBool,
	dateTime: toDateTime,
	string: toText,
	guid: toGuid,
};

const EXPECTED: Record<ScalarKind, string> = {
	int: 'a whole number',
	double: 'a number',
	decimal: 'a number',
	bool: 'true or false',
	dateTime: 'an ISO 8601 date and time (such as 2019-03-04T10:22:31Z)',
	string: 'text',
	guid: 'a GUID',
};

/** The same, for the items of a list. */
const EXPECTED_ITEMS: Record<ScalarKind, string> = {
	int: 'whole numbers',
	double: 'numbers',
	decimal: 'numbers',
	bool: 'true or false values',
	dateTime: 'ISO 8601 dates and times',
	string: 'texts',
	guid: 'GUIDs',
};

/** A list column: items joined with `|`; an empty cell is an empty list. */
function listConverter(item: ScalarKind): Convert {
	const convertItem = SCALAR_CONVERTERS[item];
	return (text) => {
		if (text === '') return [];
		const items = text.split('|');
		if (item === 'string') return items;
		const values = items.map(convertItem);
		return values.some((value) => value === INVALID || value === null) ? INVALID : values;
	};
}

/** How a column of `definition` is typed; null keeps its text as it is. */
function columnPlan(definition: Field | undefined): { convert: Convert | null; expected: string } {
	if (definition === undefined || definition.kind === 'object') return { convert: null, expected: '' };
	if (definition.kind === 'list') {
		if (typeof definition.item !== 'string') return { convert: null, expected: '' };
		return { convert: listConverter(definition.item), expected: `${EXPECTED_ITEMS[definition.item]} separated by |` };
	}
	return { convert: SCALAR_CONVERTERS[definition.kind], expected: EXPECTED[definition.kind] };
}

function quoteValue(text: string): string {
	return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/**
 * Turns records into objects keyed by the header's names, in header order. Columns the DTO knows
 * (exact name, else the same name in another case) are typed by their field; an empty cell of such
 * a column is null (an empty list for lists). Other columns keep their text unchanged.
 */
export class CustomerRowReader {
	/** Column names: the header's, trimmed; `column<N>` for an empty one. */
	readonly columns: readonly string[];
	private readonly converters: Array<Convert | null> = [];
	private readonly expected: string[] = [];
	/** Every column, in order, as an own property (`__proto__` too); copied for each row. */
	private readonly template: Record<string, unknown>;

	constructor(header: CsvRecord, dto: Dto = ExportedCustomer) {
		const fields = allFields(dto);
		const byLowerName = new Map(Object.keys(fields).map((name) => [name.toLowerCase(), fields[name]]));
		const columns: string[] = [];
		const seen = new Set<string>();
		header.cells.forEach((cell, index) => {
			const name = cell.trim() || `column${index + 1}`;
			if (seen.has(name)) throw new CsvFormatError(header.line, `the column "${name}" appears twice`);
			seen.add(name);
			columns.push(name);
			const definition = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : byLowerName.get(name.toLowerCase());
			const { convert, expected } = columnPlan(definition);
			this.converters.push(convert);
			this.expected.push(expected);
		});
		this.columns = columns;
		this.template = Object.fromEntries(columns.map((name) => [name, null]));
	}

	/** The typed row of `record`; throws CsvFormatError for a wrong field count or a value that does not fit. */
	read(record: CsvRecord): Record<string, unknown> {
		const { cells } = record;
		const { columns, converters } = this;
		if (cells.length !== columns.length) {
			throw new CsvFormatError(record.line, `${cells.length} field${cells.length === 1 ? '' : 's'}, but the header has ${columns.length}`);
		}
		// Assigning to a `__proto__` key that is not an own property yet would set the prototype instead.
		const row: Record<string, unknown> = { ...this.template };
		for (let index = 0; index < columns.length; index++) {
			const convert = converters[index];
			const value = convert === null ? cells[index] : convert(cells[index]);
			if (value === INVALID) {
				throw new CsvFormatError(record.line, `${columns[index]} should be ${this.expected[index]} but is ${quoteValue(cells[index])}`);
			}
			row[columns[index]] = value;
		}
		return row;
	}
}

// Reading a whole file ---------------------------------------------------------------------------

const NO_BYTES = new Uint8Array(0);

function concatBytes(first: Uint8Array, second: Uint8Array): Uint8Array {
	if (first.length === 0) return second;
	const bytes = new Uint8Array(first.length + second.length);
	bytes.set(first);
	bytes.set(second, first.length);
	return bytes;
}

/** The bytes at the end of valid UTF-8 that begin a character not complete yet (what a streaming decoder holds). */
function incompleteTail(bytes: Uint8Array): Uint8Array {
	for (let back = 1; back <= 3 && back <= bytes.length; back++) {
		const byte = bytes[bytes.length - back];
		if (byte < 0x80) return NO_BYTES;
		if (byte >= 0xc0) {
			const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
			return back < size ? bytes.slice(bytes.length - back) : NO_BYTES;
		}
	}
	return NO_BYTES;
}

/** The text of `bytes` (streaming; without bytes, the end of the stream), or null when they are not UTF-8. */
function decodeOrNull(decoder: InstanceType<typeof TextDecoder>, bytes?: Uint8Array): string | null {
	try {
		return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
	} catch {
		return null;
	}
}

/** The error for bytes that are not UTF-8 in `bytes` (which start where the text read so far ends). */
function notUtf8Error(reader: CsvReader, bytes: Uint8Array): CsvFormatError {
	// The longest start that decodes; the first bad byte follows it.
	let good = 0;
	let bad = bytes.length;
	while (bad - good > 1) {
		const middle = (good + bad) >>> 1;
		if (decodeOrNull(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }), bytes.subarray(0, middle)) !== null) good = middle;
		else bad = middle;
	}
	const before = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, good), { stream: true });
	return new CsvFormatError(reader.lineAfter(before), 'this line holds bytes that are not UTF-8 text (was the file saved in another encoding?)');
}

/**
 * Reads a customer export file as it streams in: UTF-8 (a character may be split between chunks),
 * header first, and hands the typed rows over in batches, one call per chunk that completed rows.
 * An empty file, or a header alone, gives no rows. `lines` counts the file's physical lines.
 */
export async function readCustomerFile(
	chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
	onRows: (rows: Array<Record<string, unknown>>) => void | Promise<void>,
): Promise<{ rows: number; lines: number }> {
	const reader = new CsvReader();
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
	/** The bytes of an unfinished character the decoder holds. */
	let held: Uint8Array = NO_BYTES;
	let rowReader: CustomerRowReader | null = null;
	let rows = 0;

	/** Ends the decoder's stream: the text of bytes it still holds, or an error when they are not a whole character. */
	const flushDecoder = (problem: string): string => {
		held = NO_BYTES;
		const text = decodeOrNull(decoder);
		if (text === null) throw new CsvFormatError(reader.lineAfter(''), problem);
		return text;
	};

	const take = async (records: CsvRecord[]): Promise<void> => {
		if (rowReader === null) {
			const header = records.shift();
			if (header === undefined) return;
			rowReader = new CustomerRowReader(header);
		}
		if (records.length === 0) return;
		const batch: Array<Record<string, unknown>> = [];
		for (const record of records) batch.push(rowReader.read(record));
		rows += batch.length;
		await onRows(batch);
	};

	for await (const chunk of chunks) {
		let text: string;
		if (typeof chunk === 'string') {
			text = flushDecoder('a character is cut short: text follows bytes that end in the middle of a UTF-8 character') + chunk;
		} else {
			const bytes = concatBytes(held, chunk);
			const decoded = decodeOrNull(decoder, chunk);
			if (decoded === null) throw notUtf8Error(reader, bytes);
			text = decoded;
			held = incompleteTail(bytes);
		}
		await take(reader.push(text));
	}
	const tail = flushDecoder('the file ends in the middle of a UTF-8 character');
	if (tail !== '') await take(reader.push(tail));
	await take(reader.end());
	return { rows, lines: reader.lines };
}
