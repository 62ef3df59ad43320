/**
 * What the trigger remembers between polls: the users of the last complete read of one
 * phone number's blocklist, each with its block reason, as one compact text. n8n saves it in
 * the workflow's static data whenever a poll emits, so it must stay small: a JSON array of
 * 64,000 List items would be 7.7 MB (BENCHMARKS.md has the measured sizes).
 *
 * Users are grouped by block reason. In a group, users of the form `<prefix><number>` (phone
 * numbers: prefix "", BSUIDs: "US." or "US.ENT.") are sorted and stored as the differences
 * between neighbours, in base 36; anything else is stored as it is. A number listed with a
 * BSUID too gets it in a column beside the numbers (its digits in base 36, its prefix only
 * when it differs from the one before). Any other pairing of `user`, `wa_id` and `user_id`
 * is listed once more with all three. Decoding gives back exactly the users that were
 * encoded, or nothing when the text is not a state of this phone number ID. Pure functions.
 */
import { isBsuid } from '../users/bsuid';

/** One blocked user as the trigger remembers them (the fields of a List item). */
export interface KnownUser {
	/** The phone number (digits only) or, for a user known only by one, the BSUID. */
	user: string;
	waId: string | null;
	userId: string | null;
	blockReason: string | null;
}

const FORMAT = 1;

/** Numbered users of one prefix: the base-36 differences, and the paired BSUIDs when any. */
type Numbered = [prefix: string, deltas: string, pairedUserIds?: string];
/** A group: the block reason, the numbered users per prefix, the users stored as they are. */
type Group = [reason: string | null, numbered: Numbered[], plain: string[]];

interface Encoded {
	v: typeof FORMAT;
	phoneNumberId: string;
	count: number;
	groups: Group[];
	/** Users whose IDs are neither implied by `user` nor a paired BSUID: [user, wa_id, user_id]. */
	ids: Array<[string, string | null, string | null]>;
}

/** `<prefix><number without leading zero>`, the number as long as it can be. */
const NUMBERED = /^(.*?)([1-9]\d*)$/s;
/** A BSUID that the paired column can hold: `CC.` or `CC.ENT.`, digits without a leading zero. */
const PAIRABLE = /^([A-Z]{2}\.(?:ENT\.)?)([1-9]\d*)$/;

/** The IDs a user's `user` implies: a BSUID is its `user_id`, anything else its `wa_id`. */
function impliedIds(user: string): [string | null, string | null] {
	return isBsuid(user) ? [null, user] : [user, null];
}

/** The BSUID a number is listed with, when the paired column can hold it. */
function pairedUserId({ user, waId, userId }: KnownUser): string | undefined {
	const pairable =
		!isBsuid(user) &&
		NUMBERED.test(user) &&
		waId === user &&
		userId !== null &&
		PAIRABLE.test(userId);
	return pairable ? userId : undefined;
}

interface NumberedUser {
	value: bigint;
	paired?: string;
}

/** The paired BSUIDs in the numbers' order: '' for none, the prefix only when it changes. */
function encodePaired(users: readonly NumberedUser[]): string | undefined {
	if (!users.some((u) => u.paired !== undefined)) return undefined;
	let previous = '';
	return users
		.map(({ paired }) => {
			const [, prefix, digits] = PAIRABLE.exec(paired ?? '') ?? [];
			if (prefix === undefined) return '';
			const text = `${prefix === previous ? '' : prefix}${BigInt(digits).toString(36)}`;
			previous = prefix;
			return text;
		})
		.join(',');
}

function encodeNumbered(prefix: string, users: NumberedUser[]): Numbered {
	users.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
	const deltas = users
		.map(({ value }, i) => (i === 0 ? value : value - users[i - 1].value).toString(36))
		.join(',');
	const paired = encodePaired(users);
	return paired === undefined ? [prefix, deltas] : [prefix, deltas, paired];
}

function groupOf(reason: string | null, users: readonly KnownUser[]): Group {
	const byPrefix = new Map<string, NumberedUser[]>();
	const plain: string[] = [];
	for (const user of users) {
		const match = NUMBERED.exec(user.user);
		if (match === null) {
			plain.push(user.user);
			continue;
		}
		const list = byPrefix.get(match[1]) ?? [];
		list.push({ value: BigInt(match[2]), paired: pairedUserId(user) });
		byPrefix.set(match[1], list);
	}
	return [reason, [...byPrefix].map(([prefix, list]) => encodeNumbered(prefix, list)), plain];
}

