import type { SandboxCustomer } from '../sandbox';

/** A customer of the slim list, from the dataset (sandbox README, "Slim customer"). */
export function slimCustomer(c: SandboxCustomer) {
	return {
		boosterCustomerId: c.boosterCustomerId,
		sapId: c.sapId,
		brand: c.brand,
		posCode: c.posCode,
		firstName: c.firstName,
		lastName: c.lastName,
		email: c.email,
		phone: c.phone,
		locationCountryId: c.locationCountryId,
		customerStatus: c.customerStatus,
		canBeContactedByMaison: c.canBeContactedByMaison,
		hasSapCrmError: c.hasSapCrmError,
		birthDate: c.birthDate ?? null,
		creationDate: c.creationDate,
	};
}

/** A row of the export file as the Customers output types it, from the dataset and the customer's all-time KPIs. */
export function exportedCustomer(c: SandboxCustomer, kpi: { totalTransaction: number; totalSpendingAmount: number }) {
	return {
		boosterCustomerId: c.boosterCustomerId,
		sapId: c.sapId,
		brand: c.brand,
		posCode: c.posCode,
		firstName: c.firstName,
		lastName: c.lastName,
		email: c.email,
		phone: c.phone,
		locationCountryId: c.locationCountryId,
		customerStatus: c.customerStatus,
		birthDate: c.birthDate ?? null,
		creationDate: c.creationDate,
		canBeContactedByMaison: c.canBeContactedByMaison,
		hasSapCrmError: c.hasSapCrmError,
		interests: c.interests.map((entry) => entry.sapInterestId),
		hobbies: c.hobbies.map((entry) => entry.sapHobbyId),
		productCollections: c.productCollections.map((entry) => entry.sapProductCollectionId),
		productCategories: c.productCategories.map((entry) => entry.subCategoryId),
		saleRepresentativeEmails: [...c.saleRepresentativeEmails],
		totalTransaction: kpi.totalTransaction,
		totalSpendingAmount: kpi.totalSpendingAmount,
		currencyCode: c.currencyCode,
	};
}
