/**
 * CSV as RFC 4180 writes it: a header row, CRLF, fields quoted with `""` escapes, commas and line
 * breaks inside quoted fields, maybe a UTF-8 BOM; read as the file streams in.
 */

/** The file is not well-formed CSV, or a value does not fit its column. */
export class CsvFormatError extends Error {
	/** 1-based physical line where the problem is; the header is line 1. */
	readonly line: number;

	constructor(line: number, problem: string) {
		super(`Line ${line}: ${problem}`);
		this.name = 'CsvFormatError';
		this.line = line;
	}
}

/** One record of the file: its cells, and the physical line it starts on. */
export interface CsvRecord {
	line: number;
	cells: string[];
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const BOM = 0xfeff;

/**
 * Longer than this (in characters), a record is taken for a field that never ends: a stray quote, a
 * file that is not CSV.
 */
const MAX_RECORD_LENGTH = 4 * 1024 * 1024;

/** Up to this length, an unfinished record is read again whenever a piece brings a line end. */
const QUICK_READ_LENGTH = 64 * 1024;

/** Line ends in `text`: each LF, and each CR not followed by an LF. */
function countLineEnds(text: string): number {
	let count = 0;
	for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
	for (let at = text.indexOf('\r'); at >= 0; at = text.indexOf('\r', at + 1)) {
		if (text.charCodeAt(at + 1) !== LF) count++;
	}
	return count;
}

/**
 * Where `char` next occurs in `text` at or after a position (text.length when it does not).
 * Positions asked must not go back. The answer is kept until the reading passes it, so a character
 * that is far away or absent costs one search of the text, not one per field.
 */
function finder(text: string, char: string): (from: number) => number {
	let found = -1;
	return (from) => {
		if (found < from) {
			found = text.indexOf(char, from);
			if (found < 0) found = text.length;
		}
		return found;
	};
}

/**
 * The records of `text`, which starts at a record or a line end, on physical line `line`; `end` is
 * where they end, with the line there. Without `final` (more text follows), a record the text does
 * not finish, or a CR at the very end, is left after `end`.
 */
function readRecords(text: string, line: number, final: boolean): { records: CsvRecord[]; end: number; line: number } {
	const length = text.length;
	const nextLf = finder(text, '\n');
	const nextCr = finder(text, '\r');
	const nextQuote = finder(text, '"');
	const nextComma = finder(text, ',');
	const records: CsvRecord[] = [];

	/** The record at `start`, where it ends (its line end, or the end of the text) and the line there; null when the text does not finish it. */
	const recordAt = (start: number): { cells: string[]; end: number; endLine: number } | null => {
		const lineEnd = Math.min(nextLf(start), nextCr(start));
		if (nextQuote(start) >= lineEnd) {
			// No quote on the line: the fields are what lies between the commas.
			if (lineEnd === length && !final) return null;
			return { cells: text.slice(start, lineEnd).split(','), end: lineEnd, endLine: line };
		}
		const cells: string[] = [];
		let endLine = line;
		for (let at = start; ; ) {
			let end: number;
			if (text.charCodeAt(at) === QUOTE) {
				let close = nextQuote(at + 1);
				while (text.charCodeAt(close + 1) === QUOTE) close = nextQuote(close + 2); // `""` is a quote in the text
				if (close === length) {
					if (final) throw new CsvFormatError(endLine, 'the file ends inside a quoted field that starts here');
					return null;
				}
				const quoted = text.slice(at + 1, close);
				cells.push(quoted.replaceAll('""', '"'));
				endLine += countLineEnds(quoted);
				end = close + 1;
				const next = text.charCodeAt(end);
				if (end < length && next !== COMMA && next !== LF && next !== CR) {
					throw new CsvFormatError(endLine, 'text follows the closing quote of a field');
				}
			} else {
				end = Math.min(nextComma(at), nextLf(at), nextCr(at));
				if (nextQuote(at) < end) throw new CsvFormatError(endLine, 'a quote appears inside a field that does not start with a quote');
				cells.push(text.slice(at, end));
			}
			if (end === length && !final) return null;
			if (text.charCodeAt(end) !== COMMA) return { cells, end, endLine };
			at = end + 1;
		}
	};

	let at = 0;
	while (at < length) {
		const char = text.charCodeAt(at);
		if (char === LF || char === CR) {
			// The line end of a record, or an empty line (skipped).
			if (char === CR && at + 1 === length && !final) break; // maybe the first half of a CRLF
			at += char === CR && text.charCodeAt(at + 1) === LF ? 2 : 1;
			line++;
			continue;
		}
		const record = recordAt(at);
		if ((record?.end ?? length) - at > MAX_RECORD_LENGTH) {
			throw new CsvFormatError(line, 'a record longer than 4 MB starts here; the file is probably not CSV');
		}
		if (record === null) break;
		records.push({ line, cells: record.cells });
		at = record.end;
		line = record.endLine;
	}
	return { records, end: at, line };
}

/**
 * A push parser: give it the text of the file piece by piece, in any pieces (a record, a `""` or a
 * CRLF may be split anywhere), and it answers with the records each piece completes.
 *
 * Line ends are CRLF, LF or a lone CR; inside quotes they are part of the field. A line with no
 * characters at all is skipped, and a line end at the end of the file does not start a record.
 */
export class CsvReader {
	/** Text pushed but not read yet: an unfinished record, or a CR that may be half of a CRLF. */
	private rest = '';
	/** Physical line at the start of `rest`. */
	private line = 1;
	private started = false;
	private ended = false;
	private lastChar = -1;
	/** Length `rest` must reach before an unfinished record is read again: twice what it was. */
	private readAgainAt = 0;

