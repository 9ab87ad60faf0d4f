'use strict';

const crypto = require('node:crypto');
const { unauthorized, tokenError } = require('./errors');

const base64Url = (buffer) => Buffer.from(buffer).toString('base64url');

function parseCookies(header) {
	const cookies = {};
	for (const part of (header || '').split(';')) {
		const index = part.indexOf('=');
		if (index > 0) cookies[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
	}
	return cookies;
}

/**
 * The three ServiceStack ways in: `Authorization: Bearer <apiKey | JWT from /auth/credentials>`,
 * a session id (`X-ss-id` header or `ss-id` cookie) from /auth/credentials, and HTTP Basic
 * (user name + password, or the API key as user name with an empty password).
 */
function createAuthenticator({ accounts, now, config }) {
	const secret = crypto.randomBytes(32);
	const sessions = new Map();
	const accountList = Object.values(accounts);
	const userIdOf = (account) => String(accountList.indexOf(account) + 1);

	function issueJwt(account, sessionId) {
		const issuedAt = Math.floor(now() / 1000);
		const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
		const payload = base64Url(
			JSON.stringify({ iss: 'booster-sandbox', sub: userIdOf(account), sid: sessionId, name: account.displayName, preferred_username: account.userName, iat: issuedAt, exp: issuedAt + config.tokenTtlSeconds }),
		);
		const signature = base64Url(crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest());
		return `${header}.${payload}.${signature}`;
	}

	function verifyJwt(token) {
		const [header, payload, signature] = token.split('.');
		const expected = base64Url(crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest());
		if (signature.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) throw tokenError('Invalid Signature');
		let claims;
		try {
			claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		} catch {
			throw tokenError('Invalid token');
		}
		if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now()) throw tokenError('Token has expired');
		const account = accountList.find((candidate) => userIdOf(candidate) === claims.sub);
		if (!account) throw tokenError('Invalid token');
		return account;
	}

	function signIn(userName, password, rememberMe) {
		const account = accountList.find((candidate) => candidate.userName.toLowerCase() === String(userName || '').toLowerCase() && candidate.password === password);
		if (!account) throw unauthorized('Invalid UserName or Password');
		const sessionId = crypto.randomBytes(15).toString('base64url');
		sessions.set(sessionId, { account, expiresAt: now() + config.tokenTtlSeconds * 1000, rememberMe: Boolean(rememberMe) });
		return { account, sessionId, bearerToken: issueJwt(account, sessionId) };
	}

	/** Returns `{ account, sessionId? }` or throws a 401 ApiError. */
	function authenticate(headers) {
		const authorization = headers.authorization;
		if (authorization) {
			const [scheme, ...rest] = authorization.trim().split(/\s+/);
			const credential = rest.join(' ');
			if (/^bearer$/i.test(scheme)) {
				if (credential.split('.').length === 3) return { account: verifyJwt(credential) };
				const account = accountList.find((candidate) => candidate.apiKey === credential);
				if (!account) throw unauthorized('Invalid API Key');
				return { account };
			}
			if (/^basic$/i.test(scheme)) {
				const decoded = Buffer.from(credential, 'base64').toString('utf8');
				const separator = decoded.indexOf(':');
				const user = separator < 0 ? decoded : decoded.slice(0, separator);
				const password = separator < 0 ? '' : decoded.slice(separator + 1);
				const byKey = password === '' && accountList.find((candidate) => candidate.apiKey === user);
				if (byKey) return { account: byKey };
				const account = accountList.find((candidate) => candidate.userName.toLowerCase() === user.toLowerCase() && candidate.password === password);
				if (!account) throw unauthorized('Invalid UserName or Password');
				return { account };
			}
			throw unauthorized(`Unsupported Authorization scheme '${scheme}'`);
		}
		const sessionId = headers['x-ss-id'] || parseCookies(headers.cookie)['ss-id'];
		if (sessionId) {
			const session = sessions.get(sessionId);
			if (!session || session.expiresAt <= now()) throw unauthorized('Session has expired or is invalid');
			return { account: session.account, sessionId };
		}
		throw unauthorized('Not Authenticated');
	}

	function authenticateResponse(account, { sessionId, bearerToken } = {}) {
		return {
			userId: userIdOf(account),
			sessionId: sessionId || null,
			userName: account.userName,
			displayName: account.displayName,
			bearerToken: bearerToken || null,
			profileUrl: `https://sandbox.booster/avatars/${account.name}.png`,
			roles: [],
			permissions: [],
		};
	}

	return { authenticate, signIn, authenticateResponse, sessions };
}

module.exports = { createAuthenticator, parseCookies };
