/**
 * Phone numbers: turning what a user typed (or what an upstream node produced) into the
 * E.164 form Splashify expects, and saying clearly why it is not one. Pure functions.
 */
import type { Checked } from '../types';

/** E.164: a plus, a non-zero digit, then 6 to 14 more digits (7 to 15 in all). */
const E164 = /^\+[1-9]\d{6,14}$/;

/** Characters people put in numbers for readability: white space, dashes, dots, brackets. */
const FORMATTING = /[\s\-.()[\]\u00a0\u2010-\u2015]/g;

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
	// Already E.164 (the usual case): what the steps below would give, without them.
	if (E164.test(input)) return { ok: true, value: { user: input, waId: input.slice(1) } };
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
