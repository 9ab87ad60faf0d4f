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
import { ANY_YES_NO_OPTIONS, MONTH_OPTIONS, binaryPropertyOption, optionsCollection, transportOptions } from '../common.descriptions';

const LIST_HINT = 'Separate values with commas, or use an expression returning a list';

/**
 * A repeatable group, and a hidden parameter of the same name after it. Before a node runs, n8n
 * rebuilds every fixedCollection from its `{ entryName: [...] }` entries and replaces anything
 * else, such as an expression, with {} (NodeHelpers.getNodeParameters, run by `new Workflow`): an
 * expression-given group would reach the node as "no filter". A hidden parameter is kept as given
 * and, coming later, is what the node reads; the editor shows only the group.
 */
function repeatableGroup(
	name: string,
	displayName: string,
	entryName: string,
	entryDisplayName: string,
	fields: INodeProperties[],
): INodeProperties[] {
	return [
		{
			displayName,
			name,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: `Add ${entryDisplayName}`,
			default: {},
			options: [{ displayName: entryDisplayName, name: entryName, values: fields }],
		},
		{ displayName, name, type: 'hidden', default: {} },
	];
}

function textField(displayName: string, name: string, required: boolean, placeholder: string): INodeProperties {
	return { displayName, name, type: 'string', default: '', required, placeholder };
}

const properties: INodeProperties[] = [
	{
		displayName: 'Brand',
		name: 'brand',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. CAR',
		description: 'Brand trigram of the Maison, such as CAR for Cartier',
	},
	{
		displayName: 'POS Codes Names or IDs',
		name: 'posCodes',
		type: 'multiOptions',
		required: true,
		default: [],
		typeOptions: { loadOptionsMethod: 'getPosCodes', loadOptionsDependsOn: ['brand'] },
		description:
			'Points of sale whose customers to export. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a> (a list, or codes separated by commas).',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Birthdate Months',
				name: 'birthdateMonths',
				type: 'multiOptions',
				options: MONTH_OPTIONS,
				default: [],
				description: 'Customers born in any of these months',
			},
			{
				displayName: 'Booster Customer IDs',
				name: 'boosterCustomerIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1234567, 7654321',
				description: `Only these customers. ${LIST_HINT}.`,
			},
			{
				displayName: 'Can Be Contacted By Maison',
				name: 'canBeContactedByMaison',
				type: 'options',
				options: ANY_YES_NO_OPTIONS,
				default: 'any',
			},
			{
				displayName: 'Client Spending From',
				name: 'clientSpendingFrom',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'Lowest total spending, such as 10000',
			},
			{
				displayName: 'Client Spending To',
				name: 'clientSpendingTo',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description: 'Highest total spending, such as 50000',
			},
			{
				displayName: 'Creation Date From',
				name: 'creationDateFrom',
				type: 'dateTime',
				default: '',
				description: 'Customers created on or after this date',
			},
			{
				displayName: 'Creation Date To',
				name: 'creationDateTo',
				type: 'dateTime',
				default: '',
				description: 'Customers created on or before this date',
			},
			{
				displayName: 'Customer Status',
				name: 'customerStatus',
				type: 'multiOptions',
				options: [
					{ name: 'Client', value: 'Client' },
					{ name: 'Prospect', value: 'Prospect' },
				],
				default: [],
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Exact e-mail address of the customer',
			},
			{
				displayName: 'Has SAP CRM Error',
				name: 'hasSapCrmError',
				type: 'options',
				options: ANY_YES_NO_OPTIONS,
				default: 'any',
				description: 'Whether the customer failed to synchronise with SAP CRM',
			},
			...repeatableGroup('hobbies', 'Hobbies', 'hobby', 'Hobby', [
				textField('Hobby', 'hobby', false, 'e.g. Art'),
				textField('SAP Hobby ID', 'sapHobbyId', false, 'e.g. ART'),
			]),
			...repeatableGroup('interests', 'Interests', 'interest', 'Interest', [
				textField('Interest', 'interest', true, 'e.g. Art'),
				textField('SAP Interest ID', 'sapInterestId', true, 'e.g. CA-1'),
			]),
			{
				displayName: 'Location Country IDs',
				name: 'locationCountryIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. ch, fr, it',
				description: `Country codes of the customers' location. ${LIST_HINT}.`,
			},
			{
				displayName: 'Phone Number',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				description: 'Exact phone number of the customer',
			},
			...repeatableGroup('productCategories', 'Product Categories', 'productCategory', 'Product Category', [
				textField('Grand Category ID', 'grandCategoryId', true, ''),
				textField('Master Category ID', 'masterCategoryId', false, ''),
				textField('Category ID', 'categoryId', false, ''),
				textField('Sub Category ID', 'subCategoryId', false, ''),
				textField('Brand Category ID', 'brandCategoryId', false, ''),
			]),
			...repeatableGroup('productCollections', 'Product Collections', 'productCollection', 'Product Collection', [
				textField('Product Collection', 'productCollection', true, 'e.g. Panthère'),
				textField('SAP Product Collection ID', 'sapProductCollectionId', true, 'e.g. CA-1'),
			]),
			{
				displayName: 'Sale Representative Emails',
				name: 'saleRepresentativeEmails',
				type: 'string',
				default: '',
				placeholder: 'e.g. anna@maison.com, marc@maison.com',
				description: `Customers followed by these sales representatives. ${LIST_HINT}.`,
			},
			{
				displayName: 'Search Key',
				name: 'searchKey',
				type: 'string',
				default: '',
				description: 'Free search on name, e-mail, phone (without prefix), Booster customer ID or SAP CRM ID',
			},
			{
				displayName: 'Transaction Date From',
				name: 'transactionDateFrom',
				type: 'dateTime',
				default: '',
				description: 'Customers with a transaction on or after this date',
			},
			{
				displayName: 'Transaction Date To',
				name: 'transactionDateTo',
				type: 'dateTime',
				default: '',
				description: 'Customers with a transaction on or before this date',
			},
		],
	},
	optionsCollection([
		{
			displayName: 'Download File',
			name: 'downloadFile',
			type: 'boolean',
			default: false,
			description: 'Whether to wait for the export and attach its file as binary data',
		},
		{
			displayName: 'Download Request ID',
			name: 'downloadRequestId',
			type: 'string',
			default: '',
			description:
				'Your own ID for this export. Left empty, one is generated that stays the same when n8n retries the item, so a retry never starts a second export.',
		},
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
