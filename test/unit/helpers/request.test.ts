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

	it('keeps the calendar date picked in the editor, whatever the time zone', () => {
		expect(build({ creationDateFrom: '2024-03-01T00:00:00' }, 'Pacific/Auckland').creationDateFrom).toBe('2024-03-01');
		expect(build({ creationDateFrom: '2024-03-01' }, 'America/Los_Angeles').creationDateFrom).toBe('2024-03-01');
	});

	it('reads a moment with a zone in the workflow time zone, with no shift to UTC', () => {
		// 23:30 in Zurich on 29 February is already 1 March in Tokyo and still 29 February in UTC.
		const moment = '2024-02-29T23:30:00+01:00';
		expect(build({ transactionDateTo: moment }, ZURICH).transactionDateTo).toBe('2024-02-29');
		expect(build({ transactionDateTo: moment }, 'Asia/Tokyo').transactionDateTo).toBe('2024-03-01');
		expect(build({ transactionDateTo: new Date('2024-02-29T23:30:00Z') }, ZURICH).transactionDateTo).toBe('2024-03-01');
	});

	it('accepts luxon-like objects from expressions such as {{ $now }}', () => {
		const luxonLike = { toISO: () => '2024-06-30T22:15:00.000+00:00' };
		expect(build({ creationDateTo: luxonLike }, ZURICH).creationDateTo).toBe('2024-07-01');
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
