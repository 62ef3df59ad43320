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

import { isRecord, type JsonRecord } from '../transport/json';
import { ErrorCode } from '../contract';
import type { UserError } from '../types';
import { isBsuid } from '../users/bsuid';

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
	const error: UserError = { code: ErrorCode.UnrecognisedAnswer, message };
	if (details !== undefined) error.details = details;
	return { ok: false, error };
}

function idText(value: unknown): string | undefined {
	const raw = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
}

/** A present ID field's value, undefined when absent, or null when present but not usable. */
function idField(value: unknown, valid: (text: string) => boolean): string | undefined | null {
	if (value === undefined || value === null) return undefined;
	const text = idText(value);
	return text !== undefined && valid(text) ? text.replace(/^\+/, '') : null;
}

const isPhone = (text: string) => PHONE_ID.test(text);

/**
 * The phone number (without +) and the BSUID a list entry names, or undefined if it names
 * nobody clearly: a field in no known form, or `user` naming someone other than `wa_id` /
 * `user_id` do.
 */
function entryIds(entry: JsonRecord): { waId?: string; userId?: string } | undefined {
	const waId = idField(entry.wa_id, isPhone);
	const userId = idField(entry.user_id, isBsuid);
	const user = idField(entry.user, (text) => isPhone(text) || isBsuid(text));
	if (waId === null || userId === null || user === null) return undefined;
	if (user === undefined)
		return waId === undefined && userId === undefined ? undefined : { waId, userId };
	if (isBsuid(user))
		return userId !== undefined && userId !== user ? undefined : { waId, userId: user };
	return waId !== undefined && waId !== user ? undefined : { waId: user, userId };
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
	return data.flatMap((entry) =>
		isRecord(entry) && Array.isArray(entry.block_users) ? entry.block_users : [entry],
	);
}

/** How many entries a page holds (grouped ones counted one by one), without opening the groups up. */
function entryCount(data: unknown[]): number {
	if (!isGrouped(data)) return data.length;
	let count = 0;
	for (const entry of data)
		count += isRecord(entry) && Array.isArray(entry.block_users) ? entry.block_users.length : 1;
	return count;
}

/** A short description of an entry for an error: its keys, never its values. */
function describeEntry(entry: unknown): string {
	if (isRecord(entry))
		return `an object with the fields ${Object.keys(entry).slice(0, 8).join(', ') || '(none)'}`;
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
	if (Array.isArray(body))
		return 'Splashify answered with a list instead of a page of the blocklist';
	if (!isRecord(body))
		return 'Splashify answered with something that is not a page of the blocklist';
	return `Splashify's answer is not a page of the blocklist (no "data" list; it has ${Object.keys(body).length === 0 ? 'no fields' : `the fields ${Object.keys(body).slice(0, 8).join(', ')}`})`;
}

/** The `after` query parameter of a `paging.next` URL, taken whole (a `+` or `=` in it kept). */
function afterOfNextUrl(next: string): string | undefined {
	const query = next.includes('?') ? next.slice(next.indexOf('?') + 1).split('#')[0] : '';
	for (const part of query.split('&')) {
		if (!part.startsWith('after=') || part.length === 'after='.length) continue;
		try {
			return decodeURIComponent(part.slice('after='.length));
		} catch {
			return undefined;
		}
	}
	return undefined;
}

function badPagingShape(what: string): { ok: false; error: UserError } {
	return {
		ok: false,
		error: {
			code: ErrorCode.BadPaging,
			message: `Splashify's paging is not in a form the node knows (${what}): the read is refused rather than ended early`,
		},
	};
}

const present = (value: unknown) => value !== undefined && value !== null;

