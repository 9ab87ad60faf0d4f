import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ExportCustomer, GetCustomerKpi } from '../../../nodes/Booster/api/dtos';
import { toJson, toQuery, toXml } from '../../../nodes/Booster/api/serialize';

const seedXml = readFileSync(join(__dirname, '../../fixtures/export-customer.seed.xml'), 'utf8');

/** The seed's sample is indented; DataContractSerializer ignores whitespace between elements. */
function compact(xml: string): string {
	return xml.replace(/>\s+</g, '><').trim();
}

/** Every field set to the placeholder values of the metadata page's sample. */
const seedValues = {
	downloadRequestId: 'String',
	brand: 'String',
	posCodes: ['String'],
	searchKey: 'String',
	phoneNumber: 'String',
	email: 'String',
	locationCountryIds: ['String'],
	clientSpendingFrom: 0,
	clientSpendingTo: 0,
	creationDateFrom: '0001-01-01',
	creationDateTo: '0001-01-01',
	transactionDateFrom: '0001-01-01',
	transactionDateTo: '0001-01-01',
	canBeContactedByMaison: false,
	birthdateMonths: [0],
	interests: [{ interest: 'String', sapInterestId: 'String' }],
	hobbies: [{ hobby: 'String', sapHobbyId: 'String' }],
	productCollections: [{ productCollection: 'String', sapProductCollectionId: 'String' }],
	customerStatus: ['String'],
	boosterCustomerIds: [0],
	hasSapCrmError: false,
	productCategories: [
		{
			brandCategoryId: 'String',
			grandCategoryId: 'String',
			masterCategoryId: 'String',
			categoryId: 'String',
			subCategoryId: 'String',
		},
	],
	saleRepresentativeEmails: ['String'],
};

describe('XML serialization of ExportCustomer', () => {
	it('writes exactly the seed sample: element order, namespaces and d2p1 prefixes', () => {
		expect(toXml(ExportCustomer, seedValues)).toBe(compact(seedXml));
	});

	it('writes the same document whatever order the fields were given in', () => {
		const reversed = Object.fromEntries(Object.entries(seedValues).reverse());
		expect(toXml(ExportCustomer, reversed)).toBe(compact(seedXml));
	});

	it('leaves out fields that are not set and escapes text', () => {
		const xml = toXml(ExportCustomer, {
			brand: 'CAR',
			posCodes: ['CH100:100001'],
			searchKey: 'Smith & <Sons>',
			downloadRequestId: 'r-1',
		});
		expect(xml).toBe(
			'<ExportCustomer xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.CRM.ServiceModel">' +
				'<brand>CAR</brand>' +
				'<posCodes xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><d2p1:string>CH100:100001</d2p1:string></posCodes>' +
				'<searchKey>Smith &amp; &lt;Sons&gt;</searchKey>' +
				'<downloadRequestId>r-1</downloadRequestId>' +
				'</ExportCustomer>',
		);
	});
});

describe('JSON serialization', () => {
	it('writes the derived member first, then the base members in declaration order', () => {
		const json = JSON.parse(toJson(ExportCustomer, seedValues)) as Record<string, unknown>;
		expect(Object.keys(json)).toEqual([
			'downloadRequestId',
			'brand',
			'posCodes',
			'searchKey',
			'phoneNumber',
			'email',
			'locationCountryIds',
			'clientSpendingFrom',
			'clientSpendingTo',
			'creationDateFrom',
			'creationDateTo',
			'transactionDateFrom',
			'transactionDateTo',
			'canBeContactedByMaison',
			'birthdateMonths',
			'interests',
			'hobbies',
			'productCollections',
			'customerStatus',
			'boosterCustomerIds',
			'hasSapCrmError',
			'productCategories',
			'saleRepresentativeEmails',
		]);
		expect(Object.keys((json.productCategories as object[])[0])).toEqual([
			'brandCategoryId',
			'grandCategoryId',
			'masterCategoryId',
			'categoryId',
			'subCategoryId',
		]);
	});

	it('sends calendar dates as the API documents them, with no time zone', () => {
		const json = JSON.parse(toJson(ExportCustomer, { brand: 'CAR', creationDateFrom: '2024-03-01' }));
		expect(json.creationDateFrom).toBe('2024-03-01');
	});
});

describe('query strings', () => {
	it('carries the fields that are not in the path', () => {
		expect(
			toQuery(GetCustomerKpi, { boosterCustomerId: 5, transactionDateFrom: '2024-01-01' }, ['boosterCustomerId']),
		).toEqual({ transactionDateFrom: '2024-01-01' });
	});
});
