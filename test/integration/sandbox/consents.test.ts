/** UpdateConsents – PATCH /customer/{boosterCustomerId}/updateConsents, and the consent state behind it. */
import { startSandbox, RunningSandbox, SandboxCustomer, SandboxConsents } from '../../sandbox';
import { apiClient, json, parseCsv, waitForTask, CRM_NS } from './sandboxClient';

const CONTACT_FLAGS = ['contactByEmailFlag', 'contactByMailFlag', 'contactByPhoneFlag', 'contactBySMSFlag', 'contactBySocialMediaFlag'] as const;
const ALL_FLAGS = [...CONTACT_FLAGS, 'privacyAcceptance', 'allowStoreDataAbroad'] as const;
const EMPTY_XML = `<UpdateConsentsResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${CRM_NS}" />`;

let sandbox: RunningSandbox;
let car: SandboxCustomer[];
let carPos: string[];

beforeAll(async () => {
	sandbox = await startSandbox({ customers: 2000, exportDurationMs: 0 });
	car = [...sandbox.state.dataset.customersOfBrand('CAR')];
	carPos = sandbox.state.pointsOfSale.filter((pos) => pos.brand === 'CAR').map((pos) => pos.posCode);
});
afterAll(() => sandbox.stop());

/** A CAR customer no other test touches (each test takes its own). */
let taken = 0;
const freshCar = (predicate: (c: SandboxCustomer) => boolean = () => true) => {
	const found = car.slice(taken).find(predicate)!;
	taken = car.indexOf(found) + 1;
	return found;
};
const patch = (id: number | string, query: string, options: { body?: string; headers?: Record<string, string>; account?: 'main' | 'limited' } = {}) =>
	apiClient(sandbox, sandbox.accounts[options.account ?? 'main'], options.headers).patch(`/customer/${id}/updateConsents${query}`, options.body ?? '');
const current = (c: SandboxCustomer) => sandbox.state.dataset.customerById(c.boosterCustomerId)!;

describe('generated consent defaults', () => {
	it('give seven flags that agree with canBeContactedByMaison, the same from the same seed', async () => {
		const other = await startSandbox({ customers: 50 });
		try {
			for (const customer of [...sandbox.state.dataset.allCustomers()].slice(0, 50)) {
				const consents = sandbox.state.consentsOf(customer.boosterCustomerId)!;
				expect(Object.keys(consents).sort()).toEqual([...ALL_FLAGS].sort());
				expect(CONTACT_FLAGS.some((flag) => consents[flag])).toBe(customer.canBeContactedByMaison);
				expect(consents.privacyAcceptance).toBe(true);
				expect(consents.allowStoreDataAbroad).toBe(false);
				expect(other.state.consentsOf(customer.boosterCustomerId)).toEqual(consents);
			}
		} finally {
			await other.stop();
		}
		const contactable = car.filter((c) => c.canBeContactedByMaison).map((c) => sandbox.state.consentsOf(c.boosterCustomerId)!);
		// Drawn per customer, not one fixed pattern.
		expect(new Set(contactable.map((consents) => JSON.stringify(consents))).size).toBeGreaterThan(5);
		expect(sandbox.state.consentsOf(999)).toBeNull();
	});
});

