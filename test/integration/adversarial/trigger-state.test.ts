/**
 * Attack on the Booster Trigger's state (nodes/BoosterTrigger/poll.ts): polls run in n8n's
 * PollContext against a hostile fake Booster API whose task listing the test writes by hand, so it
 * can list 25,000 tasks, duplicates, shuffles, gaps, tasks going back to INP, IDs that are no IDs,
 * broken file links and failed listings. Each poll asserts exactly which tasks started an execution.
 */
import { randomUUID } from 'node:crypto';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { TriggerState } from '../../../nodes/BoosterTrigger/poll';
import { type LocalServer, sendJson, startLocalServer } from '../../helpers/local-server';
import type { N8nTestEngine, StoredCredential } from '../../helpers/n8n-engine';
import { TRIGGER, credential, newEngine } from '../reliability/env';

type FakeTask = Record<string, unknown>;

const PREFIX = '/api';
const NODE_NAME = 'Node Under Test';

let server: LocalServer;
let engine: N8nTestEngine;
let cred: StoredCredential;

/** What `GET /api/tasks` lists; tests replace or change it between polls. */
let tasks: FakeTask[] = [];
/** Listings still to answer with 500. */
let failListings = 0;
/** `GET /api/tasks/{id}` answers, when they differ from the listing (a refreshed signed link). */
const details = new Map<string, FakeTask>();
/** Files served at `/files/<key>.csv`; any other file is 404. */
const files = new Map<string, string>();
/** Files answering 403 (an expired signed link) at `/files/<key>.csv`. */
const expiredFiles = new Set<string>();

const totals = { scenarios: 0, expected: 0, seen: 0 };

const norm = (id: unknown) => String(id).replace(/-/g, '').toLowerCase();

let clock = Date.UTC(2025, 0, 1);
const nextDate = () => new Date((clock += 1000)).toISOString();

function task(asyncTaskId: unknown, status = 'COM', extra: FakeTask = {}): FakeTask {
	const done = status === 'COM' || status === 'ERR';
	return {
		asyncTaskId,
		type: 'crm',
		requestDate: nextDate(),
		status,
		percentage: done ? 100 : 40,
		brand: 'CAR',
		downloadUrl: null,
		signedDownloadUrl: null,
		totalResults: done ? 12 : null,
		totalSucceeded: done ? 12 : null,
		totalFailed: done ? 0 : null,
		...extra,
	};
}

/** The same task with another status (same requestDate, as Booster keeps it). */
const withStatus = (entry: FakeTask, status: string): FakeTask => ({ ...entry, status, percentage: status === 'INP' ? 60 : 100 });

const fileUrl = (key: string) => `${server.url}/files/${key}.csv`;

function triggerParameters(options: IDataObject = {}, events: string[] = ['COM'], advanced: IDataObject = {}): INodeParameters {
	return { events, taskType: 'crm', brand: '', options, advanced } as INodeParameters;
}

function stateOf(staticData: IDataObject): TriggerState {
	return (staticData[`node:${NODE_NAME}`] ?? {}) as TriggerState;
}

const idsOf = (executions: INodeExecutionData[][][]) => executions.map((execution) => norm(execution[0][0].json.asyncTaskId));

/**
 * One poll of an active workflow. `expected` are the tasks that must start an execution, in the
 * order they finished (requestDate); every other outcome fails the test.
 */
async function pollExpect(
	staticData: IDataObject,
	expected: unknown[],
	parameters: INodeParameters = triggerParameters(),
	useEngine: N8nTestEngine = engine,
): Promise<INodeExecutionData[][][]> {
	const executions = await useEngine.pollExecutions({ node: { type: TRIGGER, parameters }, staticData, credentials: [cred] });
	totals.expected += expected.length;
	totals.seen += executions.length;
	for (const execution of executions) {
		expect(execution).toHaveLength(1);
		expect(execution[0]).toHaveLength(1);
	}
	expect({ executions: executions.length, ids: idsOf(executions) }).toEqual({ executions: expected.length, ids: expected.map(norm) });
	return executions;
}

