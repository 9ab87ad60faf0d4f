import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

/**
 * The process-wide part of the engine: n8n-core resolves its services (InstanceSettings,
 * BinaryDataService, OutboundHttp, Logger...) from the @n8n/di container, whose configs read
 * N8N_* variables on first use. jest gives each test file its own module registry and thus its
 * own container, so one environment per test file.
 */
export interface EngineEnvironment {
	/** Temporary N8N_USER_FOLDER; binary data lives in `<folder>/binaryData`. */
	folder: string;
	binaryDataService: BinaryDataService;
}

let current: Promise<EngineEnvironment> | undefined;
let shutDownBefore = false;

export async function ensureEnvironment(): Promise<EngineEnvironment> {
	current ??= createEnvironment();
	return await current;
}

async function createEnvironment(): Promise<EngineEnvironment> {
	const folder = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
	process.env.N8N_USER_FOLDER = folder;
	process.env.N8N_ENCRYPTION_KEY ??= 'n8n-nodes-booster-test-key';
	process.env.N8N_LOG_LEVEL ??= 'silent';
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
	process.env.N8N_BINARY_DATA_STORAGE_PATH = join(folder, 'binaryData');

	// Services built for an earlier, removed folder must not be reused.
	if (shutDownBefore) Container.reset();
	const binaryDataService = Container.get(BinaryDataService);
	await binaryDataService.init();
	return { folder, binaryDataService };
}

/** Removes the temporary folder (binary data included). Call from `afterAll`. */
export async function shutdownEnvironment(): Promise<void> {
	if (!current) return;
	const { folder } = await current;
	current = undefined;
	shutDownBefore = true;
	rmSync(folder, { recursive: true, force: true });
}

/** Content of a binary property as n8n stores it (filesystem mode: read back from disk). */
export async function getBinaryDataBuffer(binaryData: IBinaryData): Promise<Buffer> {
	const { binaryDataService } = await ensureEnvironment();
	return await binaryDataService.getAsBuffer(binaryData);
}
