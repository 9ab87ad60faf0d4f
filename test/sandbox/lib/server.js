'use strict';

const http = require('node:http');
const { ROUTES } = require('./routes');
const { writeJson, writeXml } = require('./datacontract');
const { ApiError, errorResponseBody } = require('./errors');
const { updateConfig } = require('./config');

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const CONTENT_TYPES = { json: 'application/json; charset=utf-8', xml: 'application/xml' };

const compiledRoutes = ROUTES.map((route) => ({ ...route, segments: route.path.split('/').filter(Boolean) })).sort(
	(a, b) => b.segments.filter((segment) => !segment.startsWith('{')).length - a.segments.filter((segment) => !segment.startsWith('{')).length,
);

function matchRoute(pathname, method) {
	const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
	const candidates = [];
	for (const route of compiledRoutes) {
		let pathSegments = segments;
		let suffixFormat = null;
		const last = segments[segments.length - 1] || '';
		const suffix = /\.(json|xml)$/i.exec(last);
		if (suffix && !route.noFormatSuffix) {
			suffixFormat = suffix[1].toLowerCase();
			pathSegments = [...segments.slice(0, -1), last.slice(0, -suffix[0].length)];
		}
		if (pathSegments.length !== route.segments.length) continue;
		const params = {};
		const matches = route.segments.every((segment, index) => {
			if (segment.startsWith('{')) {
				params[segment.slice(1, -1)] = pathSegments[index];
				return pathSegments[index] !== '';
			}
			return segment.toLowerCase() === pathSegments[index].toLowerCase();
		});
		if (matches) candidates.push({ route, params, suffixFormat });
	}
	const found = candidates.find((candidate) => candidate.route.method === method);
	if (found) return found;
	if (candidates.length > 0) return { methodNotAllowed: true, suffixFormat: candidates[0].suffixFormat, allowed: [...new Set(candidates.map((candidate) => candidate.route.method))] };
	return null;
}

function responseFormat(suffixFormat, searchParams, acceptHeader) {
	if (suffixFormat) return suffixFormat;
	const requested = (searchParams.get('format') || '').toLowerCase();
	if (requested === 'xml' || requested === 'json') return requested;
	for (const part of (acceptHeader || '').split(',')) {
		const type = part.split(';')[0].trim().toLowerCase();
		if (type === 'application/xml' || type === 'text/xml') return 'xml';
		if (type === 'application/json' || type.endsWith('+json')) return 'json';
	}
	return 'json';
}

function sendDto(response, status, format, contractName, body, headers = {}) {
	const text = format === 'xml' ? writeXml(contractName, body) : writeJson(contractName, body);
	response.writeHead(status, { 'Content-Type': CONTENT_TYPES[format], ...headers });
	response.end(text);
}

function sendError(response, format, error) {
	const text = format === 'xml' ? writeXml('ErrorResponse', errorResponseBody(error)) : JSON.stringify(errorResponseBody(error));
	response.writeHead(error.status, { 'Content-Type': CONTENT_TYPES[format], ...error.headers });
	response.end(text);
}

function readBody(request) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		request.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new ApiError(413, 'RequestEntityTooLarge', 'Request body is too large'));
				request.destroy();
				return;
			}
			chunks.push(chunk);
		});
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function sendControlJson(response, status, value) {
	response.writeHead(status, { 'Content-Type': CONTENT_TYPES.json });
	response.end(JSON.stringify(value));
}

/** `/__sandbox/*`: no auth, not logged, no faults. */
async function handleControl(request, response, url, context) {
	const route = `${request.method} ${url.pathname.replace(/\/$/, '')}`;
	const body = ['PUT', 'POST'].includes(request.method) ? await readBody(request) : '';
	const json = () => (body.trim() === '' ? {} : JSON.parse(body));
	try {
		switch (route) {
			case 'GET /__sandbox/config':
				return sendControlJson(response, 200, context.config);
			case 'PUT /__sandbox/config':
				context.setConfig(json());
				return sendControlJson(response, 200, context.config);
			case 'GET /__sandbox/counters':
				return sendControlJson(response, 200, context.counters.snapshot());
			case 'DELETE /__sandbox/counters':
				context.counters.reset();
				return sendControlJson(response, 200, context.counters.snapshot());
			case 'GET /__sandbox/requests':
				return sendControlJson(response, 200, context.requestLog.entries);
			case 'DELETE /__sandbox/requests':
				context.requestLog.clear();
				return sendControlJson(response, 200, []);
			case 'GET /__sandbox/leaks':
				return sendControlJson(response, 200, context.requestLog.leaks);
			case 'POST /__sandbox/fail-next-exports': {
				const count = json().count ?? 1;
				if (!Number.isInteger(count) || count < 0) return sendControlJson(response, 400, { error: 'count must be a non-negative integer' });
				return sendControlJson(response, 200, { pendingFailures: context.exports.failNextExports(count) });
			}
			case 'POST /__sandbox/customers': {
				const { count, brand, posCode, creationDate } = json();
				const boosterCustomerIds = context.dataset.addCustomers(count ?? 1, { brand, posCode, creationDate }, context.now());
				return sendControlJson(response, 200, { boosterCustomerIds });
			}
			case 'GET /__sandbox/consent-updates':
				return sendControlJson(response, 200, context.dataset.consentUpdates);
			case 'POST /__sandbox/clock': {
				const advanceMs = json().advanceMs;
				if (!Number.isFinite(advanceMs)) return sendControlJson(response, 400, { error: 'advanceMs must be a number' });
				context.advanceClock(advanceMs);
				return sendControlJson(response, 200, { now: new Date(context.now()).toISOString() });
			}
			default:
				return sendControlJson(response, 404, { error: `No sandbox control endpoint ${route}` });
		}
	} catch (error) {
		return sendControlJson(response, 400, { error: error.message });
	}
}

