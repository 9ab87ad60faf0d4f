/**
 * The RFC 4180 push parser: records of text read as it streams (pieces split anywhere), errors
 * naming the line.
 */
import { CsvFormatError, CsvReader, type CsvRecord } from '../../../nodes/Booster/api/csv';

/** Records of `text` fed to one reader in `pieces` (the whole text when none are given). */
function recordsOf(text: string, pieces: string[] = [text]): CsvRecord[] {
	const reader = new CsvReader();
	const records: CsvRecord[] = [];
	for (const piece of pieces) records.push(...reader.push(piece));
	records.push(...reader.end());
	return records;
}

/** What reading `pieces` gives: the records, or the error's line and message. */
function outcomeOf(pieces: string[]): CsvRecord[] | { line: number; message: string } {
	try {
		return recordsOf('', pieces);
	} catch (error) {
		expect(error).toBeInstanceOf(CsvFormatError);
		return { line: (error as CsvFormatError).line, message: (error as CsvFormatError).message };
	}
}

/** Every way of cutting `text` in two, and the text one character at a time. */
function splits(text: string): string[][] {
	const ways: string[][] = [];
	for (let at = 0; at <= text.length; at++) ways.push([text.slice(0, at), text.slice(at)]);
	ways.push([...text]);
	ways.push(text.split(''));
	return ways;
}

function errorOf(read: () => unknown): CsvFormatError {
	try {
		read();
	} catch (error) {
		expect(error).toBeInstanceOf(CsvFormatError);
		return error as CsvFormatError;
	}
	throw new Error('expected a CsvFormatError');
}

const TRICKY =
	'\uFEFFid,"na,me",note\r\n' + // 1
	'1,"a ""quoted"" word","line one\r\nline two"\r\n' + // 2-3
	'\r\n' + // 4: empty, skipped
	'2,plain,"lone\rcr"\n' + // 5-6, a lone CR inside quotes is a line end too
	'3,"",\r' + // 7, a record ended by a lone CR, its last field empty
	'"4","x\ny",""""\r\n' + // 8-9
	'5,,"ends with a quote"""\r\n' + // 10
	'\n' + // 11: empty, skipped
	'6,"comma, inside",last'; // 12, no final line end

const TRICKY_RECORDS: CsvRecord[] = [
	{ line: 1, cells: ['id', 'na,me', 'note'] },
	{ line: 2, cells: ['1', 'a "quoted" word', 'line one\r\nline two'] },
	{ line: 5, cells: ['2', 'plain', 'lone\rcr'] },
	{ line: 7, cells: ['3', '', ''] },
	{ line: 8, cells: ['4', 'x\ny', '"'] },
	{ line: 10, cells: ['5', '', 'ends with a quote"'] },
	{ line: 12, cells: ['6', 'comma, inside', 'last'] },
];

