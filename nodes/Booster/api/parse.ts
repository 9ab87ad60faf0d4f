import { type Dto, type Field, type ScalarKind, allFields, jsonFieldOrder, xmlNameOf } from './schema';
import { type Format, dashedGuid } from './serialize';
import { ResponseFormatError } from './response-format-error';
import { ATTRIBUTE_PREFIX, type XmlTree, parseXmlDocument, parseXmlList, xmlListItems } from './xml';

type Tree = XmlTree;

const WCF_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

function isNil(raw: Tree): boolean {
	if (typeof raw !== 'object' || raw === null) return false;
	const record = raw as Record<string, unknown>;
	return record[`${ATTRIBUTE_PREFIX}i:nil`] === 'true' || record[`${ATTRIBUTE_PREFIX}nil`] === 'true';
}

function localName(key: string): string {
	const colon = key.indexOf(':');
	return colon < 0 ? key : key.slice(colon + 1);
}

/** Where each declared member is read from and written to, worked out once per class and format. */
interface MemberPlan {
	name: string;
	key: string;
	definition: Field;
}

const plans = new WeakMap<Dto, Record<Format, MemberPlan[]>>();

function planOf(dto: Dto, format: Format): MemberPlan[] {
	let plan = plans.get(dto);
	if (!plan) {
		const fields = allFields(dto);
		const members = (keyOf: (name: string) => string) =>
			jsonFieldOrder(dto).map((name) => ({ name, key: keyOf(name), definition: fields[name] }));
		plan = { json: members((name) => name), xml: members((name) => xmlNameOf(fields[name], name)) };
		plans.set(dto, plan);
	}
	return plan[format];
}

/** XML members keyed by local name (`d2p1:brand` → `brand`), only when a prefix is present. */
function byLocalName(source: Record<string, Tree>): Record<string, Tree> {
	if (!Object.keys(source).some((key) => key.includes(':') && !key.startsWith(ATTRIBUTE_PREFIX))) return source;
	const renamed: Record<string, Tree> = {};
	for (const [key, value] of Object.entries(source)) renamed[key.startsWith(ATTRIBUTE_PREFIX) ? key : localName(key)] = value;
	return renamed;
}

/** `pathOf` names the value in an error; it is only worked out when there is one. */
function coerceScalar(kind: ScalarKind, raw: Tree, pathOf: () => string): unknown {
	if (raw === null || raw === undefined) return null;
	if (typeof raw === 'object') {
		if (isNil(raw)) return null;
		throw new ResponseFormatError(`The response's ${pathOf()} should be a ${kind} but is a structure.`);
	}
	const text = String(raw);
	switch (kind) {
		case 'int':
		case 'double':
		case 'decimal': {
			if (typeof raw === 'number') return raw;
			const number = Number(text);
			if (text.trim() === '' || !Number.isFinite(number))
				throw new ResponseFormatError(`The response's ${pathOf()} should be a number but is "${text}".`);
			return number;
		}
		case 'bool':
			if (typeof raw === 'boolean') return raw;
			if (text === 'true' || text === 'false') return text === 'true';
			throw new ResponseFormatError(`The response's ${pathOf()} should be true or false but is "${text}".`);
		case 'guid':
			return /^[0-9a-fA-F-]{32,36}$/.test(text) ? dashedGuid(text) : text;
		case 'dateTime': {
			// A moment with a zone is written as toISOString() does, whichever format it came in.
			const wcf = WCF_DATE.exec(text);
			if (wcf) return new Date(Number(wcf[1])).toISOString();
			const zoned = ZONED_DATE_TIME.test(text) ? new Date(text) : undefined;
			return zoned && !Number.isNaN(zoned.getTime()) ? zoned.toISOString() : text;
		}
		case 'string':
			return text;
	}
}

/** XML list containers hold their items under any element name; JSON lists are arrays already. */
function listItems(raw: Tree, format: Format): Tree[] {
	if (format === 'xml') return xmlListItems(raw);
	if (raw === undefined || raw === null || raw === '') return [];
	return Array.isArray(raw) ? raw : [raw];
}

function coerceField(definition: Field, raw: Tree, format: Format, parentPath: string, name: string): unknown {
	if (raw === undefined) return undefined;
	if (raw === null) return null;
	if (isNil(raw)) return null;
	if (definition.kind === 'object') return coerceDto(definition.dto, raw, format, `${parentPath}.${name}`);
	if (definition.kind === 'list') {
		const { item } = definition;
		const path = `${parentPath}.${name}`;
		return listItems(raw, format).map((entry, index) =>
			typeof item === 'string'
				? coerceScalar(item, entry, () => `${path}[${index}]`)
				: coerceDto(item, entry, format, `${path}[${index}]`),
		);
	}
	return coerceScalar(definition.kind, raw, () => `${parentPath}.${name}`);
}

/** Typed object in the API's declaration order; members the description does not know are kept. */
export function coerceDto(dto: Dto, raw: Tree, format: Format, path = dto.name): Record<string, unknown> {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		if (raw !== '' || format !== 'xml') throw new ResponseFormatError(`The response's ${path} should be an object.`);
		raw = {};
	}
	const plan = planOf(dto, format);
	let source = raw as Record<string, Tree>;
	// Exactly the declared members, the usual case, is known without looking at prefixes.
	const regular = Object.keys(source).length === plan.length && plan.every(({ key }) => key in source);
	if (!regular && format === 'xml') source = byLocalName(source);
	const result: Record<string, unknown> = {};
	for (const { name, key, definition } of plan) {
		result[name] = coerceField(definition, source[key], format, path, name) ?? null;
	}
	if (!regular) {
		const known = new Set(plan.map(({ key }) => key));
		for (const [key, value] of Object.entries(source)) {
			if (!known.has(key) && !key.startsWith(ATTRIBUTE_PREFIX)) result[key] = value;
		}
	}
	return result;
}

function parseJsonText(text: string): Tree {
	let tree: Tree;
	let valid = true;
	try {
		tree = JSON.parse(text);
	} catch {
		valid = false;
	}
	if (!valid) {
		throw new ResponseFormatError(`The response is not valid JSON (it starts with ${JSON.stringify(text.slice(0, 60))}).`);
	}
	return tree;
}

/** Parses a response body of `dto` (or a list of `dto`) into typed JSON, the same for both formats. */
export function parseResponse(dto: Dto, text: string, format: Format, isList = false): unknown {
	if (text.trim() === '') throw new ResponseFormatError('The response body is empty.');
	if (format === 'json') {
		const tree = parseJsonText(text);
		if (isList) {
			if (!Array.isArray(tree)) throw new ResponseFormatError(`The response should be a list of ${dto.name}.`);
			return tree.map((entry, index) => coerceDto(dto, entry, 'json', `${dto.name}[${index}]`));
		}
		return coerceDto(dto, tree, 'json');
	}
	if (isList) return parseXmlList(text).map((entry, index) => coerceDto(dto, entry, 'xml', `${dto.name}[${index}]`));
	return coerceDto(dto, parseXmlDocument(text).root, 'xml');
}
