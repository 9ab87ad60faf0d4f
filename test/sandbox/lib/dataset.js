'use strict';

const { hashInts, createRandom } = require('./random');
const { parseDateTime, dateBound, inInstantRange } = require('./values');
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

/** The consent flags UpdateConsents sets; the first five say how the maison may contact the customer. */
const CONTACT_FLAGS = ['contactByEmailFlag', 'contactByMailFlag', 'contactByPhoneFlag', 'contactBySMSFlag', 'contactBySocialMediaFlag'];
const CONSENT_FLAGS = [...CONTACT_FLAGS, 'privacyAcceptance', 'allowStoreDataAbroad'];
const CONTACT_FLAG_CHANCES = [0.8, 0.3, 0.5, 0.5, 0.2];

function toCreationMs(creationDate, nowMs) {
	if (creationDate === undefined || creationDate === null) return Math.floor(nowMs);
	let ms;
	if (creationDate instanceof Date) ms = creationDate.getTime();
	else if (typeof creationDate === 'number') ms = Math.floor(creationDate);
	else if (typeof creationDate === 'string') {
		try {
			ms = parseDateTime(creationDate).ms;
		} catch (error) {
			throw new Error(`addCustomers: creationDate ${error.message}`);
		}
	}
	if (!Number.isFinite(ms)) throw new Error(`addCustomers: creationDate must be an ISO string, a Date or ms, got '${creationDate}'`);
	return ms;
}

/**
 * A deterministic customer base. Only the POS of each customer is kept in memory (one Uint16 per
 * customer); every other field, transactions included, is regenerated from (seed, index) on demand.
 * Two small overlays sit on top: customers added at run time (addCustomers: their POS and creation
 * instant) and the consent flags of customers that received an UpdateConsents.
 */
