import {
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type IPollFunctions,
	NodeApiError,
	NodeOperationError,
	sleep,
} from 'n8n-workflow';

import { API, GetTaskDetail, type Task } from '../api/dtos';
import type { DtoValue } from '../api/schema';
import { itemSuffix } from '../transport/errors';
import { redactDeep } from '../transport/secrets';
import { type BoosterSession, type DownloadedFile, type RequestSettings, callBooster, downloadFromBooster } from '../transport';
import { CsvFormatError } from '../api/csv';
import { readCustomerFile } from '../api/export-file';
import { requestFromParameters } from './request';

/**
 * The task domain, shared by the Booster node and the Booster Trigger: statuses, filters, waiting
 * for a task and fetching its file.
 */

export type TaskSession = BoosterSession<IExecuteFunctions | IPollFunctions>;

export const TASK_STATUS = { requested: 'REQ', inProgress: 'INP', completed: 'COM', failed: 'ERR' } as const;

const FINISHED_STATUSES: readonly string[] = [TASK_STATUS.completed, TASK_STATUS.failed];

export type BoosterTask = DtoValue<typeof Task>;

export interface TaskFilter {
	brand?: string;
	status?: string[];
	type?: string;
}

/** Booster lists every task of the account; type, status and brand are filtered here. */
export function matchesTaskFilter(task: BoosterTask, filter: TaskFilter): boolean {
	const same = (a: unknown, b: string) => String(a ?? '').toLowerCase() === b.trim().toLowerCase();
	if (filter.type && filter.type.trim() !== '' && !same(task.type, filter.type)) return false;
	if (filter.brand && filter.brand.trim() !== '' && !same(task.brand, filter.brand)) return false;
	if (filter.status && filter.status.length > 0 && !filter.status.includes(String(task.status))) return false;
	return true;
}

export function isFinished(task: BoosterTask): boolean {
	return FINISHED_STATUSES.includes(String(task.status));
}

/** The Async Task ID parameter of an item, checked like the API's GetTaskDetail request. */
export function asyncTaskIdOf(this: IExecuteFunctions, itemIndex: number): string {
	const { asyncTaskId } = requestFromParameters(GetTaskDetail, { asyncTaskId: this.getNodeParameter('asyncTaskId', itemIndex) }, this.getTimezone());
	return String(asyncTaskId ?? '');
}

export async function getTask(session: BoosterSession, asyncTaskId: string, settings: RequestSettings): Promise<BoosterTask> {
	return await callBooster(session, API.getTaskDetail, { asyncTaskId }, settings);
}

export async function listTasks(session: BoosterSession, settings: RequestSettings): Promise<BoosterTask[]> {
	return await callBooster(session, API.getTasks, {}, settings);
}

/** A task that ended in ERR, as an error carrying the task's details. */
function failedTaskError(node: INode, task: BoosterTask, itemIndex?: number): NodeApiError {
	return new NodeApiError(node, task as never, {
		message: `The Booster export task ${task.asyncTaskId} failed (status ${TASK_STATUS.failed})`,
		description: `Booster reported the task as failed${
			task.totalFailed !== undefined && task.totalFailed !== null ? ` with ${String(task.totalFailed)} failed records` : ''
		}. Start the export again, or contact Booster support with the task ID.`,
		itemIndex,
	});
}

/**
 * Refuses a task of another brand than the export asked for: it is another export's task (a reused
 * Download Request ID), and its customers must never flow on as if they were the ones asked for.
 */
export function checkTaskBrand(node: INode, task: BoosterTask, brand: string, itemIndex?: number): void {
	if (String(task.brand ?? '').toLowerCase() === brand.toLowerCase()) return;
	throw new NodeOperationError(
		node,
		`Booster answered the export for brand ${brand} with task ${task.asyncTaskId} of brand ${String(task.brand ?? 'unknown')}${itemSuffix(itemIndex)}`,
		{
			itemIndex,
			description:
				'That task belongs to another export, so its customers are not the ones asked for. This happens when one Download Request ID is used for two exports: leave Download Request ID empty, or make it unique for each export.',
		},
	);
}

