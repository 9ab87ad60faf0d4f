/**
 * In-process n8n for tests: workflows run in n8n-core's WorkflowExecute, polls in its
 * PollContext, dropdowns in its LoadOptionsContext, credential tests through its RoutingNode,
 * with a credentials helper that follows n8n's cli. See test/helpers/README.md.
 */
import { randomUUID } from 'node:crypto';

import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	UnexpectedError,
	Workflow,
	type ExecutionError,
	type IBinaryData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeCredentials,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type INodePropertyOptions,
	type INodeCredentialTestResult,
	type IRun,
	type IRunData,
	type IWorkflowBase,
	type IWorkflowSettings,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { buildAdditionalData } from './engine/additional-data';
import { CredentialStore, type StoredCredential } from './engine/credential-store';
import { HarnessCredentialsTester } from './engine/credential-tester';
import { HarnessCredentialsHelper } from './engine/credentials-helper';
import { ensureEnvironment, getBinaryDataBuffer, shutdownEnvironment } from './engine/environment';
import { ITEMS_NODE_TYPE, START_NODE_TYPE } from './engine/harness-nodes';
import { CredentialTypesRegistry, NodeTypesRegistry, type AnyNodeType } from './engine/types-registry';

export { CredentialStore, type StoredCredential } from './engine/credential-store';
export { HarnessCredentialsHelper } from './engine/credentials-helper';
export { INSTANCE_BASE_URL } from './engine/additional-data';
export { HARNESS_PACKAGE, ITEMS_NODE_TYPE, START_NODE_TYPE } from './engine/harness-nodes';
export { getBinaryDataBuffer } from './engine/environment';

export const DEFAULT_PACKAGE_NAME = 'n8n-nodes-booster';
export const DEFAULT_TIMEZONE = 'Europe/Zurich';

export interface EngineOptions {
	/** Node classes, e.g. `[new Booster(), new BoosterTrigger()]`. */
	nodeTypes?: AnyNodeType[];
	/** Credential classes, e.g. `[new BoosterApi()]`. */
	credentialTypes?: ICredentialType[];
	/** Prefix of the node type names; default `n8n-nodes-booster`. */
	packageName?: string;
	/** Saved credentials the store starts with. */
	credentials?: StoredCredential[];
	/** Workflow timezone unless a run's settings say otherwise; default Europe/Zurich. */
	timezone?: string;
	/** `$vars`. */
	variables?: IDataObject;
}

/** A workflow node; `id`, `typeVersion` (latest), `position` and `parameters` may be left out. */
export type NodeInput = Omit<INode, 'id' | 'typeVersion' | 'position' | 'parameters'> &
	Partial<Pick<INode, 'id' | 'typeVersion' | 'position' | 'parameters'>>;

/** The node under test; `name` defaults to `Node Under Test`. */
export type NodeUnderTest = Omit<NodeInput, 'name'> & { name?: string };

export interface RunWorkflowOptions {
	nodes: NodeInput[];
	connections: IConnections;
	/** Default 'manual'. */
	mode?: WorkflowExecuteMode;
	/** Merged over `{ executionOrder: 'v1', timezone }`. */
	settings?: IWorkflowSettings;
	/** Workflow static data; kept by reference, so the caller sees what the run wrote. */
	staticData?: IDataObject;
	/** Saved to the store before the run. */
	credentials?: StoredCredential[];
	/** Name of the node to start from; default: n8n's choice (the trigger). */
	startNode?: string;
}

export interface WorkflowRunResult {
	run: IRun;
	runData: IRunData;
	/** Output of a node's run (default: its last run), one array per output. */
	outputOf(nodeName: string, runIndex?: number): INodeExecutionData[][] | undefined;
	errorOf(nodeName: string, runIndex?: number): ExecutionError | undefined;
	executionError: ExecutionError | undefined;
	credentials: CredentialStore;
	staticData: IDataObject;
}

export interface RunNodeOptions {
	node: NodeUnderTest;
	/** What the node receives; default one empty item. */
	inputItems?: INodeExecutionData[];
	/** Saved to the store; attached to the node by type unless `node.credentials` is set. */
	credentials?: StoredCredential[];
	mode?: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
}

export interface NodeRunResult {
	/** All outputs of the node, undefined when it did not run or failed. */
	output: INodeExecutionData[][] | undefined;
	/** First output's items (`output[0]`), `[]` when there is none. */
	items: INodeExecutionData[];
	/** The error the node failed with (not set when Continue On Fail turned it into items). */
	error: ExecutionError | undefined;
	workflow: WorkflowRunResult;
}