/** A fresh trigger whose baseline is taken on the current listing. */
async function activate(parameters?: INodeParameters): Promise<IDataObject> {
	const staticData: IDataObject = {};
	await pollExpect(staticData, [], parameters);
	expect(stateOf(staticData).baselineTaken).toBe(true);
	return staticData;
}

/** Deterministic shuffle (mulberry32). */
function shuffled<T>(list: T[], seed: number): T[] {
	let state = seed >>> 0;
	const random = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const copy = [...list];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[copy[i], copy[j]] = [copy[j], copy[i]];
	}
	return copy;
}

const upperUndashed = (id: string) => id.replace(/-/g, '').toUpperCase();

beforeAll(async () => {
	server = await startLocalServer((request, response) => {
		const path = request.url.split('?')[0];
		if (request.method !== 'GET') return sendJson(response, 405, { message: 'Method not allowed' });
		if (path === `${PREFIX}/tasks`) {
			if (failListings > 0) {
				failListings--;
				return sendJson(response, 500, { message: 'Internal server error' });
			}
			return sendJson(response, 200, tasks);
		}
		const detail = new RegExp(`^${PREFIX}/tasks/([^/]+)$`).exec(path);
		if (detail) {
			const key = norm(decodeURIComponent(detail[1]));
			const found = details.get(key) ?? tasks.find((entry) => norm(entry.asyncTaskId) === key);
			return found ? sendJson(response, 200, found) : sendJson(response, 404, { message: 'Task not found' });
		}
		const file = /^\/files\/([0-9a-f]+)\.csv$/.exec(path);
		if (file && expiredFiles.has(file[1])) return sendJson(response, 403, { message: 'Signature expired' });
		if (file && files.has(file[1])) {
			response.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': `attachment; filename="export-${file[1]}.csv"` });
			response.end(files.get(file[1]));
			return;
		}
		return sendJson(response, 404, { message: 'Not found' });
	});
	engine = newEngine();
	cred = credential({ baseUrl: `${server.url}${PREFIX}`, authentication: 'apiKey', apiKey: 'bst_test_key_123' }, 'trigger-state-key');
});

afterAll(async () => {
	console.log(`Trigger scenarios: ${totals.scenarios}, executions expected: ${totals.expected}, executions seen: ${totals.seen}`);
	await engine.dispose();
	await server.close();
});

beforeEach(() => {
	tasks = [];
	failListings = 0;
	details.clear();
	files.clear();
	expiredFiles.clear();
	totals.scenarios++;
});

afterEach(() => {
	expect(totals.seen).toBe(totals.expected);
});

it('1. 25,000 finished tasks at activation: the 5 that finish afterwards fire once, nothing else ever does', async () => {
	const old = Array.from({ length: 25_000 }, () => task(randomUUID()));
	const running = [task(randomUUID(), 'INP'), task(randomUUID(), 'INP'), task(randomUUID(), 'INP')];
	tasks = [...running, ...old];
	const staticData = await activate();
	expect(stateOf(staticData).seenTaskIds!.split(' ')).toHaveLength(25_000);

	// Three running tasks finish, two more appear finished; newest first, as the API lists them.
	const appeared = [task(randomUUID()), task(upperUndashed(randomUUID()))];
	const finished = [...running.map((entry) => withStatus(entry, 'COM')), ...appeared];
	tasks = [...[...finished].reverse(), ...old];
	await pollExpect(staticData, finished.map((entry) => entry.asyncTaskId)); // poll 2
	expect(stateOf(staticData).seenTaskIds!.split(' ')).toHaveLength(25_005);
	for (let pollNumber = 3; pollNumber <= 6; pollNumber++) {
		if (pollNumber === 5) tasks = shuffled(tasks, pollNumber);
		await pollExpect(staticData, []);
	}
});

