'use strict';

const { computeKpi } = require('./dataset');
const { dateBound, inInstantRange } = require('./values');

/**
 * Builds a predicate over dataset customers from a bound SearchCustomer. Definitions (also in the
 * README): empty/absent filters do not restrict; lists match any-of; string comparisons are
 * case-insensitive; date bounds are instants, inclusive on both ends (values.dateBound: a zoned
 * bound is that instant, an unzoned one is read as UTC, a date without a time is midnight).
 */
function buildCustomerFilter(search) {
	const checks = [];
	const lower = (text) => String(text).toLowerCase();
	const hasItems = (list) => Array.isArray(list) && list.length > 0;

	checks.push((customer) => lower(customer.brand) === lower(search.brand));
	if (hasItems(search.posCodes)) {
		const codes = new Set(search.posCodes.map(lower));
		checks.push((customer) => codes.has(lower(customer.posCode)));
	}
	if (search.searchKey && search.searchKey.trim() !== '') {
		const key = lower(search.searchKey.trim());
		const keyDigits = key.replace(/[\s\-().]/g, '');
		const keyIsPhoneLike = /^\+?\d{3,}$/.test(keyDigits);
		checks.push(
			(customer) =>
				lower(`${customer.firstName} ${customer.lastName}`).includes(key) ||
				lower(`${customer.lastName} ${customer.firstName}`).includes(key) ||
				lower(customer.email).includes(key) ||
				(keyIsPhoneLike && customer.phoneNumber.includes(keyDigits.replace(/^\+/, ''))) ||
				String(customer.boosterCustomerId) === key ||
				lower(customer.sapId) === key,
		);
	}
	if (search.phoneNumber && search.phoneNumber.trim() !== '') {
		const phone = search.phoneNumber.replace(/\s/g, '');
		checks.push((customer) => customer.phone === phone || customer.phoneNumber === phone);
	}
	if (search.email && search.email.trim() !== '') {
		const email = lower(search.email.trim());
		checks.push((customer) => lower(customer.email) === email);
	}
	if (hasItems(search.locationCountryIds)) {
		const countries = new Set(search.locationCountryIds.map(lower));
		checks.push((customer) => countries.has(lower(customer.locationCountryId)));
	}
	const spendingFrom = search.clientSpendingFrom;
	const spendingTo = search.clientSpendingTo;
	if (spendingFrom !== null && spendingFrom !== undefined) checks.push((customer) => computeKpi(customer).totalSpendingAmount >= spendingFrom);
	if (spendingTo !== null && spendingTo !== undefined) checks.push((customer) => computeKpi(customer).totalSpendingAmount <= spendingTo);
	const creationFrom = dateBound(search.creationDateFrom);
	const creationTo = dateBound(search.creationDateTo);
	if (creationFrom || creationTo) checks.push((customer) => inInstantRange(customer.creationDate, creationFrom, creationTo));
	const transactionFrom = dateBound(search.transactionDateFrom);
	const transactionTo = dateBound(search.transactionDateTo);
	if (transactionFrom || transactionTo) {
		checks.push((customer) => customer.transactions.some((transaction) => inInstantRange(transaction.date, transactionFrom, transactionTo)));
	}
	if (typeof search.canBeContactedByMaison === 'boolean') checks.push((customer) => customer.canBeContactedByMaison === search.canBeContactedByMaison);
	if (hasItems(search.birthdateMonths)) {
		const months = new Set(search.birthdateMonths);
		checks.push((customer) => customer.birthDate !== null && months.has(Number(customer.birthDate.slice(5, 7))));
	}
	if (hasItems(search.interests)) {
		const ids = new Set(search.interests.map((entry) => lower(entry.sapInterestId || '')));
		checks.push((customer) => customer.interests.some((interest) => ids.has(lower(interest.sapInterestId))));
	}
	if (hasItems(search.hobbies)) {
		// sapHobbyId is optional on GetCustomerHobby: an entry without it matches on the description.
		const matchers = search.hobbies.map((entry) =>
			entry.sapHobbyId ? (hobby) => lower(hobby.sapHobbyId) === lower(entry.sapHobbyId) : (hobby) => lower(hobby.hobby) === lower(entry.hobby || ''),
		);
		checks.push((customer) => customer.hobbies.some((hobby) => matchers.some((matches) => matches(hobby))));
	}
	if (hasItems(search.productCollections)) {
		const ids = new Set(search.productCollections.map((entry) => lower(entry.sapProductCollectionId || '')));
		checks.push((customer) => customer.productCollections.some((collection) => ids.has(lower(collection.sapProductCollectionId))));
	}
	if (hasItems(search.customerStatus)) {
		const statuses = new Set(search.customerStatus.map(lower));
		checks.push((customer) => statuses.has(lower(customer.customerStatus)));
	}
	if (hasItems(search.boosterCustomerIds)) {
		const ids = new Set(search.boosterCustomerIds);
		checks.push((customer) => ids.has(customer.boosterCustomerId));
	}
	if (typeof search.hasSapCrmError === 'boolean') checks.push((customer) => customer.hasSapCrmError === search.hasSapCrmError);
	if (hasItems(search.productCategories)) {
		const levels = ['brandCategoryId', 'grandCategoryId', 'masterCategoryId', 'categoryId', 'subCategoryId'];
		// A filter entry matches a customer category when every id the entry gives is equal.
		const entryMatches = (entry, category) => levels.every((level) => !entry[level] || lower(entry[level]) === lower(category[level]));
		checks.push((customer) => customer.productCategories.some((category) => search.productCategories.some((entry) => entryMatches(entry, category))));
	}
	if (hasItems(search.saleRepresentativeEmails)) {
		const emails = new Set(search.saleRepresentativeEmails.map(lower));
		checks.push((customer) => customer.saleRepresentativeEmails.some((email) => emails.has(lower(email))));
	}
	return (customer) => checks.every((check) => check(customer));
}

module.exports = { buildCustomerFilter };
