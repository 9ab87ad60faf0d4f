import type { N8nInstance } from './instance';
import type { InstalledPackage } from './package-install';
import type { Log } from './toolchain';

export interface StartQueueOptions {
	/** Folder for everything (Postgres data, Redis, the n8n user folders); default .cache/queue/<name>. */
	baseDir?: string;
	/** Default 'default'. */
	name?: string;
	/** Wipe baseDir first. */
	fresh?: boolean;
	/** Number of workers (default 2). */
	workers?: number;
	/** `n8n worker --concurrency` (default 10). */
	concurrency?: number;
	version?: string;
	/** The main's port: default 5678 when free, else a free port; 0 = any free port. */
	mainPort?: number;
	/** Imported with the main's CLI before it starts (the database is shared). */
	credentials?: object[];
	workflows?: object[];
	packageDir?: string;
	build?: boolean | 'auto';
	/** Install this tarball instead of packing packageDir. */
	tarball?: string;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	encryptionKey?: string;
	/** Postgres with fsync (default true); tests pass false. */
	durable?: boolean;
	log?: Log;
}

export interface QueuePostgres {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	dir: string;
	dataDir: string;
	socketDir: string;
	logFile: string;
	query(sql: string): any[];
	stop(): Promise<void>;
}

export interface QueueRedis {
	host: string;
	port: number;
	dir: string;
	logFile: string;
	stop(): Promise<void>;
}

export interface QueueTopology {
	baseDir: string;
	version: string;
	installed: InstalledPackage;
	postgres: QueuePostgres;
	redis: QueueRedis;
	main: N8nInstance;
	workers: N8nInstance[];
	encryptionKey: string;
	/** Rows of a SQL query on n8n's database, as objects. */
	sql(query: string): any[];
	/** Stops the main, runs `whileStopped`, starts it again (same port and folder) and logs in. */
	restartMain(options?: { whileStopped?: () => Promise<unknown> | unknown }): Promise<N8nInstance>;
	/** Stops worker `index` (0-based) with SIGTERM; n8n lets its running executions finish first. */
	stopWorker(index: number, options?: { timeoutMs?: number }): Promise<void>;
	startWorker(index: number): Promise<N8nInstance>;
	/** { 'worker-1': [executionId, …], … } from the workers' logs ("Worker finished execution <id>"; `started`: "Worker started …"). */
	executionsByWorker(options?: { started?: boolean }): Record<string, string[]>;
	/** Execution ids the main put on the queue ("Enqueued execution <id>" in its log). */
	enqueuedExecutions(): string[];
	/** Where everything is (URLs, ports, folders, logs), one line each. */
	describe(): string[];
	/** Stops n8n, Redis and Postgres (in that order). */
	stop(): Promise<void>;
}

export const QUEUE_DIR: string;
export const INSTALL_HINT: string;
export function startQueue(options?: StartQueueOptions): Promise<QueueTopology>;
export function postgresBinaries(): { dir: string; postgres: string; initdb: string; pgIsReady: string; psql: string };
export function redisBinary(): string;
