import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/** The credential type's name, as nodes name it in their `credentials`. */
export const BOOSTER_CREDENTIAL = 'boosterApi';

export const BOOSTER_DEFAULT_BASE_URL = 'https://dev-api-booster.richemont.com';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Longest wait for Booster to answer a sign-in; a request's own Request Timeout may end it sooner. */
export const SIGN_IN_TIMEOUT_MS = 60_000;

export function isLoopbackHost(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname);
}

/**
 * What the user typed, with everything up to the last "@" hidden: a password may itself hold "@"
 * or "/", and in an address that does not parse there is no telling where it ends.
 */
function withoutUserInfo(raw: string): string {
	return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, '$1***@');
}

/**
 * The credential's base URL without trailing slashes. Plain http is refused unless the host is
 * loopback, so a token can never cross the network unencrypted; a user name or password in the
 * address is refused, since it would be sent instead of the credential.
 */
export function boosterBaseUrl(credentials: ICredentialDataDecryptedObject): URL {
	const raw = String(credentials.baseUrl ?? '').trim();
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new Error(
			`The Booster credential's Base URL "${withoutUserInfo(raw)}" is not a URL. Enter one such as ${BOOSTER_DEFAULT_BASE_URL}.`,
		);
	}
	if (url.username !== '' || url.password !== '') {
		throw new Error(
			`The Booster credential's Base URL must not contain a user name or password (${url.protocol}//***@${url.host}). Remove the part before "@" and enter them in the Authentication fields.`,
		);
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
		throw new Error(
			`The Booster credential's Base URL "${url.origin === 'null' ? withoutUserInfo(raw) : url.origin}" must use https:// (plain http:// is only allowed for localhost).`,
		);
	}
	url.pathname = url.pathname.replace(/\/+$/, '');
	url.search = '';
	url.hash = '';
	return url;
}

/** The API's address without a trailing slash, so that routes ("/tasks") append cleanly. */
export function apiRoot(base: URL): string {
	return base.href.replace(/\/+$/, '');
}

/**
 * Sign-ins under way, by API, user, password and the token they replace: requests of the same
 * credential that find the same token expired at the same moment share one sign-in. A credential
 * with another password never shares it, so it cannot borrow a token it did not earn.
 */
const signInsUnderWay = new Map<string, Promise<IDataObject>>();

function signInKey(credentials: ICredentialDataDecryptedObject): string {
	const secret = createHash('sha256').update(String(credentials.password ?? ''), 'utf8').digest('hex');
	return [boosterBaseUrl(credentials).href, credentials.userName, secret, credentials.accessToken ?? ''].join('\n');
}

/** The name of the error a refused sign-in throws, by which the node's transport recognises it. */
export const SIGN_IN_REFUSED = 'BoosterSignInRefused';

function signInRefused(): Error {
	const error = new Error('Booster refused the user name or password. Check both in the Booster credential.');
	error.name = SIGN_IN_REFUSED;
	return error;
}

async function signInToBooster(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
	const base = boosterBaseUrl(credentials);
	const response = (await this.helpers.httpRequest({
		method: 'POST',
		url: `${apiRoot(base)}/auth/credentials`,
		headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		body: { userName: credentials.userName, password: credentials.password, rememberMe: true },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: SIGN_IN_TIMEOUT_MS,
	})) as { statusCode: number; body: IDataObject | string };
	const body = typeof response.body === 'object' && response.body !== null ? response.body : {};
	if (response.statusCode === 401 || response.statusCode === 403) {
		throw signInRefused();
	}
	const token = body.bearerToken;
	if (response.statusCode >= 300 || typeof token !== 'string' || token === '') {
		throw new Error(
			`Booster did not return a token from ${base.origin}/auth/credentials (HTTP ${response.statusCode}). Check the Base URL.`,
		);
	}
	return { accessToken: token };
}

function isForBooster(requestOptions: IHttpRequestOptions, base: URL): boolean {
	try {
		const target = new URL(requestOptions.url, requestOptions.baseURL ?? base.href);
		return target.origin === base.origin;
	} catch {
		return false;
	}
}

export class BoosterApi implements ICredentialType {
	name = BOOSTER_CREDENTIAL;

	displayName = 'Booster API';

	icon: Icon = { light: 'file:booster.svg', dark: 'file:booster.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-booster/n8n-nodes-booster#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: BOOSTER_DEFAULT_BASE_URL,
			required: true,
			placeholder: BOOSTER_DEFAULT_BASE_URL,
			description: 'Address of the Booster 2 Public API. Must start with https:// (http:// only for localhost).',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'API Key', value: 'apiKey', description: 'A Booster API key, sent as a bearer token' },
				{
					name: 'User Name and Password',
					value: 'credentials',
					description: 'Sign in to Booster; n8n fetches a token and renews it when it expires',
				},
				{ name: 'Basic Auth', value: 'basic', description: 'User name and password sent with every request' },
			],
			default: 'apiKey',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['apiKey'] } },
		},
		{
			displayName: 'User Name',
			name: 'userName',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['credentials', 'basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['credentials', 'basic'] } },
		},
		{
			displayName: 'Application Name',
			name: 'appName',
			type: 'string',
			default: '',
			description: 'Optional name of the calling application, sent as the x-booster-App header',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		if (credentials.authentication !== 'credentials') return {};
		const key = signInKey(credentials);
		let signIn = signInsUnderWay.get(key);
		if (!signIn) {
			signIn = signInToBooster.call(this, credentials).finally(() => signInsUnderWay.delete(key));
			signInsUnderWay.set(key, signIn);
		}
		return await signIn;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const base = boosterBaseUrl(credentials);
		if (!isForBooster(requestOptions, base)) return requestOptions;
		const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
		if (credentials.authentication === 'basic') {
			const pair = `${String(credentials.userName)}:${String(credentials.password)}`;
			headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
		} else {
			const token = credentials.authentication === 'credentials' ? credentials.accessToken : credentials.apiKey;
			headers.Authorization = `Bearer ${String(token ?? '')}`;
		}
		if (typeof credentials.appName === 'string' && credentials.appName.trim() !== '') {
			headers['x-booster-App'] = credentials.appName.trim();
		}
		return {
			...requestOptions,
			headers,
			sendCredentialsOnCrossOriginRedirect: false,
			allowedDomains: base.hostname,
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/tasks',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Booster refused the credential: the API key, user name or password is wrong or has expired.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The credential is valid but this Booster account has no access to the API.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No Booster API answers at this Base URL. Check the address, such as https://dev-api-booster.richemont.com.',
				},
			},
		],
	};
}