it('2. a task listed twice, or in dashed, undashed and upper-case forms, fires once', async () => {
	const baseline = randomUUID();
	tasks = [task(baseline), task(upperUndashed(baseline)), task(baseline.toUpperCase())];
	const staticData = await activate();
	expect(stateOf(staticData).seenTaskIds!.split(' ')).toEqual([norm(baseline)]);

	const twice = task(randomUUID());
	const forms = randomUUID();
	const formsFirst = task(forms);
	tasks.push(twice, { ...twice }, formsFirst, { ...formsFirst, asyncTaskId: upperUndashed(forms) }, { ...formsFirst, asyncTaskId: forms.toUpperCase() });
	await pollExpect(staticData, [twice.asyncTaskId, forms]);
	await pollExpect(staticData, []);

	// Listed once running and once finished in the same listing (either order), then finished only.
	const conflicting = task(randomUUID(), 'INP');
	const conflictingLater = task(randomUUID());
	tasks.push(conflicting, withStatus(conflicting, 'COM'), conflictingLater, withStatus(conflictingLater, 'INP'));
	await pollExpect(staticData, [conflicting.asyncTaskId, conflictingLater.asyncTaskId]);
	tasks = tasks.filter((entry) => entry.status !== 'INP');
	await pollExpect(staticData, []);
	tasks = [...tasks, ...tasks.map((entry) => ({ ...entry, asyncTaskId: upperUndashed(String(entry.asyncTaskId)) }))];
	await pollExpect(staticData, []);
});

it('3. a listing shuffled, reversed or rotated between polls fires nothing new', async () => {
	tasks = Array.from({ length: 60 }, (_, index) => task(randomUUID(), index % 10 === 0 ? 'ERR' : 'COM'));
	const staticData = await activate();
	const fresh = [task(randomUUID()), task(randomUUID()), task(randomUUID())];
	tasks = [...fresh, ...tasks];
	await pollExpect(staticData, fresh.map((entry) => entry.asyncTaskId));

	tasks = shuffled(tasks, 1);
	await pollExpect(staticData, []);
	tasks = [...tasks].reverse();
	await pollExpect(staticData, []);
	tasks = [...tasks.slice(7), ...tasks.slice(0, 7)];
	await pollExpect(staticData, []);
	tasks = shuffled(tasks, 2);
	await pollExpect(staticData, []);

	const later = task(randomUUID());
	tasks = shuffled([...tasks, later], 3);
	await pollExpect(staticData, [later.asyncTaskId]);
	tasks = shuffled(tasks, 4);
	await pollExpect(staticData, []);
});

it('4. a handled task missing from a listing that emits, listed again later, does not fire again', async () => {
	const baselineTask = task(randomUUID());
	tasks = [baselineTask, task(randomUUID())];
	const staticData = await activate();
	const first = task(randomUUID());
	tasks.push(first);
	await pollExpect(staticData, [first.asyncTaskId]);

	// `first` and the baseline task drop out of a listing in which another task finishes.
	const second = task(randomUUID());
	tasks = [...tasks.filter((entry) => entry !== first && entry !== baselineTask), second];
	await pollExpect(staticData, [second.asyncTaskId]);
	const missing = stateOf(staticData).missingTaskIds ?? '';
	expect(missing).toContain(`${norm(first.asyncTaskId)}@`);
	expect(missing).toContain(`${norm(baselineTask.asyncTaskId)}@`);

	// Still missing while two more polls write the state.
	const third = task(randomUUID());
	tasks.push(third);
	await pollExpect(staticData, [third.asyncTaskId]);
	const fourth = task(randomUUID());
	tasks = tasks.filter((entry) => entry !== second);
	tasks.push(fourth);
	await pollExpect(staticData, [fourth.asyncTaskId]);

	// Back in the listing: nothing fires, neither now nor when the state is written again.
	tasks.push(first, baselineTask, second);
	await pollExpect(staticData, []);
	const fifth = task(randomUUID());
	tasks.push(fifth);
	await pollExpect(staticData, [fifth.asyncTaskId]);
	expect(stateOf(staticData).missingTaskIds ?? '').toBe('');
	tasks = shuffled(tasks, 9);
	await pollExpect(staticData, []);

	// An empty listing that emits nothing, then everything back.
	const everything = tasks;
	tasks = [];
	await pollExpect(staticData, []);
	tasks = everything;
	await pollExpect(staticData, []);
});

