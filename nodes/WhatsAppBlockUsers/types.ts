/** Shapes shared by the node's modules. */

export type BlockAction = 'block' | 'unblock';

/** A per-user failure, as the node outputs it. */
export interface UserError {
	/** The server's error code (a number such as 131047) or one of the node's own codes (text). */
	code: number | string;
	message: string;
	details?: string;
}

/** What the node learned about one user it sent. */
export type UserOutcome = { ok: true; waId: string } | { ok: false; error: UserError };

/** The node's own error codes, for failures that did not come from the server's per-user lists. */
export const LocalErrorCode = {
	/** The entry is not a usable phone number; it was not sent. */
	InvalidNumber: 'INVALID_NUMBER',
	/** The item gave no users at all. */
	NoUsers: 'NO_USERS',
	/** The item's phone number ID is not usable; nothing was sent for it. */
	InvalidPhoneNumberId: 'INVALID_PHONE_NUMBER_ID',
	/** The server answered but did not mention the user. */
	NotAcknowledged: 'NOT_ACKNOWLEDGED',
	/** The request was not sent because the whole call failed (key rejected, number not found). */
	NotSent: 'NOT_SENT',
} as const;
