/**
 * Date bounds are instants, inclusive on both ends, as a real DateTime API compares them: a zoned
 * bound is that instant, an unzoned bound is UTC, a date alone is midnight, `/Date(ms)/` is ms, and
 * fractional seconds go to 7 digits. Each case is chosen so that calendar-day comparison would
 * give another answer.
 */
import { startSandbox, RunningSandbox, SandboxCustomer } from '../../sandbox';
import { apiClient, json, parseCsv, waitForTask, CRM_NS, ARRAYS_NS } from './sandboxClient';

let sandbox: RunningSandbox;
let car: SandboxCustomer[];
let carPos: string[];
/** A CAR customer created well inside a day (not near midnight), and a client with transactions. */
let target: SandboxCustomer;
let client: SandboxCustomer;

const at = (iso: string) => Date.parse(iso);
const day = (iso: string) => iso.slice(0, 10);
/** The same instant written with a UTC offset of `minutes`, e.g. `2019-05-03T11:22:33.456+01:00`. */
function withOffset(iso: string, minutes: number): string {
	const local = new Date(at(iso) + minutes * 60000).toISOString().slice(0, -1);
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs(minutes);
	return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

beforeAll(async () => {
	sandbox = await startSandbox({ customers: 3000, exportDurationMs: 0 });
	car = [...sandbox.state.dataset.customersOfBrand('CAR')];
	carPos = sandbox.state.pointsOfSale.filter((pos) => pos.brand === 'CAR').map((pos) => pos.posCode);
	const hourOf = (iso: string) => new Date(iso).getUTCHours();
	target = car.find((c) => hourOf(c.creationDate) >= 3 && hourOf(c.creationDate) <= 20 && !c.creationDate.endsWith('.000Z'))!;
	client = car.find((c) => c.transactions.length >= 3 && c.transactions.every((t) => hourOf(t.date) >= 3 && hourOf(t.date) <= 20))!;
	expect(target).toBeDefined();
	expect(client).toBeDefined();
});
afterAll(() => sandbox.stop());

const ids = (list: SandboxCustomer[]) => list.map((c) => c.boosterCustomerId).sort();
const expectCar = (predicate: (c: SandboxCustomer) => boolean) => ids(car.filter(predicate));

let exportNumber = 0;
async function exportIds(filters: Record<string, unknown>): Promise<number[]> {
	const api = apiClient(sandbox, sandbox.accounts.main);
	const created = await api.post('/customer/CAR/export', { downloadRequestId: `dates-${++exportNumber}`, posCodes: carPos, ...filters });
	expect(created.status).toBe(200);
	const task = await waitForTask(sandbox, api, json(created).asyncTaskId);
	return parseCsv(String((await api.get(task.downloadUrl!)).data)).map((row) => Number(row.boosterCustomerId)).sort();
}

async function slimIds(filters: Record<string, string>): Promise<number[]> {
	const response = await apiClient(sandbox, sandbox.accounts.main).get('/customer/CAR/slim', { params: { posCodes: carPos.join(','), items: 1000, ...filters } });
	expect(response.status).toBe(200);
	const body = json(response);
	expect(body.totalResults).toBe(body.elements.length);
	return body.elements.map((element: { boosterCustomerId: number }) => element.boosterCustomerId).sort();
}

describe('creationDateFrom / creationDateTo (export and slim)', () => {
	it('a date alone is midnight: To = the creation day leaves out a customer created later that day', async () => {
		const to = day(target.creationDate);
		const expected = expectCar((c) => at(c.creationDate) <= Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10)));
		expect(expected).not.toContain(target.boosterCustomerId);
		expect(await exportIds({ creationDateTo: to })).toEqual(expected);
		expect(await slimIds({ creationDateTo: to })).toEqual(expected);
	});

	it('From = To = the creation instant selects exactly the customers created at that instant (inclusive both ends)', async () => {
		const expected = expectCar((c) => c.creationDate === target.creationDate);
		expect(expected).toContain(target.boosterCustomerId);
		for (const bound of [target.creationDate, target.creationDate.replace(/Z$/, ''), withOffset(target.creationDate, 60), withOffset(target.creationDate, -300), `/Date(${at(target.creationDate)})/`, `/Date(${at(target.creationDate)}+0100)/`]) {
			expect({ bound, ids: await slimIds({ creationDateFrom: bound, creationDateTo: bound }) }).toEqual({ bound, ids: expected });
		}
		expect(await exportIds({ creationDateFrom: withOffset(target.creationDate, 60), creationDateTo: withOffset(target.creationDate, 60) })).toEqual(expected);
	});

	it('one millisecond either side leaves the customer out', async () => {
		const after = new Date(at(target.creationDate) + 1).toISOString();
		const before = new Date(at(target.creationDate) - 1).toISOString();
		expect(await slimIds({ creationDateFrom: after, creationDateTo: after })).not.toContain(target.boosterCustomerId);
		expect(await slimIds({ creationDateFrom: before, creationDateTo: before })).not.toContain(target.boosterCustomerId);
		expect(await slimIds({ creationDateFrom: before, creationDateTo: after })).toContain(target.boosterCustomerId);
	});

	it('a zoned bound is that instant, not its calendar date: the same wall-clock time in +01:00 and -05:00 differs by 6 hours', async () => {
		// Wall clock of the creation instant, read in two zones: +01:00 is 1 h before it, -05:00 is 5 h after it.
		const wallClock = target.creationDate.slice(0, 23);
		const plusOne = await slimIds({ creationDateFrom: `${wallClock}+01:00`, creationDateTo: `${wallClock}+01:00` });
		const fromMinusFive = await slimIds({ creationDateFrom: `${wallClock}-05:00` });
		expect(plusOne).not.toContain(target.boosterCustomerId);
		expect(fromMinusFive).not.toContain(target.boosterCustomerId);
		expect(fromMinusFive).toEqual(expectCar((c) => at(c.creationDate) >= at(target.creationDate) + 5 * 3600000));
		expect(await slimIds({ creationDateTo: `${wallClock}-05:00` })).toContain(target.boosterCustomerId);
	});

	it('reads fractional seconds to 7 digits (XML DateTime) and refuses 8 digits with 400 naming the field', async () => {
		const base = target.creationDate.replace(/Z$/, ''); // …ss.fff
		expect(await slimIds({ creationDateFrom: `${base}0000Z`, creationDateTo: `${base}9999Z` })).toContain(target.boosterCustomerId);
		expect(await slimIds({ creationDateFrom: `${base}0001Z` })).not.toContain(target.boosterCustomerId);
		expect(await slimIds({ creationDateTo: `${base}0001Z` })).toContain(target.boosterCustomerId);
		const tooPrecise = await apiClient(sandbox, sandbox.accounts.main).get('/customer/CAR/slim', { params: { posCodes: carPos.join(','), creationDateFrom: `${base}00001Z` } });
		expect(tooPrecise.status).toBe(400);
		expect(json(tooPrecise).responseStatus.errors[0]).toMatchObject({ errorCode: 'SerializationException', fieldName: 'creationDateFrom' });
	});

	it('reads an XML body bound with 7 fractional digits and an offset', async () => {
		const bound = `${withOffset(target.creationDate, 60).replace(/(\.\d{3})/, '$1' + '0000')}`;
		expect(bound).toMatch(/\.\d{7}\+01:00$/);
		const xml = `<ExportCustomer xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${CRM_NS}"><creationDateFrom>${bound}</creationDateFrom><creationDateTo>${bound}</creationDateTo><posCodes xmlns:d2p1="${ARRAYS_NS}">${carPos.map((code) => `<d2p1:string>${code}</d2p1:string>`).join('')}</posCodes><downloadRequestId>dates-xml</downloadRequestId></ExportCustomer>`;
		const api = apiClient(sandbox, sandbox.accounts.main);
		const created = await api.post('/customer/CAR/export', xml, { headers: { 'Content-Type': 'application/xml' } });
		expect(created.status).toBe(200);
		const task = await waitForTask(sandbox, api, json(created).asyncTaskId);
		const rows = parseCsv(String((await api.get(task.downloadUrl!)).data));
		expect(rows.map((row) => Number(row.boosterCustomerId)).sort()).toEqual(expectCar((c) => c.creationDate === target.creationDate));
	});
});

