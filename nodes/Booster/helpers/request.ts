import type { IDataObject } from 'n8n-workflow';

import { type Dto, type Field, allFields, rangeEnds } from '../api/schema';
import { FieldError } from '../api/validation';
import {
	type Named,
	isBlank,
	toDateTime,
	type DateBound,
	toInteger,
	toIntegerList,
	toNumber,
	toOptionalBoolean,
	toText,
	toTextList,
} from './inputs';

/**
 * Repeatable groups arrive as `{ group: [...] }` from the editor, or from an expression as a list of
 * entries, a single entry or the editor's shape. Anything else is refused, never read as "no filter".
 */
function groupEntries(target: Named, value: unknown): unknown[] {
	if (isBlank(value)) return [];
	if (Array.isArray(value)) return value;
	if (typeof value === 'object' && value !== null) {
		const keys = Object.keys(value);
		if (keys.length === 0) return [];
		const only = (value as Record<string, unknown>)[keys[0]];
		if (keys.length === 1 && Array.isArray(only)) return only;
		return [value];
	}
	throw new FieldError(
		target.name,
		target.definition.label,
		value,
		'Add entries with the "Add" button, or use an expression returning a list of entries (objects with the fields of an entry).',
	);
}

function objectFromEntry(dto: Dto, label: string, entry: unknown, path: string, timeZone: string): IDataObject {
	const fields = allFields(dto);
	const needs = `Each entry needs the fields ${Object.keys(fields).join(', ')}.`;
	if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new FieldError(path, label, entry, needs);
	// A misspelt field would otherwise be left out, and the entry would filter on less than was set.
	const unknown = Object.keys(entry).find((key) => !(key in fields));
	if (unknown !== undefined) {
		throw new FieldError(`${path}.${unknown}`, label, (entry as IDataObject)[unknown], `${dto.name} has no field "${unknown}". ${needs}`);
	}
	const request = requestFromParameters(dto, entry as IDataObject, timeZone, `${path}.`);
	if (Object.keys(request).length === 0) throw new FieldError(path, label, entry, `The entry is empty: fill in its fields or remove it. ${needs}`);
	return request;
}

function convert(target: Named, value: unknown, timeZone: string, bound: DateBound): unknown {
	const { definition } = target;
	switch (definition.kind) {
		case 'string':
		case 'guid':
			return toText(target, value);
		case 'int':
			return toInteger(target, value);
		case 'double':
		case 'decimal':
			return toNumber(target, value);
		case 'bool':
			return toOptionalBoolean(target, value);
		case 'dateTime':
			return toDateTime(target, value, timeZone, bound);
		case 'object':
			return isBlank(value) ? undefined : objectFromEntry(definition.dto, definition.label, value, target.name, timeZone);
		case 'list': {
			const { item } = definition;
			if (item === 'int') return toIntegerList(target, value);
			if (typeof item === 'string') return toTextList(target, value);
			const entries = groupEntries(target, value).map((entry, index) =>
				objectFromEntry(item, `${definition.label} entry`, entry, `${target.name}[${index}]`, timeZone),
			);
			return entries.length > 0 ? entries : undefined;
		}
	}
}

/**
 * Builds an API request from node parameter values named as the API names its fields, converting
 * each value by the field's type in the DTO description. Values left empty are left out.
 */
export function requestFromParameters(dto: Dto, values: IDataObject, timeZone: string, prefix = ''): IDataObject {
	const fields: Record<string, Field> = allFields(dto);
	const ends = rangeEnds(dto);
	const request: IDataObject = {};
	for (const [name, value] of Object.entries(values)) {
		const definition = fields[name];
		if (!definition) continue;
		const converted = convert({ name: `${prefix}${name}`, definition }, value, timeZone, ends.has(name) ? 'end' : 'start');
		if (converted !== undefined) request[name] = converted as IDataObject[keyof IDataObject];
	}
	return request;
}
