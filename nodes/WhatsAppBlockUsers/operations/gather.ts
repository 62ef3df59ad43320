/**
 * Gathering the users of all input items for Block and Unblock: one occurrence per entry,
 * remembering the item it came from, normalised and checked. Invalid entries are kept (as
 * failures) so that every given user comes out exactly once.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normalisePhoneNumber, splitUsersParameter } from '../phone';
import { resolvePhoneNumberId } from '../transport/connection';
import { LocalErrorCode, type UserError } from '../types';

export interface Occurrence {
	itemIndex: number;
	/** The entry as given (trimmed). */
	input: string;
	phoneNumberId: string | null;
	/** E.164, when the entry is a valid number. */
	user: string | null;
	waId: string | null;
	/** Set when the entry cannot be sent. */
	error?: UserError;
}

export interface ItemParameters {
	users: unknown;
	phoneNumberId: unknown;
}

/**
 * Turns one item's parameters into occurrences. When `failOnBadId` is set, an unusable
 * phone number ID is returned as an error for the caller to throw (the item is named);
 * otherwise the item's users become failures.
 */
export function occurrencesOfItem(
	itemIndex: number,
	params: ItemParameters,
	credentials: ICredentialDataDecryptedObject,
): { occurrences: Occurrence[]; badPhoneNumberId?: string } {
	const entries = splitUsersParameter(params.users);
	const phoneNumberId = resolvePhoneNumberId(params.phoneNumberId, credentials);
	const itemNumber = itemIndex + 1;

	if (entries.length === 0) {
		return {
			occurrences: [
				{
					itemIndex,
					input: '',
					phoneNumberId: phoneNumberId.ok ? phoneNumberId.value : null,
					user: null,
					waId: null,
					error: {
						code: LocalErrorCode.NoUsers,
						message: `Item ${itemNumber} has no users: the Users field is empty. Map it to the field of the input that holds the phone number`,
					},
				},
			],
		};
	}

	const occurrences = entries.map((entry): Occurrence => {
		const base = { itemIndex, input: entry.input, phoneNumberId: phoneNumberId.ok ? phoneNumberId.value : null };
		if (!phoneNumberId.ok) {
			return {
				...base,
				user: null,
				waId: null,
				error: { code: LocalErrorCode.InvalidPhoneNumberId, message: `${phoneNumberId.reason} (item ${itemNumber})` },
			};
		}
		if (entry.kind === 'unusable') {
			return { ...base, user: null, waId: null, error: { code: LocalErrorCode.InvalidNumber, message: `${entry.reason} (item ${itemNumber})` } };
		}
		const number = normalisePhoneNumber(entry.input);
		if (!number.ok) {
			return { ...base, user: null, waId: null, error: { code: LocalErrorCode.InvalidNumber, message: `${number.reason} (item ${itemNumber})` } };
		}
		return { ...base, user: number.user, waId: number.waId };
	});
	return phoneNumberId.ok ? { occurrences } : { occurrences, badPhoneNumberId: phoneNumberId.reason };
}