export interface PollOnceOptions {
	node: NodeUnderTest;
	/**
	 * Workflow static data, used by reference; the node's own part is `staticData['node:<name>']`.
	 * Keep the object across polls; restore an older copy to simulate a restart.
	 */
	staticData?: IDataObject;
	/** 'trigger' (an active workflow's poll) or 'manual' (Fetch Test Event); default 'trigger'. */
	mode?: 'trigger' | 'manual';
	/** Default 'activate' for 'trigger', 'manual' for 'manual'. */
	activation?: WorkflowActivateMode;
	credentials?: StoredCredential[];
	settings?: IWorkflowSettings;
	/** Receives what the poll starts through `this.__emit` (each call starts its own execution in n8n). */
	onEmit?: (data: INodeExecutionData[][]) => void;
}

export interface LoadOptionsOptions {
	/** Full type name, e.g. `n8n-nodes-booster.booster`. */
	nodeType: string;
	typeVersion?: number;
	methodName: string;
	/** The node's current parameters, as the editor sends them. */
	parameters?: INodeParameters;
	credentials?: StoredCredential[];
	/** Path of the parameter asking, e.g. `parameters.customer`; default `parameters`. */
	path?: string;
}

export interface ListSearchOptions extends LoadOptionsOptions {
	filter?: string;
	paginationToken?: string;
}

export interface TestCredentialOptions {
	credentialType: string;
	data: ICredentialDataDecryptedObject;
	/** The credential is saved under this id first, as the editor does; default `credential-under-test`. */
	id?: string;
	name?: string;
}

export class N8nTestEngine {
	readonly nodeTypes: NodeTypesRegistry;
	readonly credentialTypes: CredentialTypesRegistry;
	readonly credentials: CredentialStore;
	readonly credentialsHelper: HarnessCredentialsHelper;
	readonly timezone: string;
	private readonly variables: IDataObject;
	private readonly tester: HarnessCredentialsTester;
	private executionCounter = 0;

	constructor(options: EngineOptions = {}) {
		this.nodeTypes = new NodeTypesRegistry(
			options.packageName ?? DEFAULT_PACKAGE_NAME,
			options.nodeTypes ?? [],
		);
		this.credentialTypes = new CredentialTypesRegistry(options.credentialTypes ?? []);
		this.credentials = new CredentialStore(options.credentials);
		this.credentialsHelper = new HarnessCredentialsHelper(
			this.credentials,
			this.credentialTypes,
			this.nodeTypes,
		);
		this.timezone = options.timezone ?? DEFAULT_TIMEZONE;
		this.variables = options.variables ?? {};
		this.tester = new HarnessCredentialsTester(
			this.credentialTypes,
			this.nodeTypes,
			this.credentialsHelper,
			() => this.additionalData(),
		);
	}

	async runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
		await ensureEnvironment();
		this.saveCredentials(options.credentials);
		const mode = options.mode ?? 'manual';
		const nodes = options.nodes.map((node) => this.completeNode(node));
		const settings = this.settings(options.settings);
		const staticData = options.staticData ?? {};
		const workflowId = 'harness-workflow';
		const workflow = new Workflow({
			id: workflowId,
			name: 'Harness workflow',
			nodes,
			connections: options.connections,
			active: false,
			nodeTypes: this.nodeTypes,
			staticData,
			settings,
		});

