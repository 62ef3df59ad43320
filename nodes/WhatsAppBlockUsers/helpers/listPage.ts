/**
 * Reading one page of the blocklist: its entries, in both shapes the API uses
 * (`{user, block_reason}` and Meta's `{messaging_product, wa_id}`), and its `after` cursor.
 * Pure functions, no n8n types.
 */
import type { IDataObject } from 'n8n-workflow';

import { isRecord } from './json';

/** One list entry as an output item's JSON, or undefined if it names nobody. */
export function listEntryToJson(entry: unknown, phoneNumberId: string): IDataObject | undefined {
	if (!isRecord(entry)) return undefined;
	const raw = entry.wa_id ?? entry.user;
	if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
	const waId = String(raw).replace(/^\+/, '');
	if (waId === '') return undefined;
	return {
		...(entry as IDataObject),
		user: waId,
		wa_id: waId,
		block_reason: typeof entry.block_reason === 'string' ? entry.block_reason : null,
		phoneNumberId,
	};
}

/** The entries of a page (`data`), [] when it has none. */
export function pageEntries(body: unknown): unknown[] {
	return isRecord(body) && Array.isArray(body.data) ? body.data : [];
}

/** The `after` cursor of a page, if there is a next page. */
export function nextCursor(body: unknown): string | undefined {
	if (!isRecord(body) || !isRecord(body.paging)) return undefined;
	const cursors = body.paging.cursors;
	const after = isRecord(cursors) ? cursors.after : undefined;
	return typeof after === 'string' && after !== '' ? after : undefined;
}
