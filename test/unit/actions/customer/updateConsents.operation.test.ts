/**
 * Customer → Update Consents (nodes/Booster/actions/customer/updateConsents.operation.ts) through
 * n8n's engine against the sandbox (PATCH /customer/{id}/updateConsents): each flag set to Yes or No
 * changes exactly that flag in the sandbox's consent state, Leave Unchanged leaves it; the flags go as
 * query parameters of a PATCH with no body; nothing is sent when every flag is Leave Unchanged.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SandboxConsents, SandboxCustomer } from '../../../sandbox';
import { type Env, boosterNode, customersOf, logged, startEnv } from '../../../integration/node/setup';

const FLAGS = [
	'contactByEmailFlag',
	'contactByMailFlag',
	'contactByPhoneFlag',
	'contactBySMSFlag',
	'contactBySocialMediaFlag',
	'privacyAcceptance',
	'allowStoreDataAbroad',
] as const;
type Flag = (typeof FLAGS)[number];

let env: Env;
let customers: SandboxCustomer[];

beforeAll(async () => {
	env = await startEnv();
	customers = customersOf(env, 'CAR').filter((c) => c.canBeContactedByMaison);
	expect(customers.length).toBeGreaterThan(20);
});
afterAll(async () => await env.stop());
beforeEach(() => env.sandbox.state.requestLog.clear());

let next = 0;
/** A customer no other test has touched. */
const freshCustomer = () => customers[next++];
const consentsOf = (id: number): SandboxConsents => env.sandbox.state.consentsOf(id)!;
const rl = (value: unknown) => ({ __rl: true, mode: 'id', value });
const allUnchanged = Object.fromEntries(FLAGS.map((flag) => [flag, 'any']));

const updateNode = (customerId: unknown, flags: IDataObject, advanced: IDataObject = {}, extra = {}) =>
	boosterNode({ resource: 'customer', operation: 'updateConsents', customerId: rl(customerId), ...allUnchanged, ...flags, advanced }, extra);

const patches = () => logged(env, (entry) => entry.method === 'PATCH');