		const executionId = String(++this.executionCounter);
		const additionalData = this.additionalData({ executionId, workflowId, settings });
		const workflowData: IWorkflowBase = {
			id: workflowId,
			name: workflow.name ?? '',
			active: false,
			isArchived: false,
			activeVersionId: null,
			createdAt: new Date(),
			updatedAt: new Date(),
			nodes,
			connections: options.connections,
			settings,
			staticData,
		};
		additionalData.hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);

		let startNode: INode | undefined;
		if (options.startNode !== undefined) {
			startNode = workflow.getNode(options.startNode) ?? undefined;
			if (!startNode) throw new UnexpectedError(`No node named "${options.startNode}"`);
		}
		const run = await new WorkflowExecute(additionalData, mode).run({ workflow, startNode });
		return this.result(run, toPlainData(staticData));
	}

	/** Runs `Start → Items (inputItems) → node` and returns what the node produced. */
	async runNode(options: RunNodeOptions): Promise<NodeRunResult> {
		const node = this.attachCredentials(
			{ ...options.node, name: options.node.name ?? 'Node Under Test' },
			options.credentials,
		);
		const workflow = await this.runWorkflow({
			nodes: [
				{ name: 'Start', type: START_NODE_TYPE },
				{
					name: 'Items',
					type: ITEMS_NODE_TYPE,
					parameters: { items: JSON.stringify(options.inputItems ?? [{ json: {} }]) },
				},
				node,
			],
			connections: {
				Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
				Items: { main: [[{ node: node.name, type: 'main', index: 0 }]] },
			},
			mode: options.mode,
			settings: options.settings,
			staticData: options.staticData,
			startNode: 'Start',
		});
		const output = workflow.outputOf(node.name);
		return { output, items: output?.[0] ?? [], error: workflow.errorOf(node.name), workflow };
	}

	/**
	 * One poll as an active workflow runs it: every execution it starts, whether emitted during the
	 * poll or returned at its end, oldest first.
	 */
	async pollExecutions(options: Omit<PollOnceOptions, 'onEmit'>): Promise<INodeExecutionData[][][]> {
		const executions: INodeExecutionData[][][] = [];
		const returned = await this.pollOnce({ ...options, onEmit: (data) => executions.push(data) });
		if (returned !== null) executions.push(returned);
		return executions;
	}

	/** One call of the node type's `poll()` in n8n-core's PollContext. */
	async pollOnce(options: PollOnceOptions): Promise<INodeExecutionData[][] | null> {
		await ensureEnvironment();
		const mode = options.mode ?? 'trigger';
		const node = this.completeNode(
			this.attachCredentials(
				{ ...options.node, name: options.node.name ?? 'Node Under Test' },
				options.credentials,
			),
		);
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		if (!nodeType.poll) throw new UnexpectedError(`${node.type} has no poll()`);
		const settings = this.settings(options.settings);
		const workflowId = 'harness-workflow';
		const workflow = new Workflow({
			id: workflowId,
			name: 'Harness workflow',
			nodes: [node],
			connections: {},
			active: mode === 'trigger',
			nodeTypes: this.nodeTypes,
			staticData: options.staticData ?? {},
			settings,
		});
		const additionalData = this.additionalData({ workflowId, settings });
		const context = new PollContext(
			workflow,
			node,
			additionalData,
			mode,
			options.activation ?? (mode === 'manual' ? 'manual' : 'activate'),
			(data) => options.onEmit?.(data),
			(error) => {
				throw error;
			},
		);
		await workflow.expression.acquireIsolate();
		try {
			return await nodeType.poll.call(context);
		} finally {
			await workflow.expression.releaseIsolate();
			if (options.staticData) toPlainData(options.staticData);
		}
	}

	/** Calls `methods.loadOptions[methodName]` as n8n's dynamic-node-parameters endpoint does. */
	async loadOptions(options: LoadOptionsOptions): Promise<INodePropertyOptions[]> {
		const { context, nodeType, workflow } = await this.loadOptionsContext(options);
		const method = nodeType.methods?.loadOptions?.[options.methodName];
		if (!method) {
			throw new UnexpectedError(`${options.nodeType} has no loadOptions "${options.methodName}"`);
		}
		return await workflow.expression.withIsolate(async () => await method.call(context));
	}

	/** Calls `methods.listSearch[methodName]` (resource locator search). */
	async listSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
		const { context, nodeType, workflow } = await this.loadOptionsContext(options);
		const method = nodeType.methods?.listSearch?.[options.methodName];
		if (!method) {
			throw new UnexpectedError(`${options.nodeType} has no listSearch "${options.methodName}"`);
		}
		return await workflow.expression.withIsolate(async () => {
			const result = await method.call(context, options.filter, options.paginationToken);
			const token = result?.paginationToken;
			return typeof token === 'number' ? { ...result, paginationToken: String(token) } : result;
		});
	}

	/** n8n's "Test" button / `POST /credentials/:id/test` for a credential with `data`. */
	async testCredential(options: TestCredentialOptions): Promise<INodeCredentialTestResult> {
		await ensureEnvironment();
		const credential: StoredCredential = {
			id: options.id ?? 'credential-under-test',
			name: options.name ?? 'Credential under test',
			type: options.credentialType,
			data: options.data,
		};
		this.credentials.save(credential);
		return await this.tester.testCredentials(options.credentialType, {
			...credential,
			data: { ...credential.data },
		});
	}

	/** Content of a binary property, read back from the filesystem binary data store. */
	async getBinaryDataBuffer(binaryData: IBinaryData): Promise<Buffer> {
		return await getBinaryDataBuffer(binaryData);
	}

	/** Path of a stored binary file, from its `id` (`filesystem-v2:...`). */
	binaryDataPath(binaryDataId: string): string {
		return Container.get(BinaryDataService).getPath(binaryDataId);
	}

	/** Deletes the temporary n8n folder (binary data included); call from `afterAll`. */
	async dispose(): Promise<void> {
		await shutdownEnvironment();
	}

	private async loadOptionsContext(options: LoadOptionsOptions) {
		await ensureEnvironment();
		const nodeType = this.nodeTypes.getByNameAndVersion(options.nodeType, options.typeVersion);
		const parameters = options.parameters ?? {};
		const node = this.attachCredentials<INode>(
			{
				id: 'uuid-1234',
				name: 'Temp-Node',
				type: options.nodeType,
				typeVersion: options.typeVersion ?? this.nodeTypes.latestVersion(options.nodeType),
				position: [0, 0],
				parameters,
			},
			options.credentials,
		);
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
		const additionalData = this.additionalData({ currentNodeParameters: parameters });
		const context = new LoadOptionsContext(
			workflow,
			workflow.nodes['Temp-Node'],
			additionalData,
			options.path ?? 'parameters',
		);
		return { context, nodeType, workflow };
	}

	private additionalData(
		options: {
			executionId?: string;
			workflowId?: string;
			settings?: IWorkflowSettings;
			currentNodeParameters?: INodeParameters;
		} = {},
	) {
		return buildAdditionalData({
			credentialsHelper: this.credentialsHelper,
			variables: this.variables,
			executionId: options.executionId,
			workflowId: options.workflowId,
			workflowSettings: options.settings,
			currentNodeParameters: options.currentNodeParameters,
		});
	}

	private settings(settings?: IWorkflowSettings): IWorkflowSettings {
		return { executionOrder: 'v1', timezone: this.timezone, ...settings };
	}

	private saveCredentials(credentials?: StoredCredential[]): void {
		for (const credential of credentials ?? []) this.credentials.save(credential);
	}

	/** Saves `credentials` and, unless the node names its own, attaches them by type. */
	private attachCredentials<T extends { credentials?: INodeCredentials }>(
		node: T,
		credentials?: StoredCredential[],
	): T {
		this.saveCredentials(credentials);
		if (node.credentials || !credentials?.length) return node;
		const attached: INodeCredentials = {};
		for (const { id, name, type } of credentials) attached[type] = { id, name };
		return { ...node, credentials: attached };
	}

	private completeNode(node: NodeInput): INode {
		return {
			...node,
			id: node.id ?? randomUUID(),
			typeVersion: node.typeVersion ?? this.nodeTypes.latestVersion(node.type),
			position: node.position ?? [0, 0],
			parameters: structuredClone(node.parameters ?? {}),
		};
	}

	private result(run: IRun, staticData: IDataObject): WorkflowRunResult {
		const runData = run.data.resultData.runData;
		const task = (nodeName: string, runIndex?: number) => {
			const tasks = runData[nodeName];
			return tasks?.[runIndex ?? tasks.length - 1];
		};
		return {
			run,
			runData,
			outputOf: (nodeName, runIndex) => task(nodeName, runIndex)?.data?.main as
				| INodeExecutionData[][]
				| undefined,
			errorOf: (nodeName, runIndex) => task(nodeName, runIndex)?.error,
			executionError: run.data.resultData.error,
			credentials: this.credentials,
			staticData,
		};
	}
}

/**
 * The Workflow wraps static data in change-tracking proxies and leaves them in the caller's
 * object; swap them for plain values (what n8n saves) so tests can clone and compare it.
 */
function toPlainData(staticData: IDataObject): IDataObject {
	const plain = JSON.parse(JSON.stringify(staticData)) as IDataObject;
	for (const key of Object.keys(staticData)) delete staticData[key];
	return Object.assign(staticData, plain);
}

export function createEngine(options?: EngineOptions): N8nTestEngine {
	return new N8nTestEngine(options);
}
