/**
 * What changed between two complete reads of a blocklist, and the trigger's items for it.
 * Two entries are the same user when they share the `user`, the `wa_id` or the `user_id`,
 * so a user whose phone number became known beside their BSUID (or the reverse) is not
 * reported as unblocked and blocked again. Pure functions.
 */
import type { IDataObject } from 'n8n-workflow';

import type { KnownUser } from './state';

export const BLOCKLIST_EVENTS = ['blocked', 'unblocked'] as const;
export type BlocklistEvent = (typeof BLOCKLIST_EVENTS)[number];

export interface BlocklistChanges {
	blocked: KnownUser[];
	unblocked: KnownUser[];
}

/** A List item (`blocklist/listPage.ts`: user, wa_id, user_id, block_reason) as a known user. */
export function knownUser(entry: IDataObject): KnownUser {
	const text = (value: unknown) => (typeof value === 'string' ? value : null);
	return {
		user: String(entry.user),
		waId: text(entry.wa_id),
		userId: text(entry.user_id),
		blockReason: text(entry.block_reason),
	};
}

function keysOf({ user, waId, userId }: KnownUser): string[] {
	return [user, waId, userId].filter((key): key is string => key !== null);
}

function keySet(users: readonly KnownUser[]): Set<string> {
	return new Set(users.flatMap(keysOf));
}

/** Who is on the current list and was not on the previous one (blocked), and the reverse. */
export function compareBlocklists(
	previous: readonly KnownUser[],
	current: readonly KnownUser[],
): BlocklistChanges {
	const before = keySet(previous);
	const now = keySet(current);
	return {
		blocked: current.filter((user) => !keysOf(user).some((key) => before.has(key))),
		unblocked: previous.filter((user) => !keysOf(user).some((key) => now.has(key))),
	};
}

/** One event as the trigger outputs it; `block_reason` of an unblocked user is the last known. */
export function eventJson(
	event: BlocklistEvent,
	user: KnownUser,
	phoneNumberId: string,
	detectedAt: string,
): IDataObject {
	return {
		event,
		user: user.user,
		wa_id: user.waId,
		user_id: user.userId,
		block_reason: user.blockReason,
		phoneNumberId,
		detectedAt,
	};
}

/** The events to emit, blocked users first, of the kinds asked for. */
export function eventItems(
	changes: BlocklistChanges,
	events: readonly BlocklistEvent[],
	phoneNumberId: string,
	detectedAt: string,
): IDataObject[] {
	return BLOCKLIST_EVENTS.filter((event) => events.includes(event)).flatMap((event) =>
		changes[event].map((user) => eventJson(event, user, phoneNumberId, detectedAt)),
	);
}
