/**
 * Customer → Get (nodes/Booster/actions/customer/get.operation.ts) through n8n's engine against the
 * sandbox: the output is the sandbox's GetCustomer answer for the id (read here straight from the
 * sandbox, and checked against its dataset), in JSON and XML; bad IDs never reach Booster; a missing
 * customer is a clear error; Continue On Fail keeps the other items, each paired with its input.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SandboxCustomer } from '../../../sandbox';
import { type Env, boosterNode, credential, customersOf, logged, startEnv } from '../../../integration/node/setup';

let env: Env;
let sample: SandboxCustomer[];

beforeAll(async () => {
	env = await startEnv();
	const car = customersOf(env, 'CAR');
	const withBirthday = car.find((c) => c.birthDate !== null)!;
	const withoutBirthday = car.find((c) => c.birthDate === null)!;
	// One registered on a whole second: XML writes such a date without fractional seconds (…T10:00:00Z).
	const [wholeSecond] = env.sandbox.state.addCustomers(1, { brand: 'JLC', creationDate: '2021-05-05T10:00:00Z' });
	sample = [
		withBirthday,
		withoutBirthday,
		...customersOf(env, 'VCA').slice(0, 2),
		customersOf(env, 'MTB')[0],
		env.sandbox.state.dataset.customerById(wholeSecond)!,
	];
	expect(withoutBirthday).toBeDefined();
});
afterAll(async () => await env.stop());
beforeEach(() => env.sandbox.state.requestLog.clear());

const rl = (value: unknown) => ({ __rl: true, mode: 'id', value });
const getNode = (customerId: unknown, advanced: IDataObject = {}, extra = {}) =>
	boosterNode({ resource: 'customer', operation: 'get', customerId: rl(customerId), advanced }, extra);
const ids = (customers: SandboxCustomer[]) => customers.map((c) => ({ json: { id: c.boosterCustomerId } }));

/** The sandbox's GetCustomer answer, read with a plain HTTP client (WCF dates turned into ISO strings). */
async function sandboxGetCustomer(id: number): Promise<IDataObject> {
	const response = await fetch(`${env.sandbox.url}/customer/${id}`, {
		headers: { Authorization: `Bearer ${env.sandbox.accounts.main.apiKey}`, Accept: 'application/json' },
	});
	expect(response.status).toBe(200);
	const text = (await response.text()).replace(/"\\\/Date\((-?\d+)(?:[+-]\d{4})?\)\\\/"/g, (_, ms: string) => JSON.stringify(new Date(Number(ms)).toISOString()));
	return JSON.parse(text) as IDataObject;
}

/** What the dataset says GetCustomer holds: the parts the operation is about. */
function checkAgainstDataset(json: IDataObject, customer: SandboxCustomer): void {
	expect(json.id).toBe(customer.boosterCustomerId);
	expect(json.sapId).toBe(customer.sapId);
	expect(json.firstName).toBe(customer.firstName);
	expect(json.lastName).toBe(customer.lastName);
	expect(json.brand).toBe(customer.brand);
	expect(json.canBeContacted).toBe(customer.canBeContactedByMaison);
	expect(json.registrationDate).toBe(customer.creationDate);
	expect(json.emails).toEqual([expect.objectContaining({ email: customer.email, isMain: true })]);
	expect(json.phones).toEqual([expect.objectContaining({ phone: customer.phoneNumber, telephonePrefix: customer.phonePrefix, isMain: true })]);
	if (customer.birthDate === null) expect(json.events).toEqual([]);
	else {
		const [year, month, day] = customer.birthDate.split('-').map(Number);
		expect(json.events).toEqual([expect.objectContaining({ eventDay: day, eventMonth: month, eventYear: year })]);
	}
}

