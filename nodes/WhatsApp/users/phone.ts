/**
 * Phone numbers: turning what a user typed (or what an upstream node produced) into the
 * E.164 form Splashify expects, and saying clearly why it is not one. The rule: a number
 * comes out as itself or is refused with a reason, never as another number. Every style
 * people write is read (spaces, dashes, dots, brackets, `(0)` after the country code, `00`,
 * `tel:` and `whatsapp:`, a float's `.0`, invisible marks), and the result must fit the
 * national numbering plan of its country code (`numberingPlan.ts`). A number without its
 * country code is read as a national number only with a Default Country Code. Pure functions.
 */
import type { Checked } from '../types';
import {
	countryCodeOf,
	describeLengths,
	fitsPlan,
	type NationalPlan,
	planOf,
} from './numberingPlan';

/** E.164: a plus, a non-zero digit, then 6 to 14 more digits (7 to 15 in all). */
const E164 = /^\+[1-9]\d{6,14}$/;

/** Invisible marks: Unicode format characters (LRM, RLM, zero-width space and joiner, BOM, bidi controls). */
const MARKS = /\p{Cf}/gu;

/** Characters people put in numbers for readability: any space, dashes, dots, brackets. */
const FORMATTING = /[\s\p{Zs}\p{Pd}\u2212.()[\]]/gu;

/** Characters a message shows as `\uXXXX`: marks, spaces other than the plain one, controls. */
const HIDDEN = /[\p{Cf}\p{Cc}\p{Z}]/gu;

/** A link scheme before a number: `tel:+44...`, `whatsapp:+1...` (Twilio), any case. */
const SCHEME = /^(?:tel|whatsapp):/i;

/** A `(0)` right after an international prefix and the country code: `+44 (0)20 ...`. */
const TRUNK_IN_BRACKETS =
	/^(\+|00)[\s\p{Zs}\p{Pd}\u2212.]*(\d{1,3})[\s\p{Zs}\p{Pd}\u2212.]*\(\s*0\s*\)/u;

const SHOWN_INPUT_LENGTH = 40;

const E164_HINT =
	'use the international (E.164) format, a plus, the country code and the number, such as +919999999999';

/** A number as sent (`user`, E.164) and as WhatsApp names it (`wa_id`, digits only). */
export interface PhoneNumber {
	user: string;
	waId: string;
}

