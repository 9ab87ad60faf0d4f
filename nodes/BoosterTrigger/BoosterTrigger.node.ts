import {
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { BOOSTER_CREDENTIAL } from '../../credentials/BoosterApi.credentials';
import { advancedCollection, binaryPropertyOption, optionsCollection } from '../Booster/actions/common.descriptions';
import { pollFinishedTasks } from './poll';

export class BoosterTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Booster Trigger',
		name: 'boosterTrigger',
		icon: { light: 'file:booster.svg', dark: 'file:booster.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when a Booster export task completes or fails',
		documentationUrl: 'https://github.com/n8n-nodes-booster/n8n-nodes-booster#booster-trigger',
		defaults: { name: 'Booster Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: BOOSTER_CREDENTIAL, required: true }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{ name: 'Export Completed', value: 'COM', description: 'A task reached status COM; its file is ready' },
					{ name: 'Export Failed', value: 'ERR', description: 'A task ended with status ERR' },
				],
				default: ['COM'],
			},
			{
				displayName: 'Task Type',
				name: 'taskType',
				type: 'options',
				// Written out (not spread from TASK_TYPE_OPTIONS) so that n8n's lint can check the default
				// against them; a unit test keeps them equal to TASK_TYPE_OPTIONS.
				options: [
					{ name: 'All Types', value: '' },
					{ name: 'Customer Export (Crm)', value: 'crm' },
					{ name: 'Sell-Out Export (Sellout)', value: 'sellout' },
					{ name: 'Stock Export (Stock)', value: 'stock' },
				],
				default: 'crm',
				description: 'Only tasks of this kind. Choose from the list, or specify another type using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Brand',
				name: 'brand',
				type: 'string',
				default: '',
				placeholder: 'e.g. CAR',
				description: 'Only tasks of this brand. Empty for all brands.',
			},
			optionsCollection([
				{
					displayName: 'Download File',
					name: 'downloadFile',
					type: 'boolean',
					default: false,
					description: 'Whether to attach the file of each completed export as binary data',
				},
				{ ...binaryPropertyOption, displayOptions: { show: { downloadFile: [true] } } },
			]),
			advancedCollection(),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollFinishedTasks.call(this);
	}
}
