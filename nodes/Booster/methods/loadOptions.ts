import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { API } from '../api/dtos';
import { collectPages } from '../helpers/pages';
import { BoosterSession, callBooster } from '../transport';

const PAGE_SIZE = 500;
const MOST_SHOWN = 10_000;

/** POS codes of the chosen brand, from GET /security/pos, page by page. */
export async function getPosCodes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const brand = String(this.getCurrentNodeParameter('brand') ?? '').trim();
	if (brand === '') return [];
	const session = new BoosterSession(this);
	const points = await collectPages(
		async (page, items) => await callBooster(session, API.getPosBrand, { brand, page, items }, { format: 'json' }),
		MOST_SHOWN,
		PAGE_SIZE,
	).finally(() => session.close());
	return points.map((pos) => {
		const place = [pos.city, pos.country].filter(Boolean).join(', ');
		return { name: `${String(pos.posCode)} · ${String(pos.name ?? '')}${place ? ` (${place})` : ''}`, value: String(pos.posCode) };
	});
}
