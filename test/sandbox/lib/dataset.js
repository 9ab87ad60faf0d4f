'use strict';

const { hashInts, createRandom } = require('./random');
const catalog = require('./catalog');

const FIRST_BOOSTER_CUSTOMER_ID = 1000001;
const CREATION_START_MS = Date.UTC(2015, 0, 1);
const CREATION_END_MS = Date.UTC(2024, 11, 31);
const TRANSACTION_END_MS = Date.UTC(2025, 5, 30);
const DAY_MS = 86400000;
const LANGUAGE_BY_COUNTRY = { ch: 'fr', fr: 'fr', it: 'it', de: 'de', gb: 'en', us: 'en', jp: 'ja', cn: 'zh', es: 'es', ae: 'ar' };

function asciiSlug(text) {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();
}

function isoDay(ms) {
	return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A deterministic customer base. Only the POS of each customer is kept in memory (one Uint16 per
 * customer); every other field, transactions included, is regenerated from (seed, index) on demand.
 */
function createDataset({ seed = 42, customers = 5000 } = {}) {
	const customerCount = customers;
	const posList = catalog.POINTS_OF_SALE;
	const posIndexOfCustomer = new Uint16Array(customerCount);
	const customerIndexesByBrand = new Map(catalog.BRANDS.map((brand) => [brand, []]));
	for (let index = 0; index < customerCount; index++) {
		const posIndex = hashInts(seed, index, 0) % posList.length;
		posIndexOfCustomer[index] = posIndex;
		customerIndexesByBrand.get(posList[posIndex].brand).push(index);
	}
	const brandIndexes = new Map([...customerIndexesByBrand].map(([brand, list]) => [brand, Int32Array.from(list)]));

	function indexOfBoosterCustomerId(boosterCustomerId) {
		const index = Number(boosterCustomerId) - FIRST_BOOSTER_CUSTOMER_ID;
		return Number.isInteger(index) && index >= 0 && index < customerCount ? index : -1;
	}

	function customerAt(index) {
		const pos = posList[posIndexOfCustomer[index]];
		const random = createRandom(hashInts(seed, index, 1));
		const boosterCustomerId = FIRST_BOOSTER_CUSTOMER_ID + index;
		const firstName = random.pick(catalog.FIRST_NAMES);
		const lastName = random.pick(catalog.LAST_NAMES);
		const locationCountryId = random.chance(0.8) ? pos.countryId : random.pick(Object.keys(catalog.COUNTRIES));
		const country = catalog.COUNTRIES[locationCountryId];
		const phoneNumber = `${random.int(6, 9)}${String(random.int(0, 99999999)).padStart(8, '0')}`;
		const creationMs = CREATION_START_MS + Math.floor(random.next() * (CREATION_END_MS - CREATION_START_MS));
		const hasBirthDate = random.chance(0.9);
		const birthDate = hasBirthDate
			? `${random.int(1945, 2004)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
			: null;
		const customerStatus = random.chance(0.7) ? 'Client' : 'Prospect';
		const representatives = catalog.saleRepresentativeEmails(pos.posCode);
		const customer = {
			boosterCustomerId,
			sapId: String(4000000000 + index),
			brand: pos.brand,
			posCode: pos.posCode,
			firstName,
			lastName,
			email: `${asciiSlug(firstName)}.${asciiSlug(lastName)}.${boosterCustomerId}@example.com`,
			phonePrefix: country.phonePrefix,
			phoneNumber,
			phone: `${country.phonePrefix}${phoneNumber}`,
			locationCountryId,
			language: LANGUAGE_BY_COUNTRY[locationCountryId],
			gender: random.chance(0.5) ? 'F' : 'M',
			customerStatus,
			birthDate,
			creationDate: new Date(creationMs).toISOString(),
			canBeContactedByMaison: random.chance(0.65),
			hasSapCrmError: random.chance(0.08),
			interests: random.sample(catalog.INTERESTS, random.int(0, 3)),
			hobbies: random.sample(catalog.HOBBIES, random.int(0, 2)),
			productCollections: random.sample(catalog.PRODUCT_COLLECTIONS, random.int(0, 2)),
			productCategories: random.sample(catalog.PRODUCT_CATEGORIES, random.int(0, 2)),
			saleRepresentativeEmails: random.sample(representatives, random.int(1, 2)),
			currencyCode: pos.currency,
			transactions: [],
		};
		if (customerStatus === 'Client') {
			const count = random.int(1, 8);
			let lastSaleCents = 0;
			for (let n = 0; n < count; n++) {
				const dateMs = creationMs + Math.floor(random.next() * (TRANSACTION_END_MS - creationMs));
				const isReturn = n > 0 && random.chance(0.15);
				const amountCents = isReturn ? lastSaleCents : random.int(40, 5000) * 500;
				if (!isReturn) lastSaleCents = amountCents;
				customer.transactions.push({
					date: new Date(dateMs).toISOString(),
					type: isReturn ? 'return' : 'sale',
					amount: amountCents / 100,
					quantity: isReturn ? 1 : random.int(1, 3),
					currency: pos.currency,
				});
			}
			customer.transactions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
		}
		return customer;
	}

	function customerById(boosterCustomerId) {
		const index = indexOfBoosterCustomerId(boosterCustomerId);
		return index < 0 ? null : customerAt(index);
	}

	function* customersOfBrand(brand) {
		const indexes = brandIndexes.get(brand) || new Int32Array(0);
		for (const index of indexes) yield customerAt(index);
	}

	function* allCustomers() {
		for (let index = 0; index < customerCount; index++) yield customerAt(index);
	}

	return {
		seed,
		size: customerCount,
		pointsOfSale: posList,
		customerAt,
		customerById,
		customersOfBrand,
		allCustomers,
		countOfBrand: (brand) => (brandIndexes.get(brand) || []).length,
		posOfCustomer: (customer) => posList.find((pos) => pos.posCode === customer.posCode),
	};
}

/**
 * KPI definitions (all over the transactions whose UTC calendar date lies in [fromDay, toDay], each
 * bound optional and inclusive):
 * totalTransaction = number of transactions (sales + returns); totalSales = number of sales;
 * totalReturn = number of returns; totalItems = quantity sold minus quantity returned;
 * totalSpendingAmount = amount of sales minus amount of returns; averageBasketAmount =
 * totalSpendingAmount / totalSales (0 without sales), both rounded to cents; currencyCode = the
 * currency of the customer's POS.
 */
function computeKpi(customer, fromDay = null, toDay = null) {
	let totalSales = 0;
	let totalReturn = 0;
	let totalItems = 0;
	let spendingCents = 0;
	for (const transaction of customer.transactions) {
		const day = transaction.date.slice(0, 10);
		if ((fromDay && day < fromDay) || (toDay && day > toDay)) continue;
		const cents = Math.round(transaction.amount * 100);
		if (transaction.type === 'sale') {
			totalSales++;
			totalItems += transaction.quantity;
			spendingCents += cents;
		} else {
			totalReturn++;
			totalItems -= transaction.quantity;
			spendingCents -= cents;
		}
	}
	return {
		boosterCustomerId: customer.boosterCustomerId,
		totalTransaction: totalSales + totalReturn,
		totalSales,
		totalReturn,
		totalItems,
		averageBasketAmount: totalSales === 0 ? 0 : Math.round(spendingCents / totalSales) / 100,
		totalSpendingAmount: spendingCents / 100,
		currencyCode: customer.currencyCode,
	};
}

module.exports = { createDataset, computeKpi, isoDay, FIRST_BOOSTER_CUSTOMER_ID, DAY_MS };
