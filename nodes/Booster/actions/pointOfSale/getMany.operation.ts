import { type IExecuteFunctions, type INodeExecutionData, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { API, GetPosBrand } from '../../api/dtos';
import { collectPages, limitOf } from '../../helpers/pages';
import { requestFromParameters } from '../../helpers/request';
import { itemRequestSettings } from '../../helpers/settings';
import { type BoosterSession, callBooster } from '../../transport';
import { advancedCollection, returnAllParameters } from '../common.descriptions';
import { parameterFor } from '../parameters';

const properties: INodeProperties[] = [
	...parameterFor(GetPosBrand, 'brand', {
		placeholder: 'e.g. CAR',
		description: 'Brand trigram of the Maison, such as CAR for Cartier',
	}),
	...returnAllParameters,
	advancedCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['pointOfSale'], operation: ['getMany'] } }, properties);

/** The points of sale of a brand that the account may see. */
export async function execute(this: IExecuteFunctions, itemIndex: number, session: BoosterSession): Promise<INodeExecutionData[]> {
	const { brand } = requestFromParameters(GetPosBrand, { brand: this.getNodeParameter('brand', itemIndex) }, this.getTimezone());
	const limit = limitOf(this, itemIndex);
	const settings = itemRequestSettings(this, itemIndex);
	const points = await collectPages(async (page, items) => await callBooster(session, API.getPosBrand, { brand, page, items }, settings), limit);
	return this.helpers.returnJsonArray(points);
}