describe('Customer → Update Consents', () => {
	it.each(['json', 'xml'])('Yes and No change exactly the flags set; Leave Unchanged leaves the others (%s)', async (requestFormat) => {
		const customer = freshCustomer();
		const id = customer.boosterCustomerId;
		const before = consentsOf(id);
		// Each flag set to the opposite of what it is, so that every change shows.
		const chosen: Flag[] = ['contactByEmailFlag', 'contactBySMSFlag', 'privacyAcceptance'];
		const wanted = Object.fromEntries(chosen.map((flag) => [flag, !before[flag]])) as Partial<SandboxConsents>;
		const parameters = Object.fromEntries(chosen.map((flag) => [flag, wanted[flag] ? 'yes' : 'no']));

		const run = await env.engine.runNode({ node: updateNode(String(id), parameters, { requestFormat }), credentials: [env.cred] });
		expect(run.error).toBeUndefined();

		expect(consentsOf(id)).toEqual({ ...before, ...wanted });
		expect(run.items.map((item) => item.json)).toEqual([{ boosterCustomerId: id, ...wanted }]);
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		expect(env.sandbox.state.consentUpdates.at(-1)).toMatchObject({ boosterCustomerId: id, flags: wanted, accountName: 'main' });
	});

	it.each(['json', 'xml'])('is a PATCH with the flags as query parameters and no body (%s)', async (requestFormat) => {
		const id = freshCustomer().boosterCustomerId;
		const run = await env.engine.runNode({
			node: updateNode(String(id), { contactByMailFlag: 'yes', allowStoreDataAbroad: 'no' }, { requestFormat }),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		const requests = logged(env);
		expect(requests).toHaveLength(1);
		const [request] = requests;
		expect(request.method).toBe('PATCH');
		expect(request.path).toBe(`/customer/${id}/updateConsents`);
		expect(request.query).toEqual({ contactByMailFlag: 'true', allowStoreDataAbroad: 'false' });
		expect(request.body).toBe('');
		expect(request.status).toBe(200);
	});

	it('every flag at once: all seven end as asked', async () => {
		const id = freshCustomer().boosterCustomerId;
		const before = consentsOf(id);
		const wanted = Object.fromEntries(FLAGS.map((flag) => [flag, !before[flag]])) as unknown as SandboxConsents;
		const parameters = Object.fromEntries(FLAGS.map((flag) => [flag, wanted[flag] ? 'yes' : 'no']));
		const run = await env.engine.runNode({ node: updateNode(String(id), parameters), credentials: [env.cred] });
		expect(run.error).toBeUndefined();
		expect(consentsOf(id)).toEqual(wanted);
		expect(run.items[0].json).toEqual({ boosterCustomerId: id, ...wanted });
	});

	it('Yes on a flag that is already true is still sent and keeps it true', async () => {
		const customer = freshCustomer();
		const before = consentsOf(customer.boosterCustomerId);
		const alreadyTrue = FLAGS.find((flag) => before[flag])!;
		const run = await env.engine.runNode({ node: updateNode(String(customer.boosterCustomerId), { [alreadyTrue]: 'yes' }), credentials: [env.cred] });
		expect(run.error).toBeUndefined();
		expect(patches()[0].query).toEqual({ [alreadyTrue]: 'true' });
		expect(consentsOf(customer.boosterCustomerId)).toEqual(before);
	});

	it('each item updates its own customer with its own flags (expressions), outputs paired', async () => {
		const targets = [freshCustomer(), freshCustomer(), freshCustomer()];
		const befores = targets.map((c) => consentsOf(c.boosterCustomerId));
		const optIns = [true, false, true];
		const run = await env.engine.runNode({
			node: updateNode('={{ $json.id }}', { contactByEmailFlag: '={{ $json.optIn ? "yes" : "no" }}', contactByPhoneFlag: '={{ $json.optIn }}' }),
			inputItems: targets.map((c, index) => ({ json: { id: c.boosterCustomerId, optIn: optIns[index] } })),
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		targets.forEach((c, index) => {
			const wanted = { contactByEmailFlag: optIns[index], contactByPhoneFlag: optIns[index] };
			expect(consentsOf(c.boosterCustomerId)).toEqual({ ...befores[index], ...wanted });
			expect(run.items[index].json).toEqual({ boosterCustomerId: c.boosterCustomerId, ...wanted });
		});
	});

	it('every flag Leave Unchanged is an error before any request', async () => {
		const id = freshCustomer().boosterCustomerId;
		const before = consentsOf(id);
		const updates = env.sandbox.state.consentUpdates.length;
		const run = await env.engine.runNode({ node: updateNode(String(id), {}), credentials: [env.cred] });
		expect(run.error).toBeDefined();
		expect(`${run.error!.message} ${run.error!.description ?? ''}`).toMatch(/consent/i);
		expect(run.error!.message).toContain('[item 0]');
		expect(logged(env)).toEqual([]);
		expect(env.sandbox.state.consentUpdates).toHaveLength(updates);
		expect(consentsOf(id)).toEqual(before);
	});

	it.each(['abc', '0', '-1', '1.5', ''])('refuses the customer ID "%s" before any request', async (bad) => {
		const run = await env.engine.runNode({ node: updateNode('={{ $json.id }}', { contactByEmailFlag: 'yes' }), inputItems: [{ json: { id: bad } }], credentials: [env.cred] });
		expect(run.error?.message).toMatch(/boosterCustomerId.*\[item 0\]/);
		expect(logged(env)).toEqual([]);
	});

	it('a flag value that is neither yes nor no is refused before any request, naming the flag', async () => {
		const id = freshCustomer().boosterCustomerId;
		const run = await env.engine.runNode({ node: updateNode(String(id), { contactBySMSFlag: '={{ "maybe" }}' }), credentials: [env.cred] });
		expect(run.error?.message).toMatch(/contactBySMSFlag/);
		expect(logged(env)).toEqual([]);
	});

	it('with Continue On Fail an unknown customer gives an error item and the other items are still updated', async () => {
		const unknown = 1000001 + env.sandbox.state.dataset.size + 10;
		const [a, b] = [freshCustomer(), freshCustomer()];
		const beforeA = consentsOf(a.boosterCustomerId);
		const beforeB = consentsOf(b.boosterCustomerId);
		const run = await env.engine.runNode({
			node: updateNode('={{ $json.id }}', { contactBySocialMediaFlag: 'yes' }, {}, { onError: 'continueRegularOutput' }),
			inputItems: [{ json: { id: a.boosterCustomerId } }, { json: { id: unknown } }, { json: { id: b.boosterCustomerId } }],
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(run.items[0].json).toEqual({ boosterCustomerId: a.boosterCustomerId, contactBySocialMediaFlag: true });
		expect(String(run.items[1].json.error)).toMatch(/not found|404/i);
		expect(run.items[2].json).toEqual({ boosterCustomerId: b.boosterCustomerId, contactBySocialMediaFlag: true });
		expect(consentsOf(a.boosterCustomerId)).toEqual({ ...beforeA, contactBySocialMediaFlag: true });
		expect(consentsOf(b.boosterCustomerId)).toEqual({ ...beforeB, contactBySocialMediaFlag: true });
	});
});
