import { DirectoryLoader } from 'n8n-core';
import {
	injectDomainRestrictionFields,
	NodeHelpers,
	UnexpectedError,
	type ICredentialType,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
} from 'n8n-workflow';

import { harnessNodeTypes, HARNESS_PACKAGE } from './harness-nodes';

export type AnyNodeType = INodeType | IVersionedNodeType;

export interface RegisteredNode {
	/** Full type name as a workflow references it, e.g. `n8n-nodes-booster.booster`. */
	typeName: string;
	type: AnyNodeType;
}

/**
 * Node types keyed the way a real install keys them: `<package name>.<description.name>`,
 * with the same load-time treatment as n8n's DirectoryLoader (loadOptions method names,
 * the `pollTimes` parameter of polling nodes, declarative request options).
 */
export class NodeTypesRegistry implements INodeTypes {
	private readonly nodes = new Map<string, AnyNodeType>();

	constructor(packageName: string, nodeTypes: AnyNodeType[]) {
		for (const nodeType of harnessNodeTypes()) this.add(HARNESS_PACKAGE, nodeType);
		for (const nodeType of nodeTypes) this.add(packageName, nodeType);
	}

	add(packageName: string, nodeType: AnyNodeType): string {
		const typeName = `${packageName}.${nodeType.description.name}`;
		if (!this.nodes.has(typeName)) {
			for (const version of allVersions(nodeType)) prepareLikeDirectoryLoader(version);
			this.nodes.set(typeName, nodeType);
		}
		return typeName;
	}

	getByName(typeName: string): AnyNodeType {
		const nodeType = this.nodes.get(typeName);
		if (!nodeType) {
			throw new UnexpectedError(`Unrecognized node type: ${typeName}`, {
				extra: { known: [...this.nodes.keys()] },
			});
		}
		return nodeType;
	}

	getByNameAndVersion(typeName: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(typeName), version);
	}

	getKnownTypes() {
		return Object.fromEntries(
			[...this.nodes.entries()].map(([typeName, type]) => [
				typeName,
				{ className: type.constructor.name, sourcePath: '' },
			]),
		);
	}

	/** Highest version of a type, the one a new node gets in the editor. */
	latestVersion(typeName: string): number {
		const { description } = this.getByName(typeName);
		if ('defaultVersion' in description && typeof description.defaultVersion === 'number') {
			return description.defaultVersion;
		}
		const version = this.getByNameAndVersion(typeName).description.version;
		return Array.isArray(version) ? Math.max(...version) : version;
	}

	/** Full type names of the nodes declaring a credential type (n8n's `supportedNodes`). */
	nodesUsingCredential(credentialType: string): string[] {
		return [...this.nodes.entries()]
			.filter(([, type]) =>
				allVersions(type).some((version) =>
					version.description.credentials?.some(({ name }) => name === credentialType),
				),
			)
			.map(([typeName]) => typeName);
	}
}

function allVersions(nodeType: AnyNodeType): INodeType[] {
	return 'nodeVersions' in nodeType ? Object.values(nodeType.nodeVersions) : [nodeType];
}

const prepared = new WeakSet<INodeType>();

function prepareLikeDirectoryLoader(nodeType: INodeType): void {
	if (prepared.has(nodeType)) return;
	prepared.add(nodeType);
	if (nodeType.methods?.loadOptions) {
		nodeType.description.__loadOptionsMethods = Object.keys(nodeType.methods.loadOptions);
	}
	// The loader's own (private) method; it reads only `nodeType`, never the loader instance.
	const loader = DirectoryLoader.prototype as unknown as {
		applySpecialNodeParameters(nodeType: INodeType): void;
	};
	loader.applySpecialNodeParameters.call(undefined, nodeType);
}

/** Credential types as n8n's CredentialTypes service exposes them after loading. */
export class CredentialTypesRegistry {
	private readonly types = new Map<string, ICredentialType>();

	constructor(credentialTypes: ICredentialType[]) {
		for (const credentialType of credentialTypes) this.add(credentialType);
	}

	add(credentialType: ICredentialType): void {
		if (this.types.has(credentialType.name)) return;
		// LoadNodesAndCredentials.postProcessLoaders does this to every credential type.
		credentialType.properties = injectDomainRestrictionFields(credentialType);
		this.types.set(credentialType.name, credentialType);
	}

	recognizes(name: string): boolean {
		return this.types.has(name);
	}

	getByName(name: string): ICredentialType {
		const credentialType = this.types.get(name);
		if (!credentialType) {
			throw new UnexpectedError(`Unrecognized credential type: ${name}`);
		}
		return credentialType;
	}

	/** All ancestors through `extends`, in the order of n8n's CredentialTypes.getParentTypes. */
	getParentTypes(name: string): string[] {
		const parents = [...(this.types.get(name)?.extends ?? [])];
		for (const parent of parents) parents.push(...this.getParentTypes(parent));
		return parents;
	}
}
