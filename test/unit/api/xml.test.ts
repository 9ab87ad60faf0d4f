import { XMLParser } from 'fast-xml-parser';

import { ResponseFormatError } from '../../../nodes/Booster/api/response-format-error';
import { PARSER_OPTIONS, decodeEntities, parseXmlDocument, parseXmlList } from '../../../nodes/Booster/api/xml';

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

describe("the tree built from fast-xml-parser's callbacks", () => {
	/** What fast-xml-parser's own builder makes of `text` with the same options: the reference. */
	const reference = (text: string) => {
		const document = new XMLParser(PARSER_OPTIONS).parse(text) as Record<string, unknown>;
		const [rootName] = Object.keys(document).filter((key) => !key.startsWith('@_') && key !== '#text');
		return { rootName, root: document[rootName] };
	};
	/** Same values and same key order as the reference. */
	const expectSameAsReference = (text: string) => {
		const built = parseXmlDocument(text);
		expect(built).toEqual(reference(text));
		expect(JSON.stringify(built)).toBe(JSON.stringify(reference(text)));
	};

	it.each([
		['a task list', writeXml('ArrayOfTask', [{ asyncTaskId: '0f8fad5bd9cb469fa16570867728950e', status: 'COM', downloadUrl: null, signedDownloadUrl: 'https://f.test/a?x=1&y=<2>' }])],
		['mixed content', '<r><a>x<b/>y<c>1</c> z </a><a>  </a><a/></r>'],
		['repeated names, apart and together', '<r><b>1</b><c/><b>2</b><b><d>3</d></b><e><f/><f/></e></r>'],
		['attributes with and without text or members', '<r xmlns:i="urn:i" a="1"><n i:nil="true"/><t q="&amp;x">text</t><m k=\'v\'><x>1</x>tail</m></r>'],
		['comments, CDATA and instructions', '<?xml version="1.0"?><r><a>x<!-- c -->y</a><b><![CDATA[ <raw> &amp; ]]></b><c><![CDATA[]]></c><d>p<?pi x?>q</d></r>'],
		['prefixes, entities and references', '<d:r xmlns:d="urn:d"><d:a>&lt;&#233;&#x1F48E;&gt;</d:a><d:a>AT&amp;T</d:a><b a="caf&#233;"/></d:r>'],
		['names of Object.prototype', '<r><toString>1</toString><isPrototypeOf>2</isPrototypeOf><hasOwnProperty/><valueOf>3</valueOf><valueOf>4</valueOf></r>'],
		['line breaks and indentation', '<r>\r\n  <a>\r\n one\r\n two\r\n  </a>\n  <b>\t</b>\n</r>\n'],
		['a root with text only, and an empty root', '<r>only</r>'],
		['an empty root', '<r/>'],
	])('is the one fast-xml-parser builds: %s', (_name, text) => {
		expectSameAsReference(text);
	});

	it('is the one fast-xml-parser builds for random documents', () => {
		let seed = 7;
		const random = (n: number) => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed % n;
		};
		const names = ['a', 'b', 'd2p1:c', 'Task', 'toString'];
		const texts = ['', ' ', 'x', ' y ', '1 &amp; 2', '&#233;', '<![CDATA[ z ]]>', '<!-- c -->'];
		const element = (depth: number): string => {
			const name = names[random(names.length)];
			const attributes = random(3) === 0 ? ` k="v${random(3)}"` : random(4) === 0 ? ' i:nil="true"' : '';
			if (random(4) === 0) return `<${name}${attributes}/>`;
			let content = texts[random(texts.length)];
			const count = depth < 4 ? random(4) : 0;
			for (let index = 0; index < count; index++) content += element(depth + 1) + texts[random(texts.length)];
			return `<${name}${attributes}>${content}</${name}>`;
		};
		for (let run = 0; run < 300; run++) expectSameAsReference(`<r xmlns:i="urn:i" xmlns:d2p1="urn:d">${element(0)}${element(0)}</r>`);
	});
});
