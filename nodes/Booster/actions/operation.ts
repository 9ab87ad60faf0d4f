import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** What every operation module provides; the router calls `execute` once per input item. */
export interface BoosterOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[] | INodeExecutionData[]>;
	/** Present when items may run side by side: how many at once, read from the node's parameters. */
	concurrency?(this: IExecuteFunctions): number;
}
