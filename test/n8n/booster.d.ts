export const ROOT: string;
export const EXAMPLES_DIR: string;
export const SANDBOX_CREDENTIAL_ID: string;
export const SANDBOX_CREDENTIAL_NAME: string;
export function boosterCredentialData(options: { baseUrl: string; apiKey: string }): Record<string, unknown>;
export function sandboxApiKey(sandbox: unknown, sandboxModule?: unknown): string;
export function sandboxCredentials(sandbox: { url: string }, sandboxModule?: unknown): Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>;
export interface ExampleWorkflow {
	file: string;
	relative: string;
	hash: string;
	workflow: { id: string; name: string; nodes: Array<{ name: string; type: string; [key: string]: any }>; connections: object; [key: string]: any };
}
export function loadExampleWorkflows(dir?: string): ExampleWorkflow[];
export function hasNodeType(workflow: { nodes: Array<{ type: string }> }, type: string): boolean;
export function stableId(seed: string): string;