it('5. COM → INP → COM fires once only', async () => {
	const parameters = triggerParameters({}, ['COM', 'ERR']);
	const atBaseline = task(randomUUID());
	tasks = [atBaseline];
	const staticData = await activate(parameters);

	const flapping = task(randomUUID());
	tasks.push(flapping);
	await pollExpect(staticData, [flapping.asyncTaskId], parameters);
	tasks = [withStatus(atBaseline, 'INP'), withStatus(flapping, 'INP')];
	await pollExpect(staticData, [], parameters);
	tasks = [atBaseline, flapping];
	await pollExpect(staticData, [], parameters);

	// Back to INP while another task fires (the state is written with the task running), then COM.
	const other = task(randomUUID());
	tasks = [withStatus(atBaseline, 'INP'), withStatus(flapping, 'INP'), other];
	await pollExpect(staticData, [other.asyncTaskId], parameters);
	tasks = [atBaseline, flapping, other];
	await pollExpect(staticData, [], parameters);

	// ERR → INP → COM: the failure fired, the later completion does not.
	const failedThenDone = task(randomUUID(), 'ERR');
	tasks.push(failedThenDone);
	await pollExpect(staticData, [failedThenDone.asyncTaskId], parameters);
	tasks = [...tasks.filter((entry) => entry !== failedThenDone), withStatus(failedThenDone, 'INP')];
	await pollExpect(staticData, [], parameters);
	tasks = [...tasks.filter((entry) => entry.asyncTaskId !== failedThenDone.asyncTaskId), withStatus(failedThenDone, 'COM')];
	await pollExpect(staticData, [], parameters);

	// A task seen running (never finished) still fires when it finishes.
	const slow = task(randomUUID(), 'INP');
	tasks.push(slow);
	await pollExpect(staticData, [], parameters);
	tasks = [...tasks.filter((entry) => entry !== slow), withStatus(slow, 'COM')];
	await pollExpect(staticData, [slow.asyncTaskId], parameters);
	tasks = [...tasks.filter((entry) => entry.asyncTaskId !== slow.asyncTaskId), withStatus(slow, 'INP')];
	await pollExpect(staticData, [], parameters);
	tasks = [...tasks.filter((entry) => entry.asyncTaskId !== slow.asyncTaskId), withStatus(slow, 'COM')];
	await pollExpect(staticData, [], parameters);
});

it('6. tasks without a valid asyncTaskId never fire; the others still do', async () => {
	const logger = Container.get(Logger);
	const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
	try {
		const guid = randomUUID();
		const withSpace = `${guid.slice(0, 10)} ${guid.slice(10)}`;
		const invalidIds: unknown[] = ['abc def', null, '', withSpace, `${guid.slice(0, 18)} ${guid.slice(19)}`, 12345, 'x'.repeat(32), norm(randomUUID()).slice(0, 31), `${norm(randomUUID())}0`];
		const invalid = (status: string) => invalidIds.map((id) => task(id, status));
		const missingId = task(undefined);
		delete missingId.asyncTaskId;

		const baselineTask = task(randomUUID());
		tasks = [...invalid('COM'), baselineTask];
		const staticData = await activate();
		expect(warn).toHaveBeenCalled();
		expect(String(warn.mock.calls[0][0])).toMatch(/without a valid asyncTaskId/);
		expect(stateOf(staticData).seenTaskIds!.split(' ')).toHaveLength(1);

		const valid = task(randomUUID());
		tasks = [...invalid('COM'), missingId, baselineTask, valid];
		await pollExpect(staticData, [valid.asyncTaskId]);
		const seen = stateOf(staticData).seenTaskIds!;
		expect(seen.split(' ').every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);

		// The invalid tasks run again and finish again, shuffled: nothing.
		tasks = [...invalid('INP'), ...tasks.filter((entry) => !invalidIds.includes(entry.asyncTaskId))];
		await pollExpect(staticData, []);
		tasks = shuffled([...invalid('COM'), ...invalid('ERR'), ...tasks.filter((entry) => entry.status === 'COM')], 6);
		await pollExpect(staticData, []);
		await pollExpect(staticData, [], triggerParameters({}, ['COM', 'ERR']));

		const another = task(randomUUID());
		tasks.push(another, ...invalid('COM'));
		await pollExpect(staticData, [another.asyncTaskId]);
		await pollExpect(staticData, []);
	} finally {
		warn.mockRestore();
	}
});