	/** Reads `chunk`; answers the records it completes, in file order. */
	push(chunk: string): CsvRecord[] {
		if (this.ended) throw new Error('CsvReader: push() after end()');
		if (!this.started && chunk.length > 0) {
			this.started = true;
			if (chunk.charCodeAt(0) === BOM) chunk = chunk.slice(1);
		}
		if (chunk.length === 0) return [];
		this.lastChar = chunk.charCodeAt(chunk.length - 1);
		return this.read(chunk, false);
	}

	/** The file has ended: answers its last records. Throws CsvFormatError when a quoted field never closes. */
	end(): CsvRecord[] {
		if (this.ended) return [];
		this.ended = true;
		return this.read('', true);
	}

	/** Physical lines read: after end(), the file's line count (0 for an empty file; a final line end does not start another). */
	get lines(): number {
		if (this.lastChar < 0) return 0;
		const line = this.lineAfter('');
		return this.lastChar === LF || this.lastChar === CR ? line - 1 : line;
	}

	/** The physical line on which the text pushed so far, followed by `text`, ends. */
	lineAfter(text: string): number {
		return this.line + countLineEnds(this.rest + text);
	}

	private read(chunk: string, final: boolean): CsvRecord[] {
		// A long record that keeps not ending (a field arriving in small pieces) is read again only
		// when it has doubled, so that reading it costs a few times its length, not its square. A
		// short one is read again at each line end, so records come out as they arrive.
		const pending = this.rest.length + chunk.length;
		const lineEndArrived = pending <= QUICK_READ_LENGTH && /[\r\n]/.test(chunk);
		if (!final && pending < this.readAgainAt && pending <= MAX_RECORD_LENGTH && !lineEndArrived) {
			this.rest += chunk;
			return [];
		}
		const text = this.rest + chunk;
		const { records, end, line } = readRecords(text, this.line, final);
		// A string with one character above U+00FF (a BOM, a Chinese name) takes two bytes a character,
		// and so does any text joined with it or sliced from it: slicing the rest from the chunk, not
		// from the joined text, keeps that from spreading to the rest of the file (twice slower).
		this.rest = end >= this.rest.length ? chunk.slice(end - this.rest.length) : text.slice(end);
		this.line = line;
		this.readAgainAt = 2 * this.rest.length;
		return records;
	}
}
