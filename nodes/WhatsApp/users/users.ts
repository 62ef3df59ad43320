/**
 * The Users parameter: splitting what an item gives into entries, and turning each entry
 * into the user to send: a phone number (E.164, sent as `{"user": ...}`) or a BSUID (sent as
 * `{"user_id": ...}`), or the reason it is neither. Pure functions, no n8n types.
 */
import type { Checked } from '../types';
import { BSUID_EXAMPLE, isBsuid, looksLikeBsuid, normaliseBsuid } from './bsuid';
import type { NationalPlan } from './numberingPlan';
import { hasPhoneScheme, normalisePhoneNumber, quoteInput, withoutMarks } from './phone';
import { isWebhookValue, sendersOf } from './senders';

/** Separators between users in one text field: commas, semicolons, new lines. */
const LIST_SEPARATORS = /[,;\r\n]+/;

/**
 * One user as the node sends it: `user` is the key (the E.164 number or the BSUID); `waId`
 * (a number without its plus) is set for a number, `userId` for a BSUID, and for a number
 * whose user's BSUID came with it (a List item, a WhatsApp contact): both, sent by the number.
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
		return bsuid.ok
			? { ok: true, value: { user: bsuid.value, waId: null, userId: bsuid.value } }
			: bsuid;
	}
	const number = normalisePhoneNumber(input, home);
	return number.ok ? { ok: true, value: { ...number.value, userId: null } } : number;
}

/** How a user (its key) goes into the request's `block_users` array. */
export function requestEntry(user: string): { user: string } | { user_id: string } {
	// A number (a plus first) is never a BSUID: no regular expression for it.
	return user.charCodeAt(0) !== 43 && isBsuid(user) ? { user_id: user } : { user };
}

/**
 * One entry of the Users parameter, as the user gave it, before normalisation. A `value` from
 * an object may bring the user's BSUID (`userId`) beside its number, and the `wa_id` its
 * number must match (`waId`); `international` marks a WhatsApp ID (a `wa_id`, a sender's
 * `from`): a number without its plus, never read as a national number. `nobody` is an object that names no user and says why (a
 * WhatsApp status update).
 */
export type RawUserEntry =
	| { kind: 'value'; input: string; userId?: string; waId?: string; international?: true }
	| { kind: 'unusable'; input: string; reason: string }
	| { kind: 'nobody'; input: string; reason: string };

/**
 * The user of a valid entry with what came beside it: the BSUID kept beside a number, after
 * checking it is one, and the `wa_id` it must match. A mismatch is refused, never resolved.
 */
export function withCompanions(
	key: UserKey,
	entry: { input: string; userId?: string; waId?: string },
): Checked<UserKey> {
	if (entry.waId !== undefined && key.waId !== entry.waId.replace(/^\+/, '')) {
		return {
			ok: false,
			error: `${quoteInput(entry.input)} and its wa_id "${entry.waId}" are not the same number: give one of them`,
		};
	}
	if (entry.userId === undefined || key.waId === null) return { ok: true, value: key };
	const bsuid = normaliseBsuid(entry.userId);
	if (!bsuid.ok)
		return {
			ok: false,
			error: `The user_id "${entry.userId}" beside ${quoteInput(entry.input)} is not a BSUID: give the number alone, or a BSUID such as ${BSUID_EXAMPLE}`,
		};
	return { ok: true, value: { ...key, userId: bsuid.value } };
}

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : String(value);
}

/** A field that names a user: a number, or text that is not blank. */
function present(value: unknown): string | number | undefined {
	return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')
		? value
		: undefined;
}

/** The text to read of an entry: a WhatsApp ID gets its plus back, so it is never read as national. */
export function entryText(entry: { input: string; international?: true }): string {
	return entry.international ? `+${entry.input.replace(/^\+/, '')}` : entry.input;
}

/**
 * The entry of an object naming a user (`user`, `wa_id`, `user_id`: a List or Block item, a
 * CRM record): by its number when it has one (`user`, else `wa_id`; Meta's precedence), the
 * BSUID kept beside it; else by its BSUID. Undefined when no field names a user.
 */
function entryOfUserObject(element: Record<string, unknown>): RawUserEntry[] | undefined {
	const user = present(element.user);
	const waId = present(element.wa_id);
	const userIsBsuid = typeof user === 'string' && looksLikeBsuid(withoutMarks(user.trim()));
	const bsuid = present(element.user_id) ?? (userIsBsuid ? user : undefined);
	if (userIsBsuid && bsuid !== user) {
		return [
			{
				kind: 'unusable',
				input: String(user),
				reason: `${quoteInput(String(user))} and its user_id "${String(bsuid)}" are not the same BSUID: give one of them`,
			},
		];
	}
	const number = userIsBsuid ? undefined : user;
	const primary = number ?? waId ?? bsuid;
	if (primary === undefined) {
		// `{"user": ""}`: a user field that is there but blank is an empty value, as in a list.
		const blank = ['user', 'wa_id', 'user_id'].some((field) => typeof element[field] === 'string');
		return blank ? [{ kind: 'unusable', input: '', reason: 'The value is empty' }] : undefined;
	}
	const entries = entryFromElement(primary);
	const [entry] = entries;
	if (primary === bsuid || entry.kind !== 'value') return entries;
	if (primary === waId) entry.international = true;
	if (typeof bsuid === 'string') entry.userId = bsuid;
	if (number !== undefined && waId !== undefined) entry.waId = String(waId);
	return entries;
}

/** The entries of a WhatsApp webhook value: one per sender, or why it names nobody. */
function entriesOfWebhookValue(value: Record<string, unknown>): RawUserEntry[] {
	const found = sendersOf(value);
	if ('nobody' in found) return [{ kind: 'nobody', input: '', reason: found.nobody }];
	return found.senders.map((sender) =>
		sender.number === undefined
			? { kind: 'value', input: sender.bsuid as string }
			: {
					kind: 'value',
					input: sender.number,
					international: true,
					...(sender.bsuid === undefined ? {} : { userId: sender.bsuid }),
				},
	);
}

/** Turns one element of a list (a string, a number, or an object with `user` or `user_id`) into an entry. */
function entryFromElement(element: unknown): RawUserEntry[] {
	if (typeof element === 'string') {
		const input = element.trim();
		return input === ''
			? [{ kind: 'unusable', input: element, reason: 'The value is empty' }]
			: [{ kind: 'value', input }];
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
		const record = element as Record<string, unknown>;
		const entries = isWebhookValue(record)
			? entriesOfWebhookValue(record)
			: entryOfUserObject(record);
		if (entries !== undefined) return entries;
	}
	return [
		{
			kind: 'unusable',
			input: element === undefined ? '' : describeValue(element),
			reason:
				element === null || element === undefined
					? 'The value is empty'
					: `Expected a phone number or a BSUID but got ${describeValue(element)}: give text such as "+919999999999" or "${BSUID_EXAMPLE}", an object with a "user", "wa_id" or "user_id" field, or a WhatsApp Trigger item`,
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
 * (of strings, numbers, or objects with `user`, `wa_id` or `user_id`), or a WhatsApp Trigger
 * item (its senders, `senders.ts`), alone or in a list. Empty pieces of a text list (a trailing
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
