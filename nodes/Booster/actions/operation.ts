import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { BoosterSession } from '../transport';

/** What every operation module provides; the router calls `execute` once per input item. */
export interface BoosterOperation {
	description: INodeProperties[];
	/** The item's output; the router pairs it with the input item. */
	execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession<IExecuteFunctions>): Promise<INodeExecutionData[]>;
	/** Called once after every item has run (failed items counted only under Continue On Fail). */
	finish?(this: IExecuteFunctions, session: BoosterSession<IExecuteFunctions>, failedItems: number): void;
	/** Present when items may run side by side: how many at once, read from the node's parameters. */
	concurrency?(this: IExecuteFunctions): number;
}
