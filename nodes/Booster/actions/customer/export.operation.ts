import { createHash } from 'crypto';
import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { API, ExportCustomer } from '../../api/dtos';
import { requestFromParameters } from '../../helpers/request';
import { requestSettings, wholeNumberIn } from '../../helpers/settings';
import { checkTaskBrand, downloadTaskFile, getTask, itemWithFile, waitForTask } from '../../helpers/tasks';
import { type BoosterSession, callBooster } from '../../transport';
import { MONTH_OPTIONS, binaryPropertyOption, optionsCollection, transportOptions } from '../common.descriptions';
import { parameterFor, parametersFor } from '../parameters';

const LIST_HINT = 'Separate values with commas, or use an expression returning a list';

const properties: INodeProperties[] = [
	...parameterFor(ExportCustomer, 'brand', {
		placeholder: 'e.g. CAR',
		description: 'Brand trigram of the Maison, such as CAR for Cartier',
	}),
	...parameterFor(ExportCustomer, 'posCodes', {
		displayName: 'POS Codes Names or IDs',
		type: 'multiOptions',
		default: [],
		typeOptions: { loadOptionsMethod: 'getPosCodes', loadOptionsDependsOn: ['brand'] },
		description:
			'Points of sale whose customers to export. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a> (a list, or codes separated by commas).',
	}),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: parametersFor(ExportCustomer, {
			birthdateMonths: { type: 'multiOptions', options: MONTH_OPTIONS, default: [], description: 'Customers born in any of these months' },
			boosterCustomerIds: { placeholder: 'e.g. 1234567, 7654321', description: `Only these customers. ${LIST_HINT}.` },
			canBeContactedByMaison: {},
			clientSpendingFrom: { description: 'Lowest total spending, such as 10000' },
			clientSpendingTo: { description: 'Highest total spending, such as 50000' },
			creationDateFrom: { description: 'Customers created on or after this date' },
			creationDateTo: { description: 'Customers created on or before this date' },
			customerStatus: {},
			email: { placeholder: 'name@email.com', description: 'Exact e-mail address of the customer' },
			hasSapCrmError: { description: 'Whether the customer failed to synchronise with SAP CRM' },
			hobbies: { entry: { name: 'hobby', displayName: 'Hobby' }, entryPlaceholders: { hobby: 'e.g. Art', sapHobbyId: 'e.g. ART' } },
			interests: { entry: { name: 'interest', displayName: 'Interest' }, entryPlaceholders: { interest: 'e.g. Art', sapInterestId: 'e.g. CA-1' } },
			locationCountryIds: { placeholder: 'e.g. ch, fr, it', description: `Country codes of the customers' location. ${LIST_HINT}.` },
			phoneNumber: { description: 'Exact phone number of the customer' },
			productCategories: {
				entry: { name: 'productCategory', displayName: 'Product Category' },
				entryPlaceholders: { grandCategoryId: '', masterCategoryId: '', categoryId: '', subCategoryId: '', brandCategoryId: '' },
			},
			productCollections: {
				entry: { name: 'productCollection', displayName: 'Product Collection' },
				entryPlaceholders: { productCollection: 'e.g. Panthère', sapProductCollectionId: 'e.g. CA-1' },
			},
			saleRepresentativeEmails: {
				placeholder: 'e.g. anna@maison.com, marc@maison.com',
				description: `Customers followed by these sales representatives. ${LIST_HINT}.`,
			},
			searchKey: { description: 'Free search on name, e-mail, phone (without prefix), Booster customer ID or SAP CRM ID' },
			transactionDateFrom: { description: 'Customers with a transaction on or after this date' },
			transactionDateTo: { description: 'Customers with a transaction on or before this date' },
		}),
	},
	optionsCollection([
		{
			displayName: 'Download File',
			name: 'downloadFile',
			type: 'boolean',
			default: false,
			description: 'Whether to wait for the export and attach its file as binary data',
		},
		...parameterFor(ExportCustomer, 'downloadRequestId', {
			required: false,
			description:
				'Your own ID for this export. Left empty, one is generated that stays the same when n8n retries the item, so a retry never starts a second export.',
		}),
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			default: 5,
			typeOptions: { minValue: 1, maxValue: 600 },
			description: 'How often to check the task while waiting',
		},
		{ ...binaryPropertyOption, displayOptions: { show: { downloadFile: [true] } } },
		...transportOptions,
		{
			displayName: 'Timeout (Minutes)',
			name: 'timeoutMinutes',
			type: 'number',
			default: 30,
			typeOptions: { minValue: 1, maxValue: 1440 },
			description: 'How long to wait for the export before failing the item',
		},
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description: 'Whether to wait until Booster has finished the export and output the completed task',
		},
	]),
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

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession<IExecuteFunctions>): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const parameters: IDataObject = {
		brand: this.getNodeParameter('brand', itemIndex),
		posCodes: this.getNodeParameter('posCodes', itemIndex),
		...(this.getNodeParameter('filters', itemIndex, {}) as IDataObject),
		downloadRequestId: options.downloadRequestId,
	};
	const request = requestFromParameters(ExportCustomer, parameters, this.getTimezone());
	request.downloadRequestId ??= generatedDownloadRequestId.call(this, itemIndex, request);
	const settings = requestSettings(options, itemIndex);
	const response = await callBooster(session, API.exportCustomer, request, settings);
	const started = { ...response, downloadRequestId: request.downloadRequestId, brand: request.brand };
	const brand = String(request.brand);
	if (!options.waitForCompletion && !options.downloadFile) {
		checkTaskBrand(this.getNode(), await getTask(session, String(response.asyncTaskId), settings), brand, itemIndex);
		return [{ json: started }];
	}

	const task = await waitForTask(session, String(response.asyncTaskId), {
		...settings,
		itemIndex,
		pollIntervalSeconds: wholeNumberIn(options.pollIntervalSeconds, 5, 1, 600),
		timeoutMinutes: wholeNumberIn(options.timeoutMinutes, 30, 1, 1440),
		brand,
	});
	const json = { ...task, downloadRequestId: request.downloadRequestId };
	if (!options.downloadFile) return [{ json }];
	const file = await downloadTaskFile(session, task, settings);
	return [itemWithFile(json, file, options.binaryPropertyName)];
}
