import type { INodeProperties } from 'n8n-workflow';

import { Booster } from '../../../nodes/Booster/Booster.node';
import { BoosterTrigger } from '../../../nodes/BoosterTrigger/BoosterTrigger.node';
import { ExportCustomer, GetCustomerKpi, SearchCustomer } from '../../../nodes/Booster/api/dtos';
import { type Dto, NS, field } from '../../../nodes/Booster/api/schema';
import { TASK_TYPE_OPTIONS, transportOptions } from '../../../nodes/Booster/actions/common.descriptions';
import { parameterFor, parametersFor } from '../../../nodes/Booster/actions/parameters';
import { DEFAULT_TIMEOUT_MS } from '../../../nodes/Booster/transport';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/Booster/transport/retry';

describe('editor parameters derived from the DTO descriptions', () => {
	it('takes name, display name, type, required flag and limits from the field', () => {
		expect(parameterFor(SearchCustomer, 'brand')).toEqual([{ displayName: 'Brand', name: 'brand', required: true, type: 'string', default: '' }]);
		// An optional number is text in the editor: left empty it is not sent, where a number box would send 0.
		expect(parameterFor(SearchCustomer, 'clientSpendingFrom')).toEqual([
			{ displayName: 'Client Spending From', name: 'clientSpendingFrom', type: 'string', default: '' },
		]);
		// A required number keeps its number box and the field's limits.
		expect(parameterFor(GetCustomerKpi, 'boosterCustomerId')).toEqual([
			{
				displayName: 'Booster Customer ID',
				name: 'boosterCustomerId',
				required: true,
				type: 'number',
				default: 0,
				typeOptions: { minValue: 1, maxValue: 2147483647 },
			},
		]);
		expect(parameterFor(SearchCustomer, 'creationDateTo')[0]).toMatchObject({ type: 'dateTime', default: '' });
		expect(parameterFor(SearchCustomer, 'hasSapCrmError')[0]).toMatchObject({ type: 'options', default: 'any' });
	});

	it('offers the known values of a field as a list to pick from', () => {
		expect(parameterFor(SearchCustomer, 'customerStatus')[0]).toMatchObject({
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'Client', value: 'Client' },
				{ name: 'Prospect', value: 'Prospect' },
			],
		});
	});

	it('makes a list of objects a repeatable group with the entry class\'s fields, and keeps an expression-given group', () => {
		const [group, keeper] = parameterFor(SearchCustomer, 'interests', { entry: { name: 'interest', displayName: 'Interest' } });
		expect(group).toMatchObject({ name: 'interests', type: 'fixedCollection', typeOptions: { multipleValues: true }, placeholder: 'Add Interest' });
		expect(group.options).toEqual([
			{
				displayName: 'Interest',
				name: 'interest',
				values: [
					{ displayName: 'Interest', name: 'interest', type: 'string', default: '', required: true, placeholder: '' },
					{ displayName: 'SAP Interest ID', name: 'sapInterestId', type: 'string', default: '', required: true, placeholder: '' },
				],
			},
		]);
		expect(keeper).toEqual({ displayName: 'Interests', name: 'interests', type: 'hidden', default: {} });
	});

	it('lets the operation add what is about the editor, and change the type where the editor shows it otherwise', () => {
		const [id] = parameterFor(ExportCustomer, 'downloadRequestId', { required: false, description: 'Left empty, one is generated' });
		expect(id).toEqual({ displayName: 'Download Request ID', name: 'downloadRequestId', type: 'string', default: '', description: 'Left empty, one is generated' });
	});

	it('a new field is one line in the DTO and one entry in the operation', () => {
		const Extended = {
			name: 'ExtendedSearch',
			namespace: NS.crm,
			base: SearchCustomer,
			fields: { weddingDateFrom: field.dateTime('Wedding Date From') },
		} satisfies Dto;
		const parameters = parametersFor(Extended, { weddingDateFrom: { description: 'Married on or after' }, birthdateMonths: {} });
		expect(parameters.map((parameter) => parameter.displayName)).toEqual(['Birthdate Months', 'Wedding Date From']);
		expect(parameters[1]).toEqual({ displayName: 'Wedding Date From', name: 'weddingDateFrom', type: 'dateTime', default: '', description: 'Married on or after' });
	});

	it('refuses a field the class does not have', () => {
		expect(() => parameterFor(SearchCustomer, 'notAField')).toThrow(/SearchCustomer has no field "notAField"/);
	});
});

it('the literal defaults of Max Retries and Request Timeout are the transport\'s defaults', () => {
	const byName = Object.fromEntries(transportOptions.map((option) => [option.name, option.default]));
	expect(byName.maxRetries).toBe(DEFAULT_RETRY_POLICY.maxRetries);
	expect(byName.timeoutSeconds).toBe(DEFAULT_TIMEOUT_MS / 1000);
});

