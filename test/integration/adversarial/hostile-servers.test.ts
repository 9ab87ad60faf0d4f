/**
 * Hostile servers at the configured Base URL and at the file links: echoes of the credential,
 * decompression bombs, answers cut or stalled in the middle, redirects and links to other schemes
 * and hosts. Each answer must end in an error that says what happened, or in the right result,
 * and never carry a secret or send one elsewhere.
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type LocalServer, type RecordedRequest, startLocalServer } from '../../helpers/local-server';
import type { StoredCredential } from '../../helpers/n8n-engine';
import { BOOSTER, allText, credential, errorSurfaces, itemsText, newEngine } from '../reliability/env';

const engine = newEngine();
let api: LocalServer;
let files: LocalServer;
let answer: (request: RecordedRequest, response: ServerResponse) => void = () => undefined;
let serveFile: (request: RecordedRequest, response: ServerResponse) => void = () => undefined;

const TASK = '0123456789abcdef0123456789abcdef';
const API_KEY = 'bst_hostile_test_key_5678';
const PASSWORD = 'Hostile-Pa55word!';
const USER = 'anna@maison.example';
const TOKEN = 'tok_issued_by_hostile_api_1234';

beforeAll(async () => {
	api = await startLocalServer((request, response) => {
		if (request.url.endsWith('/auth/credentials')) {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ bearerToken: TOKEN, sessionId: 'session_of_hostile_api' }));
			return;
		}
		answer(request, response);
	});
	files = await startLocalServer((request, response) => serveFile(request, response));
});
afterAll(async () => {
	await files.close();
	await api.close();
	await engine.dispose();
});

const creds = (): Record<'apiKey' | 'basic' | 'login', StoredCredential> => ({
	apiKey: credential({ baseUrl: `${api.url}/api`, authentication: 'apiKey', apiKey: API_KEY, appName: 'campaign-sync' }, 'hostile-key'),
	basic: credential({ baseUrl: `${api.url}/api`, authentication: 'basic', userName: USER, password: PASSWORD }, 'hostile-basic'),
	login: credential({ baseUrl: `${api.url}/api`, authentication: 'credentials', userName: USER, password: PASSWORD }, 'hostile-login'),
});

const SECRETS = [API_KEY, PASSWORD, TOKEN, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')];

/** Get KPI with these Advanced settings. */
function kpi(advanced: INodeParameters = {}, onError?: 'continueRegularOutput') {
	return {
		type: BOOSTER,
		parameters: { resource: 'customer', operation: 'getKpi', boosterCustomerId: '1000001', advanced },
		...(onError ? { onError } : {}),
	};
}

/** Download File with these Options (where Request Timeout and Max Retries were saved before they moved to Advanced). */
function download(options: INodeParameters = {}) {
	return { type: BOOSTER, parameters: { resource: 'task', operation: 'downloadFile', asyncTaskId: TASK, options } };
}

function task(fields: IDataObject): string {
	return JSON.stringify({ asyncTaskId: TASK, type: 'crm', requestDate: '2026-12-01T08:00:00', status: 'COM', percentage: 100, brand: 'CAR', downloadUrl: null, signedDownloadUrl: null, totalResults: 1, totalSucceeded: 1, totalFailed: 0, ...fields });
}

function xmlError(message: string): string {
	return `<ErrorResponse xmlns="http://schemas.servicestack.net/types"><ResponseStatus><ErrorCode>${message}</ErrorCode><Message>${message}</Message><Errors><ResponseError><ErrorCode>Invalid</ErrorCode><FieldName>${message}</FieldName><Message>${message}</Message></ResponseError></Errors></ResponseStatus></ErrorResponse>`;
}

