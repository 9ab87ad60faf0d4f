import { ResponseFormatError } from '../../../nodes/Booster/api/response-format-error';
import { decodeEntities, parseXmlDocument, parseXmlList } from '../../../nodes/Booster/api/xml';

/** The sandbox's DataContract writer: the XML the trigger's poll reads. */
const { writeXml } = require('../../sandbox/lib/datacontract') as { writeXml: (contract: string, value: unknown) => string };

describe('XML lists', () => {
	it('reads the items of a list whatever their element name, nested members included', () => {
		const nested =
			'<ArrayOfTask xmlns="urn:x"><Task><asyncTaskId>1</asyncTaskId><tags><d2p1:string>a</d2p1:string><d2p1:string>b</d2p1:string></tags></Task></ArrayOfTask>';
		expect(parseXmlList(nested)).toEqual([{ asyncTaskId: '1', tags: { 'd2p1:string': ['a', 'b'] } }]);
		expect(parseXmlList('<ArrayOfTask><!-- one --><Task><brand>CAR</brand></Task></ArrayOfTask>')).toEqual([{ brand: 'CAR' }]);
		expect(parseXmlList('<ArrayOfTask xmlns="urn:x"/>')).toEqual([]);
	});

	it("refuses malformed lists with the validator's message, and any DOCTYPE", () => {
		for (const malformed of [
			'<ArrayOfTask><Task><brand>CAR</brnd></Task></ArrayOfTask>',
			'<ArrayOfTask><Task><brand>CAR</brand></Task>',
			'<ArrayOfTask><Task><brand>CAR</brand></Task></ArrayOfTask><ArrayOfTask/>',
			'<ArrayOfTask/><Other/>',
		]) {
			expect(() => parseXmlList(malformed)).toThrow(ResponseFormatError);
			expect(() => parseXmlList(malformed)).toThrow(/not well-formed XML/);
		}
		expect(() => parseXmlList('<!DOCTYPE x [<!ENTITY a "b">]><ArrayOfTask/>')).toThrow(/DOCTYPE or ENTITY/);
	});

	it("reads the task list as the sandbox writes it (the trigger's poll)", () => {
		const task = (n: number, status: string) => ({
			asyncTaskId: `0f8fad5bd9cb469fa1657086772895${n}0`,
			type: 'crm',
			requestDate: '2026-11-22T10:00:00Z',
			status,
			percentage: status === 'COM' ? 100 : 40,
			brand: 'CAR',
			downloadUrl: status === 'COM' ? `https://booster.test/tasks/${n}/file` : null,
			signedDownloadUrl: status === 'COM' ? `https://files.test/${n}.csv?expires=1&signature=a<b>` : null,
			totalResults: 12,
			totalSucceeded: null,
			totalFailed: 0,
		});
		const items = parseXmlList(writeXml('ArrayOfTask', [task(1, 'COM'), task(2, 'INP'), task(3, 'ERR')]));
		expect(items).toHaveLength(3);
		expect((items as Array<Record<string, unknown>>)[0].signedDownloadUrl).toBe('https://files.test/1.csv?expires=1&signature=a<b>');
		expect((items as Array<Record<string, unknown>>)[1].downloadUrl).toEqual({ '@_i:nil': 'true' });
	});
});

describe('entity decoding', () => {
	it('decodes the five XML entities and character references, once', () => {
		expect(decodeEntities('&lt;a&gt; &amp;amp; &quot;&apos; Z&#252;rich caf&#xE9; &#x1F48E;')).toBe('<a> &amp; "\' Zürich café 💎');
	});

	it('leaves unknown names and references to characters XML forbids as written', () => {
		expect(decodeEntities('&nbsp; &copy; AT&T &#0; &#xD800; &#1114112;')).toBe('&nbsp; &copy; AT&T &#0; &#xD800; &#1114112;');
	});

	it('is what fast-xml-parser uses: a character reference in a response reaches the output decoded', () => {
		const { root } = parseXmlDocument('<GetCustomerKpiResponse><currencyCode>&#67;HF</currencyCode><n a="caf&#233;"/></GetCustomerKpiResponse>');
		expect(root).toEqual({ currencyCode: 'CHF', n: { '@_a': 'café' } });
	});
});
