import type { INodeProperties } from 'n8n-workflow';

import type { Format } from '../api/serialize';

export const requestFormatOption: INodeProperties = {
	displayName: 'Request Format',
	name: 'requestFormat',
	type: 'options',
	options: [
		{ name: 'JSON', value: 'json' },
		{ name: 'XML', value: 'xml' },
	],
	default: 'json',
	description: 'Format of the request and response bodies. The output is the same JSON either way.',
};

export function formatFrom(options: { requestFormat?: unknown }): Format {
	return options.requestFormat === 'xml' ? 'xml' : 'json';
}

export const MONTH_OPTIONS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
].map((name, index) => ({ name, value: index + 1 }));

export const ANY_YES_NO_OPTIONS = [
	{ name: 'Any', value: 'any' },
	{ name: 'Yes', value: 'yes' },
	{ name: 'No', value: 'no' },
];

export const asyncTaskIdParameter: INodeProperties = {
	displayName: 'Async Task ID',
	name: 'asyncTaskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 3f2b8c1e-9a4d-4e7b-8c1f-2a3b4c5d6e7f',
	description: 'ID of the task returned by an export, usually mapped from the asyncTaskId field of an earlier node',
};

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
};
