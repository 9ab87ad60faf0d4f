/**
 * Customer export files: rows typed by ExportedCustomer, UTF-8 split between Buffers, errors naming
 * the line; and a round trip against a real export of the sandbox.
 */
import { CsvFormatError, type CsvRecord } from '../../../nodes/Booster/api/csv';
import { CustomerRowReader, readCustomerFile } from '../../../nodes/Booster/api/export-file';
import { type Dto, field } from '../../../nodes/Booster/api/schema';
import { type RunningSandbox, type SandboxCustomer, startSandbox } from '../../sandbox';

function errorOf(read: () => unknown): CsvFormatError {
	try {
		read();
	} catch (error) {
		expect(error).toBeInstanceOf(CsvFormatError);
		return error as CsvFormatError;
	}
	throw new Error('expected a CsvFormatError');
}

async function rejectionOf(promise: Promise<unknown>): Promise<CsvFormatError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(CsvFormatError);
		return error as CsvFormatError;
	}
	throw new Error('expected a CsvFormatError');
}

/** Reads `chunks` with readCustomerFile; answers the rows, the batches' sizes and the line count (and checks the row count). */
async function readFile(chunks: Array<Buffer | string>) {
	const rows: Array<Record<string, unknown>> = [];
	const batches: number[] = [];
	const totals = await readCustomerFile(
		(async function* () {
			yield* chunks;
		})(),
		(batch) => {
			batches.push(batch.length);
			rows.push(...batch);
		},
	);
	expect(totals.rows).toBe(rows.length);
	return { rows, batches, lines: totals.lines };
}

const COLUMNS = [
	'boosterCustomerId',
	'sapId',
	'brand',
	'posCode',
	'firstName',
	'lastName',
	'email',
	'phone',
	'locationCountryId',
	'customerStatus',
	'birthDate',
	'creationDate',
	'canBeContactedByMaison',
	'hasSapCrmError',
	'interests',
	'hobbies',
	'productCollections',
	'productCategories',
	'saleRepresentativeEmails',
	'totalTransaction',
	'totalSpendingAmount',
	'currencyCode',
];

const header = (...cells: string[]): CsvRecord => ({ line: 1, cells });
const record = (line: number, ...cells: string[]): CsvRecord => ({ line, cells });

/** One value in one typed column: the row reader's answer for `text`. */
function typed(column: string, text: string): unknown {
	return new CustomerRowReader(header(column)).read(record(2, text))[column];
}

