// What the sandbox's data says the nodes should produce, computed here from the raw dataset
// (`state.dataset`) by the API's documented rules (test/sandbox/README.md), independently of the
// sandbox's own filter and KPI code.
import type { SandboxCustomer, SandboxPos, SandboxState } from '../sandbox/index';
import { exportedCustomer as exportedRow, slimCustomer } from '../helpers/expected-customers';
import { dayIn } from '../helpers/zones';

/** The sandbox's in-process state, typed (env.ts keeps it `any`). */
export const stateOf = (sandbox: { state: unknown }) => sandbox.state as SandboxState;

export interface Dataset {
	customersOfBrand(brand: string): IterableIterator<SandboxCustomer>;
	customerById(id: number): SandboxCustomer | null;
}

/** Filters as the export request carries them (the API's field names, after the node's conversion). */
export interface ExportFilters {
	brand: string;
	posCodes: string[];
	searchKey?: string;
	phoneNumber?: string;
	email?: string;
	locationCountryIds?: string[];
	clientSpendingFrom?: number;
	clientSpendingTo?: number;
	creationDateFrom?: string; // YYYY-MM-DD, a day of the workflow's time zone
	creationDateTo?: string;
	transactionDateFrom?: string;
	transactionDateTo?: string;
	canBeContactedByMaison?: boolean;
	birthdateMonths?: number[];
	interests?: { interest: string; sapInterestId: string }[];
	hobbies?: { hobby?: string; sapHobbyId?: string }[];
	productCollections?: { productCollection: string; sapProductCollectionId: string }[];
	customerStatus?: string[];
	boosterCustomerIds?: number[];
	hasSapCrmError?: boolean;
	productCategories?: Partial<Record<'brandCategoryId' | 'grandCategoryId' | 'masterCategoryId' | 'categoryId' | 'subCategoryId', string>>[];
	saleRepresentativeEmails?: string[];
}

const lower = (s: string) => s.toLowerCase();

/** All-time spending: sales minus returns. */
export function spending(customer: SandboxCustomer): number {
	return customer.transactions.reduce((sum, t) => sum + (t.type === 'sale' ? t.amount : -t.amount), 0);
}

/**
 * Whether the filters select customer `c`. The date filters are days of `timeZone`, the workflow's
 * time zone: the node sends a picked day as that day's first (From) or last (To) moment in that zone.
 */
export function matches(c: SandboxCustomer, f: ExportFilters, timeZone = 'UTC'): boolean {
	const day = (iso: string) => dayIn(timeZone, iso);
	if (lower(c.brand) !== lower(f.brand)) return false;
	if (!f.posCodes.map(lower).includes(lower(c.posCode))) return false;
	if (f.searchKey) {
		const key = lower(f.searchKey);
		const names = [`${c.firstName} ${c.lastName}`, `${c.lastName} ${c.firstName}`, c.email].map(lower);
		const hit =
			names.some((n) => n.includes(key)) ||
			(/^\d{3,}$/.test(key) && c.phoneNumber.includes(key)) ||
			key === String(c.boosterCustomerId) ||
			key === lower(c.sapId);
		if (!hit) return false;
	}
	if (f.phoneNumber && f.phoneNumber !== c.phone && f.phoneNumber !== c.phoneNumber) return false;
	if (f.email && lower(f.email) !== lower(c.email)) return false;
	if (f.locationCountryIds && !f.locationCountryIds.map(lower).includes(lower(c.locationCountryId))) return false;
	const spent = spending(c);
	if (f.clientSpendingFrom !== undefined && spent < f.clientSpendingFrom) return false;
	if (f.clientSpendingTo !== undefined && spent > f.clientSpendingTo) return false;
	if (f.creationDateFrom && day(c.creationDate) < f.creationDateFrom) return false;
	if (f.creationDateTo && day(c.creationDate) > f.creationDateTo) return false;
	if (f.transactionDateFrom || f.transactionDateTo) {
		const inWindow = c.transactions.some(
			(t) => (!f.transactionDateFrom || day(t.date) >= f.transactionDateFrom) && (!f.transactionDateTo || day(t.date) <= f.transactionDateTo),
		);
		if (!inWindow) return false;
	}
	if (f.canBeContactedByMaison !== undefined && c.canBeContactedByMaison !== f.canBeContactedByMaison) return false;
	if (f.birthdateMonths && !(c.birthDate && f.birthdateMonths.includes(Number(c.birthDate.slice(5, 7))))) return false;
	if (f.interests && !f.interests.some((i) => c.interests.some((ci) => lower(ci.sapInterestId) === lower(i.sapInterestId)))) return false;
	if (
		f.hobbies &&
		!f.hobbies.some((h) =>
			c.hobbies.some((ch) => (h.sapHobbyId ? lower(ch.sapHobbyId) === lower(h.sapHobbyId) : lower(ch.hobby) === lower(h.hobby ?? ''))),
		)
	)
		return false;
	if (
		f.productCollections &&
		!f.productCollections.some((p) => c.productCollections.some((cp) => lower(cp.sapProductCollectionId) === lower(p.sapProductCollectionId)))
	)
		return false;
	if (f.productCategories) {
		const hit = f.productCategories.some((wanted) =>
			c.productCategories.some((have) =>
				Object.entries(wanted).every(([k, v]) => !v || lower(String((have as Record<string, string>)[k])) === lower(v)),
			),
		);
		if (!hit) return false;
	}
	if (f.customerStatus && !f.customerStatus.map(lower).includes(lower(c.customerStatus))) return false;
	if (f.boosterCustomerIds && !f.boosterCustomerIds.includes(c.boosterCustomerId)) return false;
	if (f.hasSapCrmError !== undefined && c.hasSapCrmError !== f.hasSapCrmError) return false;
	if (f.saleRepresentativeEmails && !f.saleRepresentativeEmails.some((e) => c.saleRepresentativeEmails.map(lower).includes(lower(e)))) return false;
	return true;
}

