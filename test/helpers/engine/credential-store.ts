import {
	deepCopy,
	ICredentials,
	type ICredentialDataDecryptedObject,
	type ICredentialsEncrypted,
} from 'n8n-workflow';

/** A saved credential as n8n's credentials table holds it, with `data` in clear text. */
export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

export interface CredentialUpdate {
	id: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/**
 * In-memory stand-in for the credentials table. Reads and writes copy, so nothing a node does
 * to decrypted data reaches the store except through `updateCredentials`, as with a database.
 */
export class CredentialStore {
	private readonly rows = new Map<string, StoredCredential>();
	/** Every write made through the credentials helper, oldest first. */
	readonly updates: CredentialUpdate[] = [];

	constructor(credentials: StoredCredential[] = []) {
		for (const credential of credentials) this.save(credential);
	}

	/** Inserts or replaces a credential (what saving it in the editor does). */
	save(credential: StoredCredential): void {
		this.rows.set(credential.id, deepCopy(credential));
	}

	get(id: string): StoredCredential | undefined {
		const row = this.rows.get(id);
		return row && deepCopy(row);
	}

	all(): StoredCredential[] {
		return [...this.rows.values()].map((row) => deepCopy(row));
	}

	/** Replaces `data` of an existing credential; used by the credentials helper. */
	update(id: string, type: string, data: ICredentialDataDecryptedObject): void {
		const row = this.rows.get(id);
		if (!row || row.type !== type) {
			throw new Error(`No credential with id "${id}" and type "${type}"`);
		}
		row.data = deepCopy(data);
		this.updates.push({ id, type, data: deepCopy(data) });
	}
}

/**
 * ICredentials over a stored row. n8n's own `Credentials` class encrypts through a key provider
 * backed by its database; the store keeps clear text, so this one does not encrypt.
 */
export class StoredCredentials extends ICredentials {
	private plain: ICredentialDataDecryptedObject;

	constructor(row: StoredCredential) {
		super({ id: row.id, name: row.name }, row.type, JSON.stringify(row.data));
		this.plain = deepCopy(row.data);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return deepCopy(this.plain);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.plain = deepCopy(data);
		this.data = JSON.stringify(data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const updated = { ...this.plain, ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete updated[key];
		await this.setData(updated);
	}
}
