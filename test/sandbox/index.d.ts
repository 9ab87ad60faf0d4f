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

export interface SandboxDataset {
	readonly seed: number;
	readonly size: number;
	readonly pointsOfSale: readonly SandboxPos[];
	customerAt(index: number): SandboxCustomer;
	customerById(boosterCustomerId: number): SandboxCustomer | null;
	customersOfBrand(brand: string): IterableIterator<SandboxCustomer>;
	allCustomers(): IterableIterator<SandboxCustomer>;
	countOfBrand(brand: string): number;
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
	computeKpi(customer: SandboxCustomer, fromDay?: string | null, toDay?: string | null): SandboxKpi;
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