describe('a server that echoes the credential', () => {
	const tally = { cases: 0, leaks: 0 };
	afterAll(() => console.log(`Secret echo: ${tally.cases} cases, ${tally.leaks} leaks`));

	const cases: Array<[string, number, 'json' | 'xml']> = [];
	for (const auth of ['apiKey', 'basic', 'login']) for (const status of [400, 401, 403, 500]) for (const format of ['json', 'xml'] as const) cases.push([auth, status, format]);

	it.each(cases)('%s, HTTP %i, %s: no secret in the error or the error item', async (auth, status, format) => {
		answer = (request, response) => {
			const echoed = `Bad header: ${String(request.headers.authorization)} / ${String(request.headers['x-booster-app'])}`;
			response.writeHead(status, { 'content-type': format === 'json' ? 'application/json' : 'application/xml' });
			response.end(
				format === 'json'
					? JSON.stringify({ responseStatus: { errorCode: echoed, message: echoed, errors: [{ errorCode: echoed, fieldName: echoed, message: echoed }] } })
					: xmlError(echoed),
			);
		};
		const cred = creds()[auth as 'apiKey'];
		for (const onError of [undefined, 'continueRegularOutput' as const]) {
			const { error, items, workflow } = await engine.runNode({ node: kpi({ requestFormat: format, maxRetries: 0 }, onError), credentials: [cred] });
			const text = [errorSurfaces(error), itemsText(items), allText(workflow.run.data.resultData)].join('\n');
			tally.cases++;
			const leaked = SECRETS.filter((secret) => text.includes(secret));
			tally.leaks += leaked.length;
			expect(leaked).toEqual([]);
			expect(text).toContain('Bad header: ');
			expect(text).toContain('[redacted]');
		}
	});

	it.each(['apiKey', 'basic', 'login'])('%s: a successful answer echoing it in a field reaches the item redacted', async (auth) => {
		answer = (request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ boosterCustomerId: 1000001, totalTransaction: 1, currencyCode: String(request.headers.authorization) }));
		};
		const { items } = await engine.runNode({ node: kpi(), credentials: [creds()[auth as 'apiKey']] });
		tally.cases++;
		const leaked = SECRETS.filter((secret) => itemsText(items).includes(secret));
		tally.leaks += leaked.length;
		expect(leaked).toEqual([]);
		expect(String(items[0].json.currencyCode)).toMatch(/^(Bearer|Basic) \[redacted\]$/);
	});
	it('a secret hidden behind JSON escapes in a successful answer is redacted once parsed', async () => {
		answer = (request, response) => {
			const escaped = String(request.headers.authorization).replace(/^Bearer (.)/, (_, first: string) => `Bearer \\u${first.charCodeAt(0).toString(16).padStart(4, '0')}`);
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(`{"boosterCustomerId":1000001,"currencyCode":"${escaped}"}`);
		};
		const { items } = await engine.runNode({ node: kpi(), credentials: [creds().apiKey] });
		tally.cases++;
		const leaked = SECRETS.filter((secret) => itemsText(items).includes(secret));
		tally.leaks += leaked.length;
		expect(leaked).toEqual([]);
		expect(items[0].json.currencyCode).toBe('Bearer [redacted]');
	});
});

describe('answers that are too large, cut or stalled', () => {
	it('a gzip bomb is stopped at the answer limit, with a clear error and no retry', async () => {
		const bomb = gzipSync(Buffer.alloc(160 * 1024 * 1024, ' '));
		answer = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
			response.end(bomb);
		};
		const before = process.memoryUsage().rss;
		const hitsBefore = api.hits.length;
		const { error } = await engine.runNode({ node: { type: BOOSTER, parameters: { resource: 'task', operation: 'getMany', returnAll: true } }, credentials: [creds().apiKey] });
		const grownMb = (process.memoryUsage().rss - before) / (1024 * 1024);
		expect(error?.message).toMatch(/larger than 64 MB once decompressed/);
		expect(api.hits.length - hitsBefore).toBe(1);
		console.log(`Gzip bomb: ${(bomb.length / 1024).toFixed(0)} kB inflating to 160 MB; process grew ${grownMb.toFixed(0)} MB`);
		expect(grownMb).toBeLessThan(400);
	});

	it('a connection dropped in the middle of a body is retried, and the retry succeeds', async () => {
		let calls = 0;
		answer = (_request, response) => {
			calls++;
			const body = JSON.stringify({ boosterCustomerId: 1000001, totalTransaction: 3, currencyCode: 'CHF' });
			if (calls <= 2) {
				response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
				response.write(body.slice(0, 10));
				setTimeout(() => response.socket?.destroy(), 20);
				return;
			}
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(body);
		};
		const { items, error } = await engine.runNode({ node: kpi({ maxRetries: 2 }), credentials: [creds().apiKey] });
		expect(error).toBeUndefined();
		expect(calls).toBe(3);
		expect(items[0].json.totalTransaction).toBe(3);
	});

	it('with no retries left, a cut body says so (not "no Booster error details")', async () => {
		answer = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
			response.write('{"boosterCustomerId":');
			setTimeout(() => response.socket?.destroy(), 20);
		};
		const { error } = await engine.runNode({ node: kpi({ maxRetries: 0 }), credentials: [creds().apiKey] });
		expect(error?.message).toMatch(/answer from Booster at .* was cut off before its end/);
		expect(error?.message).not.toMatch(/no Booster error details/);
	});

	it('a body that stalls ends within the Request Timeout with a message', async () => {
		answer = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.write('{"boosterCustomerId":');
		};
		const started = Date.now();
		const { error } = await engine.runNode({ node: kpi({ maxRetries: 0, timeoutSeconds: 1 }), credentials: [creds().apiKey] });
		expect(Date.now() - started).toBeLessThan(6000);
		expect(error?.message).toMatch(/did not answer in time|broke while its answer was arriving/);
	});

	it('a file download that stalls ends with a message saying what to do', async () => {
		answer = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(task({ signedDownloadUrl: `${files.url}/files/${TASK}.csv?signature=abc` }));
		};
		serveFile = (_request, response) => {
			response.writeHead(200, { 'content-type': 'text/csv' });
			response.write('boosterCustomerId\r\n1\r\n');
		};
		// Saved in Options before they moved to Advanced: still honoured (a 60 s default would not end in 1 s).
		const { error } = await engine.runNode({ node: download({ timeoutSeconds: 1, maxRetries: 0 }), credentials: [creds().apiKey] });
		expect(error?.message).toMatch(/file of Booster task 01234567-89ab-cdef-0123-456789abcdef stopped arriving before its end \(no data for 1 s\) \[item 0\]/);
		expect(error?.description).toMatch(/Task → Download File/);
	});
});

