'use strict';

const fs = require('node:fs');
const { fromQuery, fromJson, readXml } = require('./datacontract');
const { parseGuid, ValueError } = require('./values');
const { ApiError, validationError, notEmpty, serializationError, forbidden, notFound } = require('./errors');
const { computeKpi, CONSENT_FLAGS } = require('./dataset');
const { buildCustomerFilter } = require('./filters');
const catalog = require('./catalog');

const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 10;

/** Decodes a request body by Content-Type: JSON, DataContract XML, or a url-encoded form. */
function decodeBody(request, contractName, context) {
	const text = request.bodyText;
	if (text.trim() === '') return {};
	const contentType = (request.headers['content-type'] || 'application/json').toLowerCase();
	if (contentType.includes('xml')) return readXml(contractName, text, { strict: context.config.strictXml });
	if (contentType.includes('json') || contentType.includes('jsv') || contentType.startsWith('text/plain')) {
		let parsed;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			throw serializationError(contractName, null, `malformed JSON: ${error.message}`);
		}
		return fromJson(contractName, parsed);
	}
	if (contentType.includes('x-www-form-urlencoded')) return fromQuery(contractName, new URLSearchParams(text));
	throw new ApiError(415, 'NotSupportedException', `Content-Type '${contentType}' is not supported`);
}

function requireVisibleBrand(account, brand) {
	if (!catalog.canSeeBrand(account, brand)) throw forbidden(`User '${account.userName}' is not authorized for brand '${brand}'`);
}

function requireVisiblePosCodes(account, brand, posCodes) {
	for (const posCode of posCodes) {
		const pos = catalog.POINTS_OF_SALE.find((candidate) => candidate.posCode.toLowerCase() === String(posCode).toLowerCase());
		if (!pos || pos.brand !== brand || !catalog.canSeePos(account, pos)) {
			throw forbidden(`User '${account.userName}' is not authorized for POS '${posCode}' of brand '${brand}'`);
		}
	}
}

function requireVisibleCustomer(account, customer) {
	const pos = catalog.POINTS_OF_SALE.find((candidate) => candidate.posCode === customer.posCode);
	if (!catalog.canSeeBrand(account, customer.brand)) throw forbidden(`User '${account.userName}' is not authorized for brand '${customer.brand}'`);
	if (!catalog.canSeePos(account, pos)) throw forbidden(`User '${account.userName}' is not authorized for POS '${customer.posCode}' of brand '${customer.brand}'`);
}

function validateSearch(search, extraFailures = []) {
	const failures = [];
	if (!search.brand) failures.push(notEmpty('brand'));
	if (!Array.isArray(search.posCodes) || search.posCodes.filter((code) => code && String(code).trim()).length === 0) failures.push(notEmpty('posCodes'));
	for (const month of search.birthdateMonths || []) {
		if (month < 1 || month > 12) {
			failures.push({ errorCode: 'InclusiveBetween', fieldName: 'birthdateMonths', message: `'Birthdate Months' must be between 1 and 12. You entered ${month}.` });
			break;
		}
	}
	failures.push(...extraFailures);
	if (failures.length > 0) throw validationError(failures);
}

function pathInt(contractName, fieldName, text) {
	if (!/^-?\d+$/.test(text)) throw serializationError(contractName, fieldName, `'${text}' is not a valid Int32 for '${fieldName}'`);
	return Number(text);
}

function findCustomer(context, id) {
	const customer = context.dataset.customerById(id);
	if (!customer) throw notFound(`Customer ${id} not found`);
	return customer;
}

function paging(query, failures) {
	const page = query.page === undefined || query.page === null ? 0 : query.page;
	const items = query.items === undefined || query.items === null || query.items === 0 ? DEFAULT_PAGE_SIZE : query.items;
	if (page < 0) failures.push({ errorCode: 'GreaterThanOrEqual', fieldName: 'page', message: `'Page' must be greater than or equal to '0'.` });
	if (items < 1 || items > MAX_PAGE_SIZE) failures.push({ errorCode: 'InclusiveBetween', fieldName: 'items', message: `'Items' must be between 1 and ${MAX_PAGE_SIZE}. You entered ${items}.` });
	return { page, items, noCount: query.noCount === true };
}

