import { createHash } from 'crypto';
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { API, ExportCustomer, ExportedCustomer } from '../../api/dtos';
import { requestFromParameters } from '../../helpers/request';
import { requestSettings, settingsOf, wholeNumberIn } from '../../helpers/settings';
import { type SinceLastRun, advanceSinceLastRun, narrowToSinceLastRun, runOfNode, sinceLastRunOption } from '../../helpers/since-last-run';
import { checkTaskBrand, downloadTaskFile, getTask, itemWithFile, readTaskCustomers, waitForTask } from '../../helpers/tasks';
import { type BoosterSession, callBooster } from '../../transport';
import { advancedCollection, binaryPropertyOption, optionsCollection } from '../common.descriptions';
import { parameterFor } from '../parameters';
import { brandAndPosCodes, searchFilters } from './customer.descriptions';

type Output = 'customers' | 'file' | 'task';

/** Version 1 had no Output: its Options said whether to wait and whether to download. */
const AS_OPTIONS_SAY = 'asOptionsSay';

const WAITS = ['customers', 'file', AS_OPTIONS_SAY];

const CUSTOMER_COLUMNS = Object.keys(ExportedCustomer.fields).join(', ');

const OUTPUT_OPTIONS = [
	{ name: 'Customers', value: 'customers', description: 'Wait for the export, then output one item per customer' },
	{ name: 'File', value: 'file', description: 'Wait for the export, then output its file (CSV) as binary data' },
	{
		name: 'Task',
		value: 'task',
		description: 'Output the started export at once, without waiting; get its customers later, for example with the Booster Trigger',
	},
];

const output = (defaultOutput: Output): INodeProperties => ({
	displayName: 'Output',
	name: 'output',
	type: 'options',
	options: OUTPUT_OPTIONS,
	default: defaultOutput,
	hint: `Customers have the columns of Booster's export file: ${CUSTOMER_COLUMNS}. A column Booster adds later comes as text.`,
});

const properties: INodeProperties[] = [
	...brandAndPosCodes(ExportCustomer, 'export'),
	{ ...output('customers'), displayOptions: { show: { '@version': [{ _cnd: { gte: 1.1 } }] } } },
	{ displayName: 'Output', name: 'output', type: 'hidden', default: AS_OPTIONS_SAY, displayOptions: { show: { '@version': [1] } } },
	searchFilters(ExportCustomer),
	optionsCollection([
		...parameterFor(ExportCustomer, 'downloadRequestId', {
			required: false,
			description:
				'A name of your choice for this export, such as monday-sync-2026-12-07. Booster answers a second export with the same name with the first one. Leave it empty: the node makes up a new one for each run, kept when n8n retries an item.',
		}),
		sinceLastRunOption,
		{ ...binaryPropertyOption, displayOptions: { show: { '/output': ['file', AS_OPTIONS_SAY] } } },
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			default: 5,
			typeOptions: { minValue: 1, maxValue: 600 },
			description: 'How often to ask Booster whether the export is ready',
			displayOptions: { show: { '/output': WAITS } },
		},
		{
			displayName: 'Wait at Most (Minutes)',
			name: 'timeoutMinutes',
			type: 'number',
			default: 30,
			typeOptions: { minValue: 1, maxValue: 1440 },
			description: 'How long to wait for the export before failing the item',
			displayOptions: { show: { '/output': WAITS } },
		},
		{
			displayName: 'Download File',
			name: 'downloadFile',
			type: 'boolean',
			default: false,
			description: 'Whether to wait for the export and attach its file as binary data',
			displayOptions: { show: { '/output': [AS_OPTIONS_SAY] } },
		},
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description: 'Whether to wait until Booster has finished the export and output the completed task',
			displayOptions: { show: { '/output': [AS_OPTIONS_SAY] } },
		},
	]),
	advancedCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['export'] } }, properties);

/**
 * Booster answers a repeated downloadRequestId with the task it started the first time. The ID is
 * therefore unique for each execution, node, run of the node (a loop, a second branch) and item,
 * and carries a digest of the request: only a retry of the very same request reuses it.
 */
export function generatedDownloadRequestId(this: IExecuteFunctions, itemIndex: number, request: IDataObject): string {
	const workflowId = this.getWorkflow().id ?? 'unsaved';
	const nodeId = this.getNode().id.replace(/-/g, '').slice(0, 12);
	const runIndex = Number(this.getWorkflowDataProxy(itemIndex).$runIndex ?? 0);
	const digest = createHash('sha256').update(JSON.stringify(request), 'utf8').digest('hex').slice(0, 12);
	return `n8n-${workflowId}-${this.getExecutionId()}-${nodeId}-${runIndex}-${itemIndex}-${digest}`;
}

