'use strict';

const { contract, isPrimitive, ARRAYS_NAMESPACE, XSI_NAMESPACE } = require('./contracts');
const { parseXml, escapeXml, XmlSyntaxError } = require('./xml');
const { ValueError, parseScalar, formatXmlScalar } = require('./values');
const { serializationError } = require('./errors');

const PRIMITIVE_XML_NAMES = { string: 'string', int: 'int', bool: 'boolean', double: 'double', decimal: 'decimal', dateTime: 'dateTime', guid: 'guid' };

// ---------------------------------------------------------------- XML writing

function writeXml(contractName, value) {
	const root = contract(contractName);
	const open = `<${root.name} xmlns:i="${XSI_NAMESPACE}" xmlns="${root.namespace}">`;
	if (root.collectionOf) {
		const item = contract(root.collectionOf);
		const items = value.map((entry) => `<${item.name}>${writeMembers(item, entry, 2, '')}</${item.name}>`).join('');
		return `${open}${items}</${root.name}>`;
	}
	// An empty DTO: XmlWriter closes an element without content with the short form `<X … />`.
	if (root.xmlMembers.length === 0) return `${open.slice(0, -1)} />`;
	return `${open}${writeMembers(root, value, 1, '')}</${root.name}>`;
}

/** `prefix` is '' when the members' namespace is the default one in scope, else 'dNp1:'. */
function writeMembers(owner, value, depth, prefix) {
	return owner.xmlMembers.map((member) => writeMember(member, value[member.jsonName], depth + 1, prefix, owner.namespace)).join('');
}

function writeMember(member, memberValue, depth, prefix, ownerNamespace) {
	const tag = `${prefix}${member.name}`;
	if (memberValue === null || memberValue === undefined) return `<${tag} i:nil="true" />`;
	const type = member.type;
	if (isPrimitive(type)) return `<${tag}>${escapeXml(formatXmlScalar(type, memberValue))}</${tag}>`;
	const itemPrefix = `d${depth}p1`;
	if (type.list && isPrimitive(type.list)) {
		const itemTag = `${itemPrefix}:${PRIMITIVE_XML_NAMES[type.list]}`;
		const items = memberValue.map((item) => `<${itemTag}>${escapeXml(formatXmlScalar(type.list, item))}</${itemTag}>`).join('');
		return `<${tag} xmlns:${itemPrefix}="${ARRAYS_NAMESPACE}">${items}</${tag}>`;
	}
	const itemContract = contract(type.list || type.object);
	const sameNamespace = itemContract.namespace === ownerNamespace;
	const innerPrefix = sameNamespace ? prefix : `${itemPrefix}:`;
	const declaration = sameNamespace ? '' : ` xmlns:${itemPrefix}="${itemContract.namespace}"`;
	if (type.object) return `<${tag}${declaration}>${writeMembers(itemContract, memberValue, depth, innerPrefix)}</${tag}>`;
	const items = memberValue
		.map((item) => `<${innerPrefix}${itemContract.name}>${writeMembers(itemContract, item, depth + 1, innerPrefix)}</${innerPrefix}${itemContract.name}>`)
		.join('');
	return `<${tag}${declaration}>${items}</${tag}>`;
}

// ---------------------------------------------------------------- XML reading

function isNil(element) {
	return element.attributes.some((attribute) => attribute.namespace === XSI_NAMESPACE && attribute.local === 'nil' && attribute.value === 'true');
}

/**
 * Reads a DataContract XML body. Strict: an unknown, duplicated, out-of-order or wrong-namespace
 * element is an error naming it. Lenient: like DataContractSerializer, which reads members in order
 * and skips anything that does not fit at the current position.
 */
function readXml(contractName, text, { strict }) {
	let root;
	try {
		root = parseXml(text);
	} catch (error) {
		if (error instanceof XmlSyntaxError) throw serializationError(contractName, null, `malformed XML: ${error.message}`);
		throw error;
	}
	const expected = contract(contractName);
	if (root.local !== expected.name || root.namespace !== expected.namespace) {
		throw serializationError(
			contractName,
			root.local,
			`expecting root element '${expected.name}' in namespace '${expected.namespace}', found '${root.local}' in namespace '${root.namespace}'`,
		);
	}
	return readMembers(expected, root, { strict, contractName, path: '' });
}

