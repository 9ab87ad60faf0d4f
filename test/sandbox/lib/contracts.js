'use strict';

/**
 * The DTOs the sandbox speaks, described once: member name, type, and namespace area. XML order,
 * XML/JSON reading and writing and the query-string binder are all derived from these entries.
 * Types: 'string' | 'int' | 'bool' | 'double' | 'decimal' | 'dateTime' | 'guid',
 * { list: <primitive or contract name> }, { object: <contract name> }.
 */

const DATA_CONTRACT_PREFIX = 'http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.';
const NAMESPACES = {
	CRM: `${DATA_CONTRACT_PREFIX}CRM.ServiceModel`,
	Common: `${DATA_CONTRACT_PREFIX}Common.ServiceModel`,
	NightlyProcess: `${DATA_CONTRACT_PREFIX}NightlyProcess.ServiceModel`,
	Security: `${DATA_CONTRACT_PREFIX}Security.ServiceModel`,
	ServiceStack: 'http://schemas.servicestack.net/types',
};
const ARRAYS_NAMESPACE = 'http://schemas.microsoft.com/2003/10/Serialization/Arrays';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

const PRIMITIVE_TYPES = new Set(['string', 'int', 'bool', 'double', 'decimal', 'dateTime', 'guid']);

const definitions = {
	GetCustomerInterest: { area: 'CRM', members: [['interest', 'string'], ['sapInterestId', 'string']] },
	GetCustomerHobby: { area: 'CRM', members: [['hobby', 'string'], ['sapHobbyId', 'string']] },
	GetCustomerProductCollection: {
		area: 'CRM',
		members: [['productCollection', 'string'], ['sapProductCollectionId', 'string']],
	},
	ProductCategory: {
		area: 'Common',
		members: [['brandCategoryId', 'string'], ['grandCategoryId', 'string'], ['masterCategoryId', 'string'], ['categoryId', 'string'], ['subCategoryId', 'string']],
	},
	SearchCustomer: {
		area: 'CRM',
		members: [
			['brand', 'string'],
			['posCodes', { list: 'string' }],
			['searchKey', 'string'],
			['phoneNumber', 'string'],
			['email', 'string'],
			['locationCountryIds', { list: 'string' }],
			['clientSpendingFrom', 'double'],
			['clientSpendingTo', 'double'],
			['creationDateFrom', 'dateTime'],
			['creationDateTo', 'dateTime'],
			['transactionDateFrom', 'dateTime'],
			['transactionDateTo', 'dateTime'],
			['canBeContactedByMaison', 'bool'],
			['birthdateMonths', { list: 'int' }],
			['interests', { list: 'GetCustomerInterest' }],
			['hobbies', { list: 'GetCustomerHobby' }],
			['productCollections', { list: 'GetCustomerProductCollection' }],
			['customerStatus', { list: 'string' }],
			['boosterCustomerIds', { list: 'int' }],
			['hasSapCrmError', 'bool'],
			['productCategories', { list: 'ProductCategory' }],
			['saleRepresentativeEmails', { list: 'string' }],
		],
	},
	ExportCustomer: { area: 'CRM', base: 'SearchCustomer', members: [['downloadRequestId', 'string']] },
	ExportCustomerResponse: { area: 'CRM', members: [['asyncTaskId', 'guid']] },
	GetCustomerPaginated: {
		area: 'CRM',
		base: 'SearchCustomer',
		members: [['page', 'int'], ['items', 'int'], ['noCount', 'bool'], ['sortBy', 'string']],
	},
	CustomerSlim: {
		area: 'CRM',
		members: [
			['boosterCustomerId', 'int'],
			['sapId', 'string'],
			['brand', 'string'],
			['posCode', 'string'],
			['firstName', 'string'],
			['lastName', 'string'],
			['email', 'string'],
			['phone', 'string'],
			['locationCountryId', 'string'],
			['customerStatus', 'string'],
			['canBeContactedByMaison', 'bool'],
			['hasSapCrmError', 'bool'],
			['birthDate', 'string'],
			['creationDate', 'dateTime'],
		],
	},
	GetCustomerPaginatedResponse: {
		area: 'CRM',
		members: [['page', 'int'], ['items', 'int'], ['totalPages', 'int'], ['totalResults', 'int'], ['elements', { list: 'CustomerSlim' }]],
	},
	GetCustomerKpi: {
		area: 'CRM',
		members: [['boosterCustomerId', 'int'], ['transactionDateFrom', 'dateTime'], ['transactionDateTo', 'dateTime']],
	},
	GetCustomerKpiResponse: {
		area: 'CRM',
		members: [
			['boosterCustomerId', 'int'],
			['totalTransaction', 'int'],
			['totalSales', 'int'],
			['totalReturn', 'int'],
			['totalItems', 'int'],
			['averageBasketAmount', 'decimal'],
			['totalSpendingAmount', 'double'],
			['currencyCode', 'string'],
		],
	},
	UpdateConsents: {
		area: 'CRM',
		members: [
			['boosterCustomerId', 'int'],
			['contactByEmailFlag', 'bool'],
			['contactByMailFlag', 'bool'],
			['contactByPhoneFlag', 'bool'],
			['contactBySMSFlag', 'bool'],
			['contactBySocialMediaFlag', 'bool'],
			['privacyAcceptance', 'bool'],
			['allowStoreDataAbroad', 'bool'],
		],
	},
	/** "Returns an empty response": no members; JSON `{}`, XML an empty root element. */
	UpdateConsentsResponse: { area: 'CRM', members: [] },
	CustomerEmail: { area: 'CRM', members: [['description', 'string'], ['email', 'string'], ['isMain', 'bool']] },
	CustomerPhone: {
		area: 'CRM',
		members: [['description', 'string'], ['phone', 'string'], ['isMain', 'bool'], ['prefixCountryId', 'string'], ['telephonePrefix', 'string']],
	},
	CustomerEvent: {
		area: 'CRM',
		members: [['eventId', 'int'], ['eventDescription', 'string'], ['eventTypeOther', 'string'], ['comment', 'string'], ['eventDay', 'int'], ['eventMonth', 'int'], ['eventYear', 'int']],
	},
	GetCustomerResponse: {
		area: 'CRM',
		members: [
			['id', 'int'],
			['sapId', 'string'],
			['customerReference', 'string'],
			['gender', 'string'],
			['personalTitle', 'string'],
			['firstName', 'string'],
			['lastName', 'string'],
			['firstNameNotLatin', 'string'],
			['lastNameNotLatin', 'string'],
			['middleName', 'string'],
			['canBeContacted', 'bool'],
			['language', 'string'],
			['countryId', 'string'],
			['brand', 'string'],
			['emails', { list: 'CustomerEmail' }],
			['phones', { list: 'CustomerPhone' }],
			['events', { list: 'CustomerEvent' }],
			['registrationDate', 'dateTime'],
		],
	},
	Task: {
		area: 'NightlyProcess',
		members: [
			['asyncTaskId', 'guid'],
			['type', 'string'],
			['requestDate', 'string'],
			['status', 'string'],
			['percentage', 'int'],
			['brand', 'string'],
			['downloadUrl', 'string'],
			['signedDownloadUrl', 'string'],
			['totalResults', 'int'],
			['totalSucceeded', 'int'],
			['totalFailed', 'int'],
		],
	},
	GetTaskDetailResponse: { area: 'NightlyProcess', base: 'Task', members: [] },
	ArrayOfTask: { area: 'NightlyProcess', collectionOf: 'Task' },
	PosBrand: {
		area: 'Security',
		members: [['posCode', 'string'], ['name', 'string'], ['city', 'string'], ['address', 'string'], ['country', 'string']],
	},
	GetPosBrandResponse: {
		area: 'Security',
		members: [['page', 'int'], ['items', 'int'], ['totalPages', 'int'], ['totalResults', 'int'], ['elements', { list: 'PosBrand' }]],
	},
	// ServiceStack's own DTOs carry [DataMember(Order = n)]: XML follows declaration order, PascalCase.
	Authenticate: {
		area: 'ServiceStack',
		declaredOrder: true,
		members: [
			['provider', 'string'],
			['State', 'string'],
			['oauth_token', 'string'],
			['oauth_verifier', 'string'],
			['UserName', 'string'],
			['Password', 'string'],
			['RememberMe', 'bool'],
			['errorView', 'string'],
			['nonce', 'string'],
			['uri', 'string'],
			['response', 'string'],
			['qop', 'string'],
			['nc', 'string'],
			['cnonce', 'string'],
			['AccessToken', 'string'],
			['AccessTokenSecret', 'string'],
			['scope', 'string'],
		],
	},
	AuthenticateResponse: {
		area: 'ServiceStack',
		declaredOrder: true,
		members: [
			['UserId', 'string'],
			['SessionId', 'string'],
			['UserName', 'string'],
			['DisplayName', 'string'],
			['ReferrerUrl', 'string'],
			['BearerToken', 'string'],
			['RefreshToken', 'string'],
			['ProfileUrl', 'string'],
			['Roles', { list: 'string' }],
			['Permissions', { list: 'string' }],
		],
	},
	ResponseError: {
		area: 'ServiceStack',
		declaredOrder: true,
		members: [['ErrorCode', 'string'], ['FieldName', 'string'], ['Message', 'string']],
	},
	ResponseStatus: {
		area: 'ServiceStack',
		declaredOrder: true,
		members: [['ErrorCode', 'string'], ['Message', 'string'], ['StackTrace', 'string'], ['Errors', { list: 'ResponseError' }]],
	},
	ErrorResponse: { area: 'ServiceStack', declaredOrder: true, members: [['ResponseStatus', { object: 'ResponseStatus' }]] },
};