describe('Customer → Get', () => {
	it.each(['json', 'xml'])('equals the sandbox GetCustomer data (emails, phones, events) for each item (%s)', async (requestFormat) => {
		const run = await env.engine.runNode({ node: getNode('={{ $json.id }}', { requestFormat }), inputItems: ids(sample), credentials: [env.cred] });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(sample.length);
		const gets = logged(env, (entry) => entry.method === 'GET' && /^\/customer\/\d+$/.test(entry.path));
		expect(gets.map((entry) => entry.path)).toEqual(sample.map((c) => `/customer/${c.boosterCustomerId}`));
		if (requestFormat === 'xml') for (const entry of gets) expect(String(entry.headers.accept)).toMatch(/xml/);
		for (const [index, item] of run.items.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toEqual(await sandboxGetCustomer(sample[index].boosterCustomerId));
			checkAgainstDataset(item.json, sample[index]);
			expect(typeof item.json.id).toBe('number');
			expect(typeof (item.json.emails as IDataObject[])[0].isMain).toBe('boolean');
		}
	});

	it('JSON and XML give identical output', async () => {
		const json = await env.engine.runNode({ node: getNode('={{ $json.id }}', { requestFormat: 'json' }), inputItems: ids(sample), credentials: [env.cred] });
		const xml = await env.engine.runNode({ node: getNode('={{ $json.id }}', { requestFormat: 'xml' }), inputItems: ids(sample), credentials: [env.cred] });
		expect(json.error).toBeUndefined();
		expect(xml.items.map((item) => item.json)).toEqual(json.items.map((item) => item.json));
	});

	it('takes an ID typed in the editor, with spaces around it, and a number from an expression', async () => {
		const [customer] = sample;
		const typed = await env.engine.runNode({ node: getNode(` ${customer.boosterCustomerId} `), credentials: [env.cred] });
		expect(typed.error).toBeUndefined();
		expect(typed.items.map((item) => item.json.id)).toEqual([customer.boosterCustomerId]);
		const mapped = await env.engine.runNode({ node: getNode('={{ $json.id }}'), inputItems: ids([customer]), credentials: [env.cred] });
		expect(mapped.items.map((item) => item.json.id)).toEqual([customer.boosterCustomerId]);
	});

	it.each([
		['abc', 'abc'],
		['0', '0'],
		['-1', '-1'],
		['1.5', '1.5'],
		['empty', ''],
	])('refuses the ID %s before any request, naming the field and the item', async (_label, bad) => {
		const run = await env.engine.runNode({ node: getNode('={{ $json.id }}'), inputItems: [{ json: { id: bad } }], credentials: [env.cred] });
		expect(run.error).toBeDefined();
		expect(run.error!.message).toMatch(/Customer/);
		expect(run.error!.message).toMatch(/boosterCustomerId/);
		expect(run.error!.message).toContain('[item 0]');
		expect(logged(env)).toEqual([]);
	});

	it('a bad ID in a later item stops that item before its request; the items before it were sent', async () => {
		const run = await env.engine.runNode({
			node: getNode('={{ $json.id }}'),
			inputItems: [...ids(sample.slice(0, 2)), { json: { id: '12abc' } }],
			credentials: [env.cred],
		});
		expect(run.error?.message).toMatch(/boosterCustomerId.*\[item 2\]/);
		expect(logged(env).map((entry) => entry.path)).toEqual(sample.slice(0, 2).map((c) => `/customer/${c.boosterCustomerId}`));
	});

	it.each(['json', 'xml'])('a customer Booster does not know is a clear 404 error naming it (%s)', async (requestFormat) => {
		const unknown = 1000001 + env.sandbox.state.dataset.size + 500;
		const run = await env.engine.runNode({ node: getNode(String(unknown), { requestFormat }), credentials: [env.cred] });
		expect(run.error).toBeDefined();
		const text = `${run.error!.message} ${run.error!.description ?? ''}`;
		expect(text).toMatch(/not found|404/i);
		expect(text).toContain(String(unknown));
		expect(logged(env)).toHaveLength(1);
	});

	it('a customer of a brand the account may not see is refused by Booster (limited account)', async () => {
		const limited = credential({ baseUrl: env.baseUrl, authentication: 'apiKey', apiKey: env.sandbox.accounts.limited.apiKey });
		const vca = sample[2];
		const run = await env.engine.runNode({ node: getNode(String(vca.boosterCustomerId)), credentials: [limited] });
		expect(run.error).toBeDefined();
		expect(`${run.error!.message} ${run.error!.description ?? ''}`).toMatch(/403|not authori[sz]ed|forbidden|VCA/i);
	});

	it('with Continue On Fail the good items still run, the bad ones become error items, all paired in order', async () => {
		const unknown = 1000001 + env.sandbox.state.dataset.size + 77;
		const [first, second] = sample;
		const run = await env.engine.runNode({
			node: getNode('={{ $json.id }}', {}, { onError: 'continueRegularOutput' }),
			inputItems: [{ json: { id: first.boosterCustomerId } }, { json: { id: 'abc' } }, { json: { id: unknown } }, { json: { id: second.boosterCustomerId } }],
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(4);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		checkAgainstDataset(run.items[0].json, first);
		checkAgainstDataset(run.items[3].json, second);
		expect(String(run.items[1].json.error)).toMatch(/boosterCustomerId.*\[item 1\]/);
		expect(String(run.items[2].json.error)).toMatch(/not found|404/i);
		expect(run.items[2].json.httpCode).toBe('404');
		// The bad ID never went out; the unknown one did, and was answered 404.
		expect(logged(env).map((entry) => [entry.path, entry.status])).toEqual([
			[`/customer/${first.boosterCustomerId}`, 200],
			[`/customer/${unknown}`, 404],
			[`/customer/${second.boosterCustomerId}`, 200],
		]);
	});
});
