/** Types of the Booster sandbox (test/sandbox/index.js) for TypeScript tests and tools. */

export interface SandboxAccount {
	readonly name: 'main' | 'limited';
	readonly apiKey: string;
	readonly userName: string;
	readonly password: string;
	readonly displayName: string;
	readonly brands: readonly string[];
	/** null = every POS of the allowed brands. */
	readonly posCodes: readonly string[] | null;
}

export interface SandboxAccounts {
	readonly main: SandboxAccount;
	readonly limited: SandboxAccount;
}

export interface SandboxFaults {
	rate429: number;
	rate500: number;
	rate503: number;
	resetRate: number;
	seed: number | null;
}

export interface SandboxConfig {
	port: number;
	seed: number;
	customers: number;
	dataDir: string | null;
	exportDurationMs: number;
	tokenTtlSeconds: number;
	signedUrlTtlSeconds: number;
	strictXml: boolean;
	latencyMs: number;
	maxInFlight: number;
	retryAfterSeconds: number;
	faults: SandboxFaults;
}

export type SandboxOptions = Partial<Omit<SandboxConfig, 'faults'>> & { faults?: Partial<SandboxFaults> };

export interface SandboxTransaction {
	date: string;
	type: 'sale' | 'return';
	amount: number;
	quantity: number;
	currency: string;
}

export interface SandboxCustomer {
	boosterCustomerId: number;
	sapId: string;
	brand: string;
	posCode: string;
	firstName: string;
	lastName: string;
	email: string;
	phonePrefix: string;
	phoneNumber: string;
	phone: string;
	locationCountryId: string;
	language: string;
	gender: 'F' | 'M';
	customerStatus: 'Prospect' | 'Client';
	birthDate: string | null;
	creationDate: string;
	canBeContactedByMaison: boolean;
	hasSapCrmError: boolean;
	interests: { interest: string; sapInterestId: string }[];
	hobbies: { hobby: string; sapHobbyId: string }[];
	productCollections: { productCollection: string; sapProductCollectionId: string }[];
	productCategories: { brandCategoryId: string; grandCategoryId: string; masterCategoryId: string; categoryId: string; subCategoryId: string }[];
	saleRepresentativeEmails: string[];
	currencyCode: string;
	transactions: SandboxTransaction[];
}

export interface SandboxKpi {
	boosterCustomerId: number;
	totalTransaction: number;
	totalSales: number;
	totalReturn: number;
	totalItems: number;
	averageBasketAmount: number;
	totalSpendingAmount: number;
	currencyCode: string;
}

export interface SandboxPos {
	brand: string;
	posCode: string;
	name: string;
	city: string;
	address: string;
	country: string;
	countryId: string;
	currency: string;
}

/** The consent flags of a customer (UpdateConsents). */
export interface SandboxConsents {
	contactByEmailFlag: boolean;
	contactByMailFlag: boolean;
	contactByPhoneFlag: boolean;
	contactBySMSFlag: boolean;
	contactBySocialMediaFlag: boolean;
	privacyAcceptance: boolean;
	allowStoreDataAbroad: boolean;
}

/** One UpdateConsents the sandbox accepted, in arrival order: only the flags the request gave. */
export interface SandboxConsentUpdate {
	boosterCustomerId: number;
	flags: Partial<SandboxConsents>;
	/** The account that sent it (absent for in-process dataset.updateConsents calls without details). */
	accountName?: string;
	/** Sandbox clock, ISO 8601 UTC. */
	timestamp?: string;
}

export interface SandboxAddCustomersOptions {
	/** Brand trigram; may be left out when posCode is given. */
	brand?: string;
	/** A POS of the brand; default the brand's first POS. */
	posCode?: string;
	/** ISO string (unzoned = UTC), Date or ms; default the sandbox clock's now. */
	creationDate?: string | Date | number;
}

/**
 * A date bound for computeKpi: an ISO string (zoned = that instant, unzoned = UTC, a date alone =
 * midnight UTC), `/Date(ms)/`, a Date, ms since the epoch, or null (no bound). Inclusive.
 */
export type SandboxDateBound = string | Date | number | null;

