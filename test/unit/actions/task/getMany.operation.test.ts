/** Task → Get Many (nodes/Booster/actions/task/getMany.operation.ts) against the sandbox's own task list. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { description } from '../../../../nodes/Booster/actions/task/getMany.operation';

import { type Env, boosterNode, finishTasks, normalizeId, startEnv, startExportDirect } from '../../../integration/node/setup';

let env: Env;
let vcaTask: string;
let errTask: string;

beforeAll(async () => {
	// Long export duration on the sandbox clock: the last task stays pending; finishTasks() jumps past the others.
	// The account holds four tasks: CAR and VCA complete (COM), IWC failed (ERR), JLC pending.
	env = await startEnv({ exportDurationMs: 60_000 });
	await startExportDirect(env, 'CAR', 'tasks-car', { customerStatus: ['Client'] });
	vcaTask = await startExportDirect(env, 'VCA', 'tasks-vca');
	env.sandbox.state.failNextExports(1);
	errTask = await startExportDirect(env, 'IWC', 'tasks-err');
	await finishTasks(env);
	await startExportDirect(env, 'JLC', 'tasks-pending');
});
afterAll(async () => await env.stop());
beforeEach(() => env.sandbox.state.requestLog.clear());

describe('Task → Get Many', () => {
	const mainTasks = () =>
		[...env.sandbox.state.tasks.values()].filter((task) => task.accountName === 'main').map((task) => env.sandbox.state.taskView(task.asyncTaskId)!);
	const getMany = async (parameters: IDataObject) => {
		const run = await env.engine.runNode({
			node: boosterNode({ resource: 'task', operation: 'getMany', returnAll: false, limit: 50, filters: {}, options: {}, ...parameters }),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		return run.items.map((item) => item.json);
	};

	it('Return All lists every task of the account', async () => {
		const tasks = await getMany({ returnAll: true });
		expect(tasks.map((task) => normalizeId(task.asyncTaskId)).sort()).toEqual(mainTasks().map((task) => normalizeId(task.asyncTaskId)).sort());
	});

	it('Limit caps the number of tasks', async () => {
		expect(mainTasks().length).toBeGreaterThan(2);
		expect(await getMany({ limit: 2 })).toHaveLength(2);
	});

	it('filters on brand, status and type', async () => {
		const vca = await getMany({ returnAll: true, filters: { brand: 'VCA' } });
		expect(vca.map((task) => normalizeId(task.asyncTaskId))).toEqual([normalizeId(vcaTask)]);
		const failed = await getMany({ returnAll: true, filters: { status: ['ERR'] } });
		expect(failed.map((task) => normalizeId(task.asyncTaskId))).toEqual([normalizeId(errTask)]);
		const completed = await getMany({ returnAll: true, filters: { status: ['COM'], type: 'crm' } });
		expect(completed.map((task) => normalizeId(task.asyncTaskId)).sort()).toEqual(
			mainTasks().filter((task) => task.status === 'COM').map((task) => normalizeId(task.asyncTaskId)).sort(),
		);
		expect(await getMany({ returnAll: true, filters: { type: 'stock' } })).toEqual([]);
		expect(await getMany({ returnAll: true, filters: { type: 'sellout' } })).toEqual([]);
	});

	it('offers the task types as a list: crm, sellout and stock, crm by default', () => {
		const filters = description.find((parameter) => parameter.name === 'filters')!;
		const type = (filters.options as INodeProperties[]).find((option) => option.name === 'type')!;
		expect(type).toMatchObject({ type: 'options', default: 'crm' });
		expect((type.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['crm', 'sellout', 'stock']);
	});
});
