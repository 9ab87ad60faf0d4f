import { parseResponse } from '../../../nodes/Booster/api/parse';
import { GetCustomerKpiResponse } from '../../../nodes/Booster/api/dtos';
import { mayHoldSecret, redactDeep } from '../../../nodes/Booster/transport/secrets';

const SECRET = 'bst_sandbox_main_key';

describe('whether an answer is searched for secrets', () => {
	it('skips a JSON answer that holds no secret and no escape, even with "&" in its links', () => {
		expect(mayHoldSecret('[{"signedDownloadUrl":"https://f.test/a.csv?expires=1&signature=2"}]', [SECRET], 'json')).toBe(false);
	});

	it('searches a JSON answer that holds a secret or a backslash escape', () => {
		expect(mayHoldSecret(`{"a":"Bearer ${SECRET}"}`, [SECRET], 'json')).toBe(true);
		expect(mayHoldSecret('{"a":"Bearer \\u0062st_sandbox_main_key"}', [SECRET], 'json')).toBe(true);
	});

	it('always searches an XML answer: markup can split a secret that parsing joins again', () => {
		const spliced = [
			`<GetCustomerKpiResponse><currencyCode>bst_sandbox<!-- -->_main_key</currencyCode></GetCustomerKpiResponse>`,
			`<GetCustomerKpiResponse><currencyCode>bst_<![CDATA[sandbox_main]]>_key</currencyCode></GetCustomerKpiResponse>`,
			`<GetCustomerKpiResponse><currencyCode>&#98;st_sandbox_main_key</currencyCode></GetCustomerKpiResponse>`,
		];
		for (const raw of spliced) {
			expect(raw).not.toContain(SECRET);
			const parsed = parseResponse(GetCustomerKpiResponse, raw, 'xml') as Record<string, unknown>;
			expect(parsed.currencyCode).toBe(SECRET);
			expect(mayHoldSecret(raw, [SECRET], 'xml')).toBe(true);
			expect(redactDeep(parsed, [SECRET]).currencyCode).toBe('[redacted]');
		}
	});

	it('searches nothing without secrets', () => {
		expect(mayHoldSecret(`{"a":"\\\\"}`, [], 'json')).toBe(false);
		expect(mayHoldSecret('<a>&#98;</a>', [], 'xml')).toBe(false);
	});
});
