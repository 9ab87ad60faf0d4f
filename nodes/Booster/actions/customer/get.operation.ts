import { type IExecuteFunctions, type INodeExecutionData, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { API } from '../../api/dtos';
import { itemRequestSettings } from '../../helpers/settings';
import { type BoosterSession, callBooster } from '../../transport';
import { advancedCollection } from '../common.descriptions';
import { customerIdOf, customerIdParameter } from './customer.descriptions';

const properties: INodeProperties[] = [customerIdParameter, advancedCollection()];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const boosterCustomerId = customerIdOf(this, itemIndex);
	const customer = await callBooster(session, API.getCustomer, { boosterCustomerId }, itemRequestSettings(this, itemIndex));
	return this.helpers.returnJsonArray(customer);
}