describe('the node description: resources, operations and where each setting sits', () => {
	const node = new Booster().description;
	const trigger = new BoosterTrigger().description;
	const shownFor = (resource: string, operation: string) =>
		node.properties.filter((parameter) => {
			const show = parameter.displayOptions?.show;
			return show?.resource?.includes(resource) && show?.operation?.includes(operation);
		});
	const operationsOf = (resource: string) =>
		node.properties
			.filter((parameter) => parameter.name === 'operation' && parameter.displayOptions?.show?.resource?.includes(resource))
			.flatMap((parameter) => (parameter.options as Array<{ value: string }>).map((option) => option.value));
	const TRANSPORT = ['maxRetries', 'requestFormat', 'timeoutSeconds'];
	const names = (parameter?: INodeProperties) => ((parameter?.options ?? []) as INodeProperties[]).map((option) => option.name);

	it('is version 1 and 1.1, 1.1 by default', () => {
		expect(node.version).toEqual([1, 1.1]);
		expect(node.defaultVersion).toBe(1.1);
	});

	it('offers the resources Customer, Point of Sale and Task, and their operations', () => {
		const resource = node.properties.find((parameter) => parameter.name === 'resource')!;
		expect((resource.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['customer', 'pointOfSale', 'task']);
		expect(operationsOf('customer')).toEqual(['export', 'get', 'getKpi', 'search', 'updateConsents']);
		expect(operationsOf('pointOfSale')).toEqual(['getMany']);
		expect(operationsOf('task')).toEqual(['downloadFile', 'get', 'getMany']);
	});

	it.each([
		['customer', 'export'],
		['customer', 'get'],
		['customer', 'getKpi'],
		['customer', 'search'],
		['customer', 'updateConsents'],
		['pointOfSale', 'getMany'],
		['task', 'get'],
		['task', 'getMany'],
		['task', 'downloadFile'],
	])('%s → %s: Max Retries, Request Format and Request Timeout sit under Advanced, not under Options', (resource, operation) => {
		const parameters = shownFor(resource, operation);
		const advanced = parameters.filter((parameter) => parameter.name === 'advanced');
		expect(advanced).toHaveLength(1);
		expect(advanced[0]).toMatchObject({ type: 'collection', default: {} });
		expect(names(advanced[0])).toEqual(expect.arrayContaining(TRANSPORT));
		expect(names(advanced[0]).includes('concurrency')).toBe(operation === 'getKpi');
		// Options, where an operation has them, keep the moved settings only as hidden values of saved workflows.
		for (const options of parameters.filter((parameter) => parameter.name === 'options')) {
			for (const option of (options.options ?? []) as INodeProperties[]) {
				if (TRANSPORT.includes(option.name) || option.name === 'concurrency') expect(option.type).toBe('hidden');
			}
		}
	});

	it('the trigger has Advanced too, and offers the task types as a list with All Types', () => {
		const advanced = trigger.properties.find((parameter) => parameter.name === 'advanced');
		expect(advanced).toMatchObject({ type: 'collection', default: {} });
		expect(names(advanced).sort()).toEqual(TRANSPORT);
		const options = trigger.properties.find((parameter) => parameter.name === 'options')!;
		for (const option of options.options as INodeProperties[]) {
			if (TRANSPORT.includes(option.name)) expect(option.type).toBe('hidden');
		}
		const taskType = trigger.properties.find((parameter) => parameter.name === 'taskType')!;
		expect(taskType).toMatchObject({ type: 'options', default: 'crm' });
		expect((taskType.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['', 'crm', 'sellout', 'stock']);
		// Written out in the trigger for n8n's lint; the same list as Task → Get Many offers.
		expect(taskType.options).toEqual([{ name: 'All Types', value: '' }, ...TASK_TYPE_OPTIONS]);
	});

	it('Customer → Export: Output exists per version (Customers by default in 1.1; in 1 hidden, and its two switches decide, shown as before)', () => {
		const outputs = shownFor('customer', 'export').filter((parameter) => parameter.name === 'output');
		expect(outputs.map((parameter) => [parameter.type, parameter.default, parameter.displayOptions?.show?.['@version']])).toEqual([
			['options', 'customers', [{ _cnd: { gte: 1.1 } }]],
			['hidden', 'asOptionsSay', [1]],
		]);
		expect((outputs[0].options as Array<{ value: string }>).map((option) => option.value)).toEqual(['customers', 'file', 'task']);
		const options = shownFor('customer', 'export').find((parameter) => parameter.name === 'options')!;
		const byName = Object.fromEntries((options.options as INodeProperties[]).map((option) => [option.name, option]));
		expect(byName.downloadFile).toMatchObject({ type: 'boolean', displayOptions: { show: { '/output': ['asOptionsSay'] } } });
		expect(byName.waitForCompletion).toMatchObject({ type: 'boolean', displayOptions: { show: { '/output': ['asOptionsSay'] } } });
		expect(byName.pollIntervalSeconds.displayOptions?.show?.['/output']).toEqual(['customers', 'file', 'asOptionsSay']);
		expect(byName.binaryPropertyName.displayOptions?.show?.['/output']).toEqual(['file', 'asOptionsSay']);
		expect(byName.timeoutMinutes).toMatchObject({ displayName: 'Wait at Most (Minutes)', type: 'number', default: 30 });
	});
});
