import type { INodeProperties } from 'n8n-workflow';

import { type Dto, type Field, allFields } from '../api/schema';

/**
 * Editor parameters derived from the API's descriptions: name, display name (the field's label),
 * type, required flag, limits and list-ness come from the DTO; an operation adds only what is about
 * the editor (description, placeholder, options, hints) or overrides the type where the editor
 * shows a field differently (an ID typed as text so that it can be mapped).
 */
export interface EditorExtras extends Partial<Omit<INodeProperties, 'name'>> {
	/** Repeatable groups: the name and display name of one entry. */
	entry?: { name: string; displayName: string };
	/** Repeatable groups: the entry's fields in the editor's order, with their placeholders. */
	entryPlaceholders?: Record<string, string>;
}

/** A yes/no filter: Any leaves it out. */
const ANY_YES_NO_OPTIONS = [
	{ name: 'Any', value: 'any' },
	{ name: 'Yes', value: 'yes' },
	{ name: 'No', value: 'no' },
];

function numberLimits(field: Field): INodeProperties['typeOptions'] {
	const { min, max } = field.rules;
	if (min === undefined && max === undefined) return undefined;
	return { ...(min !== undefined ? { minValue: min } : {}), ...(max !== undefined ? { maxValue: max } : {}) };
}

function entryParameters(dto: Dto, placeholders?: Record<string, string>): INodeProperties[] {
	const fields = allFields(dto);
	const names = placeholders ? Object.keys(placeholders) : Object.keys(fields);
	return names.map((name) => [name, fields[name]] as const).map(([name, field]) => ({
		displayName: field.label,
		name,
		type: 'string',
		default: '',
		required: field.required,
		placeholder: placeholders?.[name] ?? '',
	}));
}

function parameterOf(name: string, field: Field, extras: EditorExtras): INodeProperties {
	const base = { displayName: field.label, name, ...(field.required ? { required: true } : {}) };
	switch (field.kind) {
		case 'int':
		case 'double':
		case 'decimal': {
			// An optional number is typed as text: left empty it is not sent, where a number box would send 0.
			if (!field.required) return { ...base, type: 'string', default: '' };
			const typeOptions = numberLimits(field);
			return { ...base, type: 'number', default: 0, ...(typeOptions ? { typeOptions } : {}) };
		}
		case 'bool':
			return { ...base, type: 'options', options: ANY_YES_NO_OPTIONS, default: 'any' };
		case 'dateTime':
			return { ...base, type: 'dateTime', default: '' };
		case 'list':
			if (typeof field.item !== 'string') {
				const entry = extras.entry ?? { name, displayName: field.label };
				return {
					...base,
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					placeholder: `Add ${entry.displayName}`,
					default: {},
					options: [{ displayName: entry.displayName, name: entry.name, values: entryParameters(field.item, extras.entryPlaceholders) }],
				};
			}
			if (field.rules.oneOf) {
				return { ...base, type: 'multiOptions', options: field.rules.oneOf.map((value) => ({ name: value, value })), default: [] };
			}
			return { ...base, type: 'string', default: '' };
		default:
			return { ...base, type: 'string', default: '' };
	}
}

/** What `extras` sets on the parameter itself: all but the repeatable group's entry settings. */
function overridesOf(extras: EditorExtras): Partial<Omit<INodeProperties, 'name'>> {
	const overrides = { ...extras };
	delete overrides.entry;
	delete overrides.entryPlaceholders;
	return overrides;
}

/**
 * The parameter of `dto`'s field `name`. A repeatable group comes with a hidden parameter of the
 * same name after it: before a node runs, n8n rebuilds every fixedCollection from its entries and
 * turns anything else, such as an expression, into {} (NodeHelpers.getNodeParameters); a hidden
 * parameter is kept as given and, coming later, is what the node reads. The editor shows only the
 * group.
 */
export function parameterFor(dto: Dto, name: string, extras: EditorExtras = {}): INodeProperties[] {
	const field = allFields(dto)[name];
	if (!field) throw new Error(`${dto.name} has no field "${name}"`);
	const overrides = overridesOf(extras);
	const derived = parameterOf(name, field, extras);
	const parameter = { ...derived, ...overrides } as INodeProperties;
	// Limits of the API's type do not apply to the editor's other type (an ID typed as text).
	if (overrides.type && overrides.type !== derived.type && !overrides.typeOptions) delete parameter.typeOptions;
	// A field the API requires may be optional in the editor (the node fills it in).
	if (parameter.required === false) delete parameter.required;
	if (parameter.type !== 'fixedCollection') return [parameter];
	return [parameter, { displayName: parameter.displayName, name, type: 'hidden', default: {} }];
}

/** The parameters of several fields of `dto`, in display-name order (as n8n lists a collection's options). */
export function parametersFor(dto: Dto, extrasByName: Record<string, EditorExtras>): INodeProperties[] {
	return Object.entries(extrasByName)
		.map(([name, extras]) => parameterFor(dto, name, extras))
		.sort(([a], [b]) => a.displayName.localeCompare(b.displayName))
		.flat();
}
