import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { instantOfWallTime } from './inputs';

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

interface StoredRuns {
	lastRunStartedAt?: string;
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

function storedRuns(context: IExecuteFunctions): StoredRuns {
	return context.getWorkflowStaticData('node') as StoredRuns;
}

/**
 * Narrows `request` to the window since the last successful run: from that run's start to just
 * before this run's start, inside any dates the user set (a filter the user set is never widened).
 * The two ends are moments, sent in UTC (`…Z`), so that no time-zone reading can move them; the
 * user's dates of the same range are sent as the same moments in that form.
 */
export function narrowToSinceLastRun(context: IExecuteFunctions, option: unknown, startedAt: Date, request: IDataObject): SinceLastRun | undefined {
	const basis = applies(context, option);
	if (!basis) return undefined;
	const [fromName, toName] = RANGE_OF[basis];
	const timeZone = context.getTimezone();
	const lastStart = storedRuns(context).lastRunStartedAt;
	const from = lastStart ? new Date(lastStart) : undefined;
	const to = new Date(startedAt.getTime() - 1);
	const userFrom = typeof request[fromName] === 'string' ? instantOfWallTime(request[fromName], timeZone) : undefined;
	const userTo = typeof request[toName] === 'string' ? instantOfWallTime(request[toName], timeZone) : undefined;
	const sentFrom = [from, userFrom].filter((date) => date !== undefined).sort((a, b) => b.getTime() - a.getTime())[0];
	const sentTo = userTo && userTo < to ? userTo : to;
	if (sentFrom) request[fromName] = sentFrom.toISOString();
	request[toName] = sentTo.toISOString();
	return { basis, from: from?.toISOString() ?? null, to: to.toISOString() };
}

/** Moves the window's start to this run's start, when an item used it; called only when every item of the run succeeded. */
export function advanceSinceLastRun(context: IExecuteFunctions, optionOfEachItem: unknown[], startedAt: Date): void {
	if (!optionOfEachItem.some((option) => applies(context, option))) return;
	storedRuns(context).lastRunStartedAt = startedAt.toISOString();
}
