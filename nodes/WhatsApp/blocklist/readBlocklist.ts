/**
 * Reading the blocklist of one phone number: the one reader of pages for List, Check, Sync
 * and the Blocklist Trigger. A read is complete and right, or it is a failure, never a
 * shorter list:
 * - a 2xx is a page only when `listPage.ts` recognises it and every entry in it;
 * - cursors are checked, not trusted: the end is a page without `paging.next` (once the
 *   server has shown it uses `next`) or without an `after` cursor; a cursor already asked
 *   for in this read, a page that adds nobody new and still points further, or more pages
 *   than a full blocklist (64,000 users) can need, is a failed read;
 * - a `limit` the server refuses (code 100 naming it) steps down, within the same read, to
 *   the provider's page size (100), then Meta's example (10);
 * - "blocklist changed while paging" (139102) starts the read again from the first page
 *   (`maxRestarts` times), dropping what it had, so nothing is listed twice.
 * The next page is asked for as soon as its cursor is known, and the entries of the page in
 * hand are read while it is in flight.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Connection } from '../transport/connection';
import type { Failure } from '../transport/errors';
import {
	type Attempt,
	type HttpAnswer,
	type RequestContext,
	requestWithRetries,
} from '../transport/request';
import { ErrorCode } from '../contract';
import type { UserError } from '../types';
import { ListedUsers, pageEntries, type Paging, pagingOf } from './listPage';

const LIST_CHANGED_CODE = 139102;
const INVALID_PARAMETER_CODE = 100;
/** The most users a WhatsApp blocklist holds. */
export const MAX_BLOCKLIST_USERS = 64_000;
/** Page sizes a read steps down to when the server refuses `limit`: the provider's example, then Meta's. */
export const FALLBACK_PAGE_SIZES = [100, 10] as const;

type Failed = Attempt<never> & { ok: false };

function readFailure(error: UserError): Failed {
	return { ok: false, error: { kind: 'batch', httpCode: 200, error } };
}

function badPaging(message: string): Failed {
	return readFailure({ code: ErrorCode.BadPaging, message });
}

/** Whether a failure is the server refusing the `limit` parameter (Meta's code 100 naming it). */
export function refusesLimit(failure: Failure): boolean {
	const { code, message, details } = failure.error;
	return (
		Number(code) === INVALID_PARAMETER_CODE && /\blimit\b/i.test(`${message} ${details ?? ''}`)
	);
}

/** One read of one blocklist, up to `limit` entries. */
class BlocklistRead {
	private entries: IDataObject[] = [];
	private known = new ListedUsers();
	private cursors = new Set<string>();
	private cursor: string | undefined;
	private pages = 0;
	private fullestPage = 0;
	private usesNext = false;
	private restarts = 0;

	constructor(
		private readonly ctx: RequestContext,
		private readonly connection: Connection,
		private readonly limit: number,
		private pageSize: number,
		private readonly maxRestarts: number,
	) {}

	async run(): Promise<Attempt<IDataObject[]>> {
		let inflight = this.fetch(this.cursor, 0);
		for (;;) {
			const answer = await inflight;
			if (!answer.ok) {
				if (!this.recover(answer.error)) return answer;
				inflight = this.fetch(this.cursor, this.entries.length);
				continue;
			}
			const page = await this.takePage(answer.value);
			if (!page.ok) return page;
			if (page.value === undefined) return { ok: true, value: this.entries };
			inflight = page.value;
		}
	}

	/** Sends the request for the page at `cursor`, asking for no more than the read still wants. */
	private async fetch(cursor: string | undefined, have: number): Promise<Attempt<HttpAnswer>> {
		const qs: IDataObject = { limit: Math.min(this.pageSize, this.limit - have) };
		if (cursor !== undefined) qs.after = cursor;
		return await requestWithRetries(this.ctx, this.connection, 'GET', { qs });
	}

