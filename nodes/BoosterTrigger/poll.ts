import { type IDataObject, type INodeExecutionData, type IPollFunctions, NodeOperationError } from 'n8n-workflow';

import { matchesTaskFilter } from '../Booster/actions/task/getMany.operation';
import { requestSettings } from '../Booster/actions/common.descriptions';
import type { RequestSettings } from '../Booster/transport';
import { type BoosterTask, downloadTaskFile, isFinished, itemWithFile, listTasks } from '../Booster/helpers/tasks';

export interface TriggerState {
	baselineTaken?: boolean;
	/**
	 * IDs of the finished tasks already seen, oldest first, separated by spaces; bounded so the state
	 * never grows without end. One string, because n8n tracks changes to the static data by wrapping
	 * every object in it, and wrapping thousands of entries costs more than the whole poll.
	 */
	seenTaskIds?: string;
	/** The earlier shape (ID → status); read once and replaced. */
	seen?: Record<string, string>;
}

export const MAX_REMEMBERED_TASKS = 20000;

function seenTaskIdsOf(state: TriggerState): string[] {
	if (state.seenTaskIds !== undefined) return state.seenTaskIds === '' ? [] : state.seenTaskIds.split(' ');
	return Object.keys(state.seen ?? {});
}

function remember(state: TriggerState, taskIds: string[]): void {
	state.seenTaskIds = taskIds.slice(-MAX_REMEMBERED_TASKS).join(' ');
	if (state.seen !== undefined) delete state.seen;
}

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function byRequestDate(a: BoosterTask, b: BoosterTask): number {
	return compareText(String(a.requestDate ?? ''), String(b.requestDate ?? '')) || compareText(a.asyncTaskId, b.asyncTaskId);
}

async function toItem(
	this: IPollFunctions,
	task: BoosterTask,
	options: { downloadFile?: boolean; binaryPropertyName?: string; settings: RequestSettings },
): Promise<INodeExecutionData> {
	if (!options.downloadFile || task.status !== 'COM') return { json: task };
	const file = await downloadTaskFile.call(this, task, options.settings);
	return itemWithFile(task, file, options.binaryPropertyName);
}

/**
 * At activation, what has already finished is recorded and not replayed. Afterwards every task that
 * finishes starts one execution. The state changes only when executions start (n8n saves it
 * then), so a restart that loses later polls replays nothing and loses nothing; a failed poll
 * throws before touching it, so the task fires on a later poll.
 */
export async function pollFinishedTasks(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const events = this.getNodeParameter('events', []) as string[];
	const filter = {
		type: this.getNodeParameter('taskType', 'crm') as string,
		brand: this.getNodeParameter('brand', '') as string,
	};
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const settings = requestSettings(options);
	const itemOptions = { downloadFile: options.downloadFile === true, binaryPropertyName: options.binaryPropertyName as string, settings };

	const listed = await listTasks.call(this, settings);
	const finished = [
		...new Map(
			listed.filter((task) => matchesTaskFilter(task, filter) && isFinished(task)).map((task) => [task.asyncTaskId, task]),
		).values(),
	];
	const wanted = (task: BoosterTask) => events.includes(String(task.status));

	if (this.getMode() === 'manual') {
		const newest = finished.filter(wanted).reduce<BoosterTask | undefined>(
			(latest, task) => (latest === undefined || byRequestDate(latest, task) < 0 ? task : latest),
			undefined,
		);
		if (!newest) {
			throw new NodeOperationError(this.getNode(), 'No matching Booster export task has finished yet', {
				description: `No task of type "${filter.type || 'any'}"${filter.brand ? ` for brand ${filter.brand}` : ''} has the status ${events.join(' or ')}. Run an export, then fetch again.`,
			});
		}
		return [[await toItem.call(this, newest, itemOptions)]];
	}

	const state = this.getWorkflowStaticData('node') as TriggerState;
	if (!state.baselineTaken) {
		// Only the newest are kept when there are more than the state holds, so only then is the order needed.
		if (finished.length > MAX_REMEMBERED_TASKS) finished.sort(byRequestDate);
		remember(state, finished.map((task) => task.asyncTaskId));
		state.baselineTaken = true;
		return null;
	}
	const seenTaskIds = seenTaskIdsOf(state);
	const seen = new Set(seenTaskIds);
	const fresh = finished.filter((task) => !seen.has(task.asyncTaskId)).sort(byRequestDate);
	if (fresh.length === 0) return null;

	const items: INodeExecutionData[] = [];
	for (const task of fresh.filter(wanted)) items.push(await toItem.call(this, task, itemOptions));

	const stillListed = new Set(finished.map((task) => task.asyncTaskId));
	remember(state, [...seenTaskIds.filter((taskId) => stillListed.has(taskId)), ...fresh.map((task) => task.asyncTaskId)]);

	if (items.length === 0) return null;
	const last = items.pop()!;
	for (const item of items) this.__emit([[item]]);
	return [[last]];
}
