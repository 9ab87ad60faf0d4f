import {
	jsonParse,
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

/** Package prefix of the harness's own node types; no real install has it. */
export const HARNESS_PACKAGE = 'n8n-test-harness';
export const START_NODE_TYPE = `${HARNESS_PACKAGE}.start`;
export const ITEMS_NODE_TYPE = `${HARNESS_PACKAGE}.items`;

/** n8n's Manual Trigger under a harness name: in manual mode it emits one empty item. */
class HarnessStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Start',
		name: 'start',
		group: ['trigger'],
		version: 1,
		description: 'Starts a test workflow',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/**
 * Emits the items given as JSON in its `items` parameter (an array of `{ json, binary? }`),
 * each paired to the one item it received.
 */
class HarnessItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Items',
		name: 'items',
		group: ['transform'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | INodeExecutionData[];
		const items = typeof raw === 'string' ? jsonParse<INodeExecutionData[]>(raw) : raw;
		return [items.map((item) => ({ ...item, pairedItem: { item: 0 } }))];
	}
}

export function harnessNodeTypes(): INodeType[] {
	return [new HarnessStart(), new HarnessItems()];
}
