'use strict';

const COUNTRIES = {
	ch: { name: 'Switzerland', currency: 'CHF', phonePrefix: '+41', city: ['Geneva', 'Zurich', 'Basel'] },
	fr: { name: 'France', currency: 'EUR', phonePrefix: '+33', city: ['Paris', 'Cannes', 'Lyon'] },
	it: { name: 'Italy', currency: 'EUR', phonePrefix: '+39', city: ['Milan', 'Rome', 'Florence'] },
	de: { name: 'Germany', currency: 'EUR', phonePrefix: '+49', city: ['Munich', 'Berlin', 'Hamburg'] },
	gb: { name: 'United Kingdom', currency: 'GBP', phonePrefix: '+44', city: ['London', 'Manchester', 'Edinburgh'] },
	us: { name: 'United States', currency: 'USD', phonePrefix: '+1', city: ['New York', 'Los Angeles', 'Miami'] },
	jp: { name: 'Japan', currency: 'JPY', phonePrefix: '+81', city: ['Tokyo', 'Osaka', 'Kyoto'] },
	cn: { name: 'China', currency: 'CNY', phonePrefix: '+86', city: ['Shanghai', 'Beijing', 'Shenzhen'] },
	es: { name: 'Spain', currency: 'EUR', phonePrefix: '+34', city: ['Madrid', 'Barcelona', 'Marbella'] },
	ae: { name: 'United Arab Emirates', currency: 'AED', phonePrefix: '+971', city: ['Dubai', 'Abu Dhabi', 'Sharjah'] },
};

const BRANDS = ['CAR', 'VCA', 'IWC', 'JLC', 'MTB', 'PAN'];

const BRAND_POS_COUNTRIES = {
	CAR: ['ch', 'fr', 'it', 'gb', 'us', 'jp'],
	VCA: ['fr', 'ch', 'us', 'cn'],
	IWC: ['ch', 'de', 'gb', 'ae'],
	JLC: ['ch', 'fr', 'jp'],
	MTB: ['de', 'it', 'es', 'us'],
	PAN: ['it', 'ch', 'cn'],
};

/** Every POS of every brand: code like `CH100:100123`, with name, city, address, country and currency. */
const POINTS_OF_SALE = (() => {
	const list = [];
	BRANDS.forEach((brand, brandIndex) => {
		BRAND_POS_COUNTRIES[brand].forEach((countryId, posIndex) => {
			const country = COUNTRIES[countryId];
			const city = country.city[(brandIndex + posIndex) % country.city.length];
			const number = 100000 + (brandIndex + 1) * 100 + posIndex * 7 + 23;
			list.push({
				brand,
				posCode: `${countryId.toUpperCase()}100:${number}`,
				name: `${brand} ${city} Boutique`,
				city,
				address: `${10 + posIndex * 3} ${['Rue du Rhône', 'Main Street', 'Via Montenapoleone', 'Avenue Montaigne'][posIndex % 4]}`,
				country: countryId.toUpperCase(),
				countryId,
				currency: country.currency,
			});
		});
	});
	return list;
})();

const INTERESTS = [
	{ interest: 'Art', sapInterestId: 'CA-1' },
	{ interest: 'Fashion', sapInterestId: 'CA-2' },
	{ interest: 'Travel', sapInterestId: 'CA-3' },
	{ interest: 'Gastronomy', sapInterestId: 'CA-4' },
	{ interest: 'Music', sapInterestId: 'CA-5' },
	{ interest: 'Design', sapInterestId: 'CA-6' },
];

const HOBBIES = [
	{ hobby: 'Art', sapHobbyId: 'ART' },
	{ hobby: 'Golf', sapHobbyId: 'GLF' },
	{ hobby: 'Sailing', sapHobbyId: 'SAI' },
	{ hobby: 'Tennis', sapHobbyId: 'TEN' },
	{ hobby: 'Horse riding', sapHobbyId: 'HRS' },
	{ hobby: 'Cars', sapHobbyId: 'CRS' },
];

const PRODUCT_COLLECTIONS = [
	{ productCollection: 'Panthère', sapProductCollectionId: 'PC-1' },
	{ productCollection: 'Love', sapProductCollectionId: 'PC-2' },
	{ productCollection: 'Santos', sapProductCollectionId: 'PC-3' },
	{ productCollection: 'Alhambra', sapProductCollectionId: 'PC-4' },
	{ productCollection: 'Portugieser', sapProductCollectionId: 'PC-5' },
	{ productCollection: 'Reverso', sapProductCollectionId: 'PC-6' },
];

