import { type JPathOrMatcher, type MatcherView, type X2jOptions, XMLParser, XMLValidator } from 'fast-xml-parser';

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

/** fast-xml-parser's options for every response (the unit tests build the parser's own tree with them). */
export const PARSER_OPTIONS: X2jOptions = {
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
};

/** How deep the element a callback is about lies (the root is 1): with `jPath: false` the path is the parser's matcher. */
function depthOf(path: JPathOrMatcher): number {
	return (path as MatcherView).getDepth();
}

/** An element being read: its members so far, its text and its attributes. */
interface OpenElement {
	name: string;
	members: Record<string, XmlTree>;
	text: string;
	attributes?: Record<string, XmlTree>;
}

/**
 * Reads `text` with fast-xml-parser and returns the object its own builder would return, built from
 * its callbacks: `updateTag` reports each element as it opens, with its attributes, and returns false
 * so that the parser builds nothing itself; `tagValueProcessor` reports each text (trimmed, entities
 * decoded) of the element at the path's depth. The parser's builder makes an ordered tree with
 * several objects per element, then walks it again to make this object, and its garbage keeps the
 * garbage collector busy: well over half of the parse of a 5,000-task list. The parser still reads
 * and checks every character; only the building is done here.
 *
 * The shape is the parser's: members in document order, then `#text`, then the `@_` attributes; an
 * element with only text is that text, an empty one is ''; a repeated name is an array
 * (test/unit/api/xml.test.ts compares the two).
 */
function parseXmlTree(text: string): Record<string, XmlTree> {
	const open: OpenElement[] = [{ name: '', members: {}, text: '' }];
	// Ends the elements deeper than `depth` (the document is depth 0), adding each to its parent.
	const closeDeeperThan = (depth: number) => {
		while (open.length > depth + 1) {
			const element = open.pop() as OpenElement;
			const parent = open[open.length - 1].members;
			let value: XmlTree = element.members;
			if (element.text !== '') element.members[TEXT_KEY] = element.text;
			if (element.attributes) Object.assign(element.members, element.attributes);
			else if (element.text !== '' && Object.keys(element.members).length === 1) value = element.text;
			else if (Object.keys(element.members).length === 0) value = '';
			const previous = Object.prototype.hasOwnProperty.call(parent, element.name) ? parent[element.name] : undefined;
			if (previous === undefined) parent[element.name] = value;
			else if (Array.isArray(previous)) previous.push(value);
			else parent[element.name] = [previous, value];
		}
	};
	const parser = new XMLParser({
		...PARSER_OPTIONS,
		updateTag: (name, path, attributes) => {
			closeDeeperThan(depthOf(path) - 1);
			open.push({ name, members: {}, text: '', attributes: Object.keys(attributes).length > 0 ? attributes : undefined });
			return false;
		},
		tagValueProcessor: (_name, value, path) => {
			closeDeeperThan(depthOf(path));
			open[open.length - 1].text += value;
			return undefined;
		},
	});
	parser.parse(text);
	closeDeeperThan(0);
	const [document] = open;
	if (document.text !== '') document.members[TEXT_KEY] = document.text;
	return document.members;
}

/** Parses an XML document and returns its root element's content. DTDs and entities are refused. */
export function parseXmlDocument(text: string): { rootName: string; root: XmlTree } {
	if (XML_FORBIDDEN.test(text)) {
		throw new ResponseFormatError('The XML response declares a DOCTYPE or ENTITY; it was refused for safety.');
	}
	const verdict = XMLValidator.validate(text);
	if (verdict !== true) {
		throw new ResponseFormatError(`The response is not well-formed XML: ${verdict.err.msg} (line ${verdict.err.line}).`);
	}
	const document = parseXmlTree(text);
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
