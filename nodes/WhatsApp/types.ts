/**
 * Shapes shared by the node's modules: the result of a check, and the one result type of a
 * user that an operation acted on (or could not).
 */

/** The result of checking or parsing a value: the value, or why it cannot be used. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export type BlockAction = 'block' | 'unblock';

/** Why a user failed, as the node outputs it. */
export interface UserError {
	/** The server's error code (a number such as 131047) or one of the node's own codes (text). */
	code: number | string;
	message: string;
	details?: string;
}

/**
 * What the node learned about one user: done, with the IDs the server gave (`unchanged` when
 * the blocklist already was as asked: already blocked, or not blocked), or failed.
 */
export type UserOutcome =
	| {
			ok: true;
			waId: string | null;
			userId: string | null;
			parentUserId?: string;
			unchanged?: boolean;
	  }
	| { ok: false; error: UserError };

/** The node's own error codes, for failures that did not come from the server's per-user lists. */
export const LocalErrorCode = {
	/** The entry is neither a usable phone number nor a BSUID; it was not sent. */
	InvalidNumber: 'INVALID_NUMBER',
	/** The item gave no users at all. */
	NoUsers: 'NO_USERS',
	/** The item's phone number ID is not usable; nothing was sent for it. */
	InvalidPhoneNumberId: 'INVALID_PHONE_NUMBER_ID',
	/** The server answered but did not mention the user. */
	NotAcknowledged: 'NOT_ACKNOWLEDGED',
	/** The request was not sent because the whole call failed (key rejected, number not found). */
	NotSent: 'NOT_SENT',
	/** A parent BSUID, which WhatsApp never blocks or unblocks: not sent. */
	ParentBsuid: 'PARENT_BSUID',
	/** A 2xx answer that is not what the request asks for (a page without `data`, an entry the node does not know). */
	UnrecognisedAnswer: 'UNRECOGNISED_ANSWER',
	/** A list whose paging cannot be trusted (a cursor seen before, a page that adds nobody, no end in sight). */
	BadPaging: 'BAD_PAGING',
} as const;

/** One entry of the Users parameter of one item: what was given, and what will be sent. */
export interface Occurrence {
	itemIndex: number;
	/** The entry as given (trimmed). */
	input: string;
	phoneNumberId: string | null;
	/** What is sent: the E.164 number or the BSUID, when the entry is valid. */
	user: string | null;
	/** The number without its plus, for a phone number. */
	waId: string | null;
	/** The BSUID, for a user known by one. */
	userId: string | null;
	/** Set when the entry cannot be sent. */
	error?: UserError;
}