describe('CsvReader: records of RFC 4180 text', () => {
	it('reads the tricky file: BOM, CRLF, LF, lone CR, quotes, "" escapes, commas and line breaks inside quotes, empty lines', () => {
		expect(recordsOf(TRICKY)).toEqual(TRICKY_RECORDS);
	});

	it('gives the same records however the text is cut: at every single position, and one character at a time', () => {
		for (const pieces of splits(TRICKY)) expect({ pieces, outcome: outcomeOf(pieces) }).toEqual({ pieces, outcome: TRICKY_RECORDS });
	});

	it('gives the same records when cut at any two positions', () => {
		const text = 'a,"b""\r\nc"\r\n"",x\r"y"\r\nz';
		const expected = recordsOf(text);
		expect(expected).toEqual([
			{ line: 1, cells: ['a', 'b"\r\nc'] },
			{ line: 3, cells: ['', 'x'] },
			{ line: 4, cells: ['y'] },
			{ line: 5, cells: ['z'] },
		]);
		for (let first = 0; first <= text.length; first++) {
			for (let second = first; second <= text.length; second++) {
				const pieces = [text.slice(0, first), text.slice(first, second), text.slice(second)];
				expect({ pieces, outcome: outcomeOf(pieces) }).toEqual({ pieces, outcome: expected });
			}
		}
	});

	it('answers the records each piece completes, as the text arrives', () => {
		const reader = new CsvReader();
		expect(reader.push('h1,h2\r\n1,')).toEqual([{ line: 1, cells: ['h1', 'h2'] }]);
		expect(reader.push('x\r')).toEqual([{ line: 2, cells: ['1', 'x'] }]);
		expect(reader.push('\n2,"y')).toEqual([]);
		expect(reader.push('"\r\n')).toEqual([{ line: 3, cells: ['2', 'y'] }]);
		expect(reader.end()).toEqual([]);
		expect(reader.lines).toBe(3);
	});

	it('takes a final line end as the end of the last record, not as another record; a BOM only at the start', () => {
		expect(recordsOf('a\r\nb\r\n')).toEqual([
			{ line: 1, cells: ['a'] },
			{ line: 2, cells: ['b'] },
		]);
		expect(recordsOf('a\nb')).toEqual([
			{ line: 1, cells: ['a'] },
			{ line: 2, cells: ['b'] },
		]);
		expect(recordsOf('\uFEFFa,b')).toEqual([{ line: 1, cells: ['a', 'b'] }]);
		expect(recordsOf('a\n\uFEFFb')).toEqual([
			{ line: 1, cells: ['a'] },
			{ line: 2, cells: ['\uFEFFb'] },
		]);
		expect(recordsOf('')).toEqual([]);
		expect(recordsOf('\uFEFF')).toEqual([]);
		expect(recordsOf('\r\n\r\n')).toEqual([]);
	});

	it('keeps spaces, empty fields and a line of spaces (a line with characters is a record)', () => {
		expect(recordsOf(' a , b \r\n,,\r\n \r\n')).toEqual([
			{ line: 1, cells: [' a ', ' b '] },
			{ line: 2, cells: ['', '', ''] },
			{ line: 3, cells: [' '] },
		]);
		expect(recordsOf('a,')).toEqual([{ line: 1, cells: ['a', ''] }]);
		expect(recordsOf('""')).toEqual([{ line: 1, cells: [''] }]);
	});

	it('counts lines: a record after a long multi-line quoted field starts on its own physical line', () => {
		const text = 'h\r\n"' + 'x\r\n'.repeat(50) + '"\r\nnext\r\n';
		expect(recordsOf(text).map((record) => record.line)).toEqual([1, 2, 53]);
		const reader = new CsvReader();
		reader.push(text);
		reader.end();
		expect(reader.lines).toBe(53);
	});

	it('counts the physical lines of the file', () => {
		const linesOf = (text: string) => {
			const reader = new CsvReader();
			reader.push(text);
			reader.end();
			return reader.lines;
		};
		expect(linesOf('')).toBe(0);
		expect(linesOf('a')).toBe(1);
		expect(linesOf('a\r\n')).toBe(1);
		expect(linesOf('a\r\nb')).toBe(2);
		expect(linesOf('a\r\n\r\n')).toBe(2);
		expect(linesOf('a\r"b\rc"')).toBe(3);
	});

	it('reads a long file in pieces of any size with the same result as in one piece', () => {
		const lines = ['id,text'];
		for (let n = 0; n < 2000; n++) lines.push(n % 7 === 0 ? `${n},"multi\r\nline, ""${n}"""` : `${n},plain ${n}`);
		const text = `${lines.join('\r\n')}\r\n`;
		const whole = recordsOf(text);
		expect(whole).toHaveLength(2001);
		expect(whole[1]).toEqual({ line: 2, cells: ['0', 'multi\r\nline, "0"'] });
		expect(whole[2]).toEqual({ line: 4, cells: ['1', 'plain 1'] });
		for (const size of [1, 2, 3, 7, 64, 1000, 4096]) {
			const pieces: string[] = [];
			for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
			expect(recordsOf('', pieces)).toEqual(whole);
		}
	});

	describe('malformed text: CsvFormatError naming the line, at every cut too', () => {
		const cases: Array<[string, string, number, string]> = [
			['a quote inside an unquoted field', 'a,b\r\n"x\r\ny",1\r\nab"c,2\r\n', 4, 'a quote appears inside a field that does not start with a quote'],
			['a quote at the end of an unquoted field', 'a,b\r\n1,2"\r\n', 2, 'a quote appears inside a field that does not start with a quote'],
			['an unterminated quote', 'a,b\r\n1,2\r\n3,"four\r\n5,6\r\n', 3, 'the file ends inside a quoted field that starts here'],
			['an unterminated quote right at the end', 'a\r\n"', 2, 'the file ends inside a quoted field that starts here'],
			['an escaped quote and no closing one', 'a\r\n"x""', 2, 'the file ends inside a quoted field that starts here'],
			['text after a closing quote', 'a,b\r\n1,2\r\n"x"\r\n"3"4,5\r\n', 4, 'text follows the closing quote of a field'],
			['text after a closing quote that spans lines', 'a,b\r\n"x\ny\rz" ,2\r\n', 4, 'text follows the closing quote of a field'],
		];
		it.each(cases)('%s', (_name, text, line, problem) => {
			const error = errorOf(() => recordsOf(text));
			expect(error.line).toBe(line);
			expect(error.message).toBe(`Line ${line}: ${problem}`);
			expect(error.name).toBe('CsvFormatError');
			for (const pieces of splits(text)) expect({ pieces, outcome: outcomeOf(pieces) }).toEqual({ pieces, outcome: { line, message: error.message } });
		});
	});

	it('refuses a record longer than 4 MB, naming the line where it starts: a quoted field that never ends', () => {
		const text = `a,b\r\n1,2\r\n3,"${'x'.repeat(5 * 1024 * 1024)}`;
		const reader = new CsvReader();
		const pushAll = () => {
			for (let at = 0; at < text.length; at += 64 * 1024) reader.push(text.slice(at, at + 64 * 1024));
		};
		const error = errorOf(pushAll);
		expect(error.message).toBe('Line 3: a record longer than 4 MB starts here; the file is probably not CSV');
		expect(error.line).toBe(3);
		const limit = 4 * 1024 * 1024;
		expect(recordsOf(`h\r\n${'x'.repeat(limit)}\r\n`)[1].cells[0]).toHaveLength(limit);
		expect(errorOf(() => recordsOf(`h\r\n${'x'.repeat(limit + 1)}\r\n`)).message).toBe(
			'Line 2: a record longer than 4 MB starts here; the file is probably not CSV',
		);
	});

	it('refuses text after end()', () => {
		const reader = new CsvReader();
		reader.end();
		expect(() => reader.push('a')).toThrow('push() after end()');
	});
});
