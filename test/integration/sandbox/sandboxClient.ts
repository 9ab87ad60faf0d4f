import axios, { AxiosInstance } from 'axios';
import type { RunningSandbox, SandboxAccount, SandboxTaskView } from '../../sandbox';

export const CRM_NS = 'http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.CRM.ServiceModel';
export const ARRAYS_NS = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';

/** An axios client that never throws on HTTP status, authenticated with the account's API key. */
export function apiClient(sandbox: RunningSandbox, account?: SandboxAccount, headers: Record<string, string> = {}): AxiosInstance {
	return axios.create({
		baseURL: sandbox.url,
		validateStatus: () => true,
		transformResponse: (data) => data,
		headers: { ...(account ? { Authorization: `Bearer ${account.apiKey}` } : {}), ...headers },
	});
}

export function json<T = any>(response: { data: unknown }): T {
	return JSON.parse(String(response.data)) as T;
}

/** Polls a task (advancing the sandbox clock past its duration) until it is COM or ERR. */
export async function waitForTask(sandbox: RunningSandbox, client: AxiosInstance, asyncTaskId: string): Promise<SandboxTaskView> {
	sandbox.state.advanceClock(sandbox.state.config.exportDurationMs + 1);
	for (;;) {
		const task = json<SandboxTaskView>(await client.get(`/tasks/${asyncTaskId}`));
		if (task.status === 'COM' || task.status === 'ERR') return task;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

export { parseCsv } from '../../helpers/csv';
