/**
 * The Users parameter: splitting what an item gives into entries, and turning each entry
 * into the user to send: a phone number (E.164, sent as `{"user": ...}`) or a BSUID (sent as
 * `{"user_id": ...}`), or the reason it is neither. Pure functions, no n8n types.
 */
import type { Checked } from '../types';
import { BSUID_EXAMPLE, isBsuid, looksLikeBsuid, normaliseBsuid } from './bsuid';
import type { NationalPlan } from './numberingPlan';
import { hasPhoneScheme, normalisePhoneNumber, withoutMarks } from './phone';

/** Separators between users in one text field: commas, semicolons, new lines. */
const LIST_SEPARATORS = /[,;\r\n]+/;

/** The fields of an object that may name its user, in the order they are read. */
const USER_FIELDS = ['user', 'user_id', 'wa_id'] as const;

/**
 * One user as the node sends it: `user` is the key (the E.164 number or the BSUID), and
 * exactly one of `waId` (a number without its plus) and `userId` (a BSUID) is set.
 */
export interface UserKey {
	user: string;
	waId: string | null;
	userId: string | null;
}

/**
 * A phone number or a BSUID, from one entry as given (invisible marks ignored; a `tel:` or
 * `whatsapp:` link is a number). `home` is the Default Country Code, for national numbers.
 */
export function parseUser(input: string, home?: NationalPlan): Checked<UserKey> {
	if (!hasPhoneScheme(input) && looksLikeBsuid(withoutMarks(input))) {
		const bsuid = normaliseBsuid(input);
		return bsuid.ok ? { ok: true, value: { user: bsuid.value, waId: null, userId: bsuid.value } } : bsuid;
	}
	const number = normalisePhoneNumber(input, home);
	return number.ok ? { ok: true, value: { ...number.value, userId: null } } : number;
}

/** How a user (its key) goes into the request's `block_users` array. */
export function requestEntry(user: string): { user: string } | { user_id: string } {
	// A number (a plus first) is never a BSUID: no regular expression for it.
	return user.charCodeAt(0) !== 43 && isBsuid(user) ? { user_id: user } : { user };
}

/** One entry of the Users parameter, as the user gave it, before normalisation. */
export type RawUserEntry =
	| { kind: 'value'; input: string }
	| { kind: 'unusable'; input: string; reason: string };

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : String(value);
}

/** The first field of an object that names a user (`user`, `user_id`, `wa_id`), if any. */
function userFieldOf(element: Record<string, unknown>): unknown {
	for (const field of USER_FIELDS) {
		const value = element[field];
		if (value !== undefined && value !== null) return value;
	}
	return undefined;
}

/** Turns one element of a list (a string, a number, or an object with `user` or `user_id`) into an entry. */
function entryFromElement(element: unknown): RawUserEntry[] {
	if (typeof element === 'string') {
		const input = element.trim();
		return input === '' ? [{ kind: 'unusable', input: element, reason: 'The value is empty' }] : [{ kind: 'value', input }];
	}
	if (typeof element === 'number' || typeof element === 'bigint') {
		if (typeof element === 'number' && !Number.isSafeInteger(element)) {
			return [
				{
					kind: 'unusable',
					input: String(element),
					reason: `${String(element)} is not a whole phone number: pass phone numbers as text, such as "+919999999999"`,
				},
			];
		}
		if (element < 0) {
			// As text the minus would be stripped like a dash, and -919999999999 would block +919999999999.
			return [
				{
					kind: 'unusable',
					input: String(element),
					reason: `${String(element)} is a negative number, not a phone number: pass phone numbers as text, such as "+919999999999"`,
				},
			];
		}
		return [{ kind: 'value', input: String(element) }];
	}
	if (element !== null && typeof element === 'object' && !Array.isArray(element)) {
		const inner = userFieldOf(element as Record<string, unknown>);
		if (typeof inner === 'string' || typeof inner === 'number') return entryFromElement(inner);
	}
	return [
		{
			kind: 'unusable',
			input: element === undefined ? '' : describeValue(element),
			reason:
				element === null || element === undefined
					? 'The value is empty'
					: `Expected a phone number or a BSUID but got ${describeValue(element)}: give text such as "+919999999999" or "${BSUID_EXAMPLE}", or an object with a "user" or "user_id" field`,
		},
	];
}

/** The entries of a list, in order (a loop: flatMap costs more per element). */
function entriesOfList(list: readonly unknown[]): RawUserEntry[] {
	const entries: RawUserEntry[] = [];
	for (const element of list) {
		if (typeof element === 'string') {
			const input = element.trim();
			if (input !== '') {
				entries.push({ kind: 'value', input });
				continue;
			}
		}
		for (const entry of entryFromElement(element)) entries.push(entry);
	}
	return entries;
}

/**
 * Splits the Users parameter of one item into entries. It accepts one user, a text list
 * separated by commas, semicolons or new lines, a JSON array written as text, or an array
 * (of strings, numbers, or objects with `user` or `user_id`). Empty pieces of a text list (a trailing
 * comma) are formatting, not users; an empty element of an array is an entry that fails.
 */
export function splitUsersParameter(value: unknown): RawUserEntry[] {
	if (value === undefined || value === null) return [];
	if (Array.isArray(value)) return entriesOfList(value);
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.startsWith('[') && text.endsWith(']')) {
			try {
				const parsed: unknown = JSON.parse(text);
				if (Array.isArray(parsed)) return entriesOfList(parsed);
			} catch {
				// Not JSON: treat it as a plain list below.
			}
		}
		return text
			.split(LIST_SEPARATORS)
			.map((piece) => piece.trim())
			.filter((piece) => piece !== '')
			.map((input) => ({ kind: 'value', input }));
	}
	return entryFromElement(value);
}
