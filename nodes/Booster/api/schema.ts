/**
 * A small DTO description language in the spirit of ServiceStack's DTO-first design: each request
 * and response of the Booster API is described once, and validation, JSON and XML serialization,
 * query strings and response parsing are all derived from that description.
 */

export type ScalarKind = 'string' | 'int' | 'double' | 'decimal' | 'bool' | 'dateTime' | 'guid';

export interface FieldRules {
	/** Smallest allowed number (numbers) or list item (numeric lists). */
	min?: number;
	/** Largest allowed number (numbers) or list item (numeric lists). */
	max?: number;
	/** Most items a list may hold. */
	maxItems?: number;
	/** Longest allowed text. */
	maxLength?: number;
	/** Fewest items a required list may hold. */
	minItems?: number;
	/** Text format checked on the value or on every list item. */
	format?: 'email' | 'pathSegment';
	/** The only values the API knows (texts and text lists). */
	oneOf?: readonly string[];
}

interface FieldBase {
	/** Human label: the editor parameter's display name and the name used in error messages. */
	label: string;
	required: boolean;
	rules: FieldRules;
	/** Element name in XML when it differs from the JSON (camelCase) name. */
	xmlName?: string;
}

export interface ScalarField<Kind extends ScalarKind = ScalarKind> extends FieldBase {
	kind: Kind;
}

export interface ListField<Item extends ScalarKind | Dto = ScalarKind | Dto> extends FieldBase {
	kind: 'list';
	item: Item;
}

export interface ObjectField<Class extends Dto = Dto> extends FieldBase {
	kind: 'object';
	dto: Class;
}

export type Field = ScalarField | ListField | ObjectField;

export interface Dto {
	/** Class name: the XML root or item element name. */
	name: string;
	/** DataContract namespace of the class. */
	namespace: string;
	base?: Dto;
	/** Own fields in declaration order (the JSON order). */
	fields: Record<string, Field>;
	/** Serialize XML members in declaration order (explicit DataMember Order) instead of ordinal. */
	declaredXmlOrder?: boolean;
	/** From/to pairs of own fields whose `from` may not come after `to`. */
	ranges?: Array<[string, string]>;
}

export const NS = {
	instance: 'http://www.w3.org/2001/XMLSchema-instance',
	arrays: 'http://schemas.microsoft.com/2003/10/Serialization/Arrays',
	crm: 'http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.CRM.ServiceModel',
	common: 'http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.Common.ServiceModel',
	nightlyProcess:
		'http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.NightlyProcess.ServiceModel',
	security: 'http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.Security.ServiceModel',
	serviceStack: 'http://schemas.servicestack.net/types',
} as const;

type Options = Partial<Omit<FieldBase, 'label'>> & FieldRules;

function base(label: string, options: Options = {}): FieldBase {
	const { required = false, xmlName, ...rules } = options;
	return { label, required, rules, xmlName };
}

function scalar<Kind extends ScalarKind>(kind: Kind) {
	return (label: string, options?: Options): ScalarField<Kind> => ({ kind, ...base(label, options) });
}

export const field = {
	string: scalar('string'),
	int: scalar('int'),
	double: scalar('double'),
	decimal: scalar('decimal'),
	bool: scalar('bool'),
	dateTime: scalar('dateTime'),
	guid: scalar('guid'),
	list: <Item extends ScalarKind | Dto>(item: Item, label: string, options?: Options): ListField<Item> => ({
		kind: 'list',
		item,
		...base(label, options),
	}),
	object: <Class extends Dto>(dto: Class, label: string, options?: Options): ObjectField<Class> => ({
		kind: 'object',
		dto,
		...base(label, options),
	}),
};

// TypeScript types read from the descriptions: what a request or response of a class holds. -------

type ScalarValue<Kind> = Kind extends 'int' | 'double' | 'decimal' ? number : Kind extends 'bool' ? boolean : string;

type FieldValue<F> =
	F extends ListField<infer Item>
		? Item extends Dto
			? Array<DtoValue<Item>>
			: Array<ScalarValue<Item>>
		: F extends ObjectField<infer Class>
			? DtoValue<Class>
			: F extends ScalarField<infer Kind>
				? ScalarValue<Kind>
				: never;

type FieldsOf<Class> = (Class extends { fields: infer Own } ? Own : object) & (Class extends { base: infer Base } ? FieldsOf<Base> : object);

/** The values of a class and its bases, each `null` when the API leaves it out. */
export type DtoValue<Class> = { [Name in keyof FieldsOf<Class>]: FieldValue<FieldsOf<Class>[Name]> | null };

/** Base-first chain of classes, as DataContractSerializer walks it. */
export function classChain(dto: Dto): Dto[] {
	return dto.base ? [...classChain(dto.base), dto] : [dto];
}

/** The fields that end a from/to range of a DTO or its bases. */
export function rangeEnds(dto: Dto): Set<string> {
	return new Set(classChain(dto).flatMap((level) => (level.ranges ?? []).map(([, end]) => end)));
}

/** Every field of a DTO and its bases, by name. */
export function allFields(dto: Dto): Record<string, Field> {
	return Object.assign({}, ...classChain(dto).map((level) => level.fields));
}

/** ServiceStack.Text JSON order: the derived class's members first, then each base in turn. */
export function jsonFieldOrder(dto: Dto): string[] {
	return classChain(dto)
		.reverse()
		.flatMap((level) => Object.keys(level.fields));
}

/** Ordinal comparison, as .NET's string.CompareOrdinal: by UTF-16 code unit. */
export function compareOrdinal(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** DataContractSerializer order: base members first, each class's members in ordinal order. */
export function xmlFieldOrder(dto: Dto): string[] {
	return classChain(dto).flatMap((level) => {
		const names = Object.keys(level.fields);
		if (level.declaredXmlOrder) return names;
		return names.sort((a, b) => compareOrdinal(xmlNameOf(level.fields[a], a), xmlNameOf(level.fields[b], b)));
	});
}

export function xmlNameOf(definition: Field, name: string): string {
	return definition.xmlName ?? name;
}

/** A route of the API: verb, path template and the request and response classes. */
export interface ApiOperation {
	name: string;
	method: 'GET' | 'POST' | 'PATCH';
	/** The request's fields travel in the query string (GET, and PATCH operations documented with query fields). */
	queryOnly?: boolean;
	/** Path template with `{field}` placeholders filled from the request. */
	route: string;
	request: Dto;
	response: Dto;
	/** The response is a list of `response` items (XML root `ArrayOf<Name>`). */
	responseIsList?: boolean;
}

export function pathParameters(operation: ApiOperation): string[] {
	return [...operation.route.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
}

/** What a call of `operation` answers: one response object, or a list of them. */
export type ResponseOf<Operation extends ApiOperation> = Operation extends { responseIsList: true }
	? Array<DtoValue<Operation['response']>>
	: DtoValue<Operation['response']>;
