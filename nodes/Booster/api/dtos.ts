import { type ApiOperation, type Dto, NS, field } from './schema';

const LIST_LIMIT = { maxItems: 1000 };
const ID_RANGE = { min: 1, max: 2147483647 };
export const CUSTOMER_STATUSES = ['Client', 'Prospect'] as const;
export const CUSTOMER_SORTS = ['NameASC', 'NameDESC', 'RegASC', 'RegDESC'] as const;

export const GetCustomerInterest = {
	name: 'GetCustomerInterest',
	namespace: NS.crm,
	fields: {
		interest: field.string('Interest', { required: true }),
		sapInterestId: field.string('SAP Interest ID', { required: true }),
	},
} satisfies Dto;

export const GetCustomerHobby = {
	name: 'GetCustomerHobby',
	namespace: NS.crm,
	fields: {
		hobby: field.string('Hobby'),
		sapHobbyId: field.string('SAP Hobby ID'),
	},
} satisfies Dto;

export const GetCustomerProductCollection = {
	name: 'GetCustomerProductCollection',
	namespace: NS.crm,
	fields: {
		productCollection: field.string('Product Collection', { required: true }),
		sapProductCollectionId: field.string('SAP Product Collection ID', { required: true }),
	},
} satisfies Dto;

export const ProductCategory = {
	name: 'ProductCategory',
	namespace: NS.common,
	fields: {
		brandCategoryId: field.string('Brand Category ID'),
		grandCategoryId: field.string('Grand Category ID', { required: true }),
		masterCategoryId: field.string('Master Category ID'),
		categoryId: field.string('Category ID'),
		subCategoryId: field.string('Sub Category ID'),
	},
} satisfies Dto;

export const SearchCustomer = {
	name: 'SearchCustomer',
	namespace: NS.crm,
	fields: {
		brand: field.string('Brand', { required: true, format: 'pathSegment', maxLength: 32 }),
		posCodes: field.list('string', 'POS Codes', { required: true, minItems: 1, maxLength: 64, ...LIST_LIMIT }),
		searchKey: field.string('Search Key', { maxLength: 200 }),
		phoneNumber: field.string('Phone Number', { maxLength: 50 }),
		email: field.string('Email', { format: 'email', maxLength: 254 }),
		locationCountryIds: field.list('string', 'Location Country IDs', { maxLength: 8, ...LIST_LIMIT }),
		clientSpendingFrom: field.double('Client Spending From', { min: 0 }),
		clientSpendingTo: field.double('Client Spending To', { min: 0 }),
		creationDateFrom: field.dateTime('Creation Date From'),
		creationDateTo: field.dateTime('Creation Date To'),
		transactionDateFrom: field.dateTime('Transaction Date From'),
		transactionDateTo: field.dateTime('Transaction Date To'),
		canBeContactedByMaison: field.bool('Can Be Contacted By Maison'),
		birthdateMonths: field.list('int', 'Birthdate Months', { min: 1, max: 12, maxItems: 12 }),
		interests: field.list(GetCustomerInterest, 'Interests', LIST_LIMIT),
		hobbies: field.list(GetCustomerHobby, 'Hobbies', LIST_LIMIT),
		productCollections: field.list(GetCustomerProductCollection, 'Product Collections', LIST_LIMIT),
		customerStatus: field.list('string', 'Customer Status', { oneOf: CUSTOMER_STATUSES, ...LIST_LIMIT }),
		boosterCustomerIds: field.list('int', 'Booster Customer IDs', { ...ID_RANGE, maxItems: 10000 }),
		hasSapCrmError: field.bool('Has SAP CRM Error'),
		productCategories: field.list(ProductCategory, 'Product Categories', LIST_LIMIT),
		saleRepresentativeEmails: field.list('string', 'Sale Representative Emails', {
			format: 'email',
			...LIST_LIMIT,
		}),
	},
	ranges: [
		['clientSpendingFrom', 'clientSpendingTo'],
		['creationDateFrom', 'creationDateTo'],
		['transactionDateFrom', 'transactionDateTo'],
	],
} satisfies Dto;