type Delivery = Output | 'finishedTask';

/** What the item outputs: the Output chosen, or in version 1 what its two switches say. */
function deliveryOf(context: IExecuteFunctions, itemIndex: number, options: IDataObject): Delivery {
	const chosen = context.getNodeParameter('output', itemIndex) as Output | typeof AS_OPTIONS_SAY;
	if (chosen !== AS_OPTIONS_SAY) return chosen;
	if (options.downloadFile === true) return 'file';
	return options.waitForCompletion === true ? 'finishedTask' : 'task';
}

function describeWindow({ basis, from, to }: SinceLastRun, itemIndex: number): string {
	const what = basis === 'created' ? 'Customers created' : 'Customers with transactions';
	return `Only Since Last Run (item ${itemIndex}): ${what} ${from ? `from ${from}` : 'until'} ${from ? `to ${to}` : to}`;
}

function sinceLastRunFields(window: SinceLastRun | undefined): IDataObject {
	return window ? { sinceLastRun: { basis: window.basis, from: window.from, to: window.to } } : {};
}



export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession<IExecuteFunctions>): Promise<INodeExecutionData[]> {
	const { options, advanced } = settingsOf(this, itemIndex);
	const delivery = deliveryOf(this, itemIndex, options);
	const parameters: IDataObject = {
		brand: this.getNodeParameter('brand', itemIndex),
		posCodes: this.getNodeParameter('posCodes', itemIndex),
		...(this.getNodeParameter('filters', itemIndex, {}) as IDataObject),
		downloadRequestId: options.downloadRequestId,
	};
	const request = requestFromParameters(ExportCustomer, parameters, this.getTimezone());
	// Made before the window narrows the request: a retry of the item (whose window ends later) then
	// reuses it, and Booster answers with the export already started.
	request.downloadRequestId ??= generatedDownloadRequestId.call(this, itemIndex, request);
	const window = narrowToSinceLastRun(this, options.onlySinceLastRun, runOfNode(this, options.onlySinceLastRun, session.startedAt), request);
	if (window) this.addExecutionHints({ message: describeWindow(window, itemIndex), location: 'outputPane' });
	// The dates set on the node leave nothing of the window: nothing to export, and no error.
	if (window?.empty) return [];
	const settings = requestSettings(advanced, itemIndex);
	const response = await callBooster(session, API.exportCustomer, request, settings);
	const brand = String(request.brand);
	if (delivery === 'task') {
		checkTaskBrand(this.getNode(), await getTask(session, String(response.asyncTaskId), settings), brand, itemIndex);
		return [{ json: { ...response, downloadRequestId: request.downloadRequestId, brand: request.brand, ...sinceLastRunFields(window) } }];
	}

	const task = await waitForTask(session, String(response.asyncTaskId), {
		...settings,
		itemIndex,
		pollIntervalSeconds: wholeNumberIn(options.pollIntervalSeconds, 5, 1, 600),
		timeoutMinutes: wholeNumberIn(options.timeoutMinutes, 30, 1, 1440),
		brand,
	});
	const json = { ...task, downloadRequestId: request.downloadRequestId, ...sinceLastRunFields(window) };
	if (delivery === 'finishedTask') return [{ json }];
	if (delivery === 'file') return [itemWithFile(json, await downloadTaskFile(session, task, settings), options.binaryPropertyName)];
	const customers: INodeExecutionData[] = [];
	const pairedItem = { item: itemIndex };
	await readTaskCustomers(session, task, settings, (rows) => {
		for (const row of rows) customers.push({ json: row, pairedItem });
	});
	return customers;
}

/** After a run in which every item succeeded, Only Since Last Run starts its next window where this run started. */
export function finish(this: IExecuteFunctions, session: BoosterSession<IExecuteFunctions>, failedItems: number): void {
	if (failedItems > 0) return;
	const options = this.getInputData().map((_, itemIndex) => settingsOf(this, itemIndex).options.onlySinceLastRun);
	advanceSinceLastRun(this, options, runOfNode(this, options.find((option) => option === 'created' || option === 'transactions'), session.startedAt));
}
