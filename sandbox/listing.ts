/**
 * GET .../block_users: cursor paging over a blocklist by offset.
 * `after=C` starts the page at C's offset; `before=C` gives the page that ends just before
 * C's offset. Each page costs O(limit) (the ordered snapshot is shared across pages).
 * Entries of phone numbers carry the wa_id (`user` or `wa_id` by shape), entries of BSUIDs
 * `user_id` (and `parent_user_id` when enabled).
 */
import { decodeCursor, encodeCursor, type Blocklist, type Cursor } from './blocklist';
import type { Answer } from './batch';
import { invalidParameter, listChanged } from './meta-errors';
import type { ListShape } from './types';
import { isBsuid, userIdFields } from './users';

export const MAX_LIMIT = 1000;

export interface ListRequest {
	query: Record<string, string>;
	/** Absolute URL of the endpoint without query, for `paging.next` / `paging.previous`. */
	selfUrl: string;
	pageSize: number;
	listShape: ListShape;
	strictCursors: boolean;
	/** Add `parent_user_id` to the entries of (non-parent) BSUIDs. */
	parentUserIds: boolean;
	/** The most entries a page holds, whatever limit was asked (a server may send fewer). */
	maxPageSize: number;
	/** The block reason of a listed key (provider shape); 'manual' for keys not in it. */
	blockReasons: Record<string, string>;
}

export function listPage(list: Blocklist, request: ListRequest): Answer {
	const asked = parseLimit(request.query.limit, request.pageSize);
	if (typeof asked !== 'number') return asked;
	const limit = Math.min(asked, request.maxPageSize);
	const window = pageWindow(list, request, limit);
	if ('status' in window) return window;
	return { status: 200, body: renderPage(list, request, limit, window) };
}

function parseLimit(raw: string | undefined, pageSize: number): number | Answer {
	if (raw === undefined) return pageSize;
	const limit = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
	if (!(limit >= 1 && limit <= MAX_LIMIT)) {
		return invalidParameter(`Param limit must be an integer between 1 and ${MAX_LIMIT}`);
	}
	return limit;
}

interface Window {
	start: number;
	end: number;
}

function pageWindow(list: Blocklist, request: ListRequest, limit: number): Window | Answer {
	const { after, before } = request.query;
	const raw = after ?? before;
	const total = list.size;
	if (raw === undefined) return { start: 0, end: Math.min(limit, total) };
	const cursor = decodeCursor(raw);
	if (!cursor) return invalidParameter('Invalid cursor', 'The after/before cursor was not issued by this API');
	if (request.strictCursors && cursor.version !== list.version) return listChanged();
	if (after !== undefined) {
		const start = Math.min(cursor.offset, total);
		return { start, end: Math.min(start + limit, total) };
	}
	const end = Math.min(cursor.offset, total);
	return { start: Math.max(0, end - limit), end };
}

function renderPage(list: Blocklist, request: ListRequest, limit: number, { start, end }: Window): unknown {
	const data = list
		.entries()
		.slice(start, end)
		.map((key) => renderEntry(key, request));
	if (data.length === 0) return { data };
	const cursor = (offset: number): string => encodeCursor({ offset, version: list.version } satisfies Cursor);
	const more = end < list.size;
	const paging: Record<string, unknown> = {
		cursors: more ? { before: cursor(start), after: cursor(end) } : { before: cursor(start) },
	};
	if (more) paging.next = `${request.selfUrl}?limit=${limit}&after=${cursor(end)}`;
	if (start > 0) paging.previous = `${request.selfUrl}?limit=${limit}&before=${cursor(start)}`;
	return { data, paging };
}

/**
 * Provider: {user, block_reason} or {user_id, parent_user_id?, block_reason};
 * Meta: {messaging_product, wa_id} or {messaging_product, user_id, parent_user_id?}.
 */
function renderEntry(key: string, { listShape, parentUserIds, blockReasons }: ListRequest): unknown {
	const meta = listShape === 'meta';
	const block_reason = Object.hasOwn(blockReasons, key) ? blockReasons[key] : 'manual';
	if (isBsuid(key)) {
		const ids = userIdFields(key, parentUserIds);
		return meta ? { messaging_product: 'whatsapp', ...ids } : { ...ids, block_reason };
	}
	return meta ? { messaging_product: 'whatsapp', wa_id: key } : { user: key, block_reason };
}
