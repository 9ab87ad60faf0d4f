import type { IDataObject } from 'n8n-workflow';

import { type Dto, type Field, allFields } from '../api/schema';
import { FieldError } from '../api/validation';
import {
	type Named,
	isBlank,
	toCalendarDate,
	toInteger,
	toIntegerList,
	toNumber,
	toOptionalBoolean,
	toText,
	toTextList,
} from './inputs';

/** Repeatable groups arrive as `{ group: [...] }` from the editor, or as a plain list from an expression. */
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
	throw new FieldError(target.name, target.definition.label, value, 'Add entries with the "Add" button.');
}

function objectFromEntry(dto: Dto, entry: unknown, path: string, timeZone: string): IDataObject {
	if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
		throw new FieldError(path, dto.name, entry, `Each entry needs the fields ${Object.keys(allFields(dto)).join(', ')}.`);
	}
	return requestFromParameters(dto, entry as IDataObject, timeZone, `${path}.`);
}

function convert(target: Named, value: unknown, timeZone: string): unknown {
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
			return toCalendarDate(target, value, timeZone);
		case 'object':
			return isBlank(value) ? undefined : objectFromEntry(definition.dto, value, target.name, timeZone);
		case 'list': {
			const { item } = definition;
			if (item === 'int') return toIntegerList(target, value);
			if (typeof item === 'string') return toTextList(target, value);
			const entries = groupEntries(target, value).map((entry, index) =>
				objectFromEntry(item, entry, `${target.name}[${index}]`, timeZone),
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
	const request: IDataObject = {};
	for (const [name, value] of Object.entries(values)) {
		const definition = fields[name];
		if (!definition) continue;
		const converted = convert({ name: `${prefix}${name}`, definition }, value, timeZone);
		if (converted !== undefined) request[name] = converted as IDataObject[keyof IDataObject];
	}
	return request;
}
