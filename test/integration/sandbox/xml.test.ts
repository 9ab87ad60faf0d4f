import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, RunningSandbox, SANDBOX_ACCOUNTS } from '../../sandbox';
import { apiClient, json, CRM_NS, ARRAYS_NS } from './sandboxClient';

let sandbox: RunningSandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ customers: 1500, exportDurationMs: 0 });
});
afterAll(() => sandbox.stop());

// Verbatim copy of the XML request sample from the ExportCustomer metadata page (shared/seeds/000_54bf65ec9057eb7c.txt).
const seedSample = fs.readFileSync(path.join(__dirname, 'fixtures', 'ExportCustomer.seed.xml'), 'utf8').trim();

function filledSeedSample(downloadRequestId: string): string {
	const posCode = sandbox.accounts.limited.posCodes![0];
	const values: Record<string, string> = {
		brand: 'CAR', email: 'someone@example.com', phoneNumber: '+41790000000', searchKey: 'a', downloadRequestId,
		clientSpendingFrom: '0', clientSpendingTo: '1000000', canBeContactedByMaison: 'true', hasSapCrmError: 'false',
		creationDateFrom: '2015-01-01T00:00:00', creationDateTo: '2025-01-01T00:00:00', transactionDateFrom: '2015-01-01T00:00:00', transactionDateTo: '2025-12-31T00:00:00',
	};
	let xml = seedSample;
	for (const [name, value] of Object.entries(values)) xml = xml.replace(new RegExp(`<${name}>[^<]*</${name}>`), `<${name}>${value}</${name}>`);
	return xml
		.replace(/<posCodes([^>]*)>\s*<d2p1:string>String<\/d2p1:string>/, `<posCodes$1><d2p1:string>${posCode}</d2p1:string>`)
		.replace(/<d2p1:int>0<\/d2p1:int>/g, '<d2p1:int>1</d2p1:int>')
		.replace(/>String</g, '>X<');
}

const post = (xml: string) =>
	apiClient(sandbox, sandbox.accounts.main).post('/customer/CAR/export', xml, { headers: { 'Content-Type': 'application/xml', Accept: 'application/xml' } });

const minimal = (inner: string) => `<ExportCustomer xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${CRM_NS}">${inner}</ExportCustomer>`;
const posCodes = () => `<posCodes xmlns:d2p1="${ARRAYS_NS}"><d2p1:string>${SANDBOX_ACCOUNTS.limited.posCodes![0]}</d2p1:string></posCodes>`;

describe('XML requests (strict mode, the default)', () => {
	it('accepts the seed sample with real values and answers ExportCustomerResponse with a dashed GUID', async () => {
		const response = await post(filledSeedSample('xml-seed'));
		expect(response.status).toBe(200);
		expect(String(response.data)).toMatch(new RegExp(`^<ExportCustomerResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${CRM_NS}"><asyncTaskId>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}</asyncTaskId></ExportCustomerResponse>$`));
		const task = [...sandbox.state.tasks.values()].find((candidate) => candidate.downloadRequestId === 'xml-seed') as any;
		expect(task.search.posCodes).toEqual([sandbox.accounts.limited.posCodes![0]]);
		expect(task.search.productCategories[0]).toEqual({ brandCategoryId: 'X', categoryId: 'X', grandCategoryId: 'X', masterCategoryId: 'X', subCategoryId: 'X' });
		expect(task.search.birthdateMonths).toEqual([1]);
	});

	it.each([
		['out of order', minimal(`<downloadRequestId>a</downloadRequestId>${posCodes()}`), 'posCodes', 'out of order'],
		['unknown', minimal(`${posCodes()}<posCode>x</posCode><downloadRequestId>a</downloadRequestId>`), 'posCode', 'unknown element'],
		['duplicated', minimal(`<brand>CAR</brand><brand>CAR</brand>${posCodes()}<downloadRequestId>a</downloadRequestId>`), 'brand', 'duplicated'],
		['in the wrong namespace', minimal(`${posCodes()}<downloadRequestId xmlns="urn:other">a</downloadRequestId>`), 'downloadRequestId', 'namespace'],
		['a ProductCategory member outside the Common namespace', minimal(`${posCodes()}<productCategories xmlns:d2p1="http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.Common.ServiceModel"><d2p1:ProductCategory><grandCategoryId>WAT</grandCategoryId></d2p1:ProductCategory></productCategories><downloadRequestId>a</downloadRequestId>`), 'productCategories/ProductCategory/grandCategoryId', 'namespace'],
	])('answers 400 naming an element %s', async (_label, xml, element, problem) => {
		const response = await post(xml);
		expect(response.status).toBe(400);
		const body = String(response.data);
		expect(body).toContain(`<FieldName>${element}</FieldName>`);
		expect(body).toContain(problem);
	});

	it('refuses DOCTYPE and ENTITY declarations', async () => {
		const response = await post(`<!DOCTYPE ExportCustomer [<!ENTITY x "y">]>${minimal(posCodes())}`);
		expect(response.status).toBe(400);
		expect(String(response.data)).toContain('DOCTYPE');
	});

	it('answers 400 for a wrong root element', async () => {
		const response = await post(`<SearchCustomer xmlns="${CRM_NS}"/>`);
		expect(response.status).toBe(400);
	});
});

describe('XML requests with strictXml off', () => {
	it('ignores out-of-order and unknown elements like DataContractSerializer', async () => {
		sandbox.state.setConfig({ strictXml: false });
		try {
			const outOfOrder = await post(minimal(`${posCodes()}<brand>CAR</brand><unknown>1</unknown><downloadRequestId>lenient</downloadRequestId>`));
			expect(outOfOrder.status).toBe(200);
			const dropped = await post(minimal(`<downloadRequestId>lenient-2</downloadRequestId>${posCodes()}`));
			expect(dropped.status).toBe(400);
			expect(String(dropped.data)).toContain('<FieldName>posCodes</FieldName>');
		} finally {
			sandbox.state.setConfig({ strictXml: true });
		}
	});
});

describe('JSON requests', () => {
	it('accepts ISO and /Date(ms)/ dates and answers a 32-digit GUID', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).post('/customer/CAR/export', {
			downloadRequestId: 'json-dates', posCodes: sandbox.accounts.limited.posCodes, creationDateFrom: '\\/Date(1577836800000-0000)\\/', creationDateTo: '2024-01-01T00:00:00Z',
		});
		expect(response.status).toBe(200);
		expect(json(response).asyncTaskId).toMatch(/^[0-9a-f]{32}$/);
	});

	it('answers 400 naming a field with an invalid value', async () => {
		const response = await apiClient(sandbox, sandbox.accounts.main).post('/customer/CAR/export', { downloadRequestId: 'bad', posCodes: ['x'], creationDateFrom: 'yesterday' });
		expect(response.status).toBe(400);
		expect(json(response).responseStatus.errors[0].fieldName).toBe('creationDateFrom');
	});
});