function readMembers(owner, element, context) {
	const result = {};
	let nextIndex = 0;
	for (const child of element.children) {
		const where = `${context.path}${child.local}`;
		const index = owner.xmlMembers.findIndex((member) => member.name === child.local);
		const member = owner.xmlMembers[index];
		let problem = null;
		if (index < 0) problem = `unknown element '${where}' in ${owner.name}`;
		else if (child.namespace !== owner.namespace) problem = `element '${where}' is in namespace '${child.namespace}', expected '${owner.namespace}'`;
		else if (member.jsonName in result) problem = `duplicated element '${where}' in ${owner.name}`;
		else if (index < nextIndex) {
			problem = `element '${where}' is out of order in ${owner.name}: it must come before '${owner.xmlMembers[nextIndex - 1].name}' (DataContract order: ${owner.xmlMembers.map((m) => m.name).join(', ')})`;
		}
		if (problem) {
			if (context.strict) throw serializationError(context.contractName, where, `strict XML: ${problem}`);
			continue;
		}
		result[member.jsonName] = readValue(member.type, child, { ...context, path: `${where}/` }, where);
		nextIndex = index + 1;
	}
	return result;
}

function readValue(type, element, context, where) {
	if (isNil(element)) return null;
	const fail = (detail) => {
		throw serializationError(context.contractName, where, detail);
	};
	if (element.children.length > 0 && isPrimitive(type)) fail(`element '${where}' must not contain child elements`);
	try {
		if (isPrimitive(type)) return parseScalar(type, element.text);
		if (type.object) return readMembers(contract(type.object), element, context);
		if (isPrimitive(type.list)) {
			const itemName = PRIMITIVE_XML_NAMES[type.list];
			return element.children.map((item) => {
				if (item.local !== itemName || item.namespace !== ARRAYS_NAMESPACE) {
					if (context.strict || item.local !== itemName) fail(`strict XML: list '${where}' holds '${item.local}' in namespace '${item.namespace}', expected '${itemName}' in '${ARRAYS_NAMESPACE}'`);
				}
				return parseScalar(type.list, item.text);
			});
		}
		const itemContract = contract(type.list);
		const items = [];
		for (const item of element.children) {
			if (item.local !== itemContract.name || item.namespace !== itemContract.namespace) {
				if (context.strict) fail(`strict XML: list '${where}' holds '${item.local}' in namespace '${item.namespace}', expected '${itemContract.name}' in '${itemContract.namespace}'`);
				continue;
			}
			items.push(readMembers(itemContract, item, { ...context, path: `${context.path}${itemContract.name}/` }));
		}
		return items;
	} catch (error) {
		if (error instanceof ValueError) fail(`element '${where}': ${error.message}`);
		throw error;
	}
}

// ---------------------------------------------------------------- JSON

/** Nulls are omitted (ServiceStack's default); dates become WCF `/Date(ms-0000)/`; guids 32 hex digits. */
function toJsonValue(contractName, value) {
	const owner = contract(contractName);
	if (owner.collectionOf) return value.map((entry) => toJsonValue(owner.collectionOf, entry));
	const result = {};
	for (const member of owner.jsonMembers) {
		const memberValue = value[member.jsonName];
		if (memberValue === null || memberValue === undefined) continue;
		result[member.jsonName] = jsonValueOf(member.type, memberValue);
	}
	return result;
}

function jsonValueOf(type, value) {
	if (type === 'dateTime') return `/Date(${new Date(value).getTime()}-0000)/`;
	if (isPrimitive(type)) return value;
	if (type.object) return toJsonValue(type.object, value);
	return value.map((item) => (isPrimitive(type.list) ? jsonValueOf(type.list, item) : toJsonValue(type.list, item)));
}

function writeJson(contractName, value) {
	return JSON.stringify(toJsonValue(contractName, value)).replace(/"\/Date\((-?\d+-0000)\)\/"/g, '"\\/Date($1)\\/"');
}

/** ServiceStack binds JSON members case-insensitively and ignores unknown ones. */
function fromJson(contractName, body, pathPrefix = '') {
	const owner = contract(contractName);
	if (body === null || typeof body !== 'object' || Array.isArray(body)) throw serializationError(contractName, pathPrefix || null, 'expected a JSON object');
	const byLowerName = new Map(owner.jsonMembers.map((member) => [member.jsonName.toLowerCase(), member]));
	const result = {};
	for (const [key, value] of Object.entries(body)) {
		const member = byLowerName.get(key.toLowerCase());
		if (!member) continue;
		result[member.jsonName] = bindValue(contractName, member.type, value, `${pathPrefix}${member.jsonName}`, (item, path) => fromJson(member.type.list || member.type.object, item, `${path}.`));
	}
	return result;
}

