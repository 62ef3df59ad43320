/**
 * Business-scoped user IDs (BSUIDs): how WhatsApp names a user who hides their phone
 * number behind a username. Meta's grammar (revision of 2026-06-29): the ISO country code, a
 * period, then up to 128 letters and digits, used exactly as given (the part after the
 * period is never changed, not even its case): `US.13491208655302741918` is one example, not
 * the shape. A parent BSUID (`US.ENT.11815799212886844830`, for managed businesses) names a
 * user for matching, but WhatsApp refuses a block or unblock request that holds one, whole.
 * BSUIDs are sent as `{"user_id": ...}`. Pure functions.
 */
import type { Checked } from '../types';
import { quoteInput } from './phone';

const BSUID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;
const PARENT = /^[A-Z]{2}\.ENT\./;

export const BSUID_EXAMPLE = 'US.13491208655302741918';

/** Whether a (trimmed) entry is meant as a BSUID rather than a phone number: it starts with a letter. */
export function looksLikeBsuid(text: string): boolean {
	return /^[A-Za-z]/.test(text);
}

/** Whether a value the node sends or reads is a well-formed BSUID or parent BSUID. */
export function isBsuid(value: string): boolean {
	return BSUID.test(value);
}

/** Whether a (well-formed) BSUID is a parent BSUID, which WhatsApp never blocks or unblocks. */
export function isParentBsuid(value: string): boolean {
	return PARENT.test(value);
}

/** Checks a BSUID as given; the country letters may be typed in lower case, invisible marks are ignored. */
export function normaliseBsuid(input: string): Checked<string> {
	const candidate = input
		.replace(/\p{Cf}/gu, '')
		.trim()
		.replace(/^[a-z]{2}\.(?:ent\.)?/i, (prefix) => prefix.toUpperCase());
	if (isBsuid(candidate)) return { ok: true, value: candidate };
	return {
		ok: false,
		error: `${quoteInput(input)} is neither a phone number nor a business-scoped user ID (BSUID): give a number in international format, such as +919999999999, or a BSUID, two capital letters, a dot and up to 128 letters and digits, such as ${BSUID_EXAMPLE}`,
	};
}