/** The saved text of a complete read: its users, in any order, with no user twice. */
export function encodeState(phoneNumberId: string, users: readonly KnownUser[]): string {
	const byReason = new Map<string | null, KnownUser[]>();
	const ids: Encoded['ids'] = [];
	for (const user of users) {
		const list = byReason.get(user.blockReason) ?? [];
		list.push(user);
		byReason.set(user.blockReason, list);
		const [impliedWaId, impliedUserId] = impliedIds(user.user);
		const irregular = user.waId !== impliedWaId || user.userId !== impliedUserId;
		if (irregular && pairedUserId(user) === undefined)
			ids.push([user.user, user.waId, user.userId]);
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

function decodeValues(deltas: string): bigint[] | undefined {
	const values: bigint[] = [];
	let value = 0n;
	for (const delta of deltas.split(',')) {
		const step = parseBase36(delta);
		if (step === undefined || (values.length > 0 && step === 0n)) return undefined;
		value += step;
		values.push(value);
	}
	return values;
}

/** The paired column back into BSUIDs (null for none), or undefined if it is not one. */
function decodePaired(column: string | undefined, count: number): Array<string | null> | undefined {
	if (column === undefined) return new Array<string | null>(count).fill(null);
	const cells = column.split(',');
	if (cells.length !== count) return undefined;
	let prefix: string | undefined;
	const userIds: Array<string | null> = [];
	for (const cell of cells) {
		const [, given, digits] = /^([A-Z]{2}\.(?:ENT\.)?)?([0-9a-z]*)$/.exec(cell) ?? [];
		prefix = given ?? prefix;
		const value =
			cell === ''
				? null
				: digits === undefined || prefix === undefined
					? undefined
					: parseBase36(digits);
		if (value === undefined) return undefined;
		userIds.push(value === null ? null : `${prefix}${value}`);
	}
	return userIds;
}

function decodeNumbered(
	reason: string | null,
	[prefix, deltas, paired]: Numbered,
): KnownUser[] | undefined {
	if (
		typeof prefix !== 'string' ||
		typeof deltas !== 'string' ||
		(paired !== undefined && typeof paired !== 'string')
	)
		return undefined;
	const values = decodeValues(deltas);
	const userIds = values && decodePaired(paired, values.length);
	if (values === undefined || userIds === undefined) return undefined;
	return values.map((value, i) => {
		const user = `${prefix}${value}`;
		const userId = userIds[i];
		return userId === null
			? known(user, reason)
			: { user, waId: user, userId, blockReason: reason };
	});
}

const known = (user: string, blockReason: string | null): KnownUser => {
	const [waId, userId] = impliedIds(user);
	return { user, waId, userId, blockReason };
};

function decodeGroup([reason, numbered, plain]: Group): KnownUser[] | undefined {
	if (
		(reason !== null && typeof reason !== 'string') ||
		!Array.isArray(numbered) ||
		!Array.isArray(plain)
	)
		return undefined;
	if (!plain.every((user) => typeof user === 'string')) return undefined;
	const users = plain.map((user) => known(user, reason));
	for (const entry of numbered) {
		const decoded = Array.isArray(entry) ? decodeNumbered(reason, entry) : undefined;
		if (decoded === undefined) return undefined;
		users.push(...decoded);
	}
	return users;
}

function isEncoded(value: unknown): value is Encoded {
	const state = value as Partial<Encoded> | null;
	return (
		typeof state === 'object' &&
		state !== null &&
		state.v === FORMAT &&
		typeof state.phoneNumberId === 'string' &&
		typeof state.count === 'number' &&
		Array.isArray(state.groups) &&
		Array.isArray(state.ids)
	);
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
		for (const user of decoded) {
			const irregular = ids.get(user.user);
			users.push(
				irregular === undefined ? user : { ...user, waId: irregular[0], userId: irregular[1] },
			);
		}
	}
	return users.length === state.count ? users : undefined;
}
