import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	NodeApiError,
	NodeOperationError,
	sleep,
} from 'n8n-workflow';

import { FieldError } from '../api/validation';
import { BoosterSession, invalidInput } from '../transport';
import * as customer from './customer';
import * as pointOfSale from './pointOfSale';
import * as task from './task';
import type { BoosterType } from './node.type';
import type { BoosterOperation } from './operation';

const resources: Record<BoosterType['resource'], Record<string, BoosterOperation>> = {
	customer: customer.operations,
	pointOfSale: pointOfSale.operations,
	task: task.operations,
};

/**
 * Runs `work` for indexes 0..count-1 with at most `limit` running at once; results keep their
 * index. After a failure no further index is started, and the first failure is thrown once the
 * running ones have settled.
 */
async function inPool<T>(count: number, limit: number, work: (index: number) => Promise<T>): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	let failure: { reason: unknown } | undefined;
	const worker = async () => {
		while (next < count && !failure) {
			const index = next++;
			try {
				results[index] = await work(index);
			} catch (reason) {
				failure ??= { reason };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
	if (failure) throw failure.reason;
	return results;
}

function asError(error: unknown, context: IExecuteFunctions, itemIndex: number): Error {
	if (error instanceof FieldError) return invalidInput(context.getNode(), error, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

function errorDetails(error: Error): IDataObject {
	const details: IDataObject = { error: error.message };
	const { description, httpCode } = error as { description?: string | null; httpCode?: string | null };
	if (description) details.description = description;
	if (httpCode) details.httpCode = httpCode;
	return details;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as BoosterType['resource'];
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`);
	}
	const limit = operation.concurrency ? operation.concurrency.call(this) : 1;
	const session = new BoosterSession(this, limit);
	try {
		return await runItems.call(this, operation, session, limit);
	} finally {
		session.close();
	}
}

async function runItems(
	this: IExecuteFunctions,
	operation: BoosterOperation,
	session: BoosterSession<IExecuteFunctions>,
	limit: number,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	let failedItems = 0;
	// Export → Customers pairs its items as it builds them: copying 200,000 items here again is not free.
	const paired = (data: INodeExecutionData[], itemIndex: number) =>
		data.length > 0 && data.every((item) => item.pairedItem !== undefined) ? data : this.helpers.constructExecutionMetaData(data, { itemData: { item: itemIndex } });

	// Twice as many items under way as requests in flight: the next items' parameters are resolved
	// while the limiter waits, so a freed place is taken by a request that is ready to go.
	const outputs = await inPool(items.length, limit > 1 ? limit * 2 : 1, async (itemIndex): Promise<INodeExecutionData[]> => {
		// Answers and connections first: n8n needs about a millisecond of the main thread to resolve
		// an item's expressions, and resolving them straight after an answer held back the answers
		// and connections queued behind it (1,000 KPIs: 4.0 s → 3.7 s, test/bench/README.md).
		if (limit > 1) await sleep(0);
		try {
			return paired(await operation.execute.call(this, itemIndex, session), itemIndex);
		} catch (error) {
			const failure = asError(error, this, itemIndex);
			if (this.continueOnFail()) {
				failedItems++;
				return paired(this.helpers.returnJsonArray(errorDetails(failure)), itemIndex);
			}
			session.stop(failure);
			throw failure;
		}
	});
	operation.finish?.call(this, session, failedItems);
	return [outputs.flat()];
}
