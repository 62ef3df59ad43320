/**
 * Reading a block or unblock answer: which of the users we sent did the server confirm,
 * which did it refuse and why, and which did it not mention. Accepts the provider's shape
 * (`added_users`/`removed_users` + `errors`), Meta's (`failed_users` with nested `errors`),
 * and an HTTP 400 that carries the same lists beside a top-level `error`.
 * Pure functions, no n8n types.
 */
import { type ApiErrorBody, detailsOf, topLevelError, userErrorFrom } from '../transport/errors';
import type { BlockAction, UserError, UserOutcome } from '../types';
import { LocalErrorCode } from '../types';
import { isRecord, type JsonRecord, recordsOf } from './json';

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

/**
 * Finds which sent user an answer entry is about: by `input` (which echoes what was sent),
 * else by `wa_id` (the number without its plus).
 */
function matchSent(entry: JsonRecord, sent: ReadonlySet<string>): string | undefined {
	const input = entry.input;
	if (typeof input === 'string') {
		if (sent.has(input)) return input;
		const trimmed = input.trim();
		if (sent.has(trimmed)) return trimmed;
		if (/^\d+$/.test(trimmed) && sent.has(`+${trimmed}`)) return `+${trimmed}`;
	}
	const waId = entry.wa_id;
	if (typeof waId === 'string' || typeof waId === 'number') {
		const candidate = `+${String(waId).replace(/^\+/, '')}`;
		if (sent.has(candidate)) return candidate;
	}
	return undefined;
}

/** One failed-user entry: Meta nests its errors, the provider puts code and message beside input. */
function failureOf(entry: JsonRecord, context: ApiErrorBody | undefined): UserError {
	const nested = recordsOf(entry.errors);
	const source = nested.length > 0 ? nested[0] : entry;
	const error = userErrorFrom(source, 'Splashify reported this user as failed without a reason');
	if (error.code === 'UNKNOWN' && context) {
		const fromContext = userErrorFrom(context, error.message);
		return { ...fromContext, details: fromContext.details ?? error.details };
	}
	if (error.details === undefined) {
		const details = detailsOf(entry);
		if (details !== undefined) error.details = details;
	}
	return error;
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
		if (user !== undefined && !outcomes.has(user)) outcomes.set(user, { ok: false, error: failureOf(entry, context) });
	}
	for (const entry of recordsOf(lists[SUCCESS_KEY[action]])) {
		const user = matchSent(entry, sentSet);
		if (user === undefined || outcomes.has(user)) continue;
		const waId = typeof entry.wa_id === 'string' && entry.wa_id !== '' ? entry.wa_id : user.slice(1);
		outcomes.set(user, { ok: true, waId });
	}
	for (const user of sent) if (!outcomes.has(user)) outcomes.set(user, notAcknowledged(action));
	return outcomes;
}

function notAcknowledged(action: BlockAction): UserOutcome {
	const done = action === 'block' ? 'blocked' : 'unblocked';
	return {
		ok: false,
		error: {
			code: LocalErrorCode.NotAcknowledged,
			message: `Splashify's answer did not mention this user, so it is not known to be ${done}: run the operation again for it`,
		},
	};
}

/** Reads a whole block or unblock answer (its lists and its top-level error) for the users sent. */
export function readBatchAnswer(action: BlockAction, sent: readonly string[], body: unknown): Map<string, UserOutcome> {
	return readPerUserAnswer(action, perUserLists(body) ?? {}, sent, topLevelError(body));
}
