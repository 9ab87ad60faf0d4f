import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { API } from '../api/dtos';
import { BoosterSession, callBooster } from '../transport';

const PAGE_SIZE = 500;
const MAX_PAGES = 20;

/** POS codes of the chosen brand, from GET /security/pos, page by page. */
export async function getPosCodes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const brand = String(this.getCurrentNodeParameter('brand') ?? '').trim();
	if (brand === '') return [];
	const session = new BoosterSession(this);
	const options: INodePropertyOptions[] = [];
	for (let page = 0; page < MAX_PAGES; page++) {
		const response = await callBooster(session, API.getPosBrand, { brand, page, items: PAGE_SIZE }, { format: 'json' });
		const elements = response.elements ?? [];
		for (const pos of elements) {
			const place = [pos.city, pos.country].filter(Boolean).join(', ');
			options.push({
				name: `${String(pos.posCode)} · ${String(pos.name ?? '')}${place ? ` (${place})` : ''}`,
				value: String(pos.posCode),
			});
		}
		const totalPages = response.totalPages ?? 0;
		if (elements.length < PAGE_SIZE || page + 1 >= totalPages) break;
	}
	return options;
}
