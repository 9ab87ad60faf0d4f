import type { AxiosInstance } from 'axios';
import type { Log, N8nToolchain } from './toolchain';

export interface Owner {
	email: string;
	password: string;
	firstName?: string;
	lastName?: string;
}
export interface StartN8nOptions {
	version?: string;
	/** 'start' (default) or 'worker' (queue mode: `port` is then the worker's health-check port). */
	command?: 'start' | 'worker';
	/** Extra arguments for the command, e.g. ['--concurrency=10']. */
	args?: string[];
	userFolder: string;
	port?: number;
	env?: Record<string, string>;
	owner?: Owner;
	encryptionKey?: string;
	credentials?: object[];
	workflows?: object[];
	startTimeoutMs?: number;
	logLevel?: string;
	log?: Log;
}
export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}
export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}
export interface N8nInstance {
	version: string;
	command: 'start' | 'worker';
	url: string;
	port: number;
	userFolder: string;
	logFile: string;
	owner: Owner;
	toolchain: N8nToolchain;
	readonly pid: number | undefined;
	login(): Promise<AxiosInstance>;
	apiKey(): Promise<string>;
	publicApi(): Promise<AxiosInstance>;
	cli(args: string[], options?: { timeoutMs?: number; allowFailure?: boolean }): Promise<CliResult>;
	importCredentials(credentials: object[]): Promise<void>;
	importWorkflows(workflows: object[]): Promise<void>;
	/** Parsed `n8n execute --rawOutput` JSON: `{ data: { resultData: { runData, error?, lastNodeExecuted } }, ... }`. */
	executeWorkflow(id: string, options?: { timeoutMs?: number }): Promise<any>;
	/** A manual execution from `trigger` (any trigger node, e.g. a Schedule Trigger) through the editor's REST API; resolves with the finished execution, data included. */
	runWorkflowFrom(id: string, trigger: string, options?: { timeoutMs?: number; includeData?: boolean }): Promise<any>;
	publishWorkflow(id: string): Promise<any>;
	publishWorkflowCli(id: string): Promise<CliResult>;
	unpublishWorkflow(id: string): Promise<any>;
	listExecutions(workflowId: string, options?: { includeData?: boolean; status?: string }): Promise<any[]>;
	/** The run data of an execution as the editor reads it (REST), whatever its size. */
	getExecutionData(id: string | number): Promise<any>;
	getExecution(id: string | number, options?: { includeData?: boolean }): Promise<any>;
	testCredential(id: string): Promise<CredentialTestResult>;
	nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[]; [key: string]: any }>>;
	credentialTypes(): Promise<Array<{ name: string; displayName: string; [key: string]: any }>>;
	stop(options?: { timeoutMs?: number }): Promise<void>;
	/** Starts it again after stop(); a no-op while it runs. */
	start(): Promise<N8nInstance>;
	restart(): Promise<N8nInstance>;
	logTail(chars?: number): string;
}
export const DEFAULT_OWNER: Readonly<Required<Owner>>;
export const DEFAULT_ENCRYPTION_KEY: string;
export function startN8n(options: StartN8nOptions): Promise<N8nInstance>;
export function freePort(preferred?: number): Promise<number>;
export function isPortFree(port: number): Promise<boolean>;
export function parseJsonAfterLogs(stdout: string): any;