describe('transactionDateFrom / transactionDateTo (export and slim)', () => {
	it('selects customers with a transaction at an instant inside the window, not on a day of it', async () => {
		const instant = client.transactions[0].date;
		const exact = expectCar((c) => c.transactions.some((t) => t.date === instant));
		expect(exact).toContain(client.boosterCustomerId);
		expect(await exportIds({ transactionDateFrom: instant, transactionDateTo: instant })).toEqual(exact);
		expect(await slimIds({ transactionDateFrom: withOffset(instant, 120), transactionDateTo: withOffset(instant, 120) })).toEqual(exact);
		// From = To = the day: only transactions at midnight count; by calendar day the client would be in.
		const onlyMidnight = expectCar((c) => c.transactions.some((t) => t.date === `${day(instant)}T00:00:00.000Z`));
		expect(onlyMidnight).not.toContain(client.boosterCustomerId);
		expect(await slimIds({ transactionDateFrom: day(instant), transactionDateTo: day(instant) })).toEqual(onlyMidnight);
	});

	it('a wide window whose ends are dates: To = the day of a single transaction leaves its customer out', async () => {
		const single = car.find((c) => c.transactions.length === 1 && new Date(c.transactions[0].date).getUTCHours() >= 1)!;
		expect(single).toBeDefined();
		const from = '2015-01-01';
		const to = day(single.transactions[0].date);
		const byInstant = expectCar((c) => c.transactions.some((t) => at(t.date) >= at(`${from}T00:00:00Z`) && at(t.date) <= at(`${to}T00:00:00Z`)));
		expect(byInstant).not.toContain(single.boosterCustomerId);
		expect(byInstant.length).toBeGreaterThan(0);
		expect(await exportIds({ transactionDateFrom: from, transactionDateTo: to })).toEqual(byInstant);
		expect(await exportIds({ transactionDateFrom: from, transactionDateTo: `${to}T23:59:59.9999999` })).toContain(single.boosterCustomerId);
	});
});