function createDataset({ seed = 42, customers = 5000 } = {}) {
	const baseCount = customers;
	const posList = catalog.POINTS_OF_SALE;
	const posIndexOfCustomer = new Uint16Array(baseCount);
	const customerIndexesByBrand = new Map(catalog.BRANDS.map((brand) => [brand, []]));
	for (let index = 0; index < baseCount; index++) {
		const posIndex = hashInts(seed, index, 0) % posList.length;
		posIndexOfCustomer[index] = posIndex;
		customerIndexesByBrand.get(posList[posIndex].brand).push(index);
	}
	const brandIndexes = new Map([...customerIndexesByBrand].map(([brand, list]) => [brand, Int32Array.from(list)]));
	/** Customers added at run time: index baseCount + n → { posIndex, creationMs }. */
	const added = [];
	const addedIndexesByBrand = new Map(catalog.BRANDS.map((brand) => [brand, []]));
	/** Consent flags of customers that were updated (index → all seven flags); the others have defaults. */
	const consentOverrides = new Map();
	const consentUpdates = [];

	const sizeNow = () => baseCount + added.length;

	function indexOfBoosterCustomerId(boosterCustomerId) {
		const index = Number(boosterCustomerId) - FIRST_BOOSTER_CUSTOMER_ID;
		return Number.isInteger(index) && index >= 0 && index < sizeNow() ? index : -1;
	}

	/** The customer as generated from (seed, index), before the consent overlay. */
	function generate(index) {
		if (!Number.isInteger(index) || index < 0 || index >= sizeNow()) throw new RangeError(`No customer at index ${index}`);
		const extra = index >= baseCount ? added[index - baseCount] : null;
		const pos = posList[extra ? extra.posIndex : posIndexOfCustomer[index]];
		const random = createRandom(hashInts(seed, index, 1));
		const boosterCustomerId = FIRST_BOOSTER_CUSTOMER_ID + index;
		const firstName = random.pick(catalog.FIRST_NAMES);
		const lastName = random.pick(catalog.LAST_NAMES);
		const locationCountryId = random.chance(0.8) ? pos.countryId : random.pick(Object.keys(catalog.COUNTRIES));
		const country = catalog.COUNTRIES[locationCountryId];
		const phoneNumber = `${random.int(6, 9)}${String(random.int(0, 99999999)).padStart(8, '0')}`;
		const drawnCreationMs = CREATION_START_MS + Math.floor(random.next() * (CREATION_END_MS - CREATION_START_MS));
		const creationMs = extra ? extra.creationMs : drawnCreationMs;
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
			// Transactions fall between the creation and 2025-06-30 (a customer created later has them at its creation instant).
			const windowMs = Math.max(0, TRANSACTION_END_MS - creationMs);
			let lastSaleCents = 0;
			for (let n = 0; n < count; n++) {
				const dateMs = creationMs + Math.floor(random.next() * windowMs);
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

	/**
	 * Generated consent defaults: without canBeContactedByMaison every contact flag is false; with it,
	 * each is drawn from (seed, index) and at least one is true. privacyAcceptance true,
	 * allowStoreDataAbroad false.
	 */
	function defaultConsents(index, canBeContactedByMaison) {
		const random = createRandom(hashInts(seed, index, 2));
		const contact = CONTACT_FLAG_CHANCES.map((chance) => random.chance(chance) && canBeContactedByMaison);
		if (canBeContactedByMaison && !contact.some(Boolean)) contact[random.int(0, CONTACT_FLAGS.length - 1)] = true;
		const consents = {};
		CONTACT_FLAGS.forEach((flag, position) => {
			consents[flag] = contact[position];
		});
		consents.privacyAcceptance = true;
		consents.allowStoreDataAbroad = false;
		return consents;
	}

	/** Sandbox assumption: canBeContactedByMaison is true when any contact flag is true (defaults agree with the generated value). */
	function customerAt(index) {
		const customer = generate(index);
		const consents = consentOverrides.get(index);
		if (consents) customer.canBeContactedByMaison = CONTACT_FLAGS.some((flag) => consents[flag]);
		return customer;
	}

	function customerById(boosterCustomerId) {
		const index = indexOfBoosterCustomerId(boosterCustomerId);
		return index < 0 ? null : customerAt(index);
	}

	function* customersOfBrand(brand) {
		const indexes = brandIndexes.get(brand) || new Int32Array(0);
		const extra = addedIndexesByBrand.get(brand) || [];
		const extraCount = extra.length; // customers added while this iteration runs are not part of it
		for (const index of indexes) yield customerAt(index);
		for (let n = 0; n < extraCount; n++) yield customerAt(extra[n]);
	}

	function* allCustomers() {
		const count = sizeNow();
		for (let index = 0; index < count; index++) yield customerAt(index);
	}

	/** The seven consent flags of a customer (a copy), or null for an unknown id. */
	function consentsOf(boosterCustomerId) {
		const index = indexOfBoosterCustomerId(boosterCustomerId);
		if (index < 0) return null;
		const consents = consentOverrides.get(index) || defaultConsents(index, generate(index).canBeContactedByMaison);
		return { ...consents };
	}

	/** Sets the flags given (booleans; others unchanged), records the update, returns all seven flags. */
	function updateConsents(boosterCustomerId, flags, details = {}) {
		const index = indexOfBoosterCustomerId(boosterCustomerId);
		if (index < 0) throw new RangeError(`No customer ${boosterCustomerId}`);
		const given = {};
		for (const flag of CONSENT_FLAGS) if (typeof flags[flag] === 'boolean') given[flag] = flags[flag];
		const consents = { ...consentsOf(boosterCustomerId), ...given };
		consentOverrides.set(index, consents);
		consentUpdates.push({ boosterCustomerId: Number(boosterCustomerId), flags: given, ...details });
		return { ...consents };
	}

	/** Appends `count` customers (next boosterCustomerIds) of one brand/POS created at `creationDate`; returns their ids. */
	function addCustomers(count, { brand, posCode, creationDate } = {}, nowMs = Date.now()) {
		if (!Number.isInteger(count) || count < 0) throw new Error(`addCustomers: count must be a non-negative integer, got '${count}'`);
		let pos;
		if (posCode !== undefined && posCode !== null) {
			pos = posList.find((candidate) => candidate.posCode.toLowerCase() === String(posCode).toLowerCase());
			if (!pos) throw new Error(`addCustomers: unknown POS '${posCode}'`);
			if (brand && pos.brand !== String(brand).toUpperCase()) throw new Error(`addCustomers: POS '${pos.posCode}' is not a POS of brand '${brand}'`);
		} else {
			if (!brand) throw new Error('addCustomers: brand (or posCode) is required');
			pos = posList.find((candidate) => candidate.brand === String(brand).toUpperCase());
			if (!pos) throw new Error(`addCustomers: unknown brand '${brand}'`);
		}
		const creationMs = toCreationMs(creationDate, nowMs);
		const posIndex = posList.indexOf(pos);
		const ids = [];
		for (let n = 0; n < count; n++) {
			const index = sizeNow();
			added.push({ posIndex, creationMs });
			addedIndexesByBrand.get(pos.brand).push(index);
			ids.push(FIRST_BOOSTER_CUSTOMER_ID + index);
		}
		return ids;
	}

	return {
		seed,
		get size() {
			return sizeNow();
		},
		pointsOfSale: posList,
		customerAt,
		customerById,
		customersOfBrand,
		allCustomers,
		countOfBrand: (brand) => (brandIndexes.get(brand) || []).length + (addedIndexesByBrand.get(brand) || []).length,
		posOfCustomer: (customer) => posList.find((pos) => pos.posCode === customer.posCode),
		consentsOf,
		updateConsents,
		consentUpdates,
		addCustomers,
	};
}

/**
 * KPI definitions (all over the transactions whose instant lies in [from, to], each bound optional
 * and inclusive; a bound is a parsed DateTime, an ISO or `/Date(ms)/` string, a Date or ms, read
 * like values.dateBound: unzoned = UTC, a date without a time = midnight):
 * totalTransaction = number of transactions (sales + returns); totalSales = number of sales;
 * totalReturn = number of returns; totalItems = quantity sold minus quantity returned;
 * totalSpendingAmount = amount of sales minus amount of returns; averageBasketAmount =
 * totalSpendingAmount / totalSales (0 without sales), both rounded to cents; currencyCode = the
 * currency of the customer's POS.
 */
function computeKpi(customer, from = null, to = null) {
	const fromBound = dateBound(from);
	const toBound = dateBound(to);
	let totalSales = 0;
	let totalReturn = 0;
	let totalItems = 0;
	let spendingCents = 0;
	for (const transaction of customer.transactions) {
		if ((fromBound || toBound) && !inInstantRange(transaction.date, fromBound, toBound)) continue;
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

module.exports = { createDataset, computeKpi, isoDay, FIRST_BOOSTER_CUSTOMER_ID, DAY_MS, CONSENT_FLAGS, CONTACT_FLAGS };