function createHttpServer(context) {
	const { config, counters, requestLog, faults } = context;

	async function handleApi(request, response, url) {
		const entry = requestLog.start(request, { path: url.pathname, query: Object.fromEntries(url.searchParams) });
		counters.total++;
		counters.inFlight++;
		counters.maxInFlightObserved = Math.max(counters.maxInFlightObserved, counters.inFlight);
		const match = matchRoute(url.pathname, request.method);
		const routeName = match && match.route ? `${match.route.method} ${match.route.path}` : match ? 'method not allowed' : 'unmatched';
		entry.route = routeName;
		counters.byRoute[routeName] = (counters.byRoute[routeName] || 0) + 1;
		let finished = false;
		const finish = (status) => {
			if (finished) return;
			finished = true;
			counters.inFlight--;
			entry.status = status;
			counters.byStatus[status] = (counters.byStatus[status] || 0) + 1;
		};
		response.on('finish', () => finish(response.statusCode));
		// A client that reads the whole answer may close the connection before 'finish' is emitted:
		// the answer was complete once every byte of it has been handed to the socket.
		const complete = () => response.writableFinished || (response.writableEnded && response.writableLength === 0);
		response.on('close', () => finish(complete() ? response.statusCode : 'reset'));

		const format = responseFormat(match && match.suffixFormat, url.searchParams, request.headers.accept);
		try {
			if (match && match.route && match.route.signedUrl && (request.headers.authorization || request.headers.cookie || request.headers['x-ss-id'])) {
				requestLog.recordLeak(entry, request);
			}
			const bodyText = await readBody(request);
			requestLog.setBody(entry, bodyText);
			if (config.maxInFlight > 0 && counters.inFlight > config.maxInFlight) {
				counters.faults.maxInFlight429++;
				throw new ApiError(429, 'TooManyRequests', `Too many requests in flight (limit ${config.maxInFlight})`, [], { 'Retry-After': String(config.retryAfterSeconds) });
			}
			if (config.latencyMs > 0) await delay(config.latencyMs);
			const fault = faults.draw(request.method, url.pathname);
			if (fault === 'reset') {
				counters.faults.reset++;
				request.socket.destroy();
				return;
			}
			if (fault === 429) {
				counters.faults[429]++;
				throw new ApiError(429, 'TooManyRequests', 'Too many requests (injected by the sandbox)', [], { 'Retry-After': String(config.retryAfterSeconds) });
			}
			if (fault === 500) {
				counters.faults[500]++;
				throw new ApiError(500, 'Exception', 'Internal server error (injected by the sandbox)');
			}
			if (fault === 503) {
				counters.faults[503]++;
				throw new ApiError(503, 'ServiceUnavailable', 'Service unavailable (injected by the sandbox)', [], { 'Retry-After': String(config.retryAfterSeconds) });
			}
			if (!match) throw new ApiError(404, 'NotFound', `Handler for Request not found: ${request.method} ${url.pathname}`);
			if (match.methodNotAllowed) {
				throw new ApiError(405, 'NotImplementedException', `Could not find method named ${request.method} for ${url.pathname}`, [], { Allow: match.allowed.join(', ') });
			}
			const apiRequest = {
				method: request.method,
				headers: request.headers,
				pathname: url.pathname,
				searchParams: url.searchParams,
				params: match.params,
				bodyText,
				baseUrl: request.headers.host ? `http://${request.headers.host}` : context.url(),
				account: null,
				sessionId: null,
			};
			if (match.route.auth !== false) {
				const { account, sessionId } = context.auth.authenticate(request.headers);
				apiRequest.account = account;
				apiRequest.sessionId = sessionId || null;
			}
			const result = await match.route.handler(apiRequest, context, response);
			if (result) sendDto(response, 200, format, result.contract, result.body);
		} catch (error) {
			if (response.headersSent) {
				response.destroy(error);
				return;
			}
			const apiError = error instanceof ApiError ? error : new ApiError(500, error.name || 'Exception', error.message);
			sendError(response, format, apiError);
		}
	}

	return http.createServer((request, response) => {
		const url = new URL(request.url, 'http://sandbox.invalid');
		if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
			handleControl(request, response, url, context).catch((error) => sendControlJson(response, 500, { error: error.message }));
			return;
		}
		handleApi(request, response, url);
	});
}

module.exports = { createHttpServer, matchRoute, responseFormat, updateConfig };