	/**
	 * Takes one answer as a page: checks its paging, asks for the next page, then reads its
	 * entries. Gives the request in flight for the next page, undefined at the end, or why
	 * the read failed (after the request in flight, if any, has settled).
	 */
	private async takePage(
		answer: HttpAnswer,
	): Promise<Attempt<Promise<Attempt<HttpAnswer>> | undefined>> {
		const paging = pagingOf(answer.body);
		if (!paging.ok) return readFailure(paging.error);
		const next = this.nextCursor(paging.value);
		if (!next.ok) return next;
		const wanted = next.value !== undefined && this.entries.length + paging.value.size < this.limit;
		let inflight = wanted
			? this.fetch(next.value, this.entries.length + paging.value.size)
			: undefined;
		const added = this.add(answer.body);
		const failure = added.ok ? this.stalled(added.value, next.value) : added;
		if (failure !== undefined) {
			await inflight;
			return failure;
		}
		if (next.value === undefined || this.entries.length >= this.limit)
			return { ok: true, value: undefined };
		// A page with repeated users fell short of what was asked for before it was read.
		inflight ??= this.fetch(next.value, this.entries.length);
		this.cursor = next.value;
		return { ok: true, value: inflight };
	}

	/** The cursor of the next page, undefined at the end, or why the paging cannot be trusted. */
	private nextCursor(paging: Paging): Attempt<string | undefined> {
		this.pages++;
		this.fullestPage = Math.max(this.fullestPage, paging.size);
		if (paging.hasNext) this.usesNext = true;
		const ended = paging.hasNext ? false : this.usesNext || paging.after === undefined;
		if (ended) return { ok: true, value: undefined };
		if (paging.after === undefined)
			return badPaging(
				'Splashify said the blocklist goes on (paging.next) but gave no after cursor to ask for it',
			);
		if (paging.size === 0) return this.noNewUser();
		if (this.cursors.has(paging.after)) {
			return badPaging(
				`Splashify sent the same page cursor twice while listing the blocklist (after page ${this.pages}): a proxy may be dropping the query string`,
			);
		}
		if (this.pages >= this.maxPages()) {
			return badPaging(
				`Splashify kept sending cursors after ${this.pages} pages, more than a full blocklist of ${MAX_BLOCKLIST_USERS} users needs`,
			);
		}
		this.cursors.add(paging.after);
		return { ok: true, value: paging.after };
	}

	/** More pages than a full blocklist needs at the page size the server really gives, with slack. */
	private maxPages(): number {
		return 2 * Math.ceil(MAX_BLOCKLIST_USERS / Math.max(1, this.fullestPage)) + 2;
	}

	/**
	 * Adds a page's entries, each user once: an entry that shares a phone number or a BSUID
	 * with one read before is the same user, and adds the ID it did not have. Gives how many
	 * users were new, or why the page is refused.
	 */
	private add(body: unknown): Attempt<number> {
		const read = pageEntries(body, this.connection.phoneNumberId);
		if (!read.ok) return readFailure(read.error);
		const before = this.entries.length;
		for (const json of read.value) {
			const known = this.known.find(json);
			if (known === undefined) {
				this.known.add(json);
				this.entries.push(json);
				if (this.entries.length >= this.limit) break;
				continue;
			}
			const merged = this.known.merge(known, json);
			if (!merged.ok) return readFailure(merged.error);
			if (merged.value !== undefined) this.entries.splice(this.entries.indexOf(merged.value), 1);
		}
		return { ok: true, value: this.entries.length - before };
	}

	/** A read that goes on with a page that added nobody new is going round in circles. */
	private stalled(added: number, next: string | undefined): Failed | undefined {
		if (added > 0 || next === undefined || this.entries.length >= this.limit) return undefined;
		return this.noNewUser();
	}

	private noNewUser(): Failed {
		return badPaging(
			`Splashify sent a page of the blocklist that adds no new user (page ${this.pages}) and still points further: its cursors go round in circles`,
		);
	}

	/** Decides whether a failed page can be asked again: a restart after 139102, or a smaller page. */
	private recover(failure: Failure): boolean {
		if (refusesLimit(failure)) {
			const smaller = FALLBACK_PAGE_SIZES.find((size) => size < this.pageSize);
			if (smaller === undefined) return false;
			this.pageSize = smaller;
			return true;
		}
		if (failure.error.code !== LIST_CHANGED_CODE || this.restarts >= this.maxRestarts) return false;
		this.restarts++;
		this.entries = [];
		this.known = new ListedUsers();
		this.cursors = new Set();
		this.cursor = undefined;
		this.pages = 0;
		this.usesNext = false;
		return true;
	}
}

/** Pages through the blocklist of one phone number, collecting up to `limit` entries. */
export async function readBlocklist(
	ctx: RequestContext,
	connection: Connection,
	limit: number,
	pageSize: number,
	maxRestarts = 1,
): Promise<Attempt<IDataObject[]>> {
	return await new BlocklistRead(ctx, connection, limit, pageSize, maxRestarts).run();
}
