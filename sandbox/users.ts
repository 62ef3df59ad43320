/**
 * Who a `block_users` entry or a blocklist key names: a phone number or a BSUID.
 *
 * Users who hide their phone number are known by a business-scoped user ID (BSUID): a
 * country code, a period and up to 128 letters and digits (Meta's grammar, 2026-06-29), e.g.
 * `US.13491208655302741918`, or a parent BSUID, e.g. `US.ENT.11815799212886844830`, which
 * a block or unblock request may not hold (the whole request is refused).
 * A request entry is `{"user": "<E.164>"}` or `{"user_id": "<BSUID>"}` (`user` wins when
 * both are given, as Meta says). Blocklist keys are phone numbers as digits without '+' (the wa_id) and
 * BSUIDs as given; the two never collide (a BSUID has letters and dots).
 */
import { isRecord } from './http-util';

export const E164 = /^\+[1-9]\d{6,14}$/;
export const PARENT_BSUID = /^[A-Z]{2}\.ENT\.[A-Za-z0-9]{1,128}$/;
export const BSUID = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;

/** Whether `value` is a BSUID or a parent BSUID. */
export function isBsuid(value: string): boolean {
	return BSUID.test(value) || PARENT_BSUID.test(value);
}

/** The parent BSUID of a (non-parent) BSUID: same country code and ID, `.ENT.` between. */
function parentOf(bsuid: string): string {
	const [country, id] = bsuid.split('.');
	return `${country}.ENT.${id}`;
}

/** The blocklist key of a number or BSUID: BSUIDs as given, '+' stripped from numbers. */
export function blocklistKey(value: string): string {
	return isBsuid(value) ? value : value.replace(/^\+/, '');
}

/** Which field of a request entry names the user, and what it holds (exactly as sent). */
export interface BatchEntry {
	field: 'user' | 'user_id';
	input: unknown;
}

/** One `block_users[]` entry: its `user` when the entry has one (Meta: it takes precedence), else its `user_id`. */
export function entryOf(entry: unknown): BatchEntry {
	if (!isRecord(entry)) return { field: 'user', input: entry };
	if (entry.user === undefined && entry.user_id !== undefined)
		return { field: 'user_id', input: entry.user_id };
	return { field: 'user', input: entry.user };
}

/** For the recorded request: each entry's `user`, or else its `user_id`, as strings. */
export function recordedUsers(body: unknown): string[] | undefined {
	if (!isRecord(body) || !Array.isArray(body.block_users)) return undefined;
	return body.block_users.map((entry: unknown) => {
		if (!isRecord(entry)) return String(entry);
		return String(entry.user !== undefined ? entry.user : entry.user_id);
	});
}

export interface UserIdFields {
	user_id: string;
	parent_user_id?: string;
}

/** `user_id`, plus `parent_user_id` when enabled and the BSUID is not itself a parent. */
export function userIdFields(bsuid: string, parentUserIds: boolean): UserIdFields {
	if (!parentUserIds || PARENT_BSUID.test(bsuid)) return { user_id: bsuid };
	return { user_id: bsuid, parent_user_id: parentOf(bsuid) };
}

/** The identity fields of a blocklist key: `{wa_id}` for a number, user ID fields for a BSUID. */
export function keyFields(key: string, parentUserIds: boolean): { wa_id: string } | UserIdFields {
	return isBsuid(key) ? userIdFields(key, parentUserIds) : { wa_id: key };
}
