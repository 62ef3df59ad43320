/**
 * Reading one page of the blocklist, and refusing what is not one. A page is an object with
 * a `data` array whose every entry is recognised: the provider's `{user, block_reason}`,
 * Meta's `{messaging_product, wa_id | user_id, ...}`, or the older grouped shape
 * `{block_users: [{input, wa_id | user_id}]}`. Anything else (an object without `data`, an
 * array, an entry that names nobody or names them in a form the node does not know) is not
 * a page: the read fails, it never counts as a shorter list. Paging is read from
 * `paging.cursors.after` and `paging.next` (whose `after` query parameter is the cursor when
 * the server gives only URLs). Pure functions, no n8n types beyond JSON.
 */
import type { IDataObject } from 'n8n-workflow';

import type { UserError } from '../types';
import { LocalErrorCode } from '../types';
import { isListedBsuid } from './bsuid';
import { isRecord, type JsonRecord } from './json';

/** Where a page says the list goes on: whether it names a next page, and the cursor to ask for it. */
export interface Paging {
	/** The page has `paging.next`: the server says there is more. */
	hasNext: boolean;
	/** The `after` cursor (from `paging.cursors.after`, else from the `next` URL). */
	after?: string;
	/** How many entries the page holds (grouped entries counted one by one). */
	size: number;
}

export type PageResult<T> = { ok: true; value: T } | { ok: false; error: UserError };

const PHONE_ID = /^\+?\d{1,20}$/;

function notAPage(message: string, details?: string): { ok: false; error: UserError } {
	const error: UserError = { code: LocalErrorCode.UnrecognisedAnswer, message };
	if (details !== undefined) error.details = details;
	return { ok: false, error };
}

function idText(value: unknown): string | undefined {
	const raw = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
}

/** The phone number (without +) and the BSUID a list entry names, or undefined if it names nobody clearly. */
function entryIds(entry: JsonRecord): { waId?: string; userId?: string } | undefined {
	const user = idText(entry.user);
	const waIdField = idText(entry.wa_id);
	const userIdField = idText(entry.user_id);
	if (entry.wa_id !== undefined && entry.wa_id !== null && (waIdField === undefined || !PHONE_ID.test(waIdField))) return undefined;
	if (entry.user_id !== undefined && entry.user_id !== null && (userIdField === undefined || !isListedBsuid(userIdField))) return undefined;
	let fromUser: { waId?: string; userId?: string } = {};
	if (user !== undefined) {
		if (PHONE_ID.test(user)) fromUser = { waId: user };
		else if (isListedBsuid(user)) fromUser = { userId: user };
		else return undefined;
	} else if (entry.user !== undefined && entry.user !== null) return undefined;
	const phone = waIdField ?? fromUser.waId;
	const waId = phone !== undefined && phone.startsWith('+') ? phone.slice(1) : phone;
	const userId = userIdField ?? fromUser.userId;
	if (waId === undefined && userId === undefined) return undefined;
	return { waId, userId };
}

/**
 * One list entry as an output item's JSON, or undefined if the node does not recognise it.
 * `user` is the phone number (without +) or, for a user known only by one, the BSUID;
 * `wa_id` and `user_id` are null when the server did not give them.
 */
export function listEntryToJson(entry: unknown, phoneNumberId: string): IDataObject | undefined {
	if (!isRecord(entry)) return undefined;
	const ids = entryIds(entry);
	if (ids === undefined) return undefined;
	return {
		...(entry as IDataObject),
		user: ids.waId ?? (ids.userId as string),
		wa_id: ids.waId ?? null,
		user_id: ids.userId ?? null,
		block_reason: typeof entry.block_reason === 'string' ? entry.block_reason : null,
		phoneNumberId,
	};
}

/** Whether a page's `data` uses the grouped shape (an entry with a `block_users` list); a plain loop, run on every page. */
function isGrouped(data: unknown[]): boolean {
	for (let index = 0; index < data.length; index++) {
		const entry = data[index];
		if (isRecord(entry) && Array.isArray(entry.block_users)) return true;
	}
	return false;
}

/** The raw entries of a page: `data`, with the grouped shape's `block_users` lists opened up. */
function rawEntries(data: unknown[]): unknown[] {
	if (!isGrouped(data)) return data;
	return data.flatMap((entry) => (isRecord(entry) && Array.isArray(entry.block_users) ? entry.block_users : [entry]));
}

/** A short description of an entry for an error: its keys, never its values. */
function describeEntry(entry: unknown): string {
	if (isRecord(entry)) return `an object with the fields ${Object.keys(entry).slice(0, 8).join(', ') || '(none)'}`;
	return Array.isArray(entry) ? 'a list' : `a ${entry === null ? 'null' : typeof entry}`;
}

/** Every entry of a page as output JSON, or the first entry the node does not recognise. */
export function pageEntries(body: unknown, phoneNumberId: string): PageResult<IDataObject[]> {
	if (!isRecord(body) || !Array.isArray(body.data)) return notAPage(notAPageMessage(body));
	const raw = rawEntries(body.data);
	const entries: IDataObject[] = new Array(raw.length);
	for (let index = 0; index < raw.length; index++) {
		const json = listEntryToJson(raw[index], phoneNumberId);
		if (json === undefined) {
			return notAPage(
				`Splashify listed an entry the node does not recognise (entry ${index + 1} of the page: ${describeEntry(raw[index])})`,
				'A blocked user is listed with user, wa_id or user_id (a phone number or a BSUID). The read is refused rather than skip a user.',
			);
		}
		entries[index] = json;
	}
	return { ok: true, value: entries };
}

function notAPageMessage(body: unknown): string {
	if (Array.isArray(body)) return 'Splashify answered with a list instead of a page of the blocklist';
	if (!isRecord(body)) return 'Splashify answered with something that is not a page of the blocklist';
	return `Splashify's answer is not a page of the blocklist (no "data" list; it has ${Object.keys(body).length === 0 ? 'no fields' : `the fields ${Object.keys(body).slice(0, 8).join(', ')}`})`;
}

/** The `after` query parameter of a `paging.next` URL, if it has one. */
function afterOfNextUrl(next: string): string | undefined {
	const query = next.includes('?') ? next.slice(next.indexOf('?') + 1) : '';
	for (const part of query.split('&')) {
		const [key, value] = part.split('=');
		if (key === 'after' && value !== undefined && value !== '') {
			try {
				return decodeURIComponent(value.replace(/\+/g, ' '));
			} catch {
				return undefined;
			}
		}
	}
	return undefined;
}

/** How a page says the list goes on, or why it is not a page. Cheap: entries are only counted. */
export function pagingOf(body: unknown): PageResult<Paging> {
	if (!isRecord(body) || !Array.isArray(body.data)) return notAPage(notAPageMessage(body));
	const paging = isRecord(body.paging) ? body.paging : {};
	const cursors = isRecord(paging.cursors) ? paging.cursors : {};
	const next = typeof paging.next === 'string' && paging.next !== '' ? paging.next : undefined;
	const cursor = typeof cursors.after === 'string' && cursors.after !== '' ? cursors.after : undefined;
	const after = cursor ?? (next === undefined ? undefined : afterOfNextUrl(next));
	const size = rawEntries(body.data).length;
	return { ok: true, value: after === undefined ? { hasNext: next !== undefined, size } : { hasNext: next !== undefined, after, size } };
}
