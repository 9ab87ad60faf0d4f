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

export function parseCsv(text: string): Record<string, string>[] {
	const rows: string[][] = [];
	let field = '';
	let row: string[] = [];
	let quoted = false;
	for (let index = 0; index < text.length; index++) {
		const character = text[index];
		if (quoted) {
			if (character === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (character === '"') quoted = false;
			else field += character;
		} else if (character === '"') quoted = true;
		else if (character === ',') {
			row.push(field);
			field = '';
		} else if (character === '\n') {
			row.push(field.replace(/\r$/, ''));
			rows.push(row);
			row = [];
			field = '';
		} else field += character;
	}
	if (field !== '' || row.length > 0) rows.push([...row, field]);
	const [header, ...body] = rows;
	return body.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index]])));
}
