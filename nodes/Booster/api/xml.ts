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

/** The one entity decoder of both readers; DTD entities never get here (a DOCTYPE is refused). */
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

/*
 * DataContract lists of flat records (the task list: thousands of <Task> elements of text members)
 * are read by the strict reader below: 5,000 tasks (3.2 MB) in 15-20 ms, where fast-xml-parser
 * takes about 110 ms to parse and 30 ms to validate. It accepts
 * only: an optional declaration, a root, items of one element name, and item members that are
 * text or empty, with plain attributes and the five XML entities or character references. It
 * returns exactly what fast-xml-parser returns for such a document (test/unit/api/xml.test.ts
 * compares the two on generated documents) and declines everything else, which then goes to
 * fast-xml-parser with its validator.
 */

const Char = {
	Tab: 9,
	LineFeed: 10,
	Space: 32,
	DoubleQuote: 34,
	SingleQuote: 39,
	Slash: 47,
	Less: 60,
	Equals: 61,
	Greater: 62,
} as const;
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const UNKNOWN_REFERENCE = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)/;
/** What makes text more than its characters: entities, or what the general parser rewrites. */
const SPECIAL_IN_TEXT = /[&\r\t\n]/;
const XML_DECLARATION = /^<\?xml(?:\s+[A-Za-z]+\s*=\s*(?:"[^"<&]*"|'[^'<&]*'))*\s*\?>/;

/** Text as the general parser leaves it (trimmed, then decoded), or undefined where it would do more. */
function readText(raw: string, inAttribute: boolean): string | undefined {
	const text = raw.trim();
	if (!SPECIAL_IN_TEXT.test(text)) return text;
	if (text.includes('\r') || (inAttribute && /[\t\n]/.test(text)) || UNKNOWN_REFERENCE.test(text)) return undefined;
	return decodeEntities(text);
}

function isNameStart(code: number): boolean {
	return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isNameChar(code: number): boolean {
	return isNameStart(code) || (code >= 48 && code <= 58) || code === 45 || code === 46;
}

function isSpace(code: number): boolean {
	return code === Char.Space || code === Char.LineFeed || code === Char.Tab;
}

interface StartTag {
	name: string;
	attributes: Record<string, string> | undefined;
	selfClosing: boolean;
}

class FlatListReader {
	private at = 0;
	/** Member names of the latest item, by position. */
	private readonly memberNames: string[] = [];

	constructor(private readonly text: string) {}

	/** The items of the document's root, or undefined when the document is not a flat list. */
	read(): XmlTree[] | undefined {
		const { text } = this;
		this.skipSpace();
		if (text.startsWith('<?', this.at)) {
			const declaration = XML_DECLARATION.exec(text.slice(this.at, this.at + 200));
			if (!declaration) return undefined;
			this.at += declaration[0].length;
			this.skipSpace();
		}
		const root = this.startTag();
		if (!root) return undefined;
		const items: XmlTree[] = [];
		if (!root.selfClosing) {
			let itemName: string | undefined;
			for (;;) {
				this.skipSpace();
				if (this.closingTag(root.name)) break;
				const item = this.startTag();
				if (!item || (itemName !== undefined && item.name !== itemName)) return undefined;
				itemName = item.name;
				const value = item.selfClosing ? (item.attributes ?? '') : this.members(item);
				if (value === undefined) return undefined;
				items.push(value);
			}
		}
		this.skipSpace();
		return this.at === text.length ? items : undefined;
	}

	/** An item's text members up to its closing tag, with the item's attributes after them. */
	private members(item: StartTag): XmlTree {
		const record: Record<string, XmlTree> = {};
		let count = 0;
		for (;;) {
			this.skipSpace();
			const expected = this.memberNames[count];
			if (expected !== undefined && !(expected in record)) {
				const contentEnd = this.plainMemberNamed(expected);
				if (contentEnd >= 0) {
					const content = readText(this.text.slice(this.at + expected.length + 2, contentEnd), false);
					if (content === undefined) return undefined;
					record[expected] = content;
					count++;
					this.at = contentEnd + expected.length + 3;
					continue;
				}
			}
			if (this.closingTag(item.name)) break;
			const member = this.startTag();
			if (!member || member.name in record) return undefined;
			let value: XmlTree = member.attributes ?? '';
			if (!member.selfClosing) {
				const textEnd = this.text.indexOf('<', this.at);
				if (textEnd < 0) return undefined;
				const content = readText(this.text.slice(this.at, textEnd), false);
				this.at = textEnd;
				if (content === undefined || !this.closingTag(member.name)) return undefined;
				if (member.attributes) {
					value = content === '' ? member.attributes : { [TEXT_KEY]: content, ...member.attributes };
				} else {
					value = content;
				}
			}
			record[member.name] = value;
			this.memberNames[count++] = member.name;
		}
		if (count === 0) return item.attributes ?? '';
		return item.attributes ? Object.assign(record, item.attributes) : record;
	}

	/**
	 * When `<name>text</name>` comes next, where the text ends; else -1. Checking for the name the
	 * previous item had at this place slices no name and reuses a string that is already a
	 * property key, where reading the name interns a new string for every member.
	 */
	private plainMemberNamed(name: string): number {
		const { text, at } = this;
		if (text.charCodeAt(at) !== Char.Less || !text.startsWith(name, at + 1)) return -1;
		const contentStart = at + name.length + 2;
		if (text.charCodeAt(contentStart - 1) !== Char.Greater) return -1;
		const contentEnd = text.indexOf('<', contentStart);
		if (contentEnd < 0 || text.charCodeAt(contentEnd + 1) !== Char.Slash || !text.startsWith(name, contentEnd + 2)) return -1;
		return text.charCodeAt(contentEnd + name.length + 2) === Char.Greater ? contentEnd : -1;
	}

	private skipSpace(): void {
		while (this.at < this.text.length && isSpace(this.text.charCodeAt(this.at))) this.at++;
	}

	private readName(): string | undefined {
		const start = this.at;
		if (!isNameStart(this.text.charCodeAt(start))) return undefined;
		let end = start + 1;
		while (isNameChar(this.text.charCodeAt(end))) end++;
		this.at = end;
		const name = this.text.slice(start, end);
		return RESERVED_NAMES.has(name) ? undefined : name;
	}

	private startTag(): StartTag | undefined {
		const { text } = this;
		if (text.charCodeAt(this.at) !== Char.Less) return undefined;
		this.at++;
		const name = this.readName();
		if (name === undefined) return undefined;
		let attributes: Record<string, string> | undefined;
		for (;;) {
			const beforeSpace = this.at;
			this.skipSpace();
			const code = text.charCodeAt(this.at);
			if (code === Char.Greater || (code === Char.Slash && text.charCodeAt(this.at + 1) === Char.Greater)) {
				const selfClosing = code === Char.Slash;
				this.at += selfClosing ? 2 : 1;
				return { name, attributes, selfClosing };
			}
			if (this.at === beforeSpace) return undefined;
			const attributeName = this.readName();
			if (attributeName === undefined || text.charCodeAt(this.at) !== Char.Equals) return undefined;
			const quote = text.charCodeAt(this.at + 1);
			if (quote !== Char.DoubleQuote && quote !== Char.SingleQuote) return undefined;
			const valueEnd = text.indexOf(String.fromCharCode(quote), this.at + 2);
			if (valueEnd < 0) return undefined;
			const raw = text.slice(this.at + 2, valueEnd);
			const value = raw.includes('<') ? undefined : readText(raw, true);
			const key = ATTRIBUTE_PREFIX + attributeName;
			if (value === undefined || (attributes && key in attributes)) return undefined;
			(attributes ??= {})[key] = value;
			this.at = valueEnd + 1;
		}
	}

	/** Consumes `</name>` (space allowed before `>`) when it comes next. */
	private closingTag(name: string): boolean {
		const { text } = this;
		if (text.charCodeAt(this.at) !== Char.Less || text.charCodeAt(this.at + 1) !== Char.Slash) return false;
		if (!text.startsWith(name, this.at + 2)) return false;
		let end = this.at + 2 + name.length;
		while (isSpace(text.charCodeAt(end))) end++;
		if (text.charCodeAt(end) !== Char.Greater) return false;
		this.at = end + 1;
		return true;
	}
}

/** The items of a flat DataContract list read by the strict reader; undefined when it declines. */
export function readFlatXmlList(text: string): XmlTree[] | undefined {
	return new FlatListReader(text).read();
}

/** Elements directly inside the root of an XML list document, whatever their name. */
export function parseXmlList(text: string): XmlTree[] {
	return readFlatXmlList(text) ?? xmlListItems(parseXmlDocument(text).root);
}

/** XML list containers hold their items under any element name. */
export function xmlListItems(raw: XmlTree): XmlTree[] {
	if (raw === '' || raw === null || raw === undefined) return [];
	if (typeof raw !== 'object' || Array.isArray(raw)) return [raw];
	return Object.entries(raw as Record<string, XmlTree>)
		.filter(([key]) => !key.startsWith(ATTRIBUTE_PREFIX))
		.flatMap(([, entry]) => (Array.isArray(entry) ? entry : [entry]));
}
