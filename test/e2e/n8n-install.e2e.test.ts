// The package inside a real n8n (installed like a user's community package), against the sandbox.
import { useBoosterEnv, N8N_VERSION } from './env';
import { boosterCredentialData } from '../n8n/booster';

jest.setTimeout(5 * 60 * 1000);

describe(`n8n ${N8N_VERSION} with n8n-nodes-booster installed`, () => {
	const env = useBoosterEnv({ name: 'install' });

	test('n8n lists the Booster node, the Booster Trigger and the Booster credential type', async () => {
		const { n8n } = env();
		const nodeTypes = (await n8n.nodeTypes()).map((t) => t.name);
		const ours = [...new Set(nodeTypes.filter((t) => t.startsWith('n8n-nodes-booster.') || t.startsWith('CUSTOM.')))].sort();
		expect(ours).toEqual(expect.arrayContaining(['n8n-nodes-booster.booster', 'n8n-nodes-booster.boosterTrigger']));
		// loaded as a community package, never as a custom extension (`CUSTOM.*`); n8n derives
		// `boosterTool` from `usableAsTool`
		expect(ours.filter((t) => !['booster', 'boosterTrigger', 'boosterTool'].includes(t.split('.')[1]) || t.startsWith('CUSTOM.'))).toEqual([]);

		const credentialTypes = (await n8n.credentialTypes()).map((t) => t.name);
		expect(credentialTypes).toContain('boosterApi');
	});

	test('the package sits where n8n’s community-package installer puts it', async () => {
		const { installed, userFolder } = env();
		expect(installed.packageDir).toBe(`${userFolder}/.n8n/nodes/node_modules/n8n-nodes-booster`);
		expect([...installed.nodeTypes].sort()).toEqual(['n8n-nodes-booster.booster', 'n8n-nodes-booster.boosterTrigger']);
	});

	// Needs the real credential (credentials/BoosterApi.credentials.ts with a `test` request) and
	// the sandbox. The credential data mapping lives in test/n8n/booster.js (boosterCredentialData).
	test('n8n’s credential test succeeds against the sandbox and fails with a wrong API key', async () => {
		const { n8n, credentialId, sandbox } = env();
		await expect(n8n.testCredential(credentialId)).resolves.toMatchObject({ status: 'OK' });

		await n8n.importCredentials([
			{
				id: 'BoosterWrongKey1',
				name: 'Booster sandbox (wrong key)',
				type: 'boosterApi',
				data: boosterCredentialData({ baseUrl: sandbox.url, apiKey: 'bst_not_a_valid_key' }),
			},
		]);
		const wrong = await n8n.testCredential('BoosterWrongKey1');
		expect(wrong.status).toBe('Error');
	});
});
