/**
 * What the trigger remembers between polls: the users of the last complete read of one
 * phone number's blocklist, each with its block reason, as one compact text. n8n saves it in
 * the workflow's static data whenever a poll emits, so it must stay small: a JSON array of
 * 64,000 objects would be megabytes (BENCHMARKS.md has the measured sizes).
 *
 * Users are grouped by block reason. In a group, users of the form `<prefix><number>` (phone
 * numbers: prefix "", BSUIDs: "US." or "US.ENT.") are sorted and stored as the differences
 * between neighbours, in base 36; anything else is stored as it is. A user whose `wa_id` and
 * `user_id` are not the ones its `user` implies (a number that also has a BSUID) is listed
 * once more with both. Decoding gives back exactly the users that were encoded, or nothing
 * when the text is not a state of this phone number ID. Pure functions, no n8n types.
 */
import { isBsuid } from '../WhatsAppBlockUsers/helpers/bsuid';

/** One blocked user as the trigger remembers them (the fields of a List item). */
export interface KnownUser {
	/** The phone number (digits only) or, for a user known only by one, the BSUID. */
	user: string;
	waId: string | null;
	userId: string | null;
	blockReason: string | null;
}

const FORMAT = 1;

/** A group: the block reason, the numbered users per prefix, the users stored as they are. */
type Group = [reason: string | null, numbered: Array<[prefix: string, deltas: string]>, plain: string[]];

interface Encoded {
	v: typeof FORMAT;
	phoneNumberId: string;
	count: number;
	groups: Group[];
	/** Users whose IDs are not the ones `user` implies: [user, wa_id, user_id]. */
	ids: Array<[string, string | null, string | null]>;
}

/** `<prefix><number without leading zero>`, the number as long as it can be. */
const NUMBERED = /^(.*?)([1-9]\d*)$/s;

/** The IDs a user's `user` implies: a BSUID is its `user_id`, anything else its `wa_id`. */
function impliedIds(user: string): [string | null, string | null] {
	return isBsuid(user) ? [null, user] : [user, null];
}

function encodeNumbers(values: bigint[]): string {
	values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	return values.map((value, i) => (i === 0 ? value : value - values[i - 1]).toString(36)).join(',');
}

function groupOf(reason: string | null, users: readonly string[]): Group {
	const byPrefix = new Map<string, bigint[]>();
	const plain: string[] = [];
	for (const user of users) {
		const match = NUMBERED.exec(user);
		if (match === null) {
			plain.push(user);
			continue;
		}
		const values = byPrefix.get(match[1]) ?? [];
		values.push(BigInt(match[2]));
		byPrefix.set(match[1], values);
	}
	return [reason, [...byPrefix].map(([prefix, values]) => [prefix, encodeNumbers(values)]), plain];
}

/** The saved text of a complete read: its users, in any order, with no user twice. */
export function encodeState(phoneNumberId: string, users: readonly KnownUser[]): string {
	const byReason = new Map<string | null, string[]>();
	const ids: Encoded['ids'] = [];
	for (const { user, waId, userId, blockReason } of users) {
		const list = byReason.get(blockReason) ?? [];
		list.push(user);
		byReason.set(blockReason, list);
		const [impliedWaId, impliedUserId] = impliedIds(user);
		if (waId !== impliedWaId || userId !== impliedUserId) ids.push([user, waId, userId]);
	}
	const groups = [...byReason].map(([reason, list]) => groupOf(reason, list));
	const encoded: Encoded = { v: FORMAT, phoneNumberId, count: users.length, groups, ids };
	return JSON.stringify(encoded);
}

/** Base 36 to a bigint, ten digits at a time (36^10 is below 2^53); undefined if not base 36. */
function parseBase36(text: string): bigint | undefined {
	if (!/^[0-9a-z]+$/.test(text)) return undefined;
	let value = 0n;
	for (let at = 0; at < text.length; at += 10) {
		const chunk = text.slice(at, at + 10);
		value = value * 36n ** BigInt(chunk.length) + BigInt(parseInt(chunk, 36));
	}
	return value;
}

function decodeNumbers(prefix: string, deltas: string): string[] | undefined {
	const users: string[] = [];
	let value = 0n;
	for (const delta of deltas.split(',')) {
		const step = parseBase36(delta);
		if (step === undefined || (users.length > 0 && step === 0n)) return undefined;
		value += step;
		users.push(`${prefix}${value}`);
	}
	return users;
}

function isEncoded(value: unknown): value is Encoded {
	const state = value as Partial<Encoded> | null;
	return (
		typeof state === 'object' && state !== null && state.v === FORMAT && typeof state.phoneNumberId === 'string' &&
		typeof state.count === 'number' && Array.isArray(state.groups) && Array.isArray(state.ids)
	);
}

function decodeGroup([reason, numbered, plain]: Group): Array<[string, string | null]> | undefined {
	if ((reason !== null && typeof reason !== 'string') || !Array.isArray(numbered) || !Array.isArray(plain)) return undefined;
	const users: Array<[string, string | null]> = plain.filter((user) => typeof user === 'string').map((user) => [user, reason]);
	if (users.length !== plain.length) return undefined;
	for (const [prefix, deltas] of numbered) {
		const decoded = typeof prefix === 'string' && typeof deltas === 'string' ? decodeNumbers(prefix, deltas) : undefined;
		if (decoded === undefined) return undefined;
		for (const user of decoded) users.push([user, reason]);
	}
	return users;
}

/**
 * The users a saved text holds, if it is a whole state of this phone number ID; undefined
 * for no state, a state of another phone number ID, or a text that is not one (nothing is
 * guessed from it).
 */
export function decodeState(saved: unknown, phoneNumberId: string): KnownUser[] | undefined {
	let state: unknown;
	try {
		state = typeof saved === 'string' ? JSON.parse(saved) : undefined;
	} catch {
		return undefined;
	}
	if (!isEncoded(state) || state.phoneNumberId !== phoneNumberId) return undefined;
	const ids = new Map(state.ids.map(([user, waId, userId]) => [user, [waId, userId] as const]));
	const users: KnownUser[] = [];
	for (const group of state.groups) {
		const decoded = Array.isArray(group) ? decodeGroup(group) : undefined;
		if (decoded === undefined) return undefined;
		for (const [user, blockReason] of decoded) {
			const [waId, userId] = ids.get(user) ?? impliedIds(user);
			users.push({ user, waId, userId, blockReason });
		}
	}
	return users.length === state.count ? users : undefined;
}
