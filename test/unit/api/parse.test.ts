import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ErrorResponse, GetCustomerKpiResponse, Task } from '../../../nodes/Booster/api/dtos';
import { coerceDto, parseResponse } from '../../../nodes/Booster/api/parse';
import { ResponseFormatError } from '../../../nodes/Booster/api/response-format-error';
import { parseXmlDocument } from '../../../nodes/Booster/api/xml';

const kpiSeedXml = readFileSync(join(__dirname, '../../fixtures/get-customer-kpi-response.seed.xml'), 'utf8');

const taskXml = (id: string, status: string) =>
	`<Task><asyncTaskId>${id}</asyncTaskId><brand>CAR</brand><downloadUrl i:nil="true" /><percentage>40</percentage>` +
	`<requestDate>2026-11-22T10:00:00</requestDate><status>${status}</status><totalResults>12</totalResults><type>crm</type></Task>`;

describe('parsing responses into typed JSON', () => {
	it('reads the seed KPI sample with numbers as numbers, in declaration order', () => {
		const kpi = parseResponse(GetCustomerKpiResponse, kpiSeedXml, 'xml') as Record<string, unknown>;
		expect(kpi).toEqual({
			boosterCustomerId: 0,
			totalTransaction: 0,
			totalSales: 0,
			totalReturn: 0,
			totalItems: 0,
			averageBasketAmount: 0,
			totalSpendingAmount: 0,
			currencyCode: 'String',
		});
		expect(Object.keys(kpi)[0]).toBe('boosterCustomerId');
	});

	it('gives the same object for the same data in JSON and XML', () => {
		const json =
			'[{"asyncTaskId":"0f8fad5bd9cb469fa16570867728950e","type":"crm","requestDate":"2026-11-22T10:00:00","status":"INP","percentage":40,"brand":"CAR","downloadUrl":null,"totalResults":12}]';
		const xml =
			'<ArrayOfTask xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Richemont.Booster2.PublicApi.NightlyProcess.ServiceModel">' +
			taskXml('0f8fad5b-d9cb-469f-a165-70867728950e', 'INP') +
			'</ArrayOfTask>';
		const fromJson = parseResponse(Task, json, 'json', true);
		const fromXml = parseResponse(Task, xml, 'xml', true);
		expect(fromXml).toEqual(fromJson);
		expect(fromJson).toEqual([
			{
				asyncTaskId: '0f8fad5b-d9cb-469f-a165-70867728950e',
				type: 'crm',
				requestDate: '2026-11-22T10:00:00',
				status: 'INP',
				percentage: 40,
				brand: 'CAR',
				downloadUrl: null,
				signedDownloadUrl: null,
				totalResults: 12,
				totalSucceeded: null,
				totalFailed: null,
			},
		]);
	});

	it('reads a list of one, of many and of none', () => {
		const wrap = (inner: string) => `<ArrayOfTask xmlns="urn:x">${inner}</ArrayOfTask>`;
		expect(parseResponse(Task, wrap(''), 'xml', true)).toEqual([]);
		expect(parseResponse(Task, wrap(taskXml('0f8fad5bd9cb469fa16570867728950e', 'COM')), 'xml', true)).toHaveLength(1);
		const two = taskXml('0f8fad5bd9cb469fa16570867728950e', 'COM') + taskXml('1f8fad5bd9cb469fa16570867728950e', 'ERR');
		expect((parseResponse(Task, wrap(two), 'xml', true) as Array<{ status: string }>).map((task) => task.status)).toEqual([
			'COM',
			'ERR',
		]);
	});

	it('reads ServiceStack error responses in both formats alike', () => {
		const json = {
			responseStatus: {
				errorCode: 'NotEmpty',
				message: "'Brand' must not be empty.",
				errors: [{ errorCode: 'NotEmpty', fieldName: 'brand', message: "'Brand' must not be empty." }],
			},
		};
		const xml =
			'<ErrorResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.servicestack.net/types"><ResponseStatus>' +
			"<ErrorCode>NotEmpty</ErrorCode><Message>'Brand' must not be empty.</Message><StackTrace i:nil=\"true\" />" +
			"<Errors><ResponseError><ErrorCode>NotEmpty</ErrorCode><FieldName>brand</FieldName><Message>'Brand' must not be empty.</Message></ResponseError></Errors>" +
			'</ResponseStatus></ErrorResponse>';
		const fromXml = coerceDto(ErrorResponse, parseXmlDocument(xml).root, 'xml');
		expect(fromXml.responseStatus).toMatchObject(json.responseStatus);
		expect(coerceDto(ErrorResponse, json, 'json')).toEqual(json);
	});

	it('turns WCF /Date()/ values into ISO dates', () => {
		const parsed = parseResponse(
			{ name: 'X', namespace: 'urn:x', fields: { when: { kind: 'dateTime', label: 'When', required: false, rules: {} } } },
			'{"when":"/Date(1700000000000-0000)/"}',
			'json',
		);
		expect(parsed).toEqual({ when: '2023-11-14T22:13:20.000Z' });
	});

	it.each([
		['truncated JSON', '{"asyncTaskId":"0f8f', 'json', /not valid JSON/],
		['an HTML page', '<html><body>Bad gateway</body></html', 'xml', /not well-formed XML/],
		['an empty body', '   ', 'json', /empty/],
		['a number where a number is expected', '{"totalSales":"many"}', 'json', /should be a number/],
		['a DOCTYPE', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', 'xml', /DOCTYPE or ENTITY/],
		['an entity expansion bomb', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>', 'xml', /DOCTYPE or ENTITY/],
	] as const)('refuses %s with a clear error', (_, body, format, message) => {
		expect(() => parseResponse(GetCustomerKpiResponse, body, format)).toThrow(ResponseFormatError);
		expect(() => parseResponse(GetCustomerKpiResponse, body, format)).toThrow(message);
	});
});