it('7. restoring the state saved at an emission (a restart) replays nothing and loses nothing', async () => {
	const baselineTasks = [task(randomUUID()), task(randomUUID())];
	tasks = [...baselineTasks];
	const staticData = await activate();

	const before = [task(randomUUID()), task(randomUUID())];
	tasks.push(...before);
	await pollExpect(staticData, before.map((entry) => entry.asyncTaskId));
	// n8n saves the static data when a poll starts executions.
	const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;

	// Polls that start nothing (n8n saves nothing): a shuffle, a gap, and a failed task (not a chosen event).
	tasks = shuffled(tasks, 7);
	await pollExpect(staticData, []);
	tasks = tasks.filter((entry) => entry !== before[0]);
	await pollExpect(staticData, []);
	const failed = task(randomUUID(), 'ERR');
	tasks.push(before[0], failed);
	await pollExpect(staticData, []);

	// Restart from the saved copy, in a new engine; one more task has finished meanwhile.
	const after = task(randomUUID());
	tasks.push(after);
	const restarted = newEngine();
	const restored = JSON.parse(JSON.stringify(saved)) as IDataObject;
	await pollExpect(restored, [after.asyncTaskId], triggerParameters(), restarted);
	const savedAgain = JSON.parse(JSON.stringify(restored)) as IDataObject;
	await pollExpect(restored, [], triggerParameters(), restarted);

	// The old copy restored once more (a crash right after the poll): the same task, once.
	await pollExpect(JSON.parse(JSON.stringify(saved)) as IDataObject, [after.asyncTaskId], triggerParameters(), restarted);

	// A second restart from the copy saved at the last emission, and a task finishing afterwards.
	const last = task(randomUUID());
	tasks = shuffled([...tasks, last], 8);
	const restoredAgain = JSON.parse(JSON.stringify(savedAgain)) as IDataObject;
	await pollExpect(restoredAgain, [last.asyncTaskId], triggerParameters(), newEngine());
	await pollExpect(restoredAgain, []);
	await pollExpect(restored, [last.asyncTaskId]);
	await pollExpect(restored, []);
});

