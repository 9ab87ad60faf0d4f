import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';


/**
 * Only Since Last Run: on an active workflow, an export selects only the customers created (or with
 * transactions) since its last successful run started. The moment is kept in the node's workflow
 * static data, which n8n saves after runs of active workflows and never after manual ones.
 */

export type SinceLastRunBasis = 'created' | 'transactions';

/** The window a run covered: `from` is the start of the last successful run (none on the first run). */
export interface SinceLastRun {
	basis: SinceLastRunBasis;
	from: string | null;
	to: string;
}

const RANGE_OF: Record<SinceLastRunBasis, [string, string]> = {
	created: ['creationDateFrom', 'creationDateTo'],
	transactions: ['transactionDateFrom', 'transactionDateTo'],
};

/** A run of the node in an execution: each (a branch, a pass of a loop) keeps its own window. */
export interface RunOfNode {
	index: number;
	startedAt: Date;
}

export const sinceLastRunOption: INodeProperties = {
	displayName: 'Only Since Last Run',
	name: 'onlySinceLastRun',
	type: 'options',
	options: [
		{ name: 'Off', value: 'off', description: 'Export everything the filters select' },
		{ name: 'Customers Created', value: 'created', description: 'Only customers created since the last successful run started' },
		{
			name: 'Customers With Transactions',
			value: 'transactions',
			description: 'Only customers with a purchase or return since the last successful run started',
		},
	],
	default: 'off',
	hint: 'For scheduled workflows: the first run takes everything the filters select, each later run what is new since the previous successful one. Manual runs neither use nor move this window (n8n keeps it only for active workflows).',
};

function basisOf(option: unknown): SinceLastRunBasis | undefined {
	return option === 'created' || option === 'transactions' ? option : undefined;
}

function applies(context: IExecuteFunctions, option: unknown): SinceLastRunBasis | undefined {
	return context.getMode() === 'manual' ? undefined : basisOf(option);
}

/** Where each run of the node last started successfully, by run index, kept in the node's static data. */
interface StoredRuns {
	/** Start of the last successful run, by run index. */
	sinceLastRun?: Record<number, string>;
	/** Starts of the runs of the current execution: a retry of a run keeps its first try's. */
	execution?: { id: string; starts: Record<number, string> };
}

function storedRuns(context: IExecuteFunctions): StoredRuns {
	return context.getWorkflowStaticData('node') as StoredRuns;
}

/**
 * This run of the node: its index in the execution, and when it started. A retry (n8n's Retry On
 * Fail) gets the start of the first try, whose export Booster answers the retry with.
 */
export function runOfNode(context: IExecuteFunctions, option: unknown, startedAt: Date): RunOfNode {
	const index = Number(context.getWorkflowDataProxy(0).$runIndex ?? 0);
	if (!applies(context, option)) return { index, startedAt };
	const stored = storedRuns(context);
	const id = String(context.getExecutionId());
	if (stored.execution?.id !== id) stored.execution = { id, starts: {} };
	stored.execution.starts[index] ??= startedAt.toISOString();
	return { index, startedAt: new Date(stored.execution.starts[index]) };
}

/**
 * Narrows `request` to the window since the last successful run: from that run's start to just
 * before this run's start, inside any dates the user set (a filter the user set is never widened).
 * Dates are sent as UTC moments of one form (helpers/inputs.ts), so they compare as text. `empty`
 * when the user's dates leave nothing of the window.
 */
export function narrowToSinceLastRun(
	context: IExecuteFunctions,
	option: unknown,
	run: RunOfNode,
	request: IDataObject,
): (SinceLastRun & { empty: boolean }) | undefined {
	const basis = applies(context, option);
	if (!basis) return undefined;
	const [fromName, toName] = RANGE_OF[basis];
	const from = storedRuns(context).sinceLastRun?.[run.index] ?? null;
	const to = new Date(run.startedAt.getTime() - 1).toISOString();
	const userFrom = request[fromName] as string | undefined;
	const userTo = request[toName] as string | undefined;
	const sentFrom = from !== null && (userFrom === undefined || from > userFrom) ? from : userFrom;
	const sentTo = userTo !== undefined && userTo < to ? userTo : to;
	if (sentFrom !== undefined) request[fromName] = sentFrom;
	request[toName] = sentTo;
	return { basis, from, to, empty: sentFrom !== undefined && sentFrom > sentTo };
}

/** Moves the window's start to this run's start, when an item used it; called only when every item of the run succeeded. */
export function advanceSinceLastRun(context: IExecuteFunctions, optionOfEachItem: unknown[], run: RunOfNode): void {
	if (!optionOfEachItem.some((option) => applies(context, option))) return;
	const stored = storedRuns(context);
	stored.sinceLastRun = { ...stored.sinceLastRun, [run.index]: run.startedAt.toISOString() };
}
