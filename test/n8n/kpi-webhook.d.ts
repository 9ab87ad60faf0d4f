import type { AxiosResponse } from 'axios';

export const KPI_PATH: string;
export const KPI_NODE: string;
export interface KpiWebhookWorkflowOptions {
	id?: string;
	name?: string;
	/** The webhook's path (POST /webhook/<path>). */
	path?: string;
	webhookId?: string;
	/** Get KPI's Advanced settings, e.g. { concurrency: 8 }. */
	advanced?: Record<string, unknown>;
	/** The Get KPI node's On Error, e.g. 'continueRegularOutput'. */
	onError?: string;
}
export function kpiWebhookWorkflow(options?: KpiWebhookWorkflowOptions): {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; [key: string]: any }>;
	connections: object;
	[key: string]: any;
};
export function postKpis(mainUrl: string, path: string, boosterCustomerIds: number[], options?: { timeoutMs?: number }): Promise<AxiosResponse<any>>;
export function okKpiItems(answer: { status: number; data: any }, ids: number[]): number;
