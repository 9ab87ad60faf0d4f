import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	updateDisplayOptions,
} from 'n8n-workflow';

import { API, UpdateConsents } from '../../api/dtos';
import { FieldError } from '../../api/validation';
import { requestFromParameters } from '../../helpers/request';
import { itemRequestSettings } from '../../helpers/settings';
import { type BoosterSession, callBooster } from '../../transport';
import { LEAVE_UNCHANGED_OPTIONS, advancedCollection } from '../common.descriptions';
import { parameterFor } from '../parameters';
import { customerIdOf, customerIdParameter } from './customer.descriptions';

const FLAGS: Record<string, string> = {
	contactByEmailFlag: 'Whether the Maison may write to the customer by e-mail',
	contactByMailFlag: 'Whether the Maison may write to the customer by post',
	contactByPhoneFlag: 'Whether the Maison may call the customer',
	contactBySMSFlag: 'Whether the Maison may send the customer text messages',
	contactBySocialMediaFlag: 'Whether the Maison may contact the customer on social media',
	privacyAcceptance: 'Whether the customer accepted the privacy policy',
	allowStoreDataAbroad: "Whether the customer's data may be stored outside their country",
};

const properties: INodeProperties[] = [
	customerIdParameter,
	...Object.entries(FLAGS).flatMap(([name, description]) =>
		parameterFor(UpdateConsents, name, { options: LEAVE_UNCHANGED_OPTIONS, default: 'any', description }),
	),
	advancedCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['updateConsents'] } }, properties);

/** Sends the consent flags set to Yes or No; the output says which were sent. */
export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const boosterCustomerId = customerIdOf(this, itemIndex);
	const flags: IDataObject = {};
	for (const name of Object.keys(FLAGS)) flags[name] = this.getNodeParameter(name, itemIndex, 'any');
	const changes = requestFromParameters(UpdateConsents, flags, this.getTimezone());
	if (Object.keys(changes).length === 0) {
		throw new FieldError('consents', 'Consents', 'all Leave Unchanged', 'Set at least one consent to Yes or No.');
	}
	await callBooster(session, API.updateConsents, { boosterCustomerId, ...changes }, itemRequestSettings(this, itemIndex));
	return this.helpers.returnJsonArray({ boosterCustomerId, ...changes });
}