describe('GET /customer/{id}/kpi window', () => {
	const kpi = async (params: Record<string, string>) => json(await apiClient(sandbox, sandbox.accounts.main).get(`/customer/${client.boosterCustomerId}/kpi`, { params }));

	it('counts the transactions whose instant is inside [from, to], for every bound form', async () => {
		const [first, second] = client.transactions;
		const window = (fromMs: number, toMs: number) => client.transactions.filter((t) => at(t.date) >= fromMs && at(t.date) <= toMs).length;
		const cases: [string, string, number][] = [
			[first.date, first.date, window(at(first.date), at(first.date))],
			[withOffset(first.date, 60), withOffset(second.date, -480), window(at(first.date), at(second.date))],
			[`/Date(${at(first.date) + 1})/`, second.date.replace(/Z$/, ''), window(at(first.date) + 1, at(second.date))],
			[day(first.date), day(second.date), window(at(`${day(first.date)}T00:00:00Z`), at(`${day(second.date)}T00:00:00Z`))],
		];
		for (const [transactionDateFrom, transactionDateTo, expected] of cases) {
			const body = await kpi({ transactionDateFrom, transactionDateTo });
			expect({ transactionDateFrom, transactionDateTo, totalTransaction: body.totalTransaction }).toEqual({ transactionDateFrom, transactionDateTo, totalTransaction: expected });
			expect(body).toEqual(sandbox.state.computeKpi(client, transactionDateFrom, transactionDateTo));
		}
		expect(cases[0][2]).toBeGreaterThan(0);
		// The date-only window ends at midnight of the second transaction's day, so it leaves out that transaction (made later that day), which a calendar-day window would count.
		expect(cases[3][2]).toBeLessThan(window(at(`${day(first.date)}T00:00:00Z`), at(`${day(second.date)}T23:59:59.999Z`)));
	});

	it('state.computeKpi takes the same bounds as strings, Dates and ms', () => {
		const instant = client.transactions[1].date;
		const expected = sandbox.state.computeKpi(client, instant, instant);
		expect(expected.totalTransaction).toBeGreaterThan(0);
		expect(sandbox.state.computeKpi(client, new Date(instant), new Date(instant))).toEqual(expected);
		expect(sandbox.state.computeKpi(client, at(instant), at(instant))).toEqual(expected);
		expect(sandbox.state.computeKpi(client, at(instant) + 1, null).totalTransaction).toBe(client.transactions.filter((t) => at(t.date) > at(instant)).length);
	});

	it('answers 400 naming the field for an invalid date, and for an impossible one', async () => {
		for (const [name, value] of [['transactionDateFrom', '2024-02-30'], ['transactionDateTo', 'yesterday'], ['transactionDateTo', '2024-01-01T24:00:00'], ['transactionDateFrom', '2024-01-01T10:00:00+15:00']]) {
			const response = await apiClient(sandbox, sandbox.accounts.main).get(`/customer/${client.boosterCustomerId}/kpi`, { params: { [name]: value } });
			expect({ value, status: response.status, fieldName: json(response).responseStatus.errors[0].fieldName }).toEqual({ value, status: 400, fieldName: name });
		}
	});
});
