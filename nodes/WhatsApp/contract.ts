/**
 * The public contract that workflows route on, in one place: the `status` an output item
 * carries, each operation's outputs with the statuses each can carry, and the node's own error
 * codes (`error.code`; the server's numeric codes and network codes such as `ECONNRESET` pass
 * through as they come). Saved workflows rely on these values: a change here is a change of
 * behaviour. `test/docs/contract.test.ts` holds the README's tables to them, so a new status or
 * code cannot ship undocumented. Imports nothing.
 */

/** Every `status` of a user's output item. */
export const Status = {
	Blocked: 'blocked',
	Unblocked: 'unblocked',
	AlreadyBlocked: 'already blocked',
	NotBlocked: 'not blocked',
	WouldBlock: 'would block',
	WouldUnblock: 'would unblock',
	Kept: 'kept',
	Failed: 'failed',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** One output of an operation: its name in the editor and the statuses its items carry. */
export interface OutputContract {
	name: string;
	statuses: readonly Status[];
}

/** Each operation's outputs, in order (List: one plain output, items without `status`). */
export const OUTPUTS = {
	block: [
		{ name: 'Succeeded', statuses: [Status.Blocked, Status.AlreadyBlocked] },
		{ name: 'Failed', statuses: [Status.Failed] },
	],
	unblock: [
		{ name: 'Succeeded', statuses: [Status.Unblocked, Status.NotBlocked] },
		{ name: 'Failed', statuses: [Status.Failed] },
	],
	check: [
		{ name: 'Blocked', statuses: [Status.Blocked] },
		{ name: 'Not Blocked', statuses: [Status.NotBlocked] },
		{ name: 'Failed', statuses: [Status.Failed] },
	],
	sync: [
		{
			name: 'Changed',
			statuses: [Status.Blocked, Status.Unblocked, Status.WouldBlock, Status.WouldUnblock],
		},
		{ name: 'Unchanged', statuses: [Status.AlreadyBlocked, Status.NotBlocked, Status.Kept] },
		{ name: 'Failed', statuses: [Status.Failed] },
	],
	list: [],
} as const satisfies Record<string, readonly OutputContract[]>;

/** The names of an operation's outputs, as the editor shows them. */
export function outputNames(operation: keyof typeof OUTPUTS): string[] {
	return OUTPUTS[operation].map((output: OutputContract) => output.name);
}

/** The node's own error codes (`error.code` of a failed user, or of a List error item). */
export const ErrorCode = {
	/** The entry is neither a usable phone number nor a BSUID; it was not sent. */
	InvalidNumber: 'INVALID_NUMBER',
	/** The item gave no users at all (or only a WhatsApp status update). */
	NoUsers: 'NO_USERS',
	/** The item's phone number ID is not usable; nothing was sent for it. */
	InvalidPhoneNumberId: 'INVALID_PHONE_NUMBER_ID',
	/** A parent BSUID, which WhatsApp never blocks or unblocks: not sent. */
	ParentBsuid: 'PARENT_BSUID',
	/** The server answered but did not mention the user. */
	NotAcknowledged: 'NOT_ACKNOWLEDGED',
	/** Not sent: an earlier answer stopped this phone number ID or the whole call, or the call was refused before sending. */
	NotSent: 'NOT_SENT',
	/** A 2xx answer that is not what the request asks for (a page without `data`, an entry the node does not know). */
	UnrecognisedAnswer: 'UNRECOGNISED_ANSWER',
	/** A list whose paging cannot be trusted (a cursor seen before, a page that adds nobody, no end in sight). */
	BadPaging: 'BAD_PAGING',
	/** An answer that is not JSON (retried, then the batch or the read fails with it). */
	MalformedAnswer: 'MALFORMED_ANSWER',
	/** A network failure without a code of its own. */
	NetworkError: 'NETWORK_ERROR',
	/** An error answer without a code. */
	Unknown: 'UNKNOWN',
	/** Check and Sync: the blocklist of the user's phone number ID was not read. */
	NotRead: 'NOT_READ',
	/** Sync: Unblock Others would have emptied the blocklist (Allow Emptying the Blocklist is off). */
	RefusedEmptySync: 'REFUSED_EMPTY_SYNC',
	/** Sync: not unblocked, because a given entry of that phone number ID was refused and may be this user. */
	UnblockWithheld: 'UNBLOCK_WITHHELD',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
