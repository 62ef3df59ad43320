/**
 * The output item of one user occurrence, for every operation that acts on users: `status`,
 * `input`, `user` (what was sent: the E.164 number or the BSUID), `wa_id` and `user_id`
 * (one of them null), `parent_user_id` when the server gave one, `phoneNumberId`, and
 * `error` when it failed; paired to the item the user came from.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ErrorCode, Status } from '../contract';
import { type BlockAction, type Occurrence, type UserOutcome } from '../types';

/** The status of a success: done, or unchanged because the blocklist already was as asked. */
export const SUCCESS_STATUS: Record<BlockAction, { done: string; unchanged: string }> = {
	block: { done: Status.Blocked, unchanged: Status.AlreadyBlocked },
	unblock: { done: Status.Unblocked, unchanged: Status.NotBlocked },
};

export function userItem(
	occurrence: Occurrence,
	outcome: UserOutcome,
	action: BlockAction,
): INodeExecutionData {
	const statuses = SUCCESS_STATUS[action];
	return statusItem(
		occurrence,
		outcome,
		outcome.ok ? (outcome.unchanged ? statuses.unchanged : statuses.done) : Status.Failed,
	);
}

/** The item of an occurrence with the status its operation gives it (Check and Sync have their own). */
export function statusItem(
	occurrence: Occurrence,
	outcome: UserOutcome,
	status: string,
): INodeExecutionData {
	// The server's IDs, else the ones given (a number that came with its BSUID keeps it).
	if (outcome.ok && outcome.parentUserId === undefined)
		return okItem(
			occurrence,
			status,
			outcome.waId ?? occurrence.waId,
			outcome.userId ?? occurrence.userId,
		);
	const json: IDataObject = {
		status,
		input: occurrence.input,
		user: occurrence.user,
		wa_id: (outcome.ok ? outcome.waId : null) ?? occurrence.waId,
		user_id: (outcome.ok ? outcome.userId : null) ?? occurrence.userId,
	};
	if (outcome.ok && outcome.parentUserId !== undefined) json.parent_user_id = outcome.parentUserId;
	json.phoneNumberId = occurrence.phoneNumberId;
	if (!outcome.ok) json.error = { ...outcome.error } as IDataObject;
	return { json, pairedItem: { item: occurrence.itemIndex } };
}

/**
 * The item of a success without a parent BSUID, the same fields in the same order as
 * `statusItem` gives, built as one literal (no fields added one by one): the common case,
 * 100,000 times in a large Check or Sync.
 */
export function okItem(
	occurrence: Occurrence,
	status: string,
	waId = occurrence.waId,
	userId = occurrence.userId,
): INodeExecutionData {
	const json: IDataObject = {
		status,
		input: occurrence.input,
		user: occurrence.user,
		wa_id: waId,
		user_id: userId,
		phoneNumberId: occurrence.phoneNumberId,
	};
	return { json, pairedItem: { item: occurrence.itemIndex } };
}

/** Check's item of a user on the blocklist: `okItem`'s fields, then `block_reason`. */
export function blockedItem(
	occurrence: Occurrence,
	blockReason: string | null,
): INodeExecutionData {
	const json: IDataObject = {
		status: Status.Blocked,
		input: occurrence.input,
		user: occurrence.user,
		wa_id: occurrence.waId,
		user_id: occurrence.userId,
		phoneNumberId: occurrence.phoneNumberId,
		block_reason: blockReason,
	};
	return { json, pairedItem: { item: occurrence.itemIndex } };
}

/** The outcome of an occurrence that was never sent (invalid entry, no users, bad phone number ID). */
export function unsentOutcome(occurrence: Occurrence): UserOutcome | undefined {
	if (occurrence.error) return { ok: false, error: occurrence.error };
	return occurrence.user === null || occurrence.phoneNumberId === null
		? { ok: false, error: { code: ErrorCode.InvalidNumber, message: 'Not a usable entry' } }
		: undefined;
}

/** What an AI model reads of a user item: who, the status, and for a failure the reason. */
export function userToolEntry(json: IDataObject): IDataObject {
	const entry: IDataObject = { user: json.user ?? json.input, status: json.status };
	const error = json.error as { message?: unknown; details?: unknown } | undefined;
	if (error !== undefined)
		entry.reason = error.details
			? `${String(error.message)} (${String(error.details)})`
			: String(error.message);
	return entry;
}
