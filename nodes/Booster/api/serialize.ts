import {
	type Dto,
	type Field,
	type ScalarKind,
	NS,
	allFields,
	classChain,
	jsonFieldOrder,
	xmlFieldOrder,
	xmlNameOf,
} from './schema';

export type Format = 'json' | 'xml';

export const MEDIA_TYPES: Record<Format, string> = {
	json: 'application/json',
	xml: 'application/xml',
};

const XML_SCALAR_NAMES: Record<ScalarKind, string> = {
	string: 'string',
	int: 'int',
	double: 'double',
	decimal: 'decimal',
	bool: 'boolean',
	dateTime: 'dateTime',
	guid: 'guid',
};

/** A GUID as 32 lowercase hex digits: ServiceStack's JSON form, and the form IDs are compared in. */
export function compactGuid(value: string): string {
	return value.replace(/-/g, '').toLowerCase();
}

/** A GUID in .NET's dashed form, as DataContract XML writes it. */
export function dashedGuid(value: string): string {
	const hex = compactGuid(value);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isDateOnly(value: string): boolean {
	return value.length === 10;
}

function scalarText(kind: ScalarKind, value: unknown, format: Format): string {
	switch (kind) {
		case 'dateTime': {
			const text = String(value);
			return format === 'xml' && isDateOnly(text) ? `${text}T00:00:00` : text;
		}
		case 'guid':
			return format === 'xml' ? dashedGuid(String(value)) : compactGuid(String(value));
		default:
			return String(value);
	}
}

function isPresent(value: unknown): boolean {
	return value !== undefined && value !== null;
}

// JSON -------------------------------------------------------------------------------------------

function jsonValue(definition: Field, value: unknown): unknown {
	if (definition.kind === 'object') return toJsonObject(definition.dto, value as Record<string, unknown>);
	if (definition.kind === 'list') {
		const { item } = definition;
		return (value as unknown[]).map((entry) =>
			typeof item === 'string' ? jsonScalar(item, entry) : toJsonObject(item, entry as Record<string, unknown>),
		);
	}
	return jsonScalar(definition.kind, value);
}

function jsonScalar(kind: ScalarKind, value: unknown): unknown {
	return kind === 'dateTime' || kind === 'guid' ? scalarText(kind, value, 'json') : value;
}

/** The request as ServiceStack.Text writes it: derived members first, then base members. */
export function toJsonObject(dto: Dto, value: Record<string, unknown>): Record<string, unknown> {
	const fields = allFields(dto);
	const result: Record<string, unknown> = {};
	for (const name of jsonFieldOrder(dto)) {
		if (isPresent(value[name])) result[name] = jsonValue(fields[name], value[name]);
	}
	return result;
}

export function toJson(dto: Dto, value: Record<string, unknown>): string {
	return JSON.stringify(toJsonObject(dto, value));
}

// XML --------------------------------------------------------------------------------------------

function escapeXml(text: string): string {
	// A raw carriage return would reach the API as a line feed (XML end-of-line handling).
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

interface XmlScope {
	defaultNamespace: string;
	prefixes: Map<string, string>;
}

function qualifiedName(name: string, namespace: string, scope: XmlScope): string {
	if (namespace === scope.defaultNamespace) return name;
	return `${scope.prefixes.get(namespace)}:${name}`;
}

/** DataContractSerializer declares a namespace new to the scope on the container as `d<depth>p1`. */
function declareNamespace(namespace: string, scope: XmlScope, depth: number): { attribute: string; scope: XmlScope } {
	if (namespace === scope.defaultNamespace || scope.prefixes.has(namespace)) return { attribute: '', scope };
	const prefix = `d${depth}p1`;
	const prefixes = new Map(scope.prefixes);
	prefixes.set(namespace, prefix);
	return { attribute: ` xmlns:${prefix}="${namespace}"`, scope: { ...scope, prefixes } };
}

function xmlMembers(dto: Dto, value: Record<string, unknown>, scope: XmlScope, depth: number): string {
	const owners = new Map<string, Dto>();
	for (const level of classChain(dto)) for (const name of Object.keys(level.fields)) owners.set(name, level);
	return xmlFieldOrder(dto)
		.filter((name) => isPresent(value[name]))
		.map((name) => {
			const owner = owners.get(name)!;
			const definition = owner.fields[name];
			return xmlElement(xmlNameOf(definition, name), owner.namespace, definition, value[name], scope, depth);
		})
		.join('');
}

function xmlElement(
	name: string,
	namespace: string,
	definition: Field,
	value: unknown,
	scope: XmlScope,
	depth: number,
): string {
	const tag = qualifiedName(name, namespace, scope);
	if (definition.kind === 'object') {
		const inner = declareNamespace(definition.dto.namespace, scope, depth);
		const members = xmlMembers(definition.dto, value as Record<string, unknown>, inner.scope, depth + 1);
		return `<${tag}${inner.attribute}>${members}</${tag}>`;
	}
	if (definition.kind === 'list') {
		const { item } = definition;
		const itemNamespace = typeof item === 'string' ? NS.arrays : item.namespace;
		const inner = declareNamespace(itemNamespace, scope, depth);
		const items = (value as unknown[])
			.map((entry) => {
				if (typeof item === 'string') {
					const itemTag = qualifiedName(XML_SCALAR_NAMES[item], NS.arrays, inner.scope);
					return `<${itemTag}>${escapeXml(scalarText(item, entry, 'xml'))}</${itemTag}>`;
				}
				const itemTag = qualifiedName(item.name, item.namespace, inner.scope);
				return `<${itemTag}>${xmlMembers(item, entry as Record<string, unknown>, inner.scope, depth + 2)}</${itemTag}>`;
			})
			.join('');
		return `<${tag}${inner.attribute}>${items}</${tag}>`;
	}
	return `<${tag}>${escapeXml(scalarText(definition.kind, value, 'xml'))}</${tag}>`;
}

/** The request as DataContractSerializer writes it: base members first, each class in ordinal order. */
export function toXml(dto: Dto, value: Record<string, unknown>): string {
	const scope: XmlScope = { defaultNamespace: dto.namespace, prefixes: new Map() };
	const members = xmlMembers(dto, value, scope, 2);
	return `<${dto.name} xmlns:i="${NS.instance}" xmlns="${dto.namespace}">${members}</${dto.name}>`;
}

export function serializeBody(dto: Dto, value: Record<string, unknown>, format: Format): string {
	return format === 'xml' ? toXml(dto, value) : toJson(dto, value);
}

// Query string -----------------------------------------------------------------------------------

/** JSV quotes a text holding one of its separators, doubling the quotes inside. */
function jsvText(text: string, separators: RegExp): string {
	return separators.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

const JSV_LIST_SEPARATORS = /[",[\]{}\r\n]/;
const JSV_OBJECT_SEPARATORS = /[",:[\]{}\r\n]/;

/** An object in JSV notation: `{name:value,name:value}`, members in JSON order. */
function jsvObject(dto: Dto, value: Record<string, unknown>): string {
	const fields = allFields(dto);
	const members = jsonFieldOrder(dto)
		.filter((name) => isPresent(value[name]))
		.map((name) => {
			const definition = fields[name];
			if (definition.kind === 'object' || definition.kind === 'list') throw new Error(`${dto.name}.${name} cannot be sent in a query string`);
			return `${name}:${jsvText(scalarText(definition.kind, value[name], 'json'), JSV_OBJECT_SEPARATORS)}`;
		});
	return `{${members.join(',')}}`;
}

/**
 * The request as ServiceStack reads a query string: scalars as text, lists of values as `a,b` and
 * lists of objects as JSV (`[{interest:Art,sapInterestId:CA-1}]`), each value quoted when it holds
 * a separator.
 */
export function toQuery(dto: Dto, value: Record<string, unknown>, skip: string[]): Record<string, string> {
	const fields = allFields(dto);
	const query: Record<string, string> = {};
	for (const name of jsonFieldOrder(dto)) {
		if (skip.includes(name) || !isPresent(value[name])) continue;
		const definition = fields[name];
		if (definition.kind === 'object') throw new Error(`${dto.name}.${name} cannot be sent in a query string`);
		if (definition.kind !== 'list') {
			query[name] = scalarText(definition.kind, value[name], 'json');
			continue;
		}
		const { item } = definition;
		const entries = value[name] as unknown[];
		query[name] =
			typeof item === 'string'
				? entries.map((entry) => jsvText(scalarText(item, entry, 'json'), JSV_LIST_SEPARATORS)).join(',')
				: `[${entries.map((entry) => jsvObject(item, entry as Record<string, unknown>)).join(',')}]`;
	}
	return query;
}
