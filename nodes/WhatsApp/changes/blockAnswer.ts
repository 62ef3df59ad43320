/**
 * Reading a block or unblock answer: which of the users we sent did the server confirm,
 * which did it refuse and why, and which did it not mention. Accepts the provider's shape
 * (`added_users`/`removed_users` + `errors`), Meta's (`failed_users` with nested `errors`),
 * and an HTTP 400 that carries the same lists beside a top-level `error`. Users are phone
 * numbers or BSUIDs; a refusal that only says "already blocked" / "not blocked" is a
 * success (see `noChange.ts`). Pure functions, no n8n types.
 */
import { type ApiErrorBody, detailsOf, topLevelError, userErrorFrom } from '../transport/errors';
import { isRecord, type JsonRecord, recordsOf } from '../transport/json';
import { ErrorCode } from '../contract';
import type { BlockAction, UserError, UserOutcome } from '../types';
import { isBsuid } from '../users/bsuid';
import { isNoChange } from './noChange';

/** The key under which the server lists the users it acted on. */
const SUCCESS_KEY: Record<BlockAction, string> = { block: 'added_users', unblock: 'removed_users' };

/** The per-user lists of an answer, or undefined when the answer has none. */
function perUserLists(body: unknown): JsonRecord | undefined {
	if (!isRecord(body)) return undefined;
	const lists = body.block_users;
	return isRecord(lists) ? lists : undefined;
}

/** Whether an answer carries per-user lists (then even an HTTP 400 is read, not discarded). */
export function hasPerUserLists(body: unknown): boolean {
	return perUserLists(body) !== undefined;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Finds which sent user an answer entry is about: by `input` (which echoes what was sent),
 * else by `user_id` (a BSUID), else by `wa_id` (the number without its plus).
 */
function matchSent(entry: JsonRecord, sent: ReadonlySet<string>): string | undefined {
	const input = text(entry.input)?.trim();
	if (input !== undefined) {
		if (sent.has(input)) return input;
		if (/^\d+$/.test(input) && sent.has(`+${input}`)) return `+${input}`;
	}
	const userId = text(entry.user_id);
	if (userId !== undefined && sent.has(userId)) return userId;
	const waId = entry.wa_id;
	if (typeof waId === 'string' || typeof waId === 'number') {
		const candidate = `+${String(waId).replace(/^\+/, '')}`;
		if (sent.has(candidate)) return candidate;
	}
	return undefined;
}

const NO_REASON = 'Splashify reported this user as failed without a reason';

/**
 * One failed-user entry: Meta nests its errors, the provider puts code and message beside
 * input. An entry without a code takes the code of the answer's top-level error (a mixed
 * HTTP 400), keeping its own message when it has one.
 */
function failureOf(entry: JsonRecord, context: ApiErrorBody | undefined): UserError {
	const nested = recordsOf(entry.errors);
	const error = userErrorFrom(nested.length > 0 ? nested[0] : entry, NO_REASON);
	error.details ??= detailsOf(entry);
	if (error.details === undefined) delete error.details;
	if (error.code !== ErrorCode.Unknown || !context) return error;
	const top = userErrorFrom(context, NO_REASON);
	const details = error.details ?? top.details;
	const message = error.message === NO_REASON ? top.message : error.message;
	return details === undefined ? { code: top.code, message } : { code: top.code, message, details };
}

const REENGAGEMENT_REQUIRED = 131047;

/**
 * A per-user error as the user should read it: the server's code kept, and for a block
 * refused with 131047 what WhatsApp's rule is and what to do (the server's own words move
 * to `details`).
 */
function explained(action: BlockAction, error: UserError): UserError {
	if (action !== 'block' || Number(error.code) !== REENGAGEMENT_REQUIRED) return error;
	const said = error.details === undefined ? error.message : `${error.message}: ${error.details}`;
	return {
		code: error.code,
		message:
			'WhatsApp lets a business block only users who messaged this phone number in the last 24 hours: block this user after they message you, or in the WhatsApp Business app (unblocking has no such rule)',
		details: said,
	};
}

/**
 * Reads the per-user lists of an answer for the users that were sent. Every sent user gets
 * an outcome: confirmed, refused with the server's reason, or not acknowledged. A user the
 * server lists both as done and as failed counts as failed: only clear confirmations count.
 * Users in the answer that were not sent are ignored.
 */
export function readPerUserAnswer(
	action: BlockAction,
	lists: JsonRecord,
	sent: readonly string[],
	context?: ApiErrorBody,
): Map<string, UserOutcome> {
	const sentSet = new Set(sent);
	const outcomes = new Map<string, UserOutcome>();
	for (const entry of [...recordsOf(lists.errors), ...recordsOf(lists.failed_users)]) {
		const user = matchSent(entry, sentSet);
		if (user === undefined || outcomes.has(user)) continue;
		const error = explained(action, failureOf(entry, context));
		outcomes.set(
			user,
			isNoChange(action, error)
				? { ...doneOutcome(entry, user), unchanged: true }
				: { ok: false, error },
		);
	}
	for (const entry of recordsOf(lists[SUCCESS_KEY[action]])) {
		const user = matchSent(entry, sentSet);
		if (user !== undefined && !outcomes.has(user)) outcomes.set(user, doneOutcome(entry, user));
	}
	for (const user of sent) if (!outcomes.has(user)) outcomes.set(user, notAcknowledged(action));
	return outcomes;
}

/** A confirmed user, with the IDs the answer gives (else the ones implied by what was sent). */
function doneOutcome(entry: JsonRecord, user: string): UserOutcome & { ok: true } {
	const sentBsuid = user.charCodeAt(0) !== 43 && isBsuid(user);
	const waId =
		text(entry.wa_id) ?? (typeof entry.wa_id === 'number' ? String(entry.wa_id) : undefined);
	const outcome: UserOutcome & { ok: true } = {
		ok: true,
		waId: waId ?? (sentBsuid ? null : user.slice(1)),
		userId: text(entry.user_id) ?? (sentBsuid ? user : null),
	};
	const parent = text(entry.parent_user_id);
	if (parent !== undefined) outcome.parentUserId = parent;
	return outcome;
}

function notAcknowledged(action: BlockAction): UserOutcome {
	const done = action === 'block' ? 'blocked' : 'unblocked';
	return {
		ok: false,
		error: {
			code: ErrorCode.NotAcknowledged,
			message: `Splashify's answer did not mention this user, so it is not known to be ${done}: run the operation again for it`,
		},
	};
}

/** Reads a whole block or unblock answer (its lists and its top-level error) for the users sent. */
export function readBatchAnswer(
	action: BlockAction,
	sent: readonly string[],
	body: unknown,
): Map<string, UserOutcome> {
	return readPerUserAnswer(action, perUserLists(body) ?? {}, sent, topLevelError(body));
}
