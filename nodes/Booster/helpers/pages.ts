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
	totalResults: number | null;
}

/** Largest page Booster serves. */
export const MAX_PAGE_SIZE = 1000;

/** Most pages read for one list (100,000 results at full size): a longer customer list is for Export. */
export const MAX_PAGES = 100;

/** Booster kept answering pages: stopped rather than read forever. */
export class EndlessListError extends Error {}

/**
 * Reads pages 0, 1, … of one size until `limit` elements are read or the list ends: the count or
 * the last page Booster announced, or an empty page. A short page does not end it (a server may
 * serve fewer than asked per page). A page that repeats the one before, or more than MAX_PAGES pages, is an error.
 */
export async function collectPages<Element>(
	fetchPage: (page: number, items: number) => Promise<Page<Element>>,
	limit: number | undefined,
	pageSize = MAX_PAGE_SIZE,
): Promise<Element[]> {
	const size = limit === undefined ? pageSize : Math.min(pageSize, limit);
	const collected: Element[] = [];
	let previous = '';
	for (let page = 0; limit === undefined || collected.length < limit; page++) {
		if (page >= MAX_PAGES) throw new EndlessListError(`Booster was still answering after ${MAX_PAGES} pages of ${size}; stopped to keep the run bounded (for customers, Export reads lists of any length)`);
		const response = await fetchPage(page, size);
		const elements = response.elements ?? [];
		if (elements.length === 0) break;
		const signature = JSON.stringify([elements[0], elements[elements.length - 1], elements.length]);
		if (signature === previous) throw new EndlessListError(`Booster answered page ${page} with the same elements as page ${page - 1}`);
		previous = signature;
		for (const element of elements) collected.push(element);
		const totalPages = response.totalPages ?? 0;
		const totalResults = response.totalResults ?? 0;
		if ((totalPages > 0 && page + 1 >= totalPages) || (totalResults > 0 && collected.length >= totalResults)) break;
	}
	return limit === undefined ? collected : collected.slice(0, limit);
}
