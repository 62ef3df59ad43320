/**
 * Reading the blocklist of one phone number: pages of `pageSize`, following the `after`
 * cursor until the end or the limit. If the blocklist changes while paging (139102), the
 * read starts again from the first page (once for List, more for Check and Sync), dropping
 * what it had, so nothing is listed twice. A read that fails is a failure, never a shorter
 * list.
 */
import type { IDataObject } from 'n8n-workflow';

import { listEntryToJson, nextCursor, pageEntries } from '../helpers/listPage';
import type { Connection } from '../transport/connection';
import { type Attempt, type RequestContext, requestWithRetries } from '../transport/request';

const LIST_CHANGED_CODE = 139102;
/** A guard against a server that keeps sending cursors: far beyond 64,000 users at any page size. */
const MAX_PAGES = 100_000;

/** Pages through the blocklist of one phone number, collecting up to `limit` entries. */
export async function readBlocklist(
	ctx: RequestContext,
	connection: Connection,
	limit: number,
	pageSize: number,
	maxRestarts = 1,
): Promise<Attempt<IDataObject[]>> {
	let restarts = 0;
	let entries: IDataObject[] = [];
	let seen = new Set<string>();
	let cursor: string | undefined;

	for (let page = 0; page < MAX_PAGES && entries.length < limit; page++) {
		const qs: IDataObject = { limit: Math.min(pageSize, limit - entries.length) };
		if (cursor !== undefined) qs.after = cursor;
		const result = await requestWithRetries(ctx, connection, 'GET', { qs });
		if (!result.ok) {
			if (result.failure.error.code !== LIST_CHANGED_CODE || restarts >= maxRestarts) return result;
			restarts++;
			entries = [];
			seen = new Set();
			cursor = undefined;
			continue;
		}
		const data = pageEntries(result.value.body);
		for (const entry of data) {
			const json = listEntryToJson(entry, connection.phoneNumberId);
			if (json === undefined || seen.has(json.user as string)) continue;
			seen.add(json.user as string);
			entries.push(json);
			if (entries.length >= limit) break;
		}
		const next = nextCursor(result.value.body);
		if (data.length === 0 || next === undefined || next === cursor) break;
		cursor = next;
	}
	return { ok: true, value: entries };
}