describe('CustomerRowReader: typed rows', () => {
	const reader = new CustomerRowReader(header(...COLUMNS));
	const full = [
		'1000001',
		'4000000000',
		'CAR',
		'GB100:100144',
		'Zoë',
		'Brown, Jr.',
		'zoe.brown@example.com',
		'+44679889572',
		'gb',
		'Client',
		'1990-11-05',
		'2021-12-16T08:14:00.522Z',
		'true',
		'false',
		'CA-4',
		'',
		'PC-3|PC-2',
		'JEW-N-PEN-GOLD',
		'rep1@sandbox.booster|rep2@sandbox.booster',
		'4',
		'46165.5',
		'GBP',
	];

	it('types every column of ExportedCustomer, keyed and ordered as the header', () => {
		const row = reader.read(record(2, ...full));
		expect(row).toStrictEqual({
			boosterCustomerId: 1000001,
			sapId: '4000000000',
			brand: 'CAR',
			posCode: 'GB100:100144',
			firstName: 'Zoë',
			lastName: 'Brown, Jr.',
			email: 'zoe.brown@example.com',
			phone: '+44679889572',
			locationCountryId: 'gb',
			customerStatus: 'Client',
			birthDate: '1990-11-05',
			creationDate: '2021-12-16T08:14:00.522Z',
			canBeContactedByMaison: true,
			hasSapCrmError: false,
			interests: ['CA-4'],
			hobbies: [],
			productCollections: ['PC-3', 'PC-2'],
			productCategories: ['JEW-N-PEN-GOLD'],
			saleRepresentativeEmails: ['rep1@sandbox.booster', 'rep2@sandbox.booster'],
			totalTransaction: 4,
			totalSpendingAmount: 46165.5,
			currencyCode: 'GBP',
		});
		expect(Object.keys(row)).toEqual(COLUMNS);
		expect(reader.columns).toEqual(COLUMNS);
	});

	it('gives null for an empty cell of a known column, and an empty list for a list column', () => {
		const row = reader.read(record(2, ...COLUMNS.map(() => '')));
		for (const column of COLUMNS) {
			const isList = ['interests', 'hobbies', 'productCollections', 'productCategories', 'saleRepresentativeEmails'].includes(column);
			expect({ column, value: row[column] }).toStrictEqual({ column, value: isList ? [] : null });
		}
	});

	it('keeps a column the DTO does not know as its text, unchanged, in header order', () => {
		const withNew = new CustomerRowReader(header('loyaltyTier', 'boosterCustomerId', 'notes', 'zip'));
		expect(withNew.read(record(2, 'Gold', '7', '', '007'))).toStrictEqual({ loyaltyTier: 'Gold', boosterCustomerId: 7, notes: '', zip: '007' });
		expect(Object.keys(withNew.read(record(3, 'x', '8', 'y', 'z')))).toEqual(['loyaltyTier', 'boosterCustomerId', 'notes', 'zip']);
	});

	it('trims header names, names an empty one column<N>, and types a known name written in another case under the name as written', () => {
		const reader = new CustomerRowReader(header(' boosterCustomerId ', '', 'HasSapCrmError', '  '));
		expect(reader.columns).toEqual(['boosterCustomerId', 'column2', 'HasSapCrmError', 'column4']);
		expect(reader.read(record(2, '12', 'a', 'TRUE', 'b'))).toStrictEqual({ boosterCustomerId: 12, column2: 'a', HasSapCrmError: true, column4: 'b' });
	});

	it('keeps a __proto__ column as an ordinary property', () => {
		const row = new CustomerRowReader(header('__proto__', 'email')).read(record(2, 'x', 'a@b.c'));
		expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
		expect(Object.keys(row)).toEqual(['__proto__', 'email']);
		expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
	});

	it('reads whole numbers strictly', () => {
		expect(typed('boosterCustomerId', '0')).toBe(0);
		expect(typed('boosterCustomerId', '-12')).toBe(-12);
		expect(typed('boosterCustomerId', '007')).toBe(7);
		expect(typed('boosterCustomerId', '9007199254740991')).toBe(9007199254740991);
		expect(Object.is(typed('totalTransaction', '-0'), 0)).toBe(true);
		for (const bad of ['12a', '1.5', '1e3', ' 12', '12 ', '+12', '-', '0x10', '9007199254740992', '1,000']) {
			const error = errorOf(() => typed('boosterCustomerId', bad));
			expect(error.message).toBe(`Line 2: boosterCustomerId should be a whole number but is ${JSON.stringify(bad)}`);
			expect(error.line).toBe(2);
		}
	});

	it('reads numbers in decimal notation strictly', () => {
		expect(typed('totalSpendingAmount', '46165')).toBe(46165);
		expect(typed('totalSpendingAmount', '-1234.56')).toBe(-1234.56);
		expect(typed('totalSpendingAmount', '0.1')).toBe(0.1);
		expect(typed('totalSpendingAmount', '.5')).toBe(0.5);
		expect(typed('totalSpendingAmount', '1.5E+3')).toBe(1500);
		expect(typed('totalSpendingAmount', '12345678901234567890')).toBe(12345678901234567890);
		expect(typed('totalSpendingAmount', '-.5')).toBe(-0.5);
		expect(typed('totalSpendingAmount', '5.')).toBe(5);
		expect(Object.is(typed('totalSpendingAmount', '-0.0'), 0)).toBe(true);
		// Exactly the double Number() gives.
		const reader = new CustomerRowReader(header('totalSpendingAmount'));
		for (let n = 0; n < 3000; n++) {
			const digits = String((n * 7919 * 104729) % 10 ** ((n % 15) + 1));
			const point = n % (digits.length + 1);
			const text = `${n % 3 === 0 ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
			const value = reader.read(record(2, text)).totalSpendingAmount;
			expect({ text, value }).toEqual({ text, value: Number(text) === 0 ? 0 : Number(text) });
		}
		for (const bad of ['1,5', 'NaN', 'Infinity', '1e999', '0x10', ' 1', '1.2.3', '€5']) {
			expect(errorOf(() => typed('totalSpendingAmount', bad)).message).toBe(`Line 2: totalSpendingAmount should be a number but is ${JSON.stringify(bad)}`);
		}
	});

	it('reads booleans: true/false in any case, 1 and 0', () => {
		expect(['true', 'TRUE', 'True', '1', 'false', 'FALSE', 'False', '0'].map((text) => typed('hasSapCrmError', text))).toEqual([
			true,
			true,
			true,
			true,
			false,
			false,
			false,
			false,
		]);
		expect(errorOf(() => typed('canBeContactedByMaison', 'yes')).message).toBe('Line 2: canBeContactedByMaison should be true or false but is "yes"');
	});

	it('reads date-times as ISO 8601: /Date(ms)/ and zoned ones in UTC, unzoned ones as written with a T', () => {
		const cases: Array<[string, string]> = [
			['2019-03-04T10:22:31.123Z', '2019-03-04T10:22:31.123Z'],
			['2019-03-04T10:22:31Z', '2019-03-04T10:22:31.000Z'],
			['2019-03-04t10:22:31.123z', '2019-03-04T10:22:31.123Z'],
			['2019-03-04T10:22:31.1234567Z', '2019-03-04T10:22:31.123Z'],
			['2019-03-04T10:22:31.5+01:00', '2019-03-04T09:22:31.500Z'],
			['2019-03-04T00:30:00+0100', '2019-03-03T23:30:00.000Z'],
			['2019-03-04T22:00-05', '2019-03-05T03:00:00.000Z'],
			['2019-03-04 10:22:31Z', '2019-03-04T10:22:31.000Z'],
			['/Date(1551694951123)/', '2019-03-04T10:22:31.123Z'],
			['/Date(1551694951123+0100)/', '2019-03-04T10:22:31.123Z'],
			['/Date(-1000)/', '1969-12-31T23:59:59.000Z'],
			['2019-03-04T10:22:31', '2019-03-04T10:22:31'],
			['2019-03-04T10:22:31.1234567', '2019-03-04T10:22:31.1234567'],
			['2019-03-04 10:22', '2019-03-04T10:22'],
			['2019-03-04', '2019-03-04'],
			['2020-02-29T00:00:00Z', '2020-02-29T00:00:00.000Z'],
			['2000-02-29T23:59:59.999Z', '2000-02-29T23:59:59.999Z'],
			['0099-12-31T00:00:00Z', '0099-12-31T00:00:00.000Z'],
		];
		for (const [text, expected] of cases) expect({ text, value: typed('creationDate', text) }).toEqual({ text, value: expected });
		const bad = [
			'yesterday',
			'2019-02-29T00:00:00Z',
			'2019-02-29T00:00:00.000Z',
			'1900-02-29T00:00:00.000Z',
			'2019-04-31T00:00:00.000Z',
			'2019-03-04T10:22:60.000Z',
			'2019-13-01',
			'2019-03-04T24:00:00Z',
			'2019-03-04T10:60:00Z',
			'2019-03-04T10:22:31+25:00',
			'04/03/2019',
			'2019-3-4',
			'/Date(abc)/',
		];
		for (const text of bad) {
			expect(errorOf(() => typed('creationDate', text)).message).toBe(
				`Line 2: creationDate should be an ISO 8601 date and time (such as 2019-03-04T10:22:31Z) but is ${JSON.stringify(text)}`,
			);
		}
	});

	it('splits list columns at | and keeps the items as written', () => {
		expect(typed('interests', 'CA-1')).toEqual(['CA-1']);
		expect(typed('interests', 'CA-1|CA-2|CA-3')).toEqual(['CA-1', 'CA-2', 'CA-3']);
		expect(typed('interests', 'a||b|')).toEqual(['a', '', 'b', '']);
		expect(typed('interests', ' a ')).toEqual([' a ']);
		expect(typed('interests', '')).toEqual([]);
	});

	it('types lists of other kinds and GUIDs for another DTO', () => {
		const Other = {
			name: 'Other',
			namespace: 'urn:x',
			fields: { ids: field.list('int', 'IDs'), taskId: field.guid('Task ID'), when: field.dateTime('When') },
		} satisfies Dto;
		const reader = new CustomerRowReader(header('ids', 'taskId', 'when'), Other);
		expect(reader.read(record(2, '1|2|3', '0F8FAD5BD9CB469FA16570867728950E', ''))).toStrictEqual({
			ids: [1, 2, 3],
			taskId: '0f8fad5b-d9cb-469f-a165-70867728950e',
			when: null,
		});
		expect(errorOf(() => reader.read(record(3, '1||3', '', ''))).message).toBe('Line 3: ids should be whole numbers separated by | but is "1||3"');
		expect(errorOf(() => reader.read(record(4, '', 'nope', ''))).message).toBe('Line 4: taskId should be a GUID but is "nope"');
	});

	it('refuses a row with more or fewer fields than the header', () => {
		const more = errorOf(() => reader.read(record(9, ...full, 'extra')));
		expect(more.message).toBe('Line 9: 23 fields, but the header has 22');
		expect(more.line).toBe(9);
		expect(errorOf(() => reader.read(record(4, 'x'))).message).toBe('Line 4: 1 field, but the header has 22');
	});

	it('refuses a header that names a column twice, also once trimmed or generated', () => {
		const twice = errorOf(() => new CustomerRowReader(header('boosterCustomerId', 'email', 'phone', 'email')));
		expect(twice.message).toBe('Line 1: the column "email" appears twice');
		expect(twice.line).toBe(1);
		expect(errorOf(() => new CustomerRowReader(header('email', ' email'))).message).toBe('Line 1: the column "email" appears twice');
		expect(errorOf(() => new CustomerRowReader(header('column2', ''))).message).toBe('Line 1: the column "column2" appears twice');
	});

	it('shortens a long bad value in the message', () => {
		const message = errorOf(() => typed('boosterCustomerId', 'x'.repeat(500))).message;
		expect(message).toBe(`Line 2: boosterCustomerId should be a whole number but is "${'x'.repeat(80)}…"`);
	});
});

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('readCustomerFile: a file as it streams', () => {
	it('gives no rows and no error for an empty file, and for a header alone', async () => {
		expect(await readFile([])).toEqual({ rows: [], batches: [], lines: 0 });
		expect(await readFile([Buffer.alloc(0), ''])).toEqual({ rows: [], batches: [], lines: 0 });
		expect(await readFile([utf8('\uFEFF')])).toEqual({ rows: [], batches: [], lines: 0 });
		expect(await readFile([utf8('boosterCustomerId,email\r\n')])).toEqual({ rows: [], batches: [], lines: 1 });
		expect(await readFile([utf8('boosterCustomerId,email')])).toEqual({ rows: [], batches: [], lines: 1 });
	});

	it('reads a BOM, CRLF and quoted fields; hands rows over once per chunk that completed some', async () => {
		const chunks = [
			utf8('\uFEFFboosterCustomerId,lastName,interests\r\n1,"Smith, ""J"""'),
			utf8(',CA-1|CA-2\r\n2,"Two\r\nLines",\r\n3,'),
			utf8('Three,'),
			utf8('CA-3\r\n'),
		];
		const read = await readFile(chunks);
		expect(read.rows).toStrictEqual([
			{ boosterCustomerId: 1, lastName: 'Smith, "J"', interests: ['CA-1', 'CA-2'] },
			{ boosterCustomerId: 2, lastName: 'Two\r\nLines', interests: [] },
			{ boosterCustomerId: 3, lastName: 'Three', interests: ['CA-3'] },
		]);
		expect(read.batches).toEqual([2, 1]);
		expect(read.lines).toBe(5);
	});

	it('returns the counts and waits for each batch before reading on', async () => {
		const text = `boosterCustomerId\r\n${Array.from({ length: 100 }, (_, n) => n).join('\r\n')}`;
		const chunks = text.match(/[^]{1,37}/g)!.map(utf8);
		let busy = false;
		let seen = 0;
		const totals = await readCustomerFile(chunks, async (rows) => {
			expect(busy).toBe(false);
			busy = true;
			await new Promise((resolve) => setImmediate(resolve));
			for (const row of rows) expect(row.boosterCustomerId).toBe(seen++);
			busy = false;
		});
		expect(totals).toEqual({ rows: 100, lines: 101 });
		expect(seen).toBe(100);
	});

	it('accepts text chunks too', async () => {
		expect((await readFile(['email\r\n', 'a@b.c\r\n'])).rows).toEqual([{ email: 'a@b.c' }]);
	});

	const MULTIBYTE = '\uFEFFfirstName,lastName,city,note\r\nZoë,Müller,北京,"😀, ok"\r\n𝄞,"Ł\r\nź",東京,🇨🇭\r\n';
	const MULTIBYTE_ROWS = [
		{ firstName: 'Zoë', lastName: 'Müller', city: '北京', note: '😀, ok' },
		{ firstName: '𝄞', lastName: 'Ł\r\nź', city: '東京', note: '🇨🇭' },
	];

	it('keeps multi-byte characters split between two Buffers at every byte', async () => {
		const bytes = utf8(MULTIBYTE);
		for (let at = 0; at <= bytes.length; at++) {
			const read = await readFile([bytes.subarray(0, at), bytes.subarray(at)]);
			expect({ at, rows: read.rows, lines: read.lines }).toEqual({ at, rows: MULTIBYTE_ROWS, lines: 4 });
		}
	});

	it('keeps multi-byte characters when every byte is a Buffer of its own', async () => {
		const bytes = utf8(MULTIBYTE);
		const read = await readFile([...bytes].map((byte) => Buffer.from([byte])));
		expect(read.rows).toEqual(MULTIBYTE_ROWS);
	});

	it('refuses bytes that are not UTF-8, naming their line, wherever the chunks are cut', async () => {
		const bytes = Buffer.concat([utf8('email,lastName\r\na@b.c,"Two\r\nlines"\r\nx@y.z,Zo'), Buffer.from([0xeb]), utf8('\r\nlast,row\r\n')]);
		for (let at = 0; at <= bytes.length; at++) {
			const error = await rejectionOf(readFile([bytes.subarray(0, at), bytes.subarray(at)]));
			expect({ at, line: error.line, message: error.message }).toEqual({
				at,
				line: 4,
				message: 'Line 4: this line holds bytes that are not UTF-8 text (was the file saved in another encoding?)',
			});
		}
		const error = await rejectionOf(readFile([...bytes].map((byte) => Buffer.from([byte]))));
		expect(error.line).toBe(4);
	});

	it('refuses a file that ends in the middle of a character', async () => {
		const bytes = utf8('email\r\nZoë\r\nZo\u00eb');
		const error = await rejectionOf(readFile([bytes.subarray(0, bytes.length - 1)]));
		expect(error.message).toBe('Line 3: the file ends in the middle of a UTF-8 character');
	});

	it('refuses a malformed file or row with the line, through the stream', async () => {
		const bad = await rejectionOf(readFile([utf8('boosterCustomerId,email\r\n1,a@b.c\r\n"2\r\n3",x\r\n12a,y\r\n')]));
		expect(bad.message).toBe('Line 3: boosterCustomerId should be a whole number but is "2\\r\\n3"');
		const wide = await rejectionOf(readFile([utf8('a,b\r\n1,2\r\n1,2,3\r\n')]));
		expect(wide.message).toBe('Line 3: 3 fields, but the header has 2');
		const open = await rejectionOf(readFile([utf8('a,b\r\n1,"2\r\n')]));
		expect(open.message).toBe('Line 2: the file ends inside a quoted field that starts here');
		const twice = await rejectionOf(readFile([utf8('email,email\r\n')]));
		expect(twice.message).toBe('Line 1: the column "email" appears twice');
	});
});

describe('round trip: an export of the sandbox read back', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ customers: 12000, exportDurationMs: 0 });
	});
	afterAll(() => sandbox.stop());

	/** What the file should say of a customer: the sandbox's data, typed as ExportedCustomer. */
	function expectedRow(customer: SandboxCustomer): Record<string, unknown> {
		const kpi = sandbox.state.computeKpi(customer);
		return {
			boosterCustomerId: customer.boosterCustomerId,
			sapId: customer.sapId,
			brand: customer.brand,
			posCode: customer.posCode,
			firstName: customer.firstName,
			lastName: customer.lastName,
			email: customer.email,
			phone: customer.phone,
			locationCountryId: customer.locationCountryId,
			customerStatus: customer.customerStatus,
			birthDate: customer.birthDate,
			creationDate: customer.creationDate,
			canBeContactedByMaison: customer.canBeContactedByMaison,
			hasSapCrmError: customer.hasSapCrmError,
			interests: customer.interests.map((entry) => entry.sapInterestId),
			hobbies: customer.hobbies.map((entry) => entry.sapHobbyId),
			productCollections: customer.productCollections.map((entry) => entry.sapProductCollectionId),
			productCategories: customer.productCategories.map((entry) => entry.subCategoryId),
			saleRepresentativeEmails: customer.saleRepresentativeEmails,
			totalTransaction: kpi.totalTransaction,
			totalSpendingAmount: kpi.totalSpendingAmount,
			currencyCode: customer.currencyCode,
		};
	}

	it('every row of a CAR export, streamed over HTTP, equals the sandbox customer field for field and type for type', async () => {
		const headers = { Authorization: `Bearer ${sandbox.accounts.main.apiKey}`, Accept: 'application/json' };
		const posCodes = sandbox.state.pointsOfSale.filter((pos) => pos.brand === 'CAR').map((pos) => pos.posCode);
		const created = await fetch(`${sandbox.url}/customer/CAR/export`, {
			method: 'POST',
			headers: { ...headers, 'Content-Type': 'application/json' },
			body: JSON.stringify({ downloadRequestId: 'csv-round-trip', posCodes }),
		});
		expect(created.status).toBe(200);
		const { asyncTaskId } = (await created.json()) as { asyncTaskId: string };
		let task: { status: string; downloadUrl: string | null; totalResults: number | null };
		for (;;) {
			task = (await (await fetch(`${sandbox.url}/tasks/${asyncTaskId}`, { headers })).json()) as typeof task;
			if (task.status === 'COM' || task.status === 'ERR') break;
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		expect(task.status).toBe('COM');

		const download = await fetch(task.downloadUrl!, { headers: { Authorization: headers.Authorization } });
		expect(download.status).toBe(200);
		const rows: Array<Record<string, unknown>> = [];
		let batches = 0;
		const totals = await readCustomerFile(download.body as unknown as AsyncIterable<Uint8Array>, (batch) => {
			batches++;
			rows.push(...batch);
		});

		const customers = [...sandbox.state.dataset.customersOfBrand('CAR')];
		expect(customers.length).toBeGreaterThan(2000);
		expect(totals).toEqual({ rows: customers.length, lines: customers.length + 1 });
		expect(task.totalResults).toBe(customers.length);
		expect(batches).toBeGreaterThan(1);
		expect(customers.some((customer) => customer.birthDate === null)).toBe(true);
		expect(customers.some((customer) => customer.interests.length > 1)).toBe(true);
		expect(customers.some((customer) => /[^\x00-\x7f]/.test(customer.lastName))).toBe(true);
		for (let index = 0; index < customers.length; index++) {
			const expected = expectedRow(customers[index]);
			expect(rows[index]).toStrictEqual(expected);
			expect(Object.keys(rows[index])).toEqual(sandbox.state.csvColumns);
		}
	});
});
