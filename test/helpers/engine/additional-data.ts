import { Container } from '@n8n/di';
import { ExternalSecretsProxy } from 'n8n-core';
import {
	UnexpectedError,
	type IDataObject,
	type INodeParameters,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
} from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentials-helper';

/** Base URL the harness pretends n8n is served from (nothing listens there). */
export const INSTANCE_BASE_URL = 'http://localhost:5678';

export interface AdditionalDataOptions {
	credentialsHelper: HarnessCredentialsHelper;
	variables: IDataObject;
	executionId?: string;
	workflowId?: string;
	workflowSettings?: IWorkflowSettings;
	currentNodeParameters?: INodeParameters;
}

/**
 * What n8n's cli `WorkflowExecuteAdditionalData.getBase()` builds, with default endpoints
 * (`rest`, `webhook`, `form`...). Sub-workflows, runners and agents are not available.
 */
export function buildAdditionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const base = INSTANCE_BASE_URL + '/';
	const unavailable = (what: string) => async () => {
		throw new UnexpectedError(`${what} is not available in the test harness`);
	};
	return {
		currentNodeExecutionIndex: 0,
		credentialsHelper: options.credentialsHelper,
		executeWorkflow: unavailable('Executing a sub-workflow'),
		restApiUrl: base + 'rest',
		instanceBaseUrl: base,
		formWaitingBaseUrl: base + 'form-waiting',
		formBaseUrl: base + 'form',
		formTestBaseUrl: base + 'form-test',
		webhookBaseUrl: base + 'webhook',
		webhookWaitingBaseUrl: base + 'webhook-waiting',
		webhookTestBaseUrl: base + 'webhook-test',
		mcpBaseUrl: base + 'mcp',
		mcpTestBaseUrl: base + 'mcp-test',
		currentNodeParameters: options.currentNodeParameters,
		executionId: options.executionId,
		workflowId: options.workflowId,
		workflowSettings: options.workflowSettings,
		variables: options.variables,
		setExecutionStatus: () => {},
		getRuntimeCredential: async () => undefined,
		getRunExecutionData: async () => undefined,
		externalSecretsProxy: Container.get(ExternalSecretsProxy),
		startRunnerTask: unavailable('The task runner'),
		logAiEvent: () => {},
	} as IWorkflowExecuteAdditionalData;
}
