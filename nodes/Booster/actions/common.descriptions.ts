import type { INodeProperties } from 'n8n-workflow';

import { GetTaskDetail } from '../api/dtos';
import { TASK_STATUS } from '../helpers/tasks';
import { parameterFor } from './parameters';

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

/** Options every operation offers about how its requests are sent. */
export const transportOptions: INodeProperties[] = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		default: 4,
		typeOptions: { minValue: 0, maxValue: 10 },
		description:
			'How often to retry a request that failed for a passing reason: 429, 502, 503, 504, a time-out or a dropped connection',
	},
	requestFormatOption,
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		default: 60,
		typeOptions: { minValue: 1, maxValue: 3600 },
		description: 'How long to wait for Booster to answer one request',
	},
];

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


/** The "Options" collection each operation ends with. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}

export const asyncTaskIdParameter: INodeProperties[] = parameterFor(GetTaskDetail, 'asyncTaskId', {
	placeholder: 'e.g. 3f2b8c1e-9a4d-4e7b-8c1f-2a3b4c5d6e7f',
	description: 'ID of the task returned by an export, usually mapped from the asyncTaskId field of an earlier node',
});

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	hint: 'The name of the output binary field to put the file in',
};

export const TASK_STATUS_OPTIONS = [
	{ name: 'Requested (REQ)', value: TASK_STATUS.requested },
	{ name: 'In Progress (INP)', value: TASK_STATUS.inProgress },
	{ name: 'Completed (COM)', value: TASK_STATUS.completed },
	{ name: 'Failed (ERR)', value: TASK_STATUS.failed },
];
