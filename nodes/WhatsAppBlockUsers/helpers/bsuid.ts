/**
 * Business-scoped user IDs (BSUIDs): how WhatsApp names a user who hides their phone
 * number behind a username, such as `US.13491208655302741918` (two capital letters, a dot,
 * digits), or, for a business that enables them, a parent BSUID such as
 * `US.ENT.11815799212886844830`. Both block, unblock and list like phone numbers; they are
 * sent as `{"user_id": ...}`. Pure functions.
 */
import type { Checked } from '../types';
import { quoteInput } from './phone';

const BSUID = /^[A-Z]{2}\.(?:ENT\.)?\d{1,32}$/;
/** Meta's grammar (revision of 2026-06-29): country code, a period, up to 128 letters and digits. */
const LISTED_BSUID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;

export const BSUID_EXAMPLE = 'US.13491208655302741918';

/** Whether a (trimmed) entry is meant as a BSUID rather than a phone number: it starts with a letter. */
export function looksLikeBsuid(text: string): boolean {
	return /^[A-Za-z]/.test(text);
}

/** Whether a value the node sends or reads is a well-formed BSUID or parent BSUID. */
export function isBsuid(value: string): boolean {
	return BSUID.test(value);
}

/**
 * Whether a value in a list entry is a BSUID or parent BSUID by Meta's current grammar (letters
 * and digits after the period, up to 128): a listed user is read as the server names them.
 */
export function isListedBsuid(value: string): boolean {
	return LISTED_BSUID.test(value);
}

/** Checks a BSUID as given; the country letters may be typed in lower case, invisible marks are ignored. */
export function normaliseBsuid(input: string): Checked<string> {
	const candidate = input.replace(/\p{Cf}/gu, '').trim().replace(/^[a-z]{2}\.(?:ent\.)?/i, (prefix) => prefix.toUpperCase());
	if (isBsuid(candidate)) return { ok: true, value: candidate };
	return {
		ok: false,
		reason: `${quoteInput(input)} is neither a phone number nor a business-scoped user ID (BSUID): give a number in international format, such as +919999999999, or a BSUID, two capital letters, a dot and digits, such as ${BSUID_EXAMPLE}`,
	};
}
