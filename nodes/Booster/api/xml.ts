import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { ResponseFormatError } from './response-format-error';

/** A parsed XML value as fast-xml-parser shapes it: text, or an object of children and `@_` attributes. */
export type XmlTree = unknown;

export const ATTRIBUTE_PREFIX = '@_';
const TEXT_KEY = '#text';
const XML_FORBIDDEN = /<!DOCTYPE|<!ENTITY/i;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;

function isXmlChar(codePoint: number): boolean {
	return (
		codePoint === 0x9 ||
		codePoint === 0xa ||
		codePoint === 0xd ||
		(codePoint >= 0x20 && codePoint <= 0xd7ff) ||
		(codePoint >= 0xe000 && codePoint <= 0xfffd) ||
		(codePoint >= 0x10000 && codePoint <= 0x10ffff)
	);
}

/** Replaces XML's five entities and character references; anything else is left as written. */
export function decodeEntities(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(REFERENCE, (reference: string, name?: string, decimal?: string, hex?: string) => {
		if (name) return NAMED_ENTITIES[name];
		const codePoint = decimal !== undefined ? Number(decimal) : parseInt(hex as string, 16);
		return isXmlChar(codePoint) ? String.fromCodePoint(codePoint) : reference;
	});
}

/** fast-xml-parser's entity decoder: it leaves character references (`&#233;`) as written otherwise. DTD entities never get here (a DOCTYPE is refused). */
const entityDecoder = {
	decode: decodeEntities,
	reset: () => {},
	setXmlVersion: () => {},
	setExternalEntities: () => {},
	addInputEntities: () => {},
};

const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: ATTRIBUTE_PREFIX,
	textNodeName: TEXT_KEY,
	// Prefixes are kept (stripping them costs a third of the parse); members are found by local name.
	removeNSPrefix: false,
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: true,
	processEntities: true,
	entityDecoder,
	ignoreDeclaration: true,
	ignorePiTags: true,
	// Callbacks get the path matcher instead of a path string built for every element.
	jPath: false,
});

/** Parses an XML document and returns its root element's content. DTDs and entities are refused. */
export function parseXmlDocument(text: string): { rootName: string; root: XmlTree } {
	if (XML_FORBIDDEN.test(text)) {
		throw new ResponseFormatError('The XML response declares a DOCTYPE or ENTITY; it was refused for safety.');
	}
	const verdict = XMLValidator.validate(text);
	if (verdict !== true) {
		throw new ResponseFormatError(`The response is not well-formed XML: ${verdict.err.msg} (line ${verdict.err.line}).`);
	}
	const document = xmlParser.parse(text) as Record<string, XmlTree>;
	const roots = Object.keys(document).filter((key) => !key.startsWith(ATTRIBUTE_PREFIX) && key !== TEXT_KEY);
	if (roots.length === 0) throw new ResponseFormatError('The XML response has no root element.');
	if (roots.length > 1 || Array.isArray(document[roots[0]])) {
		throw new ResponseFormatError('The response is not well-formed XML: it has more than one root element.');
	}
	return { rootName: roots[0], root: document[roots[0]] };
}

/** Elements directly inside the root of an XML list document, whatever their name. */
export function parseXmlList(text: string): XmlTree[] {
	return xmlListItems(parseXmlDocument(text).root);
}

/** XML list containers hold their items under any element name. */
export function xmlListItems(raw: XmlTree): XmlTree[] {
	if (raw === '' || raw === null || raw === undefined) return [];
	if (typeof raw !== 'object' || Array.isArray(raw)) return [raw];
	return Object.entries(raw as Record<string, XmlTree>)
		.filter(([key]) => !key.startsWith(ATTRIBUTE_PREFIX))
		.flatMap(([, entry]) => (Array.isArray(entry) ? entry : [entry]));
}
