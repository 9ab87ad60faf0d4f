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