/** The `paging` of a page as cursors and a next URL, or what about it is not recognised. */
function pagingFields(paging: unknown): PageResult<{ next?: string; cursor?: string }> {
	if (!present(paging)) return { ok: true, value: {} };
	if (!isRecord(paging))
		return badPagingShape(`paging is ${Array.isArray(paging) ? 'a list' : `a ${typeof paging}`}`);
	const { next, cursors } = paging;
	if (present(next) && typeof next !== 'string') return badPagingShape('paging.next is not a URL');
	if (present(cursors) && !isRecord(cursors))
		return badPagingShape('paging.cursors is not an object');
	const after = isRecord(cursors) ? cursors.after : undefined;
	if (present(after) && typeof after !== 'string')
		return badPagingShape(`paging.cursors.after is a ${typeof after}, not a cursor`);
	const value: { next?: string; cursor?: string } = {};
	if (typeof next === 'string' && next !== '') value.next = next;
	if (typeof after === 'string' && after !== '') value.cursor = after;
	return { ok: true, value };
}

/** How a page says the list goes on, or why it is not a page. Cheap: entries are only counted. */
export function pagingOf(body: unknown): PageResult<Paging> {
	if (!isRecord(body) || !Array.isArray(body.data)) return notAPage(notAPageMessage(body));
	const fields = pagingFields(body.paging);
	if (!fields.ok) return fields;
	const { next, cursor } = fields.value;
	const after = cursor ?? (next === undefined ? undefined : afterOfNextUrl(next));
	const size = entryCount(body.data);
	return {
		ok: true,
		value:
			after === undefined
				? { hasNext: next !== undefined, size }
				: { hasNext: next !== undefined, after, size },
	};
}

const ID_FIELDS = ['wa_id', 'user_id'] as const;

/**
 * The users one read has listed, under each ID they are known by (phone number, BSUID), so
 * that a user listed twice, or once by number and once by BSUID with an entry that links
 * the two, is one user with both IDs. Two different numbers or BSUIDs for one user are
 * refused: the node will not guess which one is blocked.
 */
export class ListedUsers {
	private readonly byId = new Map<string, IDataObject>();

	/** The entry already listed under one of this entry's IDs. */
	find(json: IDataObject): IDataObject | undefined {
		for (const field of ID_FIELDS) {
			const id = json[field];
			const known = typeof id === 'string' ? this.byId.get(id) : undefined;
			if (known !== undefined) return known;
		}
		return undefined;
	}

	add(json: IDataObject): void {
		for (const field of ID_FIELDS)
			if (typeof json[field] === 'string') this.byId.set(json[field], json);
	}

	/**
	 * Gives `known` the IDs of `json` it lacks. When that links `known` to another listed
	 * entry, the other is folded into `known` and given back, for the caller to drop.
	 */
	merge(known: IDataObject, json: IDataObject): PageResult<IDataObject | undefined> {
		let folded: IDataObject | undefined;
		for (const field of ID_FIELDS) {
			const id = json[field];
			if (typeof id !== 'string' || known[field] === id) continue;
			if (typeof known[field] === 'string') return twoIds(field);
			const other = this.byId.get(id);
			if (other !== undefined && other !== known) {
				if (!this.fold(known, other)) return twoIds(field);
				folded = other;
			}
			known[field] = id;
			this.byId.set(id, known);
		}
		if (typeof json.parent_user_id === 'string' && known.parent_user_id === undefined)
			known.parent_user_id = json.parent_user_id;
		known.user = (known.wa_id ?? known.user_id) as string;
		return { ok: true, value: folded };
	}

	/** Moves the IDs of `other` onto `known`, unless the two disagree. */
	private fold(known: IDataObject, other: IDataObject): boolean {
		for (const field of ID_FIELDS) {
			const id = other[field];
			if (typeof id !== 'string') continue;
			if (typeof known[field] === 'string' && known[field] !== id) return false;
			known[field] = id;
			this.byId.set(id, known);
		}
		return true;
	}
}

function twoIds(field: 'wa_id' | 'user_id'): { ok: false; error: UserError } {
	const what = field === 'wa_id' ? 'phone numbers' : 'BSUIDs';
	return {
		ok: false,
		error: {
			code: ErrorCode.UnrecognisedAnswer,
			message: `Splashify listed one user with two different ${what}: the read is refused rather than guess which one is blocked`,
		},
	};
}
