/**
 * The phone number ID an item acts on: the node's Phone Number ID when it is set, else the
 * credential's. It goes into the URL path, so only digits are accepted. Pure functions.
 */
import type { Checked } from '../types';
import { quoteInput } from './phone';

/** Checks a phone number ID: digits only (a safe whole number is taken as its digits). */
export function checkPhoneNumberId(value: unknown): Checked<string> {
	const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof id !== 'string' || id.trim() === '') {
		return { ok: false, reason: 'The phone number ID is empty: set it in the credential or in the node' };
	}
	const trimmed = id.trim();
	if (!/^\d{1,32}$/.test(trimmed)) {
		return {
			ok: false,
			reason: `The phone number ID ${quoteInput(trimmed)} is not valid: it must contain digits only (find it in your Splashify dashboard)`,
		};
	}
	return { ok: true, value: trimmed };
}

/** The phone number ID of an item: the node's override if set, else the credential's. */
export function resolvePhoneNumberId(override: unknown, credentials: { phoneNumberId?: unknown }): Checked<string> {
	const unset = override === undefined || override === null || (typeof override === 'string' && override.trim() === '');
	return checkPhoneNumberId(unset ? credentials.phoneNumberId : override);
}
