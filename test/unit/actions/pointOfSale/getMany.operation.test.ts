/**
 * Point of Sale → Get Many (nodes/Booster/actions/pointOfSale/getMany.operation.ts) through n8n's
 * engine against the sandbox (GET /security/pos): the points of sale of a brand that the account may
 * see, as the sandbox's catalogue lists them, with Return All and Limit, in JSON and XML.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SandboxPos } from '../../../sandbox';
import { type Env, boosterNode, credential, logged, startEnv } from '../../../integration/node/setup';

let env: Env;

beforeAll(async () => {
	env = await startEnv();
});
afterAll(async () => await env.stop());
beforeEach(() => env.sandbox.state.requestLog.clear());

const posNode = (parameters: IDataObject, extra = {}) =>
	boosterNode({ resource: 'pointOfSale', operation: 'getMany', brand: 'CAR', returnAll: true, limit: 50, advanced: {}, ...parameters }, extra);

/** The POS as GetPosBrand answers with it. */
const listed = ({ posCode, name, city, address, country }: SandboxPos): IDataObject => ({ posCode, name, city, address, country });
const catalogueOf = (brand: string, visible: (pos: SandboxPos) => boolean = () => true) =>
	env.sandbox.state.pointsOfSale.filter((pos) => pos.brand === brand && visible(pos)).map(listed);

const limitedCred = () => credential({ baseUrl: env.baseUrl, authentication: 'apiKey', apiKey: env.sandbox.accounts.limited.apiKey }, 'limited-key');
const posRequests = () => logged(env, (entry) => entry.path === '/security/pos');

describe('Point of Sale → Get Many', () => {
	it.each(['json', 'xml'])('Return All lists every POS of the brand, as the catalogue has them (%s)', async (requestFormat) => {
		for (const brand of ['CAR', 'VCA', 'JLC']) {
			const run = await env.engine.runNode({ node: posNode({ brand, advanced: { requestFormat } }), credentials: [env.cred] });
			expect(run.error).toBeUndefined();
			const expected = catalogueOf(brand);
			expect(expected.length).toBeGreaterThan(2);
			expect(run.items.map((item) => item.json)).toEqual(expected);
		}
		for (const entry of posRequests()) expect(entry.query).toMatchObject({ brand: expect.stringMatching(/^(CAR|VCA|JLC)$/), page: '0' });
	});

	it('the limited account sees only its own POS of the brand', async () => {
		const visible = env.sandbox.accounts.limited.posCodes!;
		const run = await env.engine.runNode({ node: posNode({ brand: 'CAR' }), credentials: [limitedCred()] });
		expect(run.error).toBeUndefined();
		const expected = catalogueOf('CAR', (pos) => visible.includes(pos.posCode));
		expect(expected.length).toBeLessThan(catalogueOf('CAR').length);
		expect(run.items.map((item) => item.json)).toEqual(expected);
	});

	it('a brand the account may not see is refused by Booster', async () => {
		const run = await env.engine.runNode({ node: posNode({ brand: 'VCA' }), credentials: [limitedCred()] });
		expect(run.error).toBeDefined();
		expect(`${run.error!.message} ${run.error!.description ?? ''}`).toMatch(/403|not authori[sz]ed|forbidden|VCA/i);
	});

	it.each([1, 2, 4])('Limit %i gives the first POS of the list, asking for no more', async (limit) => {
		const run = await env.engine.runNode({ node: posNode({ returnAll: false, limit }), credentials: [env.cred] });
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json)).toEqual(catalogueOf('CAR').slice(0, limit));
		expect(posRequests().map((entry) => [entry.query.page, entry.query.items])).toEqual([['0', String(limit)]]);
	});

	it('a Limit above the number of POS gives them all', async () => {
		const run = await env.engine.runNode({ node: posNode({ returnAll: false, limit: 500 }), credentials: [env.cred] });
		expect(run.items.map((item) => item.json)).toEqual(catalogueOf('CAR'));
	});

	it('the brand may be typed in lower case or mapped from the input item; each item gets its own list, paired', async () => {
		const run = await env.engine.runNode({
			node: posNode({ brand: '={{ $json.brand }}' }),
			inputItems: [{ json: { brand: 'iwc' } }, { json: { brand: 'MTB' } }],
			credentials: [env.cred],
		});
		expect(run.error).toBeUndefined();
		const iwc = catalogueOf('IWC');
		const mtb = catalogueOf('MTB');
		expect(run.items.map((item) => item.json)).toEqual([...iwc, ...mtb]);
		expect(run.items.map((item) => item.pairedItem)).toEqual([...iwc.map(() => ({ item: 0 })), ...mtb.map(() => ({ item: 1 }))]);
	});

	it.each([
		['an empty brand (from an expression)', '={{ "" }}'],
		['a brand with a slash', 'CA/R'],
	])('refuses %s before any request', async (_label, brand) => {
		const run = await env.engine.runNode({ node: posNode({ brand }), credentials: [env.cred] });
		expect(run.error?.message).toMatch(/Brand/);
		expect(posRequests()).toEqual([]);
	});

	it('refuses Limit 0 before any request', async () => {
		const run = await env.engine.runNode({ node: posNode({ returnAll: false, limit: 0 }), credentials: [env.cred] });
		expect(run.error?.message).toMatch(/Limit/);
		expect(posRequests()).toEqual([]);
	});
});
