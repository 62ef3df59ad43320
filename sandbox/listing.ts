/**
 * GET .../block_users: cursor paging over a blocklist by offset.
 * `after=C` starts the page at C's offset; `before=C` gives the page that ends just before
 * C's offset. Each page costs O(limit) (the ordered snapshot is shared across pages).
 * Entries of phone numbers carry the wa_id (`user` or `wa_id` by shape), entries of BSUIDs
 * `user_id` (and `parent_user_id` when enabled).
 *
 * The page can also look the way other servers and proxies answer (see types.ts):
 * Graph-style cursors (`paging`), cursors that never reach the end (`cursorFault`), the older
 * grouped shape (`listShape: 'grouped'`) and a smaller accepted `limit` (`maxLimit`).
 */
import { decodeCursor, encodeCursor, type Blocklist } from './blocklist';
import type { Answer } from './batch';
import { invalidParameter, listChanged } from './meta-errors';
import type { CursorFault, ListShape, PagingStyle } from './types';
import { isBsuid, userIdFields } from './users';

export const MAX_LIMIT = 1000;

/** The entry `unknownEntry` appends to a page: no shape knows it. */
const UNKNOWN_ENTRY = { id: '123', name: 'x' };

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
	/** The largest `limit` accepted; a larger one answers 400 / code 100. */
	maxLimit: number;
	/** The block reason of a listed key (provider shape); 'manual' for keys not in it. */
	blockReasons: Record<string, string>;
	paging: PagingStyle;
	/** 'ignoreAfter' is the caller's to apply (it drops the query); the cycles are applied here. */
	cursorFault: CursorFault;
	/** Put into every cursor of this page under 'freshCycle' (a new number per page). */
	serial: number;
}

export function listPage(list: Blocklist, request: ListRequest): Answer {
	const asked = parseLimit(request.query.limit, request.pageSize, request.maxLimit);
	if (typeof asked !== 'number') return asked;
	const limit = Math.min(asked, request.maxPageSize);
	const window = pageWindow(list, request, limit);
	if ('status' in window) return window;
	return { status: 200, body: renderPage(list, request, limit, window) };
}

/** A successful page with `UNKNOWN_ENTRY` appended to its `data`; other answers unchanged. */
export function withUnknownEntry(answer: Answer): Answer {
	const body = answer.body as { data?: unknown };
	if (answer.status !== 200 || !Array.isArray(body.data)) return answer;
	return {
		...answer,
		body: { ...body, data: [...(body.data as unknown[]), { ...UNKNOWN_ENTRY }] },
	};
}

function parseLimit(raw: string | undefined, pageSize: number, maxLimit: number): number | Answer {
	if (raw === undefined) return pageSize;
	const limit = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
	if (!(limit >= 1 && limit <= maxLimit)) {
		return invalidParameter(`Param limit must be an integer between 1 and ${maxLimit}`);
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
	if (!cursor)
		return invalidParameter('Invalid cursor', 'The after/before cursor was not issued by this API');
	if (request.strictCursors && cursor.version !== list.version) return listChanged();
	if (after !== undefined) {
		const start = Math.min(cursor.offset, total);
		return { start, end: Math.min(start + limit, total) };
	}
	const end = Math.min(cursor.offset, total);
	return { start: Math.max(0, end - limit), end };
}

function renderPage(list: Blocklist, request: ListRequest, limit: number, window: Window): unknown {
	const keys = list.entries().slice(window.start, window.end);
	if (keys.length === 0) return { data: [] };
	const paging = pagingOf(list, request, limit, window);
	if (request.listShape !== 'grouped')
		return { data: keys.map((key) => renderEntry(key, request)), paging };
	delete paging.cursors;
	return { data: [{ block_users: keys.map((key) => groupedEntry(key, request)) }], paging };
}

interface Paging {
	cursors?: { before: string; after?: string };
	next?: string;
	previous?: string;
}

/** The offset the page's `after` cursor (and `paging.next`) points to; undefined: none. */
function nextOffset(total: number, request: ListRequest, end: number): number | undefined {
	if (end < total) return end;
	if (request.cursorFault === 'cycle' || request.cursorFault === 'freshCycle') return 0;
	return undefined;
}

function pagingOf(
	list: Blocklist,
	request: ListRequest,
	limit: number,
	{ start, end }: Window,
): Paging {
	const serial = request.cursorFault === 'freshCycle' ? { serial: request.serial } : {};
	const cursor = (offset: number): string =>
		encodeCursor({ offset, version: list.version, ...serial });
	const next = nextOffset(list.size, request, end);
	const before = cursor(start);
	const after = next !== undefined || request.paging === 'graph' ? cursor(next ?? end) : undefined;
	const paging: Paging = { cursors: after === undefined ? { before } : { before, after } };
	if (next !== undefined) paging.next = `${request.selfUrl}?limit=${limit}&after=${after}`;
	if (start > 0) paging.previous = `${request.selfUrl}?limit=${limit}&before=${before}`;
	return paging;
}

/**
 * Provider: {user, block_reason} or {user_id, parent_user_id?, block_reason};
 * Meta: {messaging_product, wa_id} or {messaging_product, user_id, parent_user_id?}.
 */
function renderEntry(
	key: string,
	{ listShape, parentUserIds, blockReasons }: ListRequest,
): unknown {
	const meta = listShape === 'meta';
	const block_reason = Object.hasOwn(blockReasons, key) ? blockReasons[key] : 'manual';
	if (isBsuid(key)) {
		const ids = userIdFields(key, parentUserIds);
		return meta ? { messaging_product: 'whatsapp', ...ids } : { ...ids, block_reason };
	}
	return meta ? { messaging_product: 'whatsapp', wa_id: key } : { user: key, block_reason };
}

/** Grouped: {input: "+<wa_id>", wa_id} or {input: BSUID, user_id, parent_user_id?}. */
function groupedEntry(key: string, { parentUserIds }: ListRequest): unknown {
	if (isBsuid(key)) return { input: key, ...userIdFields(key, parentUserIds) };
	return { input: `+${key}`, wa_id: key };
}
