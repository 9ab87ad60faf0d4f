import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type ICredentialTestFunction,
	type ICredentialTestRequestData,
	type ICredentialsHelper,
	type IExecuteData,
	type INode,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type ITaskDataConnections,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentials-helper';

// n8n applies `responseSuccessBody` keys with lodash `get`; lodash ships without types here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lodashGet = require('lodash/get') as (object: unknown, path: string) => unknown;
import type { CredentialTypesRegistry, NodeTypesRegistry } from './types-registry';

/** n8n-nodes-base's No Operation node, which n8n runs credential test requests through. */
const noOpNodeType: INodeType = {
	description: {
		displayName: 'No Operation, do nothing',
		name: 'noOp',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
};

interface ErrorWithCause {
	message: string;
	cause?: { code?: string; response?: { status: number; statusText?: string } };
}

/**
 * n8n's CredentialsTester (packages/cli/src/services/credentials-tester.service.ts, 2.41.1):
 * finds the credential's test (its own `test` request, or a node's `testedBy`), resolves the
 * data like a saved credential, then runs the request through RoutingNode as a temporary
 * No Operation node and applies the `rules`. OAuth2 tests and secret redaction are left out.
 */
export class HarnessCredentialsTester {
	constructor(
		private readonly credentialTypes: CredentialTypesRegistry,
		private readonly nodeTypes: NodeTypesRegistry,
		private readonly credentialsHelper: HarnessCredentialsHelper,
		private readonly baseAdditionalData: () => IWorkflowExecuteAdditionalData,
	) {}

	async testCredentials(
		credentialType: string,
		credentialsDecrypted: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const credentialTestFunction = this.getCredentialTestFunction(credentialType);
		if (credentialTestFunction === undefined) {
			return { status: 'Error', message: 'No testing function found for this credential.' };
		}

		const baseAdditionalData = this.baseAdditionalData();
		try {
			if (credentialsDecrypted.data) {
				credentialsDecrypted.data = await this.credentialsHelper.applyDefaultsAndOverwrites(
					baseAdditionalData,
					credentialsDecrypted.data,
					credentialType,
					'internal',
				);
			}
		} catch (error) {
			return { status: 'Error', message: (error as Error).message.toString() };
		}

		if (typeof credentialTestFunction === 'function') {
			const context = new CredentialTestContext(baseAdditionalData);
			return await credentialTestFunction.call(context, credentialsDecrypted);
		}
		return await this.runRequestTest(credentialType, credentialsDecrypted, credentialTestFunction);
	}

	private getCredentialTestFunction(
		credentialType: string,
	): ICredentialTestFunction | ICredentialTestRequestData | undefined {
		const type = this.credentialTypes.getByName(credentialType);
		if (type.test) return { testRequest: type.test };

		for (const typeName of this.nodeTypes.nodesUsingCredential(credentialType)) {
			const node = this.nodeTypes.getByName(typeName);
			const versions: INodeType[] =
				'nodeVersions' in node ? Object.values(node.nodeVersions) : [node];
			for (const nodeType of versions) {
				for (const { name, testedBy } of nodeType.description.credentials ?? []) {
					if (name !== credentialType || !testedBy) continue;
					if (typeof testedBy === 'string') {
						return nodeType.methods?.credentialTest?.[testedBy];
					}
					return { nodeType, testRequest: testedBy };
				}
			}
		}
		return undefined;
	}

	private async runRequestTest(
		credentialType: string,
		credentialsDecrypted: ICredentialsDecrypted,
		credentialTestFunction: ICredentialTestRequestData,
	): Promise<INodeCredentialTestResult> {
		const nodeType = credentialTestFunction.nodeType ?? noOpNodeType;
		const { version } = nodeType.description;
		const node: INode = {
			id: 'temp',
			parameters: {},
			name: 'Temp-Node',
			type: nodeType.description.name,
			typeVersion: Array.isArray(version) ? version.slice(-1)[0] : version,
			position: [0, 0],
			credentials: {
				[credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
			},
		};
		const nodeTypeCopy: INodeType = {
			description: {
				...nodeType.description,
				credentials: [{ name: credentialType, required: true }],
				properties: [
					{
						displayName: 'Temp',
						name: 'temp',
						type: 'string',
						routing: { request: credentialTestFunction.testRequest.request },
						default: '',
					},
				],
			},
		};
		const mockNodeTypes: INodeTypes = {
			getKnownTypes: () => ({}),
			getByName: () => nodeTypeCopy,
			getByNameAndVersion: (_type, typeVersion) =>
				NodeHelpers.getVersionedNodeType(nodeTypeCopy, typeVersion),
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: mockNodeTypes,
		});

		const additionalData = this.baseAdditionalData();
		additionalData.currentNodeParameters = node.parameters;
		const stored = additionalData.credentialsHelper;
		const testData = credentialsDecrypted.data ?? {};
		// As n8n does: the request uses the data under test, not what is stored.
		additionalData.credentialsHelper = new Proxy(stored, {
			get(target, prop) {
				if (prop === 'getDecrypted') {
					return async (...args: Parameters<ICredentialsHelper['getDecrypted']>) =>
						args[5]
							? await target.getDecrypted(...args)
							: (testData as ICredentialDataDecryptedObject);
				}
				const value = Reflect.get(target, prop) as unknown;
				return typeof value === 'function' ? value.bind(target) : value;
			},
		});

		const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
		const executeData: IExecuteData = { node, data: {}, source: null };
		const executeFunctions = new ExecuteContext(
			workflow,
			node,
			additionalData,
			'internal',
			createEmptyRunExecutionData(),
			0,
			[],
			inputData,
			executeData,
			[],
		);
		const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

		let response: INodeExecutionData[][] | null | undefined;
		try {
			await workflow.expression.acquireIsolate();
			response = await routingNode.runNode();
		} catch (caught) {
			const error = caught as ErrorWithCause;
			if (error.cause?.response) {
				const statusCode = error.cause.response.status;
				for (const rule of credentialTestFunction.testRequest.rules ?? []) {
					if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
						return { status: 'Error', message: rule.properties.message };
					}
				}
				if (statusCode < 199 || statusCode > 299) {
					return {
						status: 'Error',
						message:
							error.cause.response.statusText || `Received HTTP status code: ${statusCode}`,
					};
				}
			} else if (error.cause?.code) {
				return { status: 'Error', message: error.cause.code };
			}
			return { status: 'Error', message: error.message.toString() };
		} finally {
			await workflow.expression.releaseIsolate();
		}

		for (const rule of credentialTestFunction.testRequest.rules ?? []) {
			if (rule.type === 'responseSuccessBody') {
				const responseData = response?.[0]?.[0]?.json;
				if (lodashGet(responseData, rule.properties.key) === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
		}
		return { status: 'OK', message: 'Connection successful!' };
	}
}
