import { ExportCustomer, GetCustomerKpi } from '../../../nodes/Booster/api/dtos';
import { FieldError } from '../../../nodes/Booster/api/validation';
import { requestFromParameters } from '../../../nodes/Booster/helpers/request';

const ZURICH = 'Europe/Zurich';

function build(values: Record<string, unknown>, timeZone = ZURICH) {
	return requestFromParameters(ExportCustomer, values as never, timeZone);
}

function failure(values: Record<string, unknown>): FieldError {
	try {
		build(values);
	} catch (error) {
		return error as FieldError;
	}
	throw new Error('expected a FieldError');
}

describe('node parameters to API request', () => {
	it('accepts lists as typed arrays, comma-separated text or arrays of such text', () => {
		expect(build({ locationCountryIds: 'ch, fr,it' }).locationCountryIds).toEqual(['ch', 'fr', 'it']);
		expect(build({ locationCountryIds: ['ch', 'fr, it'] }).locationCountryIds).toEqual(['ch', 'fr', 'it']);
		expect(build({ boosterCustomerIds: '12, 34' }).boosterCustomerIds).toEqual([12, 34]);
		expect(build({ boosterCustomerIds: [12, 34] }).boosterCustomerIds).toEqual([12, 34]);
		expect(build({ posCodes: 'CH100:1\nCH100:2' }).posCodes).toEqual(['CH100:1', 'CH100:2']);
	});

	it('maps any / yes / no to absent, true and false', () => {
		expect(build({ canBeContactedByMaison: 'any' })).toEqual({});
		expect(build({ canBeContactedByMaison: 'yes', hasSapCrmError: 'no' })).toEqual({
			canBeContactedByMaison: true,
			hasSapCrmError: false,
		});
	});

	it('reads repeatable groups from the editor and lists from expressions alike', () => {
		const fromEditor = build({ interests: { interest: [{ interest: 'Art', sapInterestId: 'CA-1' }] } });
		const fromExpression = build({ interests: [{ interest: 'Art', sapInterestId: 'CA-1' }] });
		expect(fromEditor.interests).toEqual([{ interest: 'Art', sapInterestId: 'CA-1' }]);
		expect(fromExpression).toEqual(fromEditor);
	});

	it('reads a date picked in the editor as a time of the workflow time zone, sent in UTC as YYYY-MM-DDTHH:mm:ss.sssZ', () => {
		expect(build({ creationDateFrom: '2024-03-01' }, 'UTC').creationDateFrom).toBe('2024-03-01T00:00:00.000Z');
		expect(build({ creationDateFrom: '2024-03-01' }, 'Asia/Tokyo').creationDateFrom).toBe('2024-02-29T15:00:00.000Z');
		// Auckland is 13 hours ahead in March (daylight saving time), Los Angeles 8 hours behind.
		expect(build({ creationDateFrom: '2024-03-01T00:00:00' }, 'Pacific/Auckland').creationDateFrom).toBe('2024-02-29T11:00:00.000Z');
		expect(build({ creationDateFrom: '2024-03-01' }, 'America/Los_Angeles').creationDateFrom).toBe('2024-03-01T08:00:00.000Z');
		expect(build({ creationDateFrom: '2024-03-01T14:30:00' }, 'Asia/Tokyo').creationDateFrom).toBe('2024-03-01T05:30:00.000Z');
		expect(build({ transactionDateFrom: '2024-03-01 08:05' }, ZURICH).transactionDateFrom).toBe('2024-03-01T07:05:00.000Z');
		expect(build({ creationDateFrom: '2024-03-01T14:30:00.25' }, ZURICH).creationDateFrom).toBe('2024-03-01T13:30:00.250Z');
		// Summer time: Zurich is 2 hours ahead.
		expect(build({ creationDateFrom: '2024-07-01T14:30:00' }, ZURICH).creationDateFrom).toBe('2024-07-01T12:30:00.000Z');
	});

	it('a day without a time (or at midnight) that ends a range covers the whole day of the workflow time zone; a picked time is kept', () => {
		expect(build({ creationDateTo: '2024-12-31' }, 'UTC').creationDateTo).toBe('2024-12-31T23:59:59.999Z');
		expect(build({ creationDateTo: '2024-12-31' }, ZURICH).creationDateTo).toBe('2024-12-31T22:59:59.999Z');
		expect(build({ creationDateTo: '2024-03-01' }, ZURICH).creationDateTo).toBe('2024-03-01T22:59:59.999Z');
		expect(build({ creationDateTo: '2024-03-01T00:00:00' }, 'Pacific/Auckland').creationDateTo).toBe('2024-03-01T10:59:59.999Z');
		expect(build({ transactionDateTo: '2024-12-31T00:00:00' }, 'America/Los_Angeles').transactionDateTo).toBe('2025-01-01T07:59:59.999Z');
		expect(build({ transactionDateTo: '2024-12-31T17:45:10' }, ZURICH).transactionDateTo).toBe('2024-12-31T16:45:10.000Z');
		// The start of the same range is the first moment of its day.
		expect(build({ transactionDateFrom: '2024-12-31', transactionDateTo: '2024-12-31' }, ZURICH)).toEqual({
			transactionDateFrom: '2024-12-30T23:00:00.000Z',
			transactionDateTo: '2024-12-31T22:59:59.999Z',
		});
		// The KPI's range ends the same way.
		expect(
			requestFromParameters(GetCustomerKpi, { boosterCustomerId: 1, transactionDateFrom: '2024-01-01', transactionDateTo: '2024-01-31' }, ZURICH),
		).toEqual({ boosterCustomerId: 1, transactionDateFrom: '2023-12-31T23:00:00.000Z', transactionDateTo: '2024-01-31T22:59:59.999Z' });
	});

	it('reads a moment with a zone as that moment, whatever the workflow time zone', () => {
		// 23:30 in Zurich on 29 February is already 1 March in Tokyo: the same moment all the same.
		const moment = '2024-02-29T23:30:00+01:00';
		expect(build({ transactionDateTo: moment }, ZURICH).transactionDateTo).toBe('2024-02-29T22:30:00.000Z');
		expect(build({ transactionDateTo: moment }, 'Asia/Tokyo').transactionDateTo).toBe('2024-02-29T22:30:00.000Z');
		expect(build({ transactionDateTo: moment }, 'UTC').transactionDateTo).toBe('2024-02-29T22:30:00.000Z');
		expect(build({ transactionDateTo: new Date('2024-02-29T23:30:00Z') }, ZURICH).transactionDateTo).toBe('2024-02-29T23:30:00.000Z');
		expect(build({ creationDateFrom: '2024-07-01T12:00:00.123Z' }, 'America/New_York').creationDateFrom).toBe('2024-07-01T12:00:00.123Z');
		// A zoned moment that falls on midnight of the workflow's zone and ends a range covers that day (1 March in Zurich)...
		expect(build({ creationDateTo: '2024-02-29T23:00:00Z' }, ZURICH).creationDateTo).toBe('2024-03-01T22:59:59.999Z');
		expect(build({ creationDateFrom: '2024-02-29T23:00:00Z' }, ZURICH).creationDateFrom).toBe('2024-02-29T23:00:00.000Z');
		// ...but not a moment at midnight of another zone only.
		expect(build({ creationDateTo: '2024-02-29T23:00:00Z' }, 'UTC').creationDateTo).toBe('2024-02-29T23:00:00.000Z');
	});

	it('accepts luxon-like objects from expressions such as {{ $now }}', () => {
		const luxonLike = { toISO: () => '2024-06-30T22:15:00.000+00:00' };
		expect(build({ creationDateTo: luxonLike }, ZURICH).creationDateTo).toBe('2024-06-30T22:15:00.000Z');
	});

	it.each([
		['text as an amount', { clientSpendingFrom: 'lots' }, 'clientSpendingFrom'],
		['an impossible date', { creationDateFrom: '2023-02-30' }, 'creationDateFrom'],
		['a word as a date', { creationDateFrom: 'yesterday' }, 'creationDateFrom'],
		['a non-integer ID in a list', { boosterCustomerIds: '12, abc' }, 'boosterCustomerIds'],
		['an object in a text list', { locationCountryIds: [{ id: 'ch' }] }, 'locationCountryIds'],
		['a boolean that is neither', { hasSapCrmError: 'maybe' }, 'hasSapCrmError'],
		['a group entry that is not an object', { hobbies: ['golf'] }, 'hobbies[0]'],
	])('refuses %s, naming the field', (_, values, field) => {
		const error = failure(values);
		expect(error).toBeInstanceOf(FieldError);
		expect(error.field).toBe(field);
	});

	it('converts the KPI customer ID from text', () => {
		expect(requestFromParameters(GetCustomerKpi, { boosterCustomerId: ' 1234567 ' }, ZURICH)).toEqual({ boosterCustomerId: 1234567 });
	});
});