export function expectedExport(dataset: Dataset, filters: ExportFilters, timeZone = 'UTC'): SandboxCustomer[] {
	return [...dataset.customersOfBrand(filters.brand)].filter((c) => matches(c, filters, timeZone));
}

/** A CSV row as n8n's Extract From File reads it (every value a string). */
export function csvRow(c: SandboxCustomer): Record<string, string> {
	const joined = (list: string[]) => list.join('|');
	return {
		boosterCustomerId: String(c.boosterCustomerId),
		sapId: c.sapId,
		brand: c.brand,
		posCode: c.posCode,
		firstName: c.firstName,
		lastName: c.lastName,
		email: c.email,
		phone: c.phone,
		locationCountryId: c.locationCountryId,
		customerStatus: c.customerStatus,
		birthDate: c.birthDate ?? '',
		creationDate: c.creationDate,
		canBeContactedByMaison: String(c.canBeContactedByMaison),
		hasSapCrmError: String(c.hasSapCrmError),
		interests: joined(c.interests.map((i) => i.sapInterestId)),
		hobbies: joined(c.hobbies.map((h) => h.sapHobbyId)),
		productCollections: joined(c.productCollections.map((p) => p.sapProductCollectionId)),
		productCategories: joined(c.productCategories.map((p) => p.subCategoryId)),
		saleRepresentativeEmails: joined(c.saleRepresentativeEmails),
		totalTransaction: String(c.transactions.length),
		totalSpendingAmount: String(spending(c)),
		currencyCode: c.currencyCode,
	};
}

/** Compares rows read from an export file with the expected customers (order-free, by id). */
export function compareRows(rows: Record<string, unknown>[], customers: SandboxCustomer[]): void {
	const byId = (a: Record<string, string>, b: Record<string, string>) => Number(a.boosterCustomerId) - Number(b.boosterCustomerId);
	// n8n's CSV reader leaves empty cells out of the item; compare the non-empty ones
	const nonEmpty = (r: Record<string, unknown>) =>
		Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '' && v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
	const got = rows.map(nonEmpty).sort(byId);
	const want = customers.map(csvRow).map(nonEmpty).sort(byId);
	expect(got.map((r) => Number(r.boosterCustomerId))).toEqual(want.map((r) => Number(r.boosterCustomerId)));
	// every documented column, and nothing else, with the dataset's values
	expect(got).toEqual(want);
}

