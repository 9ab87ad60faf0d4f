export interface NodeRuntime {
	nodeBin: string;
	binDir: string;
	nodeDir: string | null;
	version: string;
}
export interface N8nToolchain {
	version: string;
	dir: string;
	n8nBin: string;
	nodeBin: string;
	node: NodeRuntime;
	env: NodeJS.ProcessEnv;
}
export type Log = (line: string) => void;
export const ROOT: string;
export const CACHE_DIR: string;
export const DEFAULT_N8N_VERSION: string;
export const COMPAT_N8N_VERSION: string;
export function ensureNode24(options?: { log?: Log }): Promise<NodeRuntime & { dir: string }>;
export function ensureN8n(version?: string, options?: { log?: Log }): Promise<N8nToolchain>;
export function requiredNodeMajor(n8nVersion: string): number;
export function requireFromN8n(toolchain: N8nToolchain, moduleName: string): any;
export function runtimeEnv(node: NodeRuntime, base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function n8nDir(version: string): string;
