import type { IExecuteFunctions } from 'n8n-workflow';

import { FieldError } from '../api/validation';

/** How many results an item asks for, checked before anything is sent; undefined means all. */
export function limitOf(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex) as boolean) return undefined;
	const limit = context.getNodeParameter('limit', itemIndex);
	if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
		throw new FieldError('limit', 'Limit', limit, 'Enter a whole number of at least 1, or turn on Return All.');
	}
	return limit;
}

/** One page of a paged Booster list (page, items, totalPages, totalResults, elements). */
export interface Page<Element> {
	elements: Element[] | null;
	totalPages: number | null;
}

/** Largest page Booster serves. */
export const MAX_PAGE_SIZE = 1000;

/**
 * Reads pages 0, 1, … of one size until `limit` elements are read or the list ends: a page shorter
 * than asked, or the last page Booster announced.
 */
export async function collectPages<Element>(
	fetchPage: (page: number, items: number) => Promise<Page<Element>>,
	limit: number | undefined,
	pageSize = MAX_PAGE_SIZE,
): Promise<Element[]> {
	const size = limit === undefined ? pageSize : Math.min(pageSize, limit);
	const collected: Element[] = [];
	for (let page = 0; limit === undefined || collected.length < limit; page++) {
		const response = await fetchPage(page, size);
		const elements = response.elements ?? [];
		for (const element of elements) collected.push(element);
		const totalPages = response.totalPages ?? 0;
		if (elements.length < size || (totalPages > 0 && page + 1 >= totalPages)) break;
	}
	return limit === undefined ? collected : collected.slice(0, limit);
}