/** Shortens a long or odd input so it can be quoted in a message; invisible characters are shown as `\uXXXX`. */
export function quoteInput(input: string): string {
	const shown =
		input.length > SHOWN_INPUT_LENGTH ? `${input.slice(0, SHOWN_INPUT_LENGTH)}…` : input;
	const visible = shown.replace(HIDDEN, (c) =>
		c === ' ' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
	return `"${visible}"`;
}

/** The input without invisible marks, surrounding space and a `tel:` / `whatsapp:` scheme. */
export function withoutMarks(input: string): string {
	return input.replace(MARKS, '').trim().replace(SCHEME, '').trim();
}

/** Whether an entry (after its marks) is given as a phone link, `tel:` or `whatsapp:`. */
export function hasPhoneScheme(input: string): boolean {
	return SCHEME.test(input.replace(MARKS, '').trim());
}

const refuse = (input: string, why: string): Checked<never> => ({
	ok: false,
	error: `${quoteInput(input)} ${why}`,
});

const accept = (digits: string): Checked<PhoneNumber> => ({
	ok: true,
	value: { user: `+${digits}`, waId: digits },
});

/**
 * A number written as a decimal (a number column exported as a float): `919999999999.0` is
 * the number, a decimal part other than zeros or an exponent is refused. `undefined` when the
 * text is not a decimal.
 */
function readDecimal(input: string, text: string): Checked<string> | undefined {
	if (/^\d+(?:\.\d+)?e[+-]?\d+$/i.test(text)) {
		return refuse(
			input,
			'is a number in scientific notation, which has lost digits: format the column as text, or give the number as text, such as "+919999999999"',
		);
	}
	const decimal = /^(\d+)\.(\d+)$/.exec(text);
	if (decimal === null) return undefined;
	if (/^0+$/.test(decimal[2])) return { ok: true, value: decimal[1] };
	return refuse(
		input,
		'is a decimal number, not a phone number: give the number without a decimal point, such as "+919999999999"',
	);
}

/**
 * The text with its `(0)` after the country code dropped, where the country has a trunk 0;
 * refused where it has none (is the 0 dialled or not?) and where a `(0)` stands anywhere else.
 */
function dropTrunkInBrackets(input: string, text: string): Checked<string> {
	const match = TRUNK_IN_BRACKETS.exec(text);
	const plan = match === null ? undefined : planOf(match[2]);
	if (plan !== undefined && !plan.trunkZero) {
		return refuse(
			input,
			`has a "(0)" after the country code +${plan.code}, whose numbers have no trunk 0: write the number without brackets, with the 0 only if it is dialled from abroad`,
		);
	}
	const dropped =
		match !== null && plan !== undefined ? `+${match[2]}${text.slice(match[0].length)}` : text;
	if (/\(\s*0\s*\)/.test(dropped.replace(/^\(\s*0\s*\)/, ''))) {
		return refuse(
			input,
			`has a "(0)" that does not follow the country code: write it as +44 (0)20 7946 0958 or +44 20 7946 0958`,
		);
	}
	return { ok: true, value: dropped };
}

/** Checks the digits of an international number (after `+` or `00`) against the plan of its country code. */
function readInternational(input: string, digits: string): Checked<PhoneNumber> {
	const plan = countryCodeOf(digits);
	if (!/^\d+$/.test(digits) || plan === undefined) {
		return refuse(
			input,
			`is not a valid phone number: ${/^\d+$/.test(digits) && digits !== '' ? 'it starts with no country code in use' : 'it has characters other than digits'}; ${E164_HINT}`,
		);
	}
	const national = digits.slice(plan.code.length);
	if (plan.trunkZero && national.startsWith('0')) {
		return refuse(
			input,
			`has a 0 after the country code +${plan.code}: that 0 is only dialled within the country. Leave it out (+${plan.code} ${national.slice(1)}) or write it as (0)`,
		);
	}
	if (!fitsPlan(plan, national) || !E164.test(`+${digits}`)) {
		return refuse(
			input,
			`is not a valid phone number: numbers of country code +${plan.code} have ${describeLengths(plan)} digits after the country code, this one has ${national.length}. Check the number; ${E164_HINT}`,
		);
	}
	return accept(digits);
}

/**
 * A number without a country code. Without a default country code it must be a complete
 * international number (a WhatsApp ID); with one, it is a national number of that country
 * (its trunk 0 dropped), or a number of that country with its code. Both readings fitting is
 * refused: the node never picks one.
 */
function readBare(
	input: string,
	digits: string,
	home: NationalPlan | undefined,
): Checked<PhoneNumber> {
	if (home === undefined) {
		const international = readInternational(input, digits);
		if (international.ok) return international;
		return refuse(
			input,
			`is not a valid phone number: without a + it must be a complete international number, and it is not one${digits.startsWith('0') ? ' (it starts with 0)' : ''}. Write it with its country code, such as +91 98123 00001, or set Options > Default Country Code to read numbers without one as national numbers`,
		);
	}
	const trunk = home.trunkZero && digits.startsWith('0');
	const national = trunk ? digits.slice(1) : digits;
	const asNational = fitsPlan(home, national) && E164.test(`+${home.code}${national}`);
	const asOwn =
		!trunk && digits.startsWith(home.code) && fitsPlan(home, digits.slice(home.code.length));
	if (asNational && asOwn) {
		return refuse(
			input,
			`could be +${home.code}${national} (a national number) or +${digits} (with its country code): write it with a plus and the country code`,
		);
	}
	if (asNational) return accept(`${home.code}${national}`);
	if (asOwn) return accept(digits);
	return refuse(
		input,
		`is not a national number of +${home.code} (${describeLengths(home)} digits${home.trunkZero ? ', after a leading 0' : ''}): check it, or write a number of another country with a plus and its country code, such as +44 20 7946 0958`,
	);
}

/**
 * Normalises one number to E.164: drops marks, a `tel:` / `whatsapp:` scheme, a float's
 * `.0`, a `(0)` after the country code and formatting; turns a leading `00` into `+`; reads a
 * number without `+` as a WhatsApp ID (or, with `home`, the default country, as national);
 * and checks the result against the numbering plan.
 */
export function normalisePhoneNumber(input: string, home?: NationalPlan): Checked<PhoneNumber> {
	const text = withoutMarks(input);
	if (text.replace(FORMATTING, '') === '') return { ok: false, error: 'The value is empty' };
	const decimal = readDecimal(input, text);
	if (decimal !== undefined && !decimal.ok) return decimal;
	const bracketed = dropTrunkInBrackets(input, decimal?.value ?? text);
	if (!bracketed.ok) return bracketed;
	const stripped = bracketed.value.replace(FORMATTING, '');
	if (stripped.startsWith('+')) return readInternational(input, stripped.slice(1));
	if (stripped.startsWith('00')) return readInternational(input, stripped.slice(2));
	if (/^\d+$/.test(stripped)) return readBare(input, stripped, home);
	return refuse(input, `is not a valid phone number: ${E164_HINT}`);
}

/**
 * Reads the Default Country Code option: not set (none), or a country code in use, given as
 * `91`, `+91`, `0091` or the number 91.
 */
export function readDefaultCountryCode(value: unknown): Checked<NationalPlan | undefined> {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return { ok: true, value: undefined };
	}
	const text =
		typeof value === 'number' && Number.isInteger(value)
			? String(value)
			: typeof value === 'string'
				? value.trim()
				: '';
	const code = text.replace(/^(?:\+|00)/, '');
	const plan = /^\d{1,3}$/.test(code) ? planOf(code) : undefined;
	if (plan !== undefined) return { ok: true, value: plan };
	const shown = typeof value === 'string' ? quoteInput(value) : String(value);
	return {
		ok: false,
		error: `Default Country Code must be a country calling code in use, such as 91 (India) or 44 (United Kingdom), not ${shown}`,
	};
}
