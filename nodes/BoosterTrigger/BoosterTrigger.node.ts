import {
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { BOOSTER_CREDENTIAL } from '../../credentials/BoosterApi.credentials';
import { binaryPropertyOption, optionsCollection, transportOptions } from '../Booster/actions/common.descriptions';
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
				type: 'string',
				default: 'crm',
				description: 'Only tasks of this type, such as crm (customer exports), stock or sellout. Empty for all types.',
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
				...transportOptions,
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollFinishedTasks.call(this);
	}
}