export const ExportCustomer = {
	name: 'ExportCustomer',
	namespace: NS.crm,
	base: SearchCustomer,
	fields: {
		downloadRequestId: field.string('Download Request ID', { required: true, maxLength: 200 }),
	},
} satisfies Dto;

export const ExportCustomerResponse = {
	name: 'ExportCustomerResponse',
	namespace: NS.crm,
	fields: {
		asyncTaskId: field.guid('Async Task ID', { required: true }),
	},
} satisfies Dto;

export const GetCustomerPaginated = {
	name: 'GetCustomerPaginated',
	namespace: NS.crm,
	base: SearchCustomer,
	fields: {
		page: field.int('Page', { min: 0, max: 2147483647 }),
		items: field.int('Items', { min: 1, max: 1000 }),
		noCount: field.bool('No Count'),
		sortBy: field.string('Sort By', { oneOf: CUSTOMER_SORTS }),
	},
} satisfies Dto;

/** A customer of the slim list. Booster does not document it: these are the sandbox's fields (see the README). */
export const CustomerSlim = {
	name: 'CustomerSlim',
	namespace: NS.crm,
	fields: {
		boosterCustomerId: field.int('Booster Customer ID'),
		sapId: field.string('SAP ID'),
		brand: field.string('Brand'),
		posCode: field.string('POS Code'),
		firstName: field.string('First Name'),
		lastName: field.string('Last Name'),
		email: field.string('Email'),
		phone: field.string('Phone'),
		locationCountryId: field.string('Location Country ID'),
		customerStatus: field.string('Customer Status'),
		canBeContactedByMaison: field.bool('Can Be Contacted By Maison'),
		hasSapCrmError: field.bool('Has SAP CRM Error'),
		birthDate: field.string('Birth Date'),
		creationDate: field.dateTime('Creation Date'),
	},
} satisfies Dto;

/** The paged shape every documented Booster list answers with; assumed for the slim list. */
export const GetCustomerPaginatedResponse = {
	name: 'GetCustomerPaginatedResponse',
	namespace: NS.crm,
	fields: {
		page: field.int('Page'),
		items: field.int('Items'),
		totalPages: field.int('Total Pages'),
		totalResults: field.int('Total Results'),
		elements: field.list(CustomerSlim, 'Elements'),
	},
} satisfies Dto;

export const GetCustomer = {
	name: 'GetCustomer',
	namespace: NS.crm,
	fields: {
		boosterCustomerId: field.int('Booster Customer ID', { required: true, ...ID_RANGE }),
	},
} satisfies Dto;

export const CustomerEmail = {
	name: 'CustomerEmail',
	namespace: NS.crm,
	fields: {
		description: field.string('Description'),
		email: field.string('Email'),
		isMain: field.bool('Is Main'),
	},
} satisfies Dto;

export const CustomerPhone = {
	name: 'CustomerPhone',
	namespace: NS.crm,
	fields: {
		description: field.string('Description'),
		phone: field.string('Phone'),
		isMain: field.bool('Is Main'),
		prefixCountryId: field.string('Prefix Country ID'),
		telephonePrefix: field.string('Telephone Prefix'),
	},
} satisfies Dto;

export const CustomerEvent = {
	name: 'CustomerEvent',
	namespace: NS.crm,
	fields: {
		eventId: field.int('Event ID'),
		eventDescription: field.string('Event Description'),
		eventTypeOther: field.string('Event Type Other'),
		comment: field.string('Comment'),
		eventDay: field.int('Event Day'),
		eventMonth: field.int('Event Month'),
		eventYear: field.int('Event Year'),
	},
} satisfies Dto;

export const GetCustomerResponse = {
	name: 'GetCustomerResponse',
	namespace: NS.crm,
	fields: {
		id: field.int('ID'),
		sapId: field.string('SAP ID'),
		customerReference: field.string('Customer Reference'),
		gender: field.string('Gender'),
		personalTitle: field.string('Personal Title'),
		firstName: field.string('First Name'),
		lastName: field.string('Last Name'),
		firstNameNotLatin: field.string('First Name Not Latin'),
		lastNameNotLatin: field.string('Last Name Not Latin'),
		middleName: field.string('Middle Name'),
		canBeContacted: field.bool('Can Be Contacted'),
		language: field.string('Language'),
		countryId: field.string('Country ID'),
		brand: field.string('Brand'),
		emails: field.list(CustomerEmail, 'Emails'),
		phones: field.list(CustomerPhone, 'Phones'),
		events: field.list(CustomerEvent, 'Events'),
		registrationDate: field.dateTime('Registration Date'),
	},
} satisfies Dto;