function bindValue(contractName, type, value, fieldName, bindObject) {
	if (value === null || value === undefined) return null;
	try {
		if (isPrimitive(type)) return parseScalar(type, value);
		if (type.object) return bindObject(value, fieldName);
		if (!Array.isArray(value)) throw new ValueError(`expected a list`);
		return value.map((item, index) => (isPrimitive(type.list) ? parseScalar(type.list, item) : bindObject(item, `${fieldName}[${index}]`)));
	} catch (error) {
		if (error instanceof ValueError) throw serializationError(contractName, fieldName, `'${fieldName}': ${error.message}`);
		throw error;
	}
}

// ---------------------------------------------------------------- query string (JSV)

class JsvError extends Error {}

/**
 * Parses JSV: `[a,b]`, `{key:value,…}`, `"quoted, text"` (a quote inside is doubled:
 * `"say ""hi"""`), or a bare value (trimmed). Whitespace around values and separators is skipped.
 */
function parseJsv(text) {
	let position = 0;
	const skipSpaces = () => {
		while (position < text.length && /\s/.test(text[position])) position++;
	};
	const readValue = () => {
		skipSpaces();
		const value = readBareOrNested();
		skipSpaces();
		return value;
	};
	const readBareOrNested = () => {
		if (text[position] === '[') {
			position++;
			const items = [];
			skipSpaces();
			if (text[position] === ']') {
				position++;
				return items;
			}
			for (;;) {
				items.push(readValue());
				if (text[position] === ',') position++;
				else if (text[position] === ']') {
					position++;
					return items;
				} else throw new JsvError(`expected ',' or ']' at ${position} in '${text}'`);
			}
		}
		if (text[position] === '{') {
			position++;
			const object = {};
			skipSpaces();
			if (text[position] === '}') {
				position++;
				return object;
			}
			for (;;) {
				const colon = text.indexOf(':', position);
				if (colon < 0) throw new JsvError(`expected ':' in '${text}'`);
				const key = text.slice(position, colon).trim().replace(/^"|"$/g, '');
				position = colon + 1;
				object[key] = readValue();
				if (text[position] === ',') position++;
				else if (text[position] === '}') {
					position++;
					return object;
				} else throw new JsvError(`expected ',' or '}' at ${position} in '${text}'`);
			}
		}
		if (text[position] === '"') {
			let value = '';
			position++;
			for (;;) {
				if (position >= text.length) throw new JsvError(`unterminated quoted value in '${text}'`);
				if (text[position] === '"') {
					if (text[position + 1] === '"') {
						value += '"';
						position += 2;
						continue;
					}
					position++;
					return value;
				}
				value += text[position++];
			}
		}
		const start = position;
		while (position < text.length && !',]}'.includes(text[position])) position++;
		return text.slice(start, position).trim();
	};
	const value = readValue();
	if (position !== text.length) throw new JsvError(`unexpected '${text.slice(position)}' in '${text}'`);
	return value;
}

function splitTopLevelList(text) {
	const trimmed = text.trim();
	if (trimmed === '') return [];
	if (trimmed.startsWith('[')) return parseJsv(trimmed);
	if (trimmed.startsWith('{')) return [parseJsv(trimmed)];
	return parseJsv(`[${trimmed}]`);
}

/**
 * Binds query-string parameters (JSV values) to a contract; names are case-insensitive. As in
 * ServiceStack: a parameter given several times is read as its values joined with `,`
 * (`posCodes=A&posCodes=B` = `posCodes=A,B`); a string member takes the text as is (not JSV-decoded).
 */
function fromQuery(contractName, searchParams) {
	const owner = contract(contractName);
	const byLowerName = new Map(owner.jsonMembers.map((member) => [member.jsonName.toLowerCase(), member]));
	const joined = new Map();
	for (const [key, value] of searchParams) {
		const member = byLowerName.get(key.toLowerCase());
		if (!member) continue;
		joined.set(member, joined.has(member) ? `${joined.get(member)},${value}` : value);
	}
	const result = {};
	for (const [member, rawValue] of joined) {
		try {
			let value;
			if (isPrimitive(member.type)) value = rawValue === '' && member.type !== 'string' ? null : rawValue;
			else if (member.type.list) value = splitTopLevelList(rawValue);
			else value = parseJsv(rawValue.trim());
			result[member.jsonName] = bindValue(contractName, member.type, value, member.jsonName, (item, path) => fromJson(member.type.list || member.type.object, item, `${path}.`));
		} catch (error) {
			if (error instanceof JsvError) throw serializationError(contractName, member.jsonName, `'${member.jsonName}': ${error.message}`);
			throw error;
		}
	}
	return result;
}

module.exports = { writeXml, readXml, writeJson, toJsonValue, fromJson, fromQuery, parseJsv };
