/**
 * Shapes shared by the node's modules: the result of a check, and the one result type of a
 * user that an operation acted on (or could not).
 */

/**
 * The one result type of the code: a value, or the error that says why not. Every check,
 * parse, request and read returns one; only the kind of error differs.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** The result of checking or parsing a value: the value, or why it cannot be used (a message for the user). */
export type Checked<T> = Result<T, string>;

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