it('8. Download File: a 404 link and a missing link fire once with downloadError, later tasks keep their file', async () => {
	const parameters = triggerParameters({ downloadFile: true }, ['COM'], { maxRetries: 0 });
	tasks = [task(randomUUID())];
	const staticData = await activate(parameters);
	const fileHits = () => server.hits.filter((hit) => hit.url.startsWith('/files/')).length;

	const gone = randomUUID();
	const broken = task(gone, 'COM', { signedDownloadUrl: fileUrl(norm(gone)) }); // never served: 404
	const linkless = task(randomUUID());
	const good = randomUUID();
	files.set(norm(good), 'boosterCustomerId;brand\n1;CAR\n2;CAR\n');
	const working = task(good, 'COM', { signedDownloadUrl: fileUrl(norm(good)) });
	tasks.push(working, linkless, broken); // listed out of order; fired by requestDate
	const executions = await pollExpect(staticData, [broken.asyncTaskId, linkless.asyncTaskId, good], parameters);

	for (const execution of executions.slice(0, 2)) {
		const item = execution[0][0];
		expect(item.binary).toBeUndefined();
		const downloadError = item.json.downloadError as IDataObject | undefined;
		expect(typeof downloadError?.message).toBe('string');
		expect(String(downloadError?.message).trim()).not.toBe('');
	}
	expect(String((executions[0][0][0].json.downloadError as IDataObject).message)).toMatch(/404/);
	const withFile = executions[2][0][0];
	expect(withFile.json.downloadError).toBeUndefined();
	expect(withFile.binary?.data?.mimeType).toBe('text/csv');
	expect((await engine.getBinaryDataBuffer(withFile.binary!.data)).toString('utf8')).toBe(files.get(norm(good)));

	// Nothing is replayed, and no file is fetched again.
	const hitsAfter = fileHits();
	await pollExpect(staticData, [], parameters);
	await pollExpect(staticData, [], parameters);
	expect(fileHits()).toBe(hitsAfter);

	// Tasks finishing later still fire with their file: one plain, one whose signed link expired and is refreshed.
	const next = randomUUID();
	files.set(norm(next), 'boosterCustomerId;brand\n3;CAR\n');
	const expired = randomUUID();
	const refreshedKey = `${norm(expired)}0fresh`.replace(/[^0-9a-f]/g, 'f');
	expiredFiles.add(norm(expired));
	files.set(refreshedKey, 'boosterCustomerId;brand\n4;CAR\n');
	const nextTask = task(next, 'COM', { signedDownloadUrl: fileUrl(norm(next)) });
	const expiring = task(expired, 'COM', { signedDownloadUrl: fileUrl(norm(expired)) });
	details.set(norm(expired), { ...expiring, signedDownloadUrl: fileUrl(refreshedKey) });
	tasks.push(nextTask, expiring);
	const later = await pollExpect(staticData, [next, expired], parameters);
	expect((await engine.getBinaryDataBuffer(later[0][0][0].binary!.data)).toString('utf8')).toBe(files.get(norm(next)));
	expect((await engine.getBinaryDataBuffer(later[1][0][0].binary!.data)).toString('utf8')).toBe(files.get(refreshedKey));
	await pollExpect(staticData, [], parameters);

	// The broken tasks' links start working: still nothing is replayed.
	files.set(norm(gone), 'boosterCustomerId;brand\n5;CAR\n');
	await pollExpect(staticData, [], parameters);
});

it.each([
	['Advanced', triggerParameters({}, ['COM'], { maxRetries: 0 })],
	['Options, where it was saved before it moved to Advanced', triggerParameters({ maxRetries: 0 })],
])('9. a failed listing throws and changes nothing; the task fires on the next poll (Max Retries 0 in %s)', async (_, parameters) => {
	const listings = () => server.hits.filter((hit) => hit.url.split('?')[0] === `${PREFIX}/tasks`).length;

	// At activation: no baseline is recorded until a listing succeeds.
	tasks = [task(randomUUID())];
	const staticData: IDataObject = {};
	failListings = 1;
	let before = listings();
	await expect(engine.pollExecutions({ node: { type: TRIGGER, parameters }, staticData, credentials: [cred] })).rejects.toThrow();
	expect(listings() - before).toBe(1);
	expect(stateOf(staticData).baselineTaken).toBeUndefined();
	await pollExpect(staticData, [], parameters);
	expect(stateOf(staticData).baselineTaken).toBe(true);

	const waiting = task(randomUUID());
	tasks.push(waiting);
	for (let failure = 0; failure < 2; failure++) {
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		failListings = 1;
		before = listings();
		await expect(engine.pollExecutions({ node: { type: TRIGGER, parameters }, staticData, credentials: [cred] })).rejects.toThrow();
		expect(listings() - before).toBe(1);
		expect(staticData).toEqual(saved);
	}
	await pollExpect(staticData, [waiting.asyncTaskId], parameters);
	await pollExpect(staticData, [], parameters);
});
