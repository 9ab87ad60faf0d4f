import {
	type ICredentialsDecrypted,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { boosterBaseUrl } from '../../../credentials/BoosterApi.credentials';
import { itemSuffix } from './errors';
import { secretsOf } from './secrets';

export type BoosterFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export const CREDENTIAL_TYPE = 'boosterApi';

/**
 * What the requests of one node run share: the decrypted credential (n8n renews an expired token
 * in it, so later requests send the new one), and whether Booster has accepted or refused it.
 * Until the credential has been accepted once, requests go one at a time; once Booster refuses
 * it, the run sends nothing more with it, so a wrong password costs one attempt, not one per item.
 */
export interface RunCredentials {
	base: URL;
	decrypted: ICredentialsDecrypted;
	accepted: boolean;
	refusal?: { message: string; description: string; httpCode: string };
	firstRequest?: Promise<void>;
}

const credentialsOfRun = new WeakMap<object, Promise<RunCredentials>>();

async function loadCredentials(context: BoosterFunctions, itemIndex?: number): Promise<RunCredentials> {
	const node = context.getNode();
	const data = await context.getCredentials(CREDENTIAL_TYPE, itemIndex ?? 0);
	let base: URL;
	try {
		base = boosterBaseUrl(data);
	} catch (error) {
		throw new NodeOperationError(node, (error as Error).message, { itemIndex });
	}
	const reference = node.credentials?.[CREDENTIAL_TYPE];
	return { base, accepted: false, decrypted: { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data } };
}

export async function credentialsOf(context: BoosterFunctions, itemIndex?: number): Promise<RunCredentials> {
	let loading = credentialsOfRun.get(context);
	if (!loading) {
		loading = loadCredentials(context, itemIndex);
		credentialsOfRun.set(context, loading);
		loading.catch(() => credentialsOfRun.delete(context));
	}
	return await loading;
}

/** The secrets to keep out of anything shown: read each time, since a sign-in replaces the token. */
export function secretsOfRun(run: RunCredentials): string[] {
	return secretsOf(run.decrypted.data ?? {});
}

function refusedError(context: BoosterFunctions, run: RunCredentials, itemIndex?: number): NodeApiError {
	const refusal = run.refusal!;
	return new NodeApiError(context.getNode(), { message: refusal.message, httpCode: refusal.httpCode }, {
		message: `${refusal.message}${itemSuffix(itemIndex)}`,
		description: `${refusal.description}\nNo further request of this run was sent with the refused credential.`,
		httpCode: refusal.httpCode,
		itemIndex,
	});
}

/**
 * Waits until this request may go: at once when the credential has been accepted, otherwise after
 * the request that is trying it. Returns the function that reports how that try ended.
 */
export type TryOutcome = 'accepted' | 'unknown' | { refused: Error };

export async function admit(context: BoosterFunctions, run: RunCredentials, itemIndex?: number): Promise<(outcome: TryOutcome) => void> {
	for (;;) {
		if (run.refusal) throw refusedError(context, run, itemIndex);
		if (run.accepted || !run.firstRequest) break;
		await run.firstRequest;
	}
	let settle: (() => void) | undefined;
	if (!run.accepted) run.firstRequest = new Promise<void>((resolve) => (settle = resolve));
	return (outcome: TryOutcome) => {
		if (outcome === 'accepted') run.accepted = true;
		else if (outcome !== 'unknown') run.refusal ??= refusalOf(outcome.refused);
		if (settle) {
			run.firstRequest = undefined;
			settle();
		}
	};
}

function refusalOf(error: Error): RunCredentials['refusal'] {
	const { message, description, httpCode } = error as Error & { description?: string | null; httpCode?: string | null };
	return { message: message.replace(/ \[item \d+\]$/, ''), description: description ?? '', httpCode: httpCode ?? '401' };
}
