import { type IDataObject, type INodeExecutionData, type IPollFunctions, NodeOperationError } from 'n8n-workflow';

import { compareOrdinal } from '../Booster/api/schema';
import { compactGuid } from '../Booster/api/serialize';
import { isGuid } from '../Booster/api/validation';
import { pollRequestSettings } from '../Booster/helpers/settings';
import { type BoosterTask, TASK_STATUS, type TaskSession, downloadTaskFile, isFinished, itemWithFile, listTasks, matchesTaskFilter } from '../Booster/helpers/tasks';
import { BoosterSession, type RequestSettings } from '../Booster/transport';

/**
 * The trigger's memory, in the workflow's static data. Task IDs are kept as 32 lowercase hex digits
 * joined by spaces (one string: n8n wraps every object of the static data to track changes, and
 * wrapping thousands of entries costs more than the poll); only valid IDs are admitted, so no ID
 * can contain the separator or be confused with another.
 */
export interface TriggerState {
	baselineTaken?: boolean;
	/** Finished tasks already handled that Booster listed the last time the state was written. */
	seenTaskIds?: string;
	/** Handled tasks missing from that listing, as `id@epoch-ms` (when they went missing). */
	missingTaskIds?: string;
}

/** How long a handled task that Booster stopped listing is still remembered, should it come back. */
export const MISSING_TASK_MEMORY_MS = 30 * 24 * 60 * 60 * 1000;

function taskKey(task: BoosterTask): string | undefined {
	const id = typeof task.asyncTaskId === 'string' ? task.asyncTaskId.trim() : '';
	return isGuid(id) ? compactGuid(id) : undefined;
}

function words(text: string | undefined): string[] {
	return text ? text.split(' ').filter((word) => word !== '') : [];
}

function missingOf(state: TriggerState): Map<string, number> {
	return new Map(
		words(state.missingTaskIds).map((entry) => {
			const [id, since] = entry.split('@');
			return [id, Number(since) || 0];
		}),
	);
}

/**
 * Remembers `handled` (already-handled IDs plus the ones handled now). What Booster lists stays
 * remembered; what it stopped listing is remembered for MISSING_TASK_MEMORY_MS, so a task left out
 * of one listing, or that went back to INP and finished again, never fires twice.
 */
function remember(state: TriggerState, handled: Iterable<string>, listed: Set<string>, now: number): void {
	const missing = missingOf(state);
	const seen: string[] = [];
	for (const id of handled) {
		if (listed.has(id)) {
			seen.push(id);
			missing.delete(id);
		} else if (!missing.has(id)) missing.set(id, now);
	}
	state.seenTaskIds = seen.join(' ');
	state.missingTaskIds = [...missing]
		.filter(([id, since]) => now - since < MISSING_TASK_MEMORY_MS && !listed.has(id))
		.map(([id, since]) => `${id}@${since}`)
		.join(' ');
}

function byRequestDate(a: BoosterTask, b: BoosterTask): number {
	return compareOrdinal(String(a.requestDate ?? ''), String(b.requestDate ?? '')) || compareOrdinal(String(a.asyncTaskId), String(b.asyncTaskId));
}

interface ItemOptions {
	downloadFile: boolean;
	binaryPropertyName?: string;
	settings: RequestSettings;
}

/**
 * A task's item. When its file cannot be fetched, the item says why (`downloadError`) instead of
 * failing the poll: one bad task must not hold back the tasks that finish after it.
 */
async function toItem(session: TaskSession, task: BoosterTask, options: ItemOptions, reportFailures: boolean): Promise<INodeExecutionData> {
	if (!options.downloadFile || task.status !== TASK_STATUS.completed) return { json: task };
	if (!reportFailures) return itemWithFile(task, await downloadTaskFile(session, task, options.settings), options.binaryPropertyName);
	try {
		const file = await downloadTaskFile(session, task, options.settings);
		return itemWithFile(task, file, options.binaryPropertyName);
	} catch (error) {
		const { message, description } = error as { message?: string; description?: string | null };
		const downloadError: IDataObject = {
			message: message || 'The file could not be downloaded',
			description: `${description ? `${description} ` : ''}Fetch it later with Task → Download File and this task's asyncTaskId.`,
		};
		return { json: { ...task, downloadError } };
	}
}

/**
 * At activation, what has already finished is recorded and not replayed. Afterwards every task that
 * finishes starts one execution. The state changes only when executions start (n8n saves it
 * then), so a restart that loses later polls replays nothing and loses nothing; a failed listing
 * throws before touching it, so the task fires on a later poll.
 */
export async function pollFinishedTasks(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const session = new BoosterSession(this);
	try {
		return await pollWith.call(this, session);
	} finally {
		session.close();
	}
}

async function pollWith(this: IPollFunctions, session: BoosterSession<IPollFunctions>): Promise<INodeExecutionData[][] | null> {
	const events = this.getNodeParameter('events', []) as string[];
	const filter = {
		type: this.getNodeParameter('taskType', 'crm') as string,
		brand: this.getNodeParameter('brand', '') as string,
	};
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const settings = pollRequestSettings(this);
	const itemOptions: ItemOptions = { downloadFile: options.downloadFile === true, binaryPropertyName: options.binaryPropertyName as string, settings };

	const listed = await listTasks(session, settings);
	const listedKeys = new Set<string>();
	const finished = new Map<string, BoosterTask>();
	let withoutId = 0;
	for (const task of listed) {
		const key = taskKey(task);
		if (key === undefined) {
			withoutId++;
			continue;
		}
		listedKeys.add(key);
		if (isFinished(task) && matchesTaskFilter(task, filter) && !finished.has(key)) finished.set(key, task);
	}
	if (withoutId > 0) this.logger.warn(`Booster Trigger: ${withoutId} listed task(s) without a valid asyncTaskId were ignored`);
	const wanted = (task: BoosterTask) => events.includes(String(task.status));

	if (this.getMode() === 'manual') {
		const newest = [...finished.values()].filter(wanted).sort(byRequestDate).pop();
		if (!newest) {
			throw new NodeOperationError(this.getNode(), 'No matching Booster export task has finished yet', {
				description: `No task of type "${filter.type || 'any'}"${filter.brand ? ` for brand ${filter.brand}` : ''} has the status ${events.join(' or ')}. Run an export, then fetch again.`,
			});
		}
		return [[await toItem(session, newest, itemOptions, false)]];
	}

	const state = this.getWorkflowStaticData('node') as TriggerState;
	const now = Date.now();
	if (!state.baselineTaken) {
		remember(state, finished.keys(), listedKeys, now);
		state.baselineTaken = true;
		return null;
	}
	const handled = new Set([...words(state.seenTaskIds), ...missingOf(state).keys()]);
	const fresh = [...finished].filter(([key]) => !handled.has(key));
	if (fresh.length === 0) return null;

	const items: INodeExecutionData[] = [];
	for (const [, task] of fresh.sort(([, a], [, b]) => byRequestDate(a, b))) {
		if (wanted(task)) items.push(await toItem(session, task, itemOptions, true));
	}
	remember(state, [...handled, ...fresh.map(([key]) => key)], listedKeys, now);

	if (items.length === 0) return null;
	const last = items.pop()!;
	for (const item of items) this.__emit([[item]]);
	return [[last]];
}