/** Consent flags travel as query parameters; a flag left out is left unchanged. */
export const UpdateConsents = {
	name: 'UpdateConsents',
	namespace: NS.crm,
	fields: {
		boosterCustomerId: field.int('Booster Customer ID', { required: true, ...ID_RANGE }),
		contactByEmailFlag: field.bool('Contact by Email'),
		contactByMailFlag: field.bool('Contact by Mail'),
		contactByPhoneFlag: field.bool('Contact by Phone'),
		contactBySMSFlag: field.bool('Contact by SMS'),
		contactBySocialMediaFlag: field.bool('Contact by Social Media'),
		privacyAcceptance: field.bool('Privacy Acceptance'),
		allowStoreDataAbroad: field.bool('Allow Store Data Abroad'),
	},
} satisfies Dto;

export const UpdateConsentsResponse = { name: 'UpdateConsentsResponse', namespace: NS.crm, fields: {} } satisfies Dto;

/**
 * One row of a customer export file (CSV with a header row): a slim customer with its lists and
 * all-time totals. Booster does not document the file; these are the sandbox's columns. Rows are typed by these fields; a column not listed here is kept
 * as text, so a new column never breaks a workflow.
 */
export const ExportedCustomer = {
	name: 'ExportedCustomer',
	namespace: NS.crm,
	fields: {
		...CustomerSlim.fields,
		interests: field.list('string', 'Interests'),
		hobbies: field.list('string', 'Hobbies'),
		productCollections: field.list('string', 'Product Collections'),
		productCategories: field.list('string', 'Product Categories'),
		saleRepresentativeEmails: field.list('string', 'Sale Representative Emails'),
		totalTransaction: field.int('Total Transaction'),
		totalSpendingAmount: field.double('Total Spending Amount'),
		currencyCode: field.string('Currency Code'),
	},
} satisfies Dto;

export const GetCustomerKpi = {
	name: 'GetCustomerKpi',
	namespace: NS.crm,
	fields: {
		boosterCustomerId: field.int('Booster Customer ID', { required: true, ...ID_RANGE }),
		transactionDateFrom: field.dateTime('Transaction Date From'),
		transactionDateTo: field.dateTime('Transaction Date To'),
	},
	ranges: [['transactionDateFrom', 'transactionDateTo']],
} satisfies Dto;

export const GetCustomerKpiResponse = {
	name: 'GetCustomerKpiResponse',
	namespace: NS.crm,
	fields: {
		boosterCustomerId: field.int('Booster Customer ID'),
		totalTransaction: field.int('Total Transaction'),
		totalSales: field.int('Total Sales'),
		totalReturn: field.int('Total Return'),
		totalItems: field.int('Total Items'),
		averageBasketAmount: field.decimal('Average Basket Amount'),
		totalSpendingAmount: field.double('Total Spending Amount'),
		currencyCode: field.string('Currency Code'),
	},
} satisfies Dto;

export const Task = {
	name: 'Task',
	namespace: NS.nightlyProcess,
	fields: {
		asyncTaskId: field.guid('Async Task ID', { required: true }),
		type: field.string('Type'),
		requestDate: field.string('Request Date'),
		status: field.string('Status'),
		percentage: field.int('Percentage'),
		brand: field.string('Brand'),
		downloadUrl: field.string('Download URL'),
		signedDownloadUrl: field.string('Signed Download URL'),
		totalResults: field.int('Total Results'),
		totalSucceeded: field.int('Total Succeeded'),
		totalFailed: field.int('Total Failed'),
	},
} satisfies Dto;

export const GetTask = { name: 'GetTask', namespace: NS.nightlyProcess, fields: {} };

