/**
 * Reading one page of the blocklist: its entries, in both shapes the API uses
 * (`{user, block_reason}` and Meta's `{messaging_product, wa_id}`), for users known by a
 * phone number (`wa_id`) or by a BSUID (`user_id`), and its `after` cursor.
 * Pure functions, no n8n types.
 */
import type { IDataObject } from 'n8n-workflow';

import { isBsuid } from './bsuid';
import { isRecord } from './json';

function idText(value: unknown): string | undefined {
	const raw = typeof value === 'number' ? String(value) : value;
	return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
}

/** The phone number (without +) and the BSUID a list entry names; `user` may hold either. */
function entryIds(entry: Record<string, unknown>): { waId?: string; userId?: string } {
	const user = idText(entry.user);
	const userIsBsuid = user !== undefined && isBsuid(user);
	const waId = (idText(entry.wa_id) ?? (userIsBsuid ? undefined : user))?.replace(/^\+/, '');
	const userId = idText(entry.user_id) ?? (userIsBsuid ? user : undefined);
	return { waId: waId === '' ? undefined : waId, userId };
}

/**
 * One list entry as an output item's JSON, or undefined if it names nobody. `user` is the
 * phone number (without +) or, for a user known only by one, the BSUID; `wa_id` and
 * `user_id` are null when the server did not give them.
 */
export function listEntryToJson(entry: unknown, phoneNumberId: string): IDataObject | undefined {
	if (!isRecord(entry)) return undefined;
	const { waId, userId } = entryIds(entry);
	const user = waId ?? userId;
	if (user === undefined) return undefined;
	return {
		...(entry as IDataObject),
		user,
		wa_id: waId ?? null,
		user_id: userId ?? null,
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
