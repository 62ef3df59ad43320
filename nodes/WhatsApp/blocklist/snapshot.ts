/**
 * The whole blocklist of each phone number ID that Check or Sync acts on, read before
 * anything is decided: every page, 1,000 at a time when the server takes it, restarting (a
 * bounded number of times) when it changes while paging. A read that does not finish, or
 * that is not fully recognised (`readBlocklist.ts`), is a failure for that phone number ID,
 * never a shorter list: its users are not reported as blocked or not blocked, and Sync
 * changes nothing there. A fatal answer (key rejected, phone number ID not
 * found) stops the node, unless it continues on fail. The Blocklist Trigger reads each poll
 * the same way (`readWholeBlocklist`).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Connection, ConnectionSettings } from '../transport/connection';
import type { Failure } from '../transport/errors';
import { failureError } from '../transport/failureError';
import type { Attempt, RequestContext } from '../transport/request';
import type { Occurrence, UserError } from '../types';
import { readBlocklist } from './readBlocklist';

/** The page size whole reads start with (the reader steps down if the server refuses it). */
export const SNAPSHOT_PAGE_SIZE = 1000;
/** How often a read starts again after "blocklist changed while paging" (139102). */
export const SNAPSHOT_MAX_RESTARTS = 3;

/**
 * The listed entry under every key a user is known by: `+<wa_id>`, `user_id`, `parent_user_id`
 * (a later entry wins a key). Keys with a plus are held without it, so a `wa_id` is its own
 * key and no `+<wa_id>` string is made (and hashed) per entry; look up by a user as sent.
 */
export class KeyIndex<T> {
	private readonly numbers = new Map<string, T>();
	private readonly others = new Map<string, T>();

	/** Holds `value` under `key` (a plus first: under the digits); `waId`, when given, is `key` without its plus. */
	set(key: string, value: T, waId: string | null = null): void {
		if (key.startsWith('+')) this.numbers.set(waId ?? key.slice(1), value);
		else this.others.set(key, value);
	}

	isEmpty(): boolean {
		return this.numbers.size === 0 && this.others.size === 0;
	}

	/** Holds `value` under `+<waId>`. */
	setWaId(waId: string, value: T): void {
		this.numbers.set(waId, value);
	}

	/** The value under `user` as sent (`+<digits>` or a BSUID); `waId`, when given, is `user` without its plus. */
	get(user: string, waId: string | null = null): T | undefined {
		if (!user.startsWith('+')) return this.others.get(user);
		return this.numbers.get(waId ?? user.slice(1));
	}

	/** The value of a user as the node sends it, else under the BSUID that came beside its number (a WhatsApp contact). */
	find(user: { user: string | null; waId: string | null; userId: string | null }): T | undefined {
		const found = this.get(user.user as string, user.waId);
		return found !== undefined || user.waId === null || user.userId === null
			? found
			: this.others.get(user.userId);
	}

	/** Whether a list entry is known by a key held here (its `+<wa_id>`, `user_id` or `parent_user_id`), without an array of keys. */
	knows(entry: IDataObject): boolean {
		if (typeof entry.wa_id === 'string' && this.numbers.has(entry.wa_id)) return true;
		if (typeof entry.user_id === 'string' && this.get(entry.user_id) !== undefined) return true;
		return typeof entry.parent_user_id === 'string' && this.get(entry.parent_user_id) !== undefined;
	}
}

export interface Snapshot {
	entries: IDataObject[];
	byKey: KeyIndex<IDataObject>;
}

export type SnapshotResult = { ok: true; snapshot: Snapshot } | { ok: false; error: UserError };

/** Every entry under each of its keys (`+<wa_id>`, `user_id`, `parent_user_id`; a later entry wins a key), without an array per entry. */
function keyMap(entries: readonly IDataObject[]): KeyIndex<IDataObject> {
	const byKey = new KeyIndex<IDataObject>();
	for (const entry of entries) {
		if (typeof entry.wa_id === 'string') byKey.setWaId(entry.wa_id, entry);
		if (typeof entry.user_id === 'string') byKey.set(entry.user_id, entry);
		if (typeof entry.parent_user_id === 'string') byKey.set(entry.parent_user_id, entry);
	}
	return byKey;
}

/** The first item that targets each phone number ID, in item order (occurrences with one). */
export function phoneNumberIdsOf(
	occurrences: readonly Occurrence[],
	onlyValid: boolean,
): Map<string, number> {
	const first = new Map<string, number>();
	for (const { phoneNumberId, itemIndex, user, error } of occurrences) {
		if (phoneNumberId === null || first.has(phoneNumberId)) continue;
		if (onlyValid && (error || user === null)) continue;
		first.set(phoneNumberId, itemIndex);
	}
	return first;
}

function unreadable(phoneNumberId: string, failure: Failure): UserError {
	const { code, message, details } = failure.error;
	const error: UserError = {
		code,
		message: `The blocklist of phone number ID ${phoneNumberId} could not be read completely: ${message}. Nothing is reported or changed for its users: run the node again`,
	};
	if (details !== undefined) error.details = details;
	return error;
}

/** Every entry of one phone number's blocklist, or the failure that stopped the read. */
export async function readWholeBlocklist(
	ctx: RequestContext,
	connection: Connection,
): Promise<Attempt<IDataObject[]>> {
	return await readBlocklist(
		ctx,
		connection,
		Number.POSITIVE_INFINITY,
		SNAPSHOT_PAGE_SIZE,
		SNAPSHOT_MAX_RESTARTS,
	);
}

/** Reads the whole blocklist of each phone number ID, one after the other. */
export async function readSnapshots(
	ctx: IExecuteFunctions,
	connection: ConnectionSettings,
	phoneNumberIds: ReadonlyMap<string, number>,
): Promise<Map<string, SnapshotResult>> {
	const results = new Map<string, SnapshotResult>();
	for (const [phoneNumberId, itemIndex] of phoneNumberIds) {
		const read = await readWholeBlocklist(ctx, { ...connection, phoneNumberId });
		if (read.ok) {
			results.set(phoneNumberId, {
				ok: true,
				snapshot: { entries: read.value, byKey: keyMap(read.value) },
			});
			continue;
		}
		if (read.error.kind === 'fatal' && !ctx.continueOnFail()) {
			const where = `Item ${itemIndex + 1}, phone number ID ${phoneNumberId}. Nothing was changed.`;
			throw failureError(ctx, read.error, { itemIndex, where, secrets: connection.secrets });
		}
		results.set(phoneNumberId, { ok: false, error: unreadable(phoneNumberId, read.error) });
	}
	return results;
}