/** KPIs by the README's definitions, over all transactions. */
export function expectedKpi(c: SandboxCustomer) {
	const sales = c.transactions.filter((t) => t.type === 'sale');
	const returns = c.transactions.filter((t) => t.type === 'return');
	const sum = (list: typeof sales, key: 'amount' | 'quantity') => list.reduce((s, t) => s + t[key], 0);
	const totalSpendingAmount = sum(sales, 'amount') - sum(returns, 'amount');
	return {
		boosterCustomerId: c.boosterCustomerId,
		totalTransaction: c.transactions.length,
		totalSales: sales.length,
		totalReturn: returns.length,
		totalItems: sum(sales, 'quantity') - sum(returns, 'quantity'),
		totalSpendingAmount,
		averageBasketAmount: sales.length ? Math.round((totalSpendingAmount / sales.length) * 100) / 100 : 0,
		currencyCode: c.currencyCode,
	};
}

/** The output items of a node in `n8n execute --rawOutput` / public-API execution data. */
export function nodeOutput(executionData: any, nodeName: string): { json: any; binary?: any }[] {
	const runData = executionData?.data?.resultData?.runData ?? executionData?.resultData?.runData;
	const runs = runData?.[nodeName];
	if (!runs) throw new Error(`no run data for node "${nodeName}"; nodes that ran: ${Object.keys(runData ?? {}).join(', ')}`);
	expect(runs).toHaveLength(1);
	if (runs[0].error) throw new Error(`node "${nodeName}" failed: ${JSON.stringify(runs[0].error).slice(0, 2000)}`);
	return runs[0].data.main[0] ?? [];
}

/** An item of Export's Customers output, from the dataset. */
export function exportedCustomer(c: SandboxCustomer) {
	return exportedRow(c, { totalTransaction: c.transactions.length, totalSpendingAmount: spending(c) });
}

/** Compares Export's customer items with the expected customers (order-free, by id): every column, typed. */
export function compareCustomers(items: Record<string, unknown>[], customers: SandboxCustomer[]): void {
	const byId = (a: { boosterCustomerId?: unknown }, b: { boosterCustomerId?: unknown }) => Number(a.boosterCustomerId) - Number(b.boosterCustomerId);
	const got = [...items].sort(byId);
	const want = customers.map(exportedCustomer).sort(byId);
	expect(got.map((c) => c.boosterCustomerId)).toEqual(want.map((c) => c.boosterCustomerId));
	expect(got).toEqual(want);
}

/** Orders of the slim list (README "Slim sortBy"); none = the dataset's order. */
export type SlimSort = 'NameASC' | 'NameDESC' | 'RegASC' | 'RegDESC';

const SLIM_ORDER: Record<SlimSort, (a: SandboxCustomer, b: SandboxCustomer) => number> = {
	NameASC: (a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.boosterCustomerId - b.boosterCustomerId,
	NameDESC: (a, b) => SLIM_ORDER.NameASC(b, a),
	RegASC: (a, b) => (a.creationDate < b.creationDate ? -1 : a.creationDate > b.creationDate ? 1 : a.boosterCustomerId - b.boosterCustomerId),
	RegDESC: (a, b) => SLIM_ORDER.RegASC(b, a),
};

export { slimCustomer };

/** What Customer → Search outputs: the customers the filters select, in the chosen order, up to the limit. */
export function expectedSearch(dataset: Dataset, filters: ExportFilters, { sortBy, limit }: { sortBy?: SlimSort; limit?: number } = {}) {
	const found = expectedExport(dataset, filters);
	if (sortBy) found.sort(SLIM_ORDER[sortBy]);
	return (limit === undefined ? found : found.slice(0, limit)).map(slimCustomer);
}

/** What Point of Sale → Get Many outputs for an account that sees every POS of the brand. */
export function expectedPointsOfSale(pointsOfSale: readonly SandboxPos[], brand: string) {
	return pointsOfSale.filter((pos) => pos.brand === brand).map(({ posCode, name, city, address, country }) => ({ posCode, name, city, address, country }));
}

/** The month after the one `instant` falls in, in `timeZone` (1–12), as Luxon's `$now.plus({ months: 1 }).month` gives it. */
export function nextMonthIn(timeZone: string, instant: Date): number {
	const month = Number(new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric' }).format(instant));
	return (month % 12) + 1;
}
