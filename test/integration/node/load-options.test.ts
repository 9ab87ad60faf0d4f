/** The POS dropdown (loadOptions getPosCodes) of the Booster node. */
import { BOOSTER, type Env, logged, posOf, startEnv } from './setup';

let env: Env;

beforeAll(async () => {
	env = await startEnv();
});
afterAll(async () => await env.stop());

describe('loadOptions getPosCodes', () => {
	it.each(['CAR', 'VCA', 'MTB'])('returns the POS of brand %s', async (brand) => {
		const options = await env.engine.loadOptions({
			nodeType: BOOSTER,
			methodName: 'getPosCodes',
			parameters: { resource: 'customer', operation: 'export', brand },
			credentials: [env.cred],
		});
		expect(options.map((option) => option.value).sort()).toEqual(posOf(env, brand).sort());
		const first = env.sandbox.state.pointsOfSale.find((pos) => pos.posCode === options[0].value && pos.brand === brand)!;
		expect(options[0].name).toContain(first.posCode);
	});

	it('returns nothing without a brand, without calling the API', async () => {
		env.sandbox.state.requestLog.clear();
		const options = await env.engine.loadOptions({
			nodeType: BOOSTER,
			methodName: 'getPosCodes',
			parameters: { resource: 'customer', operation: 'export', brand: '' },
			credentials: [env.cred],
		});
		expect(options).toEqual([]);
		expect(logged(env)).toEqual([]);
	});
});
