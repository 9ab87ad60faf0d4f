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
	description: 'Format Booster is spoken to in. The output is the same either way; change it only if Booster support asks.',
};

/** Settings every operation offers about how its requests are sent, kept under Advanced. */
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


/**
 * Settings that sat in Options before they moved to Advanced: kept hidden, so that a workflow saved
 * with them still runs as it did (n8n drops a collection's values that its description lacks).
 */
const movedToAdvanced: INodeProperties[] = transportOptions.map(({ displayName, name, default: value }) => ({
	displayName,
	name,
	type: 'hidden',
	default: value,
}));

/** The "Options" collection of an operation: what a user may want to change. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [...options, ...movedToAdvanced] };
}

/** For an operation with no Options left: keeps what a workflow saved there before the settings moved to Advanced. */
export const formerOptions: INodeProperties = { displayName: 'Options', name: 'options', type: 'hidden', default: {} };

/** The "Advanced" collection every operation ends with: how requests are sent, out of the way. */
export function advancedCollection(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Advanced',
		name: 'advanced',
		type: 'collection',
		placeholder: 'Add Advanced Setting',
		default: {},
		options: [...extra, ...transportOptions].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
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

/** Task types Booster documents; another type can be given with an expression. */
export const TASK_TYPE_OPTIONS = [
	{ name: 'Customer Export (Crm)', value: 'crm' },
	{ name: 'Sell-Out Export (Sellout)', value: 'sellout' },
	{ name: 'Stock Export (Stock)', value: 'stock' },
];

/** Return All and Limit, as n8n's list operations offer them. */
export const returnAllParameters: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Yes / No / Leave Unchanged, for a flag an update may leave as it is. */
export const LEAVE_UNCHANGED_OPTIONS = [
	{ name: 'Leave Unchanged', value: 'any' },
	{ name: 'Yes', value: 'yes' },
	{ name: 'No', value: 'no' },
];