/** Category tree leaves: grand > master > category > sub, plus a brand category. */
const PRODUCT_CATEGORIES = [
	{ brandCategoryId: 'BC-W', grandCategoryId: 'WAT', masterCategoryId: 'WAT-M', categoryId: 'WAT-M-AUT', subCategoryId: 'WAT-M-AUT-STEEL' },
	{ brandCategoryId: 'BC-W', grandCategoryId: 'WAT', masterCategoryId: 'WAT-M', categoryId: 'WAT-M-AUT', subCategoryId: 'WAT-M-AUT-GOLD' },
	{ brandCategoryId: 'BC-W', grandCategoryId: 'WAT', masterCategoryId: 'WAT-L', categoryId: 'WAT-L-QTZ', subCategoryId: 'WAT-L-QTZ-STEEL' },
	{ brandCategoryId: 'BC-J', grandCategoryId: 'JEW', masterCategoryId: 'JEW-R', categoryId: 'JEW-R-BRI', subCategoryId: 'JEW-R-BRI-PLAT' },
	{ brandCategoryId: 'BC-J', grandCategoryId: 'JEW', masterCategoryId: 'JEW-N', categoryId: 'JEW-N-PEN', subCategoryId: 'JEW-N-PEN-GOLD' },
	{ brandCategoryId: 'BC-A', grandCategoryId: 'ACC', masterCategoryId: 'ACC-L', categoryId: 'ACC-L-BAG', subCategoryId: 'ACC-L-BAG-CALF' },
	{ brandCategoryId: 'BC-A', grandCategoryId: 'ACC', masterCategoryId: 'ACC-P', categoryId: 'ACC-P-PEN', subCategoryId: 'ACC-P-PEN-RES' },
];

const FIRST_NAMES = ['Anna', 'Luca', 'Sophie', 'James', 'Yuki', 'Wei', 'Elena', 'Marc', 'Olivia', 'Hugo', 'Chloé', 'Matteo', 'Hannah', 'Noah', 'Aiko', 'Li', 'Isabel', 'Omar', 'Clara', 'Felix', 'Emma', 'Louis', 'Giulia', 'Max'];
const LAST_NAMES = ['Müller', 'Rossi', 'Dubois', 'Smith', 'Tanaka', 'Wang', 'García', 'Meier', 'Bernard', 'Bianchi', 'Schmidt', 'Johnson', 'Suzuki', 'Chen', 'Martin', 'Ricci', 'Weber', 'Brown', 'Sato', 'Zhang', 'Lefèvre', 'Fischer', 'Romano', 'Taylor'];

const SALE_REPRESENTATIVES_PER_POS = 3;

function saleRepresentativeEmails(posCode) {
	const slug = posCode.replace(':', '-').toLowerCase();
	return Array.from({ length: SALE_REPRESENTATIVES_PER_POS }, (_, index) => `rep${index + 1}.${slug}@sandbox.booster`);
}

const SANDBOX_ACCOUNTS = Object.freeze({
	main: Object.freeze({
		name: 'main',
		apiKey: 'bst_sandbox_main_key',
		userName: 'marketing.ops@sandbox.booster',
		password: 'Sandbox-Pa55word!',
		displayName: 'Marketing Ops (sandbox)',
		brands: Object.freeze(['CAR', 'VCA', 'IWC', 'JLC', 'MTB']),
		posCodes: null,
	}),
	limited: Object.freeze({
		name: 'limited',
		apiKey: 'bst_sandbox_limited_key',
		userName: 'boutique.manager@sandbox.booster',
		password: 'Limited-Pa55word!',
		displayName: 'Boutique Manager (sandbox)',
		brands: Object.freeze(['CAR']),
		posCodes: Object.freeze(POINTS_OF_SALE.filter((pos) => pos.brand === 'CAR').slice(0, 2).map((pos) => pos.posCode)),
	}),
});

function canSeeBrand(account, brand) {
	return account.brands.includes(brand);
}

function canSeePos(account, pos) {
	return canSeeBrand(account, pos.brand) && (account.posCodes === null || account.posCodes.includes(pos.posCode));
}

module.exports = {
	COUNTRIES,
	BRANDS,
	POINTS_OF_SALE,
	INTERESTS,
	HOBBIES,
	PRODUCT_COLLECTIONS,
	PRODUCT_CATEGORIES,
	FIRST_NAMES,
	LAST_NAMES,
	SANDBOX_ACCOUNTS,
	saleRepresentativeEmails,
	canSeeBrand,
	canSeePos,
};
