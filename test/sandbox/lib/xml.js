'use strict';

/**
 * A small, strict XML 1.0 reader (elements, attributes, text, CDATA, comments, the five predefined
 * entities and character references, namespaces) and an escaping helper for writers.
 * DOCTYPE, ENTITY declarations and processing instructions other than the XML declaration are refused.
 */

class XmlSyntaxError extends Error {}

const NAME_PATTERN = /^[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?/;
const PREDEFINED_ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

function decodeEntities(text) {
	return text.replace(/&([^;&<]*);|&/g, (match, body) => {
		if (body === undefined) throw new XmlSyntaxError('Unescaped "&" in text');
		if (body in PREDEFINED_ENTITIES) return PREDEFINED_ENTITIES[body];
		const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
		if (!numeric) throw new XmlSyntaxError(`Undefined entity &${body};`);
		const codePoint = numeric[1] ? parseInt(numeric[1], 16) : parseInt(numeric[2], 10);
		if (codePoint === 0 || codePoint > 0x10ffff) throw new XmlSyntaxError(`Invalid character reference &${body};`);
		return String.fromCodePoint(codePoint);
	});
}

function parseXml(source) {
	let position = 0;
	const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
	const fail = (message) => {
		throw new XmlSyntaxError(`${message} (at offset ${position})`);
	};
	const startsWith = (token) => text.startsWith(token, position);
	const skipWhitespace = () => {
		while (position < text.length && /\s/.test(text[position])) position++;
	};
	const readName = () => {
		const match = NAME_PATTERN.exec(text.slice(position, position + 300));
		if (!match) fail('Expected a name');
		position += match[0].length;
		return match[0];
	};
	const skipMisc = (allowDeclaration) => {
		for (;;) {
			skipWhitespace();
			if (startsWith('<?xml') && /[\s?]/.test(text[position + 5] || '')) {
				if (!allowDeclaration) fail('XML declaration is only allowed at the start');
				const end = text.indexOf('?>', position);
				if (end < 0) fail('Unterminated XML declaration');
				position = end + 2;
				allowDeclaration = false;
			} else if (startsWith('<!--')) {
				const end = text.indexOf('-->', position + 4);
				if (end < 0) fail('Unterminated comment');
				position = end + 3;
			} else if (startsWith('<!DOCTYPE') || startsWith('<!ENTITY')) {
				fail('DOCTYPE and ENTITY declarations are not allowed');
			} else if (startsWith('<?')) {
				fail('Processing instructions are not allowed');
			} else {
				return;
			}
			allowDeclaration = false;
		}
	};

	const resolve = (qualifiedName, scope, isAttribute) => {
		const colon = qualifiedName.indexOf(':');
		const prefix = colon < 0 ? '' : qualifiedName.slice(0, colon);
		const local = colon < 0 ? qualifiedName : qualifiedName.slice(colon + 1);
		if (prefix === 'xml') return { local, namespace: XML_NAMESPACE };
		if (prefix === '' && isAttribute) return { local, namespace: '' };
		if (!(prefix in scope)) fail(`Undeclared namespace prefix "${prefix}"`);
		return { local, namespace: scope[prefix] };
	};

	const readElement = (parentScope) => {
		position++; // '<'
		const qualifiedName = readName();
		const rawAttributes = [];
		for (;;) {
			const before = position;
			skipWhitespace();
			if (startsWith('/>') || startsWith('>')) break;
			if (before === position) fail(`Expected whitespace in <${qualifiedName}>`);
			const name = readName();
			skipWhitespace();
			if (text[position] !== '=') fail(`Expected "=" after attribute ${name}`);
			position++;
			skipWhitespace();
			const quote = text[position];
			if (quote !== '"' && quote !== "'") fail(`Expected a quoted value for attribute ${name}`);
			const end = text.indexOf(quote, position + 1);
			if (end < 0) fail('Unterminated attribute value');
			const rawValue = text.slice(position + 1, end);
			if (rawValue.includes('<')) fail(`"<" in attribute ${name}`);
			if (rawAttributes.some((attribute) => attribute.name === name)) fail(`Duplicate attribute ${name}`);
			rawAttributes.push({ name, value: decodeEntities(rawValue) });
			position = end + 1;
		}
		const scope = Object.create(parentScope);
		for (const { name, value } of rawAttributes) {
			if (name === 'xmlns') scope[''] = value;
			else if (name.startsWith('xmlns:')) scope[name.slice(6)] = value;
		}
		const { local, namespace } = resolve(qualifiedName, scope, false);
		const attributes = rawAttributes
			.filter(({ name }) => name !== 'xmlns' && !name.startsWith('xmlns:'))
			.map(({ name, value }) => ({ ...resolve(name, scope, true), value }));
		const element = { qualifiedName, local, namespace, attributes, children: [], text: '' };
		if (startsWith('/>')) {
			position += 2;
			return element;
		}
		position++; // '>'
		for (;;) {
			if (position >= text.length) fail(`Unclosed element <${qualifiedName}>`);
			if (startsWith('</')) {
				position += 2;
				const closing = readName();
				if (closing !== qualifiedName) fail(`Mismatched closing tag </${closing}> for <${qualifiedName}>`);
				skipWhitespace();
				if (text[position] !== '>') fail('Expected ">"');
				position++;
				return element;
			}
			if (startsWith('<![CDATA[')) {
				const end = text.indexOf(']]>', position);
				if (end < 0) fail('Unterminated CDATA section');
				element.text += text.slice(position + 9, end);
				position = end + 3;
			} else if (startsWith('<!--')) {
				const end = text.indexOf('-->', position + 4);
				if (end < 0) fail('Unterminated comment');
				position = end + 3;
			} else if (startsWith('<!')) {
				fail('DOCTYPE and ENTITY declarations are not allowed');
			} else if (startsWith('<?')) {
				fail('Processing instructions are not allowed');
			} else if (text[position] === '<') {
				element.children.push(readElement(scope));
			} else {
				const end = text.indexOf('<', position);
				const chunk = text.slice(position, end < 0 ? text.length : end);
				element.text += decodeEntities(chunk);
				position += chunk.length;
			}
		}
	};

	skipMisc(true);
	if (text[position] !== '<') fail('Expected a root element');
	const root = readElement({ '': '' });
	skipMisc(false);
	if (position < text.length) fail('Content after the root element');
	return root;
}

function escapeXml(value) {
	return String(value).replace(/[&<>]/g, (character) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt' }[character]};`);
}

module.exports = { parseXml, escapeXml, XmlSyntaxError };