export interface SandboxDataset {
	readonly seed: number;
	/** Customers now, including the ones added at run time. */
	readonly size: number;
	readonly pointsOfSale: readonly SandboxPos[];
	customerAt(index: number): SandboxCustomer;
	customerById(boosterCustomerId: number): SandboxCustomer | null;
	customersOfBrand(brand: string): IterableIterator<SandboxCustomer>;
	allCustomers(): IterableIterator<SandboxCustomer>;
	countOfBrand(brand: string): number;
	/** The seven consent flags (a copy), or null for an unknown id. */
	consentsOf(boosterCustomerId: number): SandboxConsents | null;
	/** Sets the boolean flags given, leaves the others, records the update; returns all seven flags. */
	updateConsents(boosterCustomerId: number, flags: Partial<SandboxConsents>, details?: { accountName?: string; timestamp?: string }): SandboxConsents;
	readonly consentUpdates: readonly SandboxConsentUpdate[];
	/** Like state.addCustomers, with the "now" for a missing creationDate given explicitly (default Date.now()). */
	addCustomers(count: number, options?: SandboxAddCustomersOptions, nowMs?: number): number[];
}

export interface SandboxLogEntry {
	id: number;
	timestamp: string;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	route: string | null;
	status: number | 'reset' | null;
	authLeak: boolean;
}

export interface SandboxLeak {
	id: number;
	timestamp: string;
	method: string;
	path: string;
	headers: string[];
}

export interface SandboxCounters {
	total: number;
	inFlight: number;
	maxInFlightObserved: number;
	byRoute: Record<string, number>;
	byStatus: Record<string, number>;
	faults: { 429: number; 500: number; 503: number; reset: number; maxInFlight429: number };
	reset(): void;
	snapshot(): Omit<SandboxCounters, 'reset' | 'snapshot'>;
}

export interface SandboxTaskView {
	asyncTaskId: string;
	type: 'crm';
	requestDate: string;
	status: 'REQ' | 'INP' | 'COM' | 'ERR';
	percentage: number;
	brand: string;
	downloadUrl: string | null;
	signedDownloadUrl: string | null;
	totalResults: number | null;
	totalSucceeded: number | null;
	totalFailed: number | null;
}

export interface SandboxState {
	/** Live configuration; prefer setConfig() for validated changes. */
	readonly config: SandboxConfig;
	readonly dataDir: string;
	readonly dataset: SandboxDataset;
	readonly counters: SandboxCounters;
	readonly requestLog: { entries: SandboxLogEntry[]; leaks: SandboxLeak[]; clear(): void };
	readonly tasks: Map<string, { asyncTaskId: string; accountName: string; brand: string; downloadRequestId: string; [key: string]: unknown }>;
	readonly accounts: SandboxAccounts;
	readonly pointsOfSale: readonly SandboxPos[];
	readonly csvColumns: readonly string[];
	now(): number;
	/** Moves the sandbox clock (task progress, token, session and signed-URL expiry) forward. */
	advanceClock(ms: number): void;
	setConfig(patch: SandboxOptions): void;
	failNextExports(count?: number): number;
	/** The KPI of the customer's transactions whose instant lies in [from, to] (each optional, inclusive). */
	computeKpi(customer: SandboxCustomer, from?: SandboxDateBound, to?: SandboxDateBound): SandboxKpi;
	/** The customer's consent flags now (generated defaults until an UpdateConsents changes them); null for an unknown id. */
	consentsOf(boosterCustomerId: number): SandboxConsents | null;
	/** Every UpdateConsents accepted (HTTP), in order. */
	readonly consentUpdates: readonly SandboxConsentUpdate[];
	/**
	 * Appends `count` customers with the next boosterCustomerIds, generated from (seed, index) like the
	 * others except brand, POS and creation date; visible to every route. Returns their ids.
	 */
	addCustomers(count: number, options?: SandboxAddCustomersOptions): number[];
	taskView(asyncTaskId: string): SandboxTaskView | null;
	resetRequestLog(): void;
}

export interface RunningSandbox {
	url: string;
	port: number;
	state: SandboxState;
	accounts: SandboxAccounts;
	stop(): Promise<void>;
}

export const SANDBOX_ACCOUNTS: SandboxAccounts;
export function startSandbox(options?: SandboxOptions): Promise<RunningSandbox>;
