import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { BOOSTER_CREDENTIAL } from '../../credentials/BoosterApi.credentials';
import { properties } from './actions/description';
import { router } from './actions/router';
import { getPosCodes } from './methods/loadOptions';

export class Booster implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Booster',
		name: 'booster',
		icon: { light: 'file:booster.svg', dark: 'file:booster.dark.svg' },
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Export, search and read customers, update their consents and list points of sale in Richemont Booster',
		documentationUrl: 'https://github.com/n8n-nodes-booster/n8n-nodes-booster#booster-node',
		defaults: { name: 'Booster' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: BOOSTER_CREDENTIAL, required: true }],
		properties,
	};

	methods = { loadOptions: { getPosCodes } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