function pagedResponse({ page, items, noCount }, total, elements) {
	return {
		page,
		items,
		totalPages: noCount ? 0 : Math.ceil(total / items),
		totalResults: noCount ? 0 : total,
		elements,
	};
}

const SLIM_SORTS = {
	NameASC: (a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.boosterCustomerId - b.boosterCustomerId,
	RegASC: (a, b) => (a.creationDate < b.creationDate ? -1 : a.creationDate > b.creationDate ? 1 : a.boosterCustomerId - b.boosterCustomerId),
};
SLIM_SORTS.NameDESC = (a, b) => SLIM_SORTS.NameASC(b, a);
SLIM_SORTS.RegDESC = (a, b) => SLIM_SORTS.RegASC(b, a);

function slimCustomer(customer) {
	const { boosterCustomerId, sapId, brand, posCode, firstName, lastName, email, phone, locationCountryId, customerStatus, canBeContactedByMaison, hasSapCrmError, birthDate, creationDate } = customer;
	return { boosterCustomerId, sapId, brand, posCode, firstName, lastName, email, phone, locationCountryId, customerStatus, canBeContactedByMaison, hasSapCrmError, birthDate, creationDate };
}

function customerDetail(customer) {
	return {
		id: customer.boosterCustomerId,
		sapId: customer.sapId,
		customerReference: `REF-${customer.boosterCustomerId}`,
		gender: customer.gender,
		personalTitle: customer.gender === 'F' ? 'Ms' : 'Mr',
		firstName: customer.firstName,
		lastName: customer.lastName,
		firstNameNotLatin: '',
		lastNameNotLatin: '',
		middleName: '',
		canBeContacted: customer.canBeContactedByMaison,
		language: customer.language,
		countryId: customer.locationCountryId,
		brand: customer.brand,
		emails: [{ description: 'Private', email: customer.email, isMain: true }],
		phones: [{ description: 'Mobile', phone: customer.phoneNumber, isMain: true, prefixCountryId: customer.locationCountryId.toUpperCase(), telephonePrefix: customer.phonePrefix }],
		events: customer.birthDate
			? [{ eventId: 1, eventDescription: 'Birthday', eventTypeOther: '', comment: '', eventDay: Number(customer.birthDate.slice(8, 10)), eventMonth: Number(customer.birthDate.slice(5, 7)), eventYear: Number(customer.birthDate.slice(0, 4)) }]
			: [],
		registrationDate: customer.creationDate,
	};
}

/** The API routes. `auth: false` routes need no credentials. Handlers return { contract, body } or write the response themselves. */
const ROUTES = [
	{
		method: 'POST',
		path: '/customer/{brand}/export',
		name: 'ExportCustomer',
		handler(request, context) {
			const body = decodeBody(request, 'ExportCustomer', context);
			const search = { ...fromQuery('ExportCustomer', request.searchParams), ...body, brand: request.params.brand.toUpperCase() };
			validateSearch(search, search.downloadRequestId && String(search.downloadRequestId).trim() ? [] : [notEmpty('downloadRequestId')]);
			requireVisibleBrand(request.account, search.brand);
			requireVisiblePosCodes(request.account, search.brand, search.posCodes);
			const { task } = context.exports.create(request.account, search);
			return { contract: 'ExportCustomerResponse', body: { asyncTaskId: task.asyncTaskId } };
		},
	},
	{
		method: 'GET',
		path: '/tasks',
		name: 'GetTask',
		handler(request, context) {
			const tasks = context.exports.tasksOf(request.account).map((task) => context.exports.view(task, request.baseUrl));
			return { contract: 'ArrayOfTask', body: tasks };
		},
	},
	{
		method: 'GET',
		path: '/tasks/{asyncTaskId}',
		name: 'GetTaskDetail',
		handler(request, context) {
			const task = findTask(request, context);
			return { contract: 'GetTaskDetailResponse', body: context.exports.view(task, request.baseUrl) };
		},
	},
	{
		method: 'GET',
		path: '/tasks/{asyncTaskId}/file',
		name: 'DownloadTaskFile',
		noFormatSuffix: true,
		handler(request, context, response) {
			const task = findTask(request, context);
			if (context.exports.statusOf(task).status !== 'COM') throw notFound(`The export file of task ${task.asyncTaskId} is not ready`);
			streamFile(response, task);
		},
	},
	{
		method: 'GET',
		path: '/files/{asyncTaskId}/{fileName}',
		name: 'SignedDownload',
		auth: false,
		signedUrl: true,
		noFormatSuffix: true,
		handler(request, context, response) {
			const verdict = context.exports.verifySignedDownload(request.pathname, request.searchParams);
			if (!verdict.task) {
				const code = verdict.code || 'AccessDenied';
				response.writeHead(verdict.status || 403, { 'Content-Type': 'application/xml' });
				response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${verdict.reason}</Message><RequestId>sandbox</RequestId></Error>`);
				return;
			}
			streamFile(response, verdict.task);
		},
	},
	{
		method: 'GET',
		path: '/customer/{boosterCustomerId}/kpi',
		name: 'GetCustomerKpi',
		handler(request, context) {
			const id = pathInt('GetCustomerKpi', 'boosterCustomerId', request.params.boosterCustomerId);
			const query = fromQuery('GetCustomerKpi', request.searchParams);
			const customer = findCustomer(context, id);
			requireVisibleCustomer(request.account, customer);
			return { contract: 'GetCustomerKpiResponse', body: computeKpi(customer, query.transactionDateFrom, query.transactionDateTo) };
		},
	},
	{
		method: 'GET',
		path: '/customer/{brand}/slim',
		name: 'GetCustomerPaginated',
		handler(request, context) {
			const query = { ...fromQuery('GetCustomerPaginated', request.searchParams), brand: request.params.brand.toUpperCase() };
			const failures = [];
			const pageRequest = paging(query, failures);
			if (query.sortBy && !SLIM_SORTS[query.sortBy]) {
				failures.push({ errorCode: 'Enum', fieldName: 'sortBy', message: `'Sort By' must be one of ${Object.keys(SLIM_SORTS).join(', ')}.` });
			}
			validateSearch(query, failures);
			requireVisibleBrand(request.account, query.brand);
			requireVisiblePosCodes(request.account, query.brand, query.posCodes);
			const filter = buildCustomerFilter(query);
			const start = pageRequest.page * pageRequest.items;
			const canStopEarly = pageRequest.noCount && !query.sortBy;
			const matches = [];
			for (const customer of context.dataset.customersOfBrand(query.brand)) {
				if (!filter(customer)) continue;
				matches.push(slimCustomer(customer));
				if (canStopEarly && matches.length >= start + pageRequest.items) break;
			}
			if (query.sortBy) matches.sort(SLIM_SORTS[query.sortBy]);
			return { contract: 'GetCustomerPaginatedResponse', body: pagedResponse(pageRequest, matches.length, matches.slice(start, start + pageRequest.items)) };
		},
	},
	{
		method: 'GET',
		path: '/customer/{boosterCustomerId}',
		name: 'GetCustomer',
		handler(request, context) {
			const id = pathInt('GetCustomer', 'boosterCustomerId', request.params.boosterCustomerId);
			const customer = findCustomer(context, id);
			requireVisibleCustomer(request.account, customer);
			return { contract: 'GetCustomerResponse', body: customerDetail(customer) };
		},
	},
	{
		method: 'PATCH',
		path: '/customer/{boosterCustomerId}/updateConsents',
		name: 'UpdateConsents',
		handler(request, context) {
			const id = pathInt('UpdateConsents', 'boosterCustomerId', request.params.boosterCustomerId);
			// The flags are query parameters (as documented); a JSON/XML/form body is read too and wins.
			const given = {};
			for (const source of [fromQuery('UpdateConsents', request.searchParams), decodeBody(request, 'UpdateConsents', context)]) {
				for (const flag of CONSENT_FLAGS) if (typeof source[flag] === 'boolean') given[flag] = source[flag];
			}
			const customer = findCustomer(context, id);
			requireVisibleCustomer(request.account, customer);
			context.dataset.updateConsents(id, given, { accountName: request.account.name, timestamp: new Date(context.now()).toISOString() });
			return { contract: 'UpdateConsentsResponse', body: {} };
		},
	},
	{
		method: 'GET',
		path: '/security/pos',
		name: 'GetPosBrand',
		handler(request) {
			const params = request.searchParams;
			const query = {};
			for (const [key, value] of params) query[key.toLowerCase()] = value;
			const failures = [];
			const toInt = (name, value) => {
				if (value === undefined || value === '') return undefined;
				if (!/^-?\d+$/.test(value)) throw serializationError('GetPosBrand', name, `'${value}' is not a valid Int32 for '${name}'`);
				return Number(value);
			};
			const pageRequest = paging({ page: toInt('page', query.page), items: toInt('items', query.items), noCount: /^true$/i.test(query.nocount || '') }, failures);
			const brand = (query.brand || '').toUpperCase();
			if (!brand) failures.unshift(notEmpty('brand'));
			if (failures.length) throw validationError(failures);
			requireVisibleBrand(request.account, brand);
			const visible = catalog.POINTS_OF_SALE.filter((pos) => pos.brand === brand && catalog.canSeePos(request.account, pos)).map(({ posCode, name, city, address, country }) => ({
				posCode,
				name,
				city,
				address,
				country,
			}));
			const start = pageRequest.page * pageRequest.items;
			return { contract: 'GetPosBrandResponse', body: pagedResponse(pageRequest, visible.length, visible.slice(start, start + pageRequest.items)) };
		},
	},
	{
		method: 'POST',
		path: '/auth/credentials',
		name: 'Authenticate',
		auth: false,
		handler(request, context, response) {
			const body = { ...fromQuery('Authenticate', request.searchParams), ...decodeBody(request, 'Authenticate', context) };
			const { account, sessionId, bearerToken } = context.auth.signIn(body.userName, body.password, body.rememberMe);
			const cookies = [`ss-id=${sessionId}; path=/; samesite=strict; httponly`, `ss-opt=${body.rememberMe ? 'perm' : 'temp'}; path=/; samesite=strict; httponly`];
			if (body.rememberMe) cookies.push(`ss-pid=${sessionId}; path=/; samesite=strict; httponly`);
			response.setHeader('Set-Cookie', cookies);
			return { contract: 'AuthenticateResponse', body: context.auth.authenticateResponse(account, { sessionId, bearerToken }) };
		},
	},
	{
		method: 'GET',
		path: '/auth',
		name: 'GetAuthSession',
		handler(request, context) {
			return { contract: 'AuthenticateResponse', body: context.auth.authenticateResponse(request.account, { sessionId: request.sessionId }) };
		},
	},
];

function findTask(request, context) {
	let asyncTaskId;
	try {
		asyncTaskId = parseGuid(request.params.asyncTaskId);
	} catch (error) {
		if (error instanceof ValueError) throw serializationError('GetTaskDetail', 'asyncTaskId', error.message);
		throw error;
	}
	const task = context.exports.find(request.account, asyncTaskId);
	if (!task) throw notFound(`Task ${asyncTaskId} not found`);
	return task;
}

function streamFile(response, task) {
	const size = fs.statSync(task.filePath).size;
	response.writeHead(200, {
		'Content-Type': 'text/csv; charset=utf-8',
		'Content-Length': size,
		'Content-Disposition': `attachment; filename="${task.fileName}"`,
	});
	fs.createReadStream(task.filePath).pipe(response);
}

module.exports = { ROUTES, slimCustomer, customerDetail, SLIM_SORTS };