describe('file links', () => {
	const signed = (link: string) => {
		answer = (_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(task({ signedDownloadUrl: link }));
		};
	};

	it.each([
		['plain http on another host', 'http://files.booster.example.com/x.csv', /uses http:, not https:/],
		['a data: link', 'data:text/csv,boosterCustomerId%0A1', /uses data:, not https:|not a complete address/],
		['ftp', 'ftp://files.booster.example.com/x.csv', /uses ftp:, not https:/],
		['a relative link', '/files/x.csv?signature=1', /not a complete address/],
		['a scheme-relative link', '//files.booster.example.com/x.csv', /not a complete address/],
		['a link with user info', 'https://user:secret@files.booster.example.com/x.csv', /user name or password/],
	])('%s is refused with a message, nothing is fetched', async (_, link, message) => {
		signed(link);
		const hitsBefore = files.hits.length;
		const { error } = await engine.runNode({ node: download(), credentials: [creds().apiKey] });
		expect(error?.message).toMatch(message);
		expect(error?.message).not.toContain('secret');
		expect(files.hits.length).toBe(hitsBefore);
	});

	it('an http link on loopback is fetched when the API itself is on loopback', async () => {
		signed(`${files.url}/files/${TASK}.csv?signature=abc`);
		serveFile = (_request, response) => {
			response.writeHead(200, { 'content-type': 'text/csv' });
			response.end('boosterCustomerId\r\n1\r\n');
		};
		const { error, items } = await engine.runNode({ node: download(), credentials: [creds().apiKey] });
		expect(error).toBeUndefined();
		expect(items[0].binary?.data?.mimeType).toBe('text/csv');
	});

	it('an authenticated download redirected to another host is followed with no credential and no Booster header', async () => {
		answer = (request, response) => {
			if (request.url.endsWith('/file')) {
				response.writeHead(302, { location: `${files.url}/store/${TASK}.csv?signature=xyz` });
				response.end();
				return;
			}
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(task({ downloadUrl: `${api.url}/api/tasks/${TASK}/file` }));
		};
		serveFile = (_request, response) => {
			response.writeHead(200, { 'content-type': 'text/csv' });
			response.end('boosterCustomerId\r\n1\r\n');
		};
		const hitsBefore = files.hits.length;
		for (const cred of Object.values(creds())) {
			const { error, items } = await engine.runNode({ node: download(), credentials: [cred] });
			expect(error).toBeUndefined();
			expect(items[0].binary?.data).toBeDefined();
		}
		const reached = files.hits.slice(hitsBefore);
		expect(reached).toHaveLength(3);
		for (const hit of reached) {
			expect(hit.url).toBe(`/store/${TASK}.csv?signature=xyz`);
			for (const header of ['authorization', 'cookie', 'x-booster-app']) expect(hit.headers[header]).toBeUndefined();
		}
	});

	it('a redirect loop stops with a message', async () => {
		answer = (request, response) => {
			if (request.url.includes('/file')) {
				response.writeHead(302, { location: `${api.url}/api/tasks/${TASK}/file?n=${api.hits.length}` });
				response.end();
				return;
			}
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(task({ downloadUrl: `${api.url}/api/tasks/${TASK}/file` }));
		};
		const { error } = await engine.runNode({ node: download(), credentials: [creds().apiKey] });
		expect(error?.message).toMatch(/redirected more than 5 times/);
	});
});

describe('the Base URL', () => {
	it.each([
		['user info', (url: string) => url.replace('http://', 'http://anna:Hostile-Pa55word!@')],
		['user info that does not parse', () => 'http://anna:Hostile-Pa55word!@[bad/api'],
	])('with %s is refused without echoing the password, and nothing is sent', async (_, baseUrl) => {
		const hitsBefore = api.hits.length;
		const cred = credential({ baseUrl: baseUrl(`${api.url}/api`), authentication: 'apiKey', apiKey: API_KEY });
		const { error } = await engine.runNode({ node: kpi(), credentials: [cred] });
		expect(error?.message).toMatch(/Base URL/);
		expect(errorSurfaces(error)).not.toContain(PASSWORD);
		expect(api.hits.length).toBe(hitsBefore);
	});
});