export interface WaitSettings extends RequestSettings {
	itemIndex: number;
	pollIntervalSeconds: number;
	timeoutMinutes: number;
	/** The brand the export was started for: a task of another brand is refused. */
	brand: string;
}

/** Polls the task until it completes; ERR, another brand and time-outs become clear errors. */
export async function waitForTask(session: BoosterSession, asyncTaskId: string, settings: WaitSettings): Promise<BoosterTask> {
	const { itemIndex } = settings;
	const node = session.context.getNode();
	const deadline = Date.now() + settings.timeoutMinutes * 60_000;
	for (;;) {
		const task = await getTask(session, asyncTaskId, settings);
		checkTaskBrand(node, task, settings.brand, itemIndex);
		if (task.status === TASK_STATUS.completed) return task;
		if (task.status === TASK_STATUS.failed) throw failedTaskError(node, task, itemIndex);
		if (Date.now() + settings.pollIntervalSeconds * 1000 > deadline) {
			throw new NodeOperationError(
				node,
				`The Booster export task ${asyncTaskId} is still ${String(task.status)} (${String(task.percentage ?? 0)}%) after ${settings.timeoutMinutes} minutes${itemSuffix(itemIndex)}`,
				{
					itemIndex,
					description:
						'The export keeps running in Booster. Raise the timeout, or fetch the file later with Task → Download File and this task ID.',
				},
			);
		}
		await sleep(settings.pollIntervalSeconds * 1000);
	}
}

function interruptedDownload(node: INode, task: BoosterTask, error: unknown, itemIndex?: number): NodeOperationError {
	const { code, message } = (error ?? {}) as { code?: string; message?: string };
	const reason = code ?? (message?.trim() || 'the connection stopped sending data');
	return new NodeOperationError(node, `The file of Booster task ${task.asyncTaskId} stopped arriving before its end (${reason})${itemSuffix(itemIndex)}`, {
		itemIndex,
		description: 'Nothing of the partial file was kept. Run the workflow again, or fetch the file later with Task → Download File and this task ID.',
	});
}

/**
 * The finished task's file, opened as a stream. The signed link is preferred and gets no
 * credentials; an expired one is refreshed from the task once. Without a signed link the
 * authenticated downloadUrl is used.
 */
async function openTaskFile(session: TaskSession, task: BoosterTask, settings: RequestSettings): Promise<DownloadedFile> {
	const { itemIndex } = settings;
	const node = session.context.getNode();
	if (task.status !== TASK_STATUS.completed) {
		throw new NodeOperationError(node, `The Booster export task ${task.asyncTaskId} has no file yet: its status is ${String(task.status)}${itemSuffix(itemIndex)}`, {
			itemIndex,
			description: 'Wait until the task is complete (status COM), for example with the Booster Trigger.',
		});
	}
	let current = task;
	for (let attempt = 0; attempt < 2; attempt++) {
		const link = current.signedDownloadUrl
			? { url: current.signedDownloadUrl, signed: true }
			: current.downloadUrl
				? { url: current.downloadUrl, signed: false }
				: undefined;
		if (!link) break;
		const outcome = await downloadFromBooster(session, link, settings);
		if (!('refused' in outcome)) return outcome;
		const expiredLink = link.signed && (outcome.refused === 403 || outcome.refused === 400);
		if (!expiredLink || attempt > 0) {
			throw new NodeApiError(node, { httpCode: String(outcome.refused) }, {
				message: `Booster refused the download of task ${task.asyncTaskId} (HTTP ${outcome.refused})`,
				description: 'The file may have been removed. Run the export again.',
				httpCode: String(outcome.refused),
				itemIndex,
			});
		}
		current = await getTask(session, String(task.asyncTaskId), settings);
	}
	throw new NodeOperationError(node, `The Booster export task ${task.asyncTaskId} has no download link${itemSuffix(itemIndex)}`, {
		itemIndex,
		description: 'Booster reported the task as complete but gave no link to its file. Run the export again, or ask Booster support about the task.',
	});
}