describe('PATCH /customer/{id}/updateConsents', () => {
	it('sets the flags given as query parameters (case-insensitive values), leaves the others, answers 200 {} in JSON', async () => {
		const customer = freshCar();
		const before = sandbox.state.consentsOf(customer.boosterCustomerId)!;
		const updatesBefore = sandbox.state.consentUpdates.length;
		const response = await patch(customer.boosterCustomerId, `?contactByMailFlag=TRUE&allowStoreDataAbroad=True&privacyAcceptance=false`);
		expect(response.status).toBe(200);
		expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(String(response.data)).toBe('{}');
		expect(sandbox.state.consentsOf(customer.boosterCustomerId)).toEqual({ ...before, contactByMailFlag: true, allowStoreDataAbroad: true, privacyAcceptance: false });
		expect(sandbox.state.consentUpdates.slice(updatesBefore)).toEqual([
			{
				boosterCustomerId: customer.boosterCustomerId,
				flags: { contactByMailFlag: true, allowStoreDataAbroad: true, privacyAcceptance: false },
				accountName: 'main',
				timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			},
		]);
		// Parameter names bind case-insensitively, like every ServiceStack query parameter.
		expect((await patch(customer.boosterCustomerId, '?CONTACTBYSMSFLAG=true')).status).toBe(200);
		expect(sandbox.state.consentsOf(customer.boosterCustomerId)!.contactBySMSFlag).toBe(true);
	});

	it('records every update in order, with only the flags each one gave (an update without flags too)', async () => {
		const [first, second] = [freshCar(), freshCar()];
		const start = sandbox.state.consentUpdates.length;
		await patch(first.boosterCustomerId, '?contactByPhoneFlag=false');
		await patch(second.boosterCustomerId, '');
		await patch(first.boosterCustomerId, '?contactBySocialMediaFlag=true&contactByEmailFlag=false');
		expect(sandbox.state.consentUpdates.slice(start).map(({ boosterCustomerId, flags }) => ({ boosterCustomerId, flags }))).toEqual([
			{ boosterCustomerId: first.boosterCustomerId, flags: { contactByPhoneFlag: false } },
			{ boosterCustomerId: second.boosterCustomerId, flags: {} },
			{ boosterCustomerId: first.boosterCustomerId, flags: { contactBySocialMediaFlag: true, contactByEmailFlag: false } },
		]);
		const control = json(await apiClient(sandbox).get('/__sandbox/consent-updates'));
		expect(control.slice(start).map((update: { boosterCustomerId: number }) => update.boosterCustomerId)).toEqual([first.boosterCustomerId, second.boosterCustomerId, first.boosterCustomerId]);
	});

	it('answers an empty UpdateConsentsResponse in XML (Accept, .xml suffix, ?format=xml)', async () => {
		const customer = freshCar();
		const responses = [
			await patch(customer.boosterCustomerId, '?contactByEmailFlag=true', { headers: { Accept: 'application/xml' } }),
			await apiClient(sandbox, sandbox.accounts.main).patch(`/customer/${customer.boosterCustomerId}/updateConsents.xml?contactByEmailFlag=true`),
			await patch(customer.boosterCustomerId, '?contactByEmailFlag=true&format=xml'),
		];
		for (const response of responses) {
			expect(response.status).toBe(200);
			expect(response.headers['content-type']).toBe('application/xml');
			expect(String(response.data)).toBe(EMPTY_XML);
		}
	});

	it('reads the flags from a JSON, XML or form body as well', async () => {
		const customer = freshCar();
		const id = customer.boosterCustomerId;
		expect((await patch(id, '', { body: JSON.stringify({ contactBySMSFlag: false, privacyAcceptance: false }), headers: { 'Content-Type': 'application/json' } })).status).toBe(200);
		expect(sandbox.state.consentsOf(id)).toMatchObject({ contactBySMSFlag: false, privacyAcceptance: false });
		const xml = `<UpdateConsents xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${CRM_NS}"><allowStoreDataAbroad>true</allowStoreDataAbroad><contactBySMSFlag>true</contactBySMSFlag></UpdateConsents>`;
		const xmlResponse = await patch(id, '', { body: xml, headers: { 'Content-Type': 'application/xml', Accept: 'application/xml' } });
		expect(xmlResponse.status).toBe(200);
		expect(String(xmlResponse.data)).toBe(EMPTY_XML);
		expect(sandbox.state.consentsOf(id)).toMatchObject({ contactBySMSFlag: true, allowStoreDataAbroad: true, privacyAcceptance: false });
		expect((await patch(id, '', { body: 'privacyAcceptance=true', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
		expect(sandbox.state.consentsOf(id)!.privacyAcceptance).toBe(true);
		// XML elements follow DataContract order (strict mode): out of order → 400 naming it.
		const outOfOrder = `<UpdateConsents xmlns="${CRM_NS}"><contactBySMSFlag>true</contactBySMSFlag><allowStoreDataAbroad>true</allowStoreDataAbroad></UpdateConsents>`;
		const refused = await patch(id, '', { body: outOfOrder, headers: { 'Content-Type': 'application/xml' } });
		expect(refused.status).toBe(400);
		expect(json(refused).responseStatus.errors[0].fieldName).toBe('allowStoreDataAbroad');
	});

	it.each([
		['yes', 'query'],
		['1', 'query'],
		['truee', 'query'],
		['"yes"', 'JSON body'],
		['1', 'JSON body'],
	])('answers 400 SerializationException naming the field for %s (%s), changing nothing', async (value, where) => {
		const customer = freshCar();
		const before = sandbox.state.consentsOf(customer.boosterCustomerId);
		const updates = sandbox.state.consentUpdates.length;
		const response =
			where === 'JSON body'
				? await patch(customer.boosterCustomerId, '', { body: `{"contactByPhoneFlag":${value}}`, headers: { 'Content-Type': 'application/json' } })
				: await patch(customer.boosterCustomerId, `?contactByEmailFlag=true&contactByPhoneFlag=${encodeURIComponent(value)}`);
		expect(response.status).toBe(400);
		expect(json(response).responseStatus).toMatchObject({ errorCode: 'SerializationException', errors: [{ errorCode: 'SerializationException', fieldName: 'contactByPhoneFlag' }] });
		expect(json(response).responseStatus.message).toContain(value.replace(/"/g, ''));
		expect(sandbox.state.consentsOf(customer.boosterCustomerId)).toEqual(before);
		expect(sandbox.state.consentUpdates.length).toBe(updates);
	});

	it('treats an empty query value as not given', async () => {
		const customer = freshCar();
		const before = sandbox.state.consentsOf(customer.boosterCustomerId)!;
		expect((await patch(customer.boosterCustomerId, `?contactByPhoneFlag=&allowStoreDataAbroad=${!before.allowStoreDataAbroad}`)).status).toBe(200);
		expect(sandbox.state.consentUpdates.at(-1)!.flags).toEqual({ allowStoreDataAbroad: !before.allowStoreDataAbroad });
		expect(sandbox.state.consentsOf(customer.boosterCustomerId)).toEqual({ ...before, allowStoreDataAbroad: !before.allowStoreDataAbroad });
	});

	it('answers 404 for an unknown customer, 403 for one the account may not see, 400 for a non-numeric id; none is recorded', async () => {
		const updates = sandbox.state.consentUpdates.length;
		const missing = await patch(999, '?contactByEmailFlag=true');
		expect(missing.status).toBe(404);
		expect(json(missing).responseStatus.errorCode).toBe('NotFound');
		const pan = [...sandbox.state.dataset.customersOfBrand('PAN')][0];
		const panResponse = await patch(pan.boosterCustomerId, '?contactByEmailFlag=true');
		expect(panResponse.status).toBe(403);
		expect(json(panResponse).responseStatus.message).toContain("brand 'PAN'");
		const hidden = car.find((c) => !sandbox.accounts.limited.posCodes!.includes(c.posCode))!;
		const limited = await patch(hidden.boosterCustomerId, '?contactByEmailFlag=true', { account: 'limited' });
		expect(limited.status).toBe(403);
		expect(json(limited).responseStatus.message).toContain(hidden.posCode);
		const visible = freshCar((c) => sandbox.accounts.limited.posCodes!.includes(c.posCode));
		const invalid = await patch('abc', '?contactByEmailFlag=true');
		expect(invalid.status).toBe(400);
		expect(json(invalid).responseStatus.errors[0].fieldName).toBe('boosterCustomerId');
		expect((await apiClient(sandbox).patch(`/customer/${visible.boosterCustomerId}/updateConsents?contactByEmailFlag=true`)).status).toBe(401);
		expect(sandbox.state.consentUpdates.length).toBe(updates);
		expect((await patch(visible.boosterCustomerId, '?contactByEmailFlag=true', { account: 'limited' })).status).toBe(200);
		expect(sandbox.state.consentUpdates.at(-1)).toMatchObject({ boosterCustomerId: visible.boosterCustomerId, accountName: 'limited' });
	});

	it('answers 405 for another verb on the route and for PATCH on GET-only routes', async () => {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const id = car[0].boosterCustomerId;
		const get = await client.get(`/customer/${id}/updateConsents`);
		expect(get.status).toBe(405);
		expect(get.headers.allow).toBe('PATCH');
		expect((await client.put(`/customer/${id}/updateConsents`, {})).status).toBe(405);
		expect((await client.post(`/customer/${id}/updateConsents.xml`, {})).status).toBe(405);
		const patchCustomer = await client.patch(`/customer/${id}`, {});
		expect(patchCustomer.status).toBe(405);
		expect(patchCustomer.headers.allow).toBe('GET');
		expect((await client.patch('/tasks')).status).toBe(405);
	});
});

describe('canBeContactedByMaison follows the contact flags (sandbox assumption)', () => {
	async function shown(customer: SandboxCustomer) {
		const client = apiClient(sandbox, sandbox.accounts.main);
		const detail = json(await client.get(`/customer/${customer.boosterCustomerId}`));
		const detailXml = String((await client.get(`/customer/${customer.boosterCustomerId}`, { headers: { Accept: 'application/xml' } })).data);
		const slim = json(await client.get('/customer/CAR/slim', { params: { posCodes: customer.posCode, boosterCustomerIds: customer.boosterCustomerId } }));
		const slimXml = String((await client.get('/customer/CAR/slim', { params: { posCodes: customer.posCode, boosterCustomerIds: customer.boosterCustomerId }, headers: { Accept: 'application/xml' } })).data);
		const created = json(await client.post('/customer/CAR/export', { downloadRequestId: `consents-${customer.boosterCustomerId}-${Date.now()}-${Math.random()}`, posCodes: [customer.posCode], boosterCustomerIds: [customer.boosterCustomerId] }));
		const task = await waitForTask(sandbox, client, created.asyncTaskId);
		const [row] = parseCsv(String((await client.get(task.downloadUrl!)).data));
		const filtered = async (value: boolean) =>
			json(await client.get('/customer/CAR/slim', { params: { posCodes: customer.posCode, boosterCustomerIds: customer.boosterCustomerId, canBeContactedByMaison: value } })).totalResults;
		return {
			getCustomer: detail.canBeContacted,
			getCustomerXml: /<canBeContacted>(true|false)<\/canBeContacted>/.exec(detailXml)![1] === 'true',
			slim: slim.elements[0].canBeContactedByMaison,
			slimXml: /<canBeContactedByMaison>(true|false)<\/canBeContactedByMaison>/.exec(slimXml)![1] === 'true',
			csv: row.canBeContactedByMaison === 'true',
			dataset: current(customer).canBeContactedByMaison,
			filterTrue: (await filtered(true)) === 1,
			filterFalse: (await filtered(false)) === 1,
		};
	}
	const everywhere = (value: boolean) => ({ getCustomer: value, getCustomerXml: value, slim: value, slimXml: value, csv: value, dataset: value, filterTrue: value, filterFalse: !value });

	it('all five contact flags false → false everywhere; then one true → true again', async () => {
		const customer = freshCar((c) => c.canBeContactedByMaison);
		expect(await shown(customer)).toEqual(everywhere(true));
		const allOff = CONTACT_FLAGS.map((flag) => `${flag}=false`).join('&');
		expect((await patch(customer.boosterCustomerId, `?${allOff}`)).status).toBe(200);
		expect(await shown(customer)).toEqual(everywhere(false));
		expect((await patch(customer.boosterCustomerId, '?contactBySMSFlag=true')).status).toBe(200);
		expect(await shown(customer)).toEqual(everywhere(true));
	});

	it('a contact flag set true makes a non-contactable customer contactable; flags that leave one true keep it so', async () => {
		const customer = freshCar((c) => !c.canBeContactedByMaison);
		expect(await shown(customer)).toEqual(everywhere(false));
		await patch(customer.boosterCustomerId, '?contactByMailFlag=true&contactByPhoneFlag=true');
		expect(await shown(customer)).toEqual(everywhere(true));
		await patch(customer.boosterCustomerId, '?contactByMailFlag=false');
		expect(current(customer).canBeContactedByMaison).toBe(true);
		await patch(customer.boosterCustomerId, '?contactByPhoneFlag=false');
		expect(current(customer).canBeContactedByMaison).toBe(false);
	});

	it('privacyAcceptance and allowStoreDataAbroad alone leave it unchanged', async () => {
		const customer = freshCar((c) => c.canBeContactedByMaison);
		await patch(customer.boosterCustomerId, '?privacyAcceptance=false&allowStoreDataAbroad=true');
		expect(current(customer).canBeContactedByMaison).toBe(true);
		const consents: SandboxConsents = sandbox.state.consentsOf(customer.boosterCustomerId)!;
		expect(consents).toMatchObject({ privacyAcceptance: false, allowStoreDataAbroad: true });
		expect(CONTACT_FLAGS.some((flag) => consents[flag])).toBe(true);
	});

	it('an export filtered on canBeContactedByMaison sees the updated value', async () => {
		const customer = freshCar((c) => c.canBeContactedByMaison && c.posCode === carPos[0]);
		await patch(customer.boosterCustomerId, `?${CONTACT_FLAGS.map((flag) => `${flag}=false`).join('&')}`);
		const client = apiClient(sandbox, sandbox.accounts.main);
		const created = json(await client.post('/customer/CAR/export', { downloadRequestId: `consents-filter-${customer.boosterCustomerId}`, posCodes: [carPos[0]], canBeContactedByMaison: false }));
		const task = await waitForTask(sandbox, client, created.asyncTaskId);
		const exported = parseCsv(String((await client.get(task.downloadUrl!)).data)).map((row) => Number(row.boosterCustomerId));
		expect(exported).toContain(customer.boosterCustomerId);
		expect(exported.sort()).toEqual(
			[...sandbox.state.dataset.customersOfBrand('CAR')].filter((c) => c.posCode === carPos[0] && !c.canBeContactedByMaison).map((c) => c.boosterCustomerId).sort(),
		);
	});
});
