// Shared set-up for e2e test files: one Booster sandbox + one real n8n (with the package installed
// as a user would) per test file.
//
//   const env = useBoosterEnv();            // at the top of a describe / file
//   test('…', async () => { await env().n8n.testCredential(env().credentialId) });
//
// Env vars:
//   BOOSTER_E2E_N8N_VERSION   n8n version (default 2.41.1; 1.123.81 for the compatibility run)
//   BOOSTER_E2E_KEEP=1        keep the user folder (database, n8n.log) after the run
//   BOOSTER_E2E_BUILD=1       always `npm run build` (default: only when dist/ is stale)
//   BOOSTER_SANDBOX_MODULE    another sandbox module with the same interface (test hook)
//   BOOSTER_PACKAGE_DIR       install another package folder (test hook)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startN8n, type N8nInstance } from '../n8n/instance';
import { installPackage, type InstalledPackage } from '../n8n/package-install';
import { DEFAULT_N8N_VERSION } from '../n8n/toolchain';
import { sandboxCredentials, SANDBOX_CREDENTIAL_ID, ROOT } from '../n8n/booster';

export interface Sandbox {
	url: string;
	port: number;
	state: any;
	accounts: any;
	stop(): Promise<void> | void;
}

export interface BoosterEnv {
	n8n: N8nInstance;
	sandbox: Sandbox;
	sandboxModule: any;
	installed: InstalledPackage;
	credentialId: string;
	userFolder: string;
	version: string;
}

export const N8N_VERSION = process.env.BOOSTER_E2E_N8N_VERSION || DEFAULT_N8N_VERSION;
const SETUP_TIMEOUT = 20 * 60 * 1000; // a fresh machine installs n8n first (~4 min here)

export async function startBoosterEnv(options: { name?: string; sandboxOptions?: object } = {}): Promise<BoosterEnv> {
	const name = (options.name || 'e2e').replace(/[^a-z0-9-]+/gi, '-');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `booster-${name}-`));
	const log = (line: string) => process.stderr.write(`[e2e:${name}] ${line}\n`);
	const installed = installPackage({
		userFolder,
		packageDir: process.env.BOOSTER_PACKAGE_DIR || ROOT,
		build: process.env.BOOSTER_E2E_BUILD ? true : 'auto',
		log,
	});
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const sandboxModule = require(process.env.BOOSTER_SANDBOX_MODULE || path.join(ROOT, 'test', 'sandbox'));
	const sandbox: Sandbox = await sandboxModule.startSandbox({ port: 0, ...(options.sandboxOptions || {}) });
	try {
		const n8n = await startN8n({
			version: N8N_VERSION,
			userFolder,
			credentials: sandboxCredentials(sandbox, sandboxModule),
			log,
		});
		return { n8n, sandbox, sandboxModule, installed, credentialId: SANDBOX_CREDENTIAL_ID, userFolder, version: N8N_VERSION };
	} catch (error) {
		await sandbox.stop();
		throw error;
	}
}

export async function stopBoosterEnv(env: BoosterEnv | undefined, { keep = false } = {}): Promise<void> {
	if (!env) return;
	await env.n8n.stop();
	await env.sandbox.stop();
	if (process.env.BOOSTER_E2E_KEEP || keep) {
		process.stderr.write(`[e2e] kept ${env.userFolder} (n8n.log inside)\n`);
	} else {
		fs.rmSync(env.userFolder, { recursive: true, force: true });
	}
}

/** beforeAll/afterAll wiring; returns an accessor for the running environment. */
export function useBoosterEnv(options: { name?: string; sandboxOptions?: object } = {}): () => BoosterEnv {
	let env: BoosterEnv | undefined;
	beforeAll(async () => {
		env = await startBoosterEnv(options);
	}, SETUP_TIMEOUT);
	afterAll(async () => {
		await stopBoosterEnv(env);
	}, 120000);
	return () => {
		if (!env) throw new Error('Booster e2e environment did not start (see beforeAll error)');
		return env;
	};
}