function ordinalCompare(a, b) {
	return a < b ? -1 : a > b ? 1 : 0;
}

const contracts = new Map();
function contract(name) {
	const cached = contracts.get(name);
	if (cached) return cached;
	const definition = definitions[name];
	if (!definition) throw new Error(`No contract named ${name}`);
	const toMember = ([memberName, type]) => ({ name: memberName, type, jsonName: memberName.charAt(0).toLowerCase() + memberName.slice(1) });
	const own = (definition.members || []).map(toMember);
	const base = definition.base ? contract(definition.base) : null;
	const ownXmlOrder = definition.declaredOrder ? own : own.slice().sort((a, b) => ordinalCompare(a.name, b.name));
	const built = {
		name,
		namespace: NAMESPACES[definition.area],
		collectionOf: definition.collectionOf || null,
		xmlMembers: [...(base ? base.xmlMembers : []), ...ownXmlOrder],
		jsonMembers: [...own, ...(base ? base.jsonMembers : [])],
	};
	contracts.set(name, built);
	return built;
}

function isPrimitive(type) {
	return typeof type === 'string' && PRIMITIVE_TYPES.has(type);
}

module.exports = { contract, isPrimitive, NAMESPACES, ARRAYS_NAMESPACE, XSI_NAMESPACE };