/** The finished task's file as n8n binary data, streamed into n8n's binary store. */
export async function downloadTaskFile(session: TaskSession, task: BoosterTask, settings: RequestSettings): Promise<IBinaryData> {
	const file = await openTaskFile(session, task, settings);
	const fileName = file.fileName ?? `booster-export-${task.asyncTaskId}.csv`;
	try {
		return await session.context.helpers.prepareBinaryData(file.stream as Buffer, fileName, file.mimeType ?? 'text/csv');
	} catch (error) {
		throw interruptedDownload(session.context.getNode(), task, error, settings.itemIndex);
	}
}

/** The chunks of `stream`, passed on unchanged; `found` turns true once a secret has passed, even split between two chunks. */
async function* watchedForSecrets(stream: AsyncIterable<Uint8Array>, secrets: readonly string[], found: { secret: boolean }): AsyncGenerator<Uint8Array> {
	const encoder = new TextEncoder();
	// As written, and as CSV quotes it.
	const needles = [...new Set(secrets.flatMap((secret) => [secret, secret.replace(/"/g, '""')]))].map((secret) => encoder.encode(secret));
	const overlap = Math.max(0, ...needles.map((needle) => needle.length - 1));
	let tail: Uint8Array = new Uint8Array(0);
	for await (const chunk of stream) {
		if (!found.secret && needles.length > 0) {
			const window = Buffer.concat([tail, chunk]);
			found.secret = needles.some((needle) => window.indexOf(needle) >= 0);
			tail = window.subarray(Math.max(0, window.length - overlap));
		}
		yield chunk;
	}
}

function fileError(node: INode, task: BoosterTask, problem: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, `The file of Booster task ${task.asyncTaskId} could not be read: ${problem}${itemSuffix(itemIndex)}`, {
		itemIndex,
		description:
			'Nothing of the file was output. Run the export again; if it happens again, choose Output: File to get the file as it is, and send it to Booster support with the task ID.',
	});
}

/**
 * The customers of the finished task's file, read as the file streams in and handed over in
 * batches; the file is never held whole. The file must hold as many customers as the task
 * announces (totalResults): a file cut short, or one that inflates beyond it, is an error, never a
 * shorter or longer list. Text that holds a secret of the credential is redacted.
 */
export async function readTaskCustomers(
	session: TaskSession,
	task: BoosterTask,
	settings: RequestSettings,
	onRows: (rows: IDataObject[]) => void,
): Promise<number> {
	const { itemIndex } = settings;
	const node = session.context.getNode();
	const announced = typeof task.totalResults === 'number' && task.totalResults >= 0 ? task.totalResults : undefined;
	const secrets = await session.secrets(itemIndex);
	const file = await openTaskFile(session, task, settings);
	const found = { secret: false };
	let rows = 0;
	try {
		await readCustomerFile(watchedForSecrets(file.stream as AsyncIterable<Uint8Array>, secrets, found), (batch) => {
			rows += batch.length;
			// Line 0: a problem of the file as a whole.
			if (announced !== undefined && rows > announced) throw new CsvFormatError(0, `it holds more than the ${announced} customers the task announces`);
			onRows((found.secret ? redactDeep(batch, secrets) : batch) as IDataObject[]);
		});
	} catch (error) {
		if (error instanceof CsvFormatError) {
			const problem = error.line > 0 ? error.message : error.message.slice(error.message.indexOf(':') + 2);
			throw fileError(node, task, redactDeep(problem, secrets), itemIndex);
		}
		throw interruptedDownload(node, task, error, itemIndex);
	}
	if (announced !== undefined && rows !== announced) {
		throw fileError(node, task, `it holds ${rows} customers, but the task announces ${announced}; the file was probably cut short`, itemIndex);
	}
	return rows;
}

/** An output item with the downloaded file in the binary field the user named ("data" when left empty). */
export function itemWithFile(json: IDataObject, file: IBinaryData, binaryPropertyName: unknown): INodeExecutionData {
	const field = typeof binaryPropertyName === 'string' && binaryPropertyName.trim() !== '' ? binaryPropertyName.trim() : 'data';
	return { json, binary: { [field]: file } };
}
