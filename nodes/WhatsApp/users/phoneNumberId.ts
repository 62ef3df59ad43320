/**
 * The phone number ID an item acts on: the node's Phone Number ID when it is set, else the
 * credential's. It goes into the URL path, so only digits are accepted. Pure functions.
 */
import type { Checked } from '../types';
import { quoteInput } from './phone';

/** Why a value that is not text cannot be a phone number ID, or undefined for a usable one. */
function notTextReason(value: unknown): string | undefined {
	if (typeof value === 'number') {
		if (Number.isSafeInteger(value) && value >= 0) return undefined;
		if (Number.isInteger(value) && value > 0) {
			return `The phone number ID ${String(value)} came as a number too large to be exact (over 2^53), so its last digits may already be wrong: pass the ID as text, e.g. {{ String($json.phone_number_id) }} on the field that holds it as text`;
		}
		return `The phone number ID ${String(value)} is not a whole number: it must contain digits only`;
	}
	if (typeof value === 'boolean')
		return `The phone number ID is ${String(value)} (a true/false value), not digits: check the expression that gives it`;
	if (typeof value === 'object' && value !== null)
		return `The phone number ID is ${Array.isArray(value) ? 'a list' : 'an object'}, not digits: check the expression that gives it`;
	return undefined;
}

/** Checks a phone number ID: digits only (a safe whole number is taken as its digits). */
export function checkPhoneNumberId(value: unknown): Checked<string> {
	const notText = notTextReason(value);
	if (notText !== undefined) return { ok: false, error: notText };
	const id = typeof value === 'number' ? String(value) : value;
	if (typeof id !== 'string' || id.trim() === '') {
		return {
			ok: false,
			error: 'The phone number ID is empty: set it in the credential or in the node',
		};
	}
	const trimmed = id.trim();
	if (!/^\d{1,32}$/.test(trimmed)) {
		return {
			ok: false,
			error: `The phone number ID ${quoteInput(trimmed)} is not valid: it must contain digits only (find it in your Splashify dashboard)`,
		};
	}
	return { ok: true, value: trimmed };
}

/** The phone number ID of an item: the node's override if set, else the credential's. */
export function resolvePhoneNumberId(
	override: unknown,
	credentials: { phoneNumberId?: unknown },
): Checked<string> {
	const unset =
		override === undefined ||
		override === null ||
		(typeof override === 'string' && override.trim() === '');
	return checkPhoneNumberId(unset ? credentials.phoneNumberId : override);
}
