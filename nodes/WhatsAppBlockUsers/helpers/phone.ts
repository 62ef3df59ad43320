/**
 * Phone-number handling: splitting the Users parameter into entries, turning what a user
 * typed (or what an upstream node produced) into the E.164 form Splashify expects, and
 * saying clearly why an entry cannot be used. Pure functions, no n8n types.
 */
import type { Checked } from '../types';

/** E.164: a plus, a non-zero digit, then 6 to 14 more digits (7 to 15 in all). */
const E164 = /^\+[1-9]\d{6,14}$/;

/** Characters people put in numbers for readability: white space, dashes, dots, brackets. */
const FORMATTING = /[\s\-.()[\]\u00a0\u2010-\u2015]/g;

/** Separators between numbers in one text field: commas, semicolons, new lines. */
const LIST_SEPARATORS = /[,;\r\n]+/;

const SHOWN_INPUT_LENGTH = 40;

/** A number as sent (`user`, E.164) and as WhatsApp names it (`wa_id`, digits only). */
export interface PhoneNumber {
	user: string;
	waId: string;
}

/** Shortens a long or odd input so it can be quoted in a message. */
export function quoteInput(input: string): string {
	const shown = input.length > SHOWN_INPUT_LENGTH ? `${input.slice(0, SHOWN_INPUT_LENGTH)}…` : input;
	return `"${shown}"`;
}

/**
 * Normalises one number to E.164: strips formatting, turns a leading `00` into `+`, and
 * gives a bare WhatsApp ID (digits only, as `wa_id` comes back from WhatsApp) its `+`.
 */
export function normalisePhoneNumber(input: string): Checked<PhoneNumber> {
	const stripped = input.replace(FORMATTING, '');
	if (stripped === '') {
		return { ok: false, reason: 'The value is empty' };
	}
	let candidate = stripped;
	if (candidate.startsWith('00')) candidate = `+${candidate.slice(2)}`;
	else if (/^\d/.test(candidate)) candidate = `+${candidate}`;

	if (!E164.test(candidate)) {
		return {
			ok: false,
			reason: `${quoteInput(input)} is not a valid phone number: use the international (E.164) format, a plus, the country code and the number, such as +919999999999`,
		};
	}
	return { ok: true, value: { user: candidate, waId: candidate.slice(1) } };
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

/** Turns one element of a list (a string, a number, or an object with `user`) into an entry. */
function entryFromElement(element: unknown): RawUserEntry[] {
	if (typeof element === 'string') {
		return element.trim() === ''
			? [{ kind: 'unusable', input: element, reason: 'The value is empty' }]
			: [{ kind: 'value', input: element.trim() }];
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
		const inner = (element as Record<string, unknown>).user ?? (element as Record<string, unknown>).wa_id;
		if (typeof inner === 'string' || typeof inner === 'number') return entryFromElement(inner);
	}
	return [
		{
			kind: 'unusable',
			input: element === undefined ? '' : describeValue(element),
			reason:
				element === null || element === undefined
					? 'The value is empty'
					: `Expected a phone number but got ${describeValue(element)}: give text such as "+919999999999", or an object with a "user" field`,
		},
	];
}

/**
 * Splits the Users parameter of one item into entries. It accepts one number, a text list
 * separated by commas, semicolons or new lines, a JSON array written as text, or an array
 * (of strings, numbers, or objects with `user`). Empty pieces of a text list (a trailing
 * comma) are formatting, not users; an empty element of an array is an entry that fails.
 */
export function splitUsersParameter(value: unknown): RawUserEntry[] {
	if (value === undefined || value === null) return [];
	if (Array.isArray(value)) return value.flatMap(entryFromElement);
	if (typeof value === 'string') {
		const text = value.trim();
		if (text.startsWith('[') && text.endsWith(']')) {
			try {
				const parsed: unknown = JSON.parse(text);
				if (Array.isArray(parsed)) return parsed.flatMap(entryFromElement);
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