export const GetTaskDetail = {
	name: 'GetTaskDetail',
	namespace: NS.nightlyProcess,
	fields: {
		asyncTaskId: field.guid('Async Task ID', { required: true }),
	},
} satisfies Dto;

export const GetPosBrand = {
	name: 'GetPosBrand',
	namespace: NS.security,
	fields: {
		brand: field.string('Brand', { required: true, format: 'pathSegment', maxLength: 32 }),
		mnemonicCode: field.string('Mnemonic Code'),
		buCode: field.string('BU Code'),
		page: field.int('Page', { required: true, min: 0 }),
		items: field.int('Items', { required: true, min: 1, max: 1000 }),
		noCount: field.bool('No Count'),
		sortBy: field.string('Sort By'),
	},
} satisfies Dto;

export const PosBrand = {
	name: 'PosBrand',
	namespace: NS.security,
	fields: {
		posCode: field.string('POS Code'),
		name: field.string('Name'),
		city: field.string('City'),
		address: field.string('Address'),
		country: field.string('Country'),
	},
} satisfies Dto;

export const GetPosBrandResponse = {
	name: 'GetPosBrandResponse',
	namespace: NS.security,
	fields: {
		page: field.int('Page'),
		items: field.int('Items'),
		totalPages: field.int('Total Pages'),
		totalResults: field.int('Total Results'),
		elements: field.list(PosBrand, 'Elements'),
	},
} satisfies Dto;

export const ResponseError = {
	name: 'ResponseError',
	namespace: NS.serviceStack,
	declaredXmlOrder: true,
	fields: {
		errorCode: field.string('Error Code', { xmlName: 'ErrorCode' }),
		fieldName: field.string('Field Name', { xmlName: 'FieldName' }),
		message: field.string('Message', { xmlName: 'Message' }),
	},
} satisfies Dto;

export const ResponseStatus = {
	name: 'ResponseStatus',
	namespace: NS.serviceStack,
	declaredXmlOrder: true,
	fields: {
		errorCode: field.string('Error Code', { xmlName: 'ErrorCode' }),
		message: field.string('Message', { xmlName: 'Message' }),
		errors: field.list(ResponseError, 'Errors', { xmlName: 'Errors' }),
	},
} satisfies Dto;

export const ErrorResponse = {
	name: 'ErrorResponse',
	namespace: NS.serviceStack,
	fields: {
		responseStatus: field.object(ResponseStatus, 'Response Status', { xmlName: 'ResponseStatus' }),
	},
} satisfies Dto;

export const API = {
	exportCustomer: {
		name: 'ExportCustomer',
		method: 'POST',
		route: '/customer/{brand}/export',
		request: ExportCustomer,
		response: ExportCustomerResponse,
	},
	getCustomer: {
		name: 'GetCustomer',
		method: 'GET',
		route: '/customer/{boosterCustomerId}',
		request: GetCustomer,
		response: GetCustomerResponse,
	},
	getCustomerPaginated: {
		name: 'GetCustomerPaginated',
		method: 'GET',
		route: '/customer/{brand}/slim',
		request: GetCustomerPaginated,
		response: GetCustomerPaginatedResponse,
	},
	updateConsents: {
		name: 'UpdateConsents',
		method: 'PATCH',
		queryOnly: true,
		route: '/customer/{boosterCustomerId}/updateConsents',
		request: UpdateConsents,
		response: UpdateConsentsResponse,
	},
	getCustomerKpi: {
		name: 'GetCustomerKpi',
		method: 'GET',
		route: '/customer/{boosterCustomerId}/kpi',
		request: GetCustomerKpi,
		response: GetCustomerKpiResponse,
	},
	getTasks: {
		name: 'GetTask',
		method: 'GET',
		route: '/tasks',
		request: GetTask,
		response: Task,
		responseIsList: true,
	},
	getTaskDetail: {
		name: 'GetTaskDetail',
		method: 'GET',
		route: '/tasks/{asyncTaskId}',
		request: GetTaskDetail,
		response: Task,
	},
	getPosBrand: {
		name: 'GetPosBrand',
		method: 'GET',
		route: '/security/pos',
		request: GetPosBrand,
		response: GetPosBrandResponse,
	},
} satisfies Record<string, ApiOperation>;
