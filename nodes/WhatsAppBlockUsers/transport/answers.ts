/**
 * Reading a block or unblock answer: which of the users we sent did the server confirm,
 * which did it refuse and why, and which did it not mention. Accepts the provider's shape
 * (`added_users`/`removed_users` + `errors`), Meta's (`failed_users` with nested `errors`),
 * and an HTTP 400 that carries the same lists beside a top-level `error`.
 * Pure functions, no n8n types.
 */
import type { BlockAction, UserError, UserOutcome } from '../types';
import { LocalErrorCode } from '../types';
import { type ApiErrorBody, detailsOf, userErrorFrom } from './errors';

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function listOf(value: unknown): JsonRecord[] {
	return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The key under which the server lists the users it acted on. */
const SUCCESS_KEY: Record<BlockAction, string> = { block: 'added_users', unblock: 'removed_users' };

/** The per-user lists of an answer, or undefined when the answer has none. */
export function perUserLists(body: unknown): JsonRecord | undefined {
	if (!isRecord(body)) return undefined;
	const lists = body.block_users;
	return isRecord(lists) ? lists : undefined;
}

/** The top-level `error` of an answer, if any. */
export function topLevelError(body: unknown): ApiErrorBody | undefined {
	return isRecord(body) && isRecord(body.error) ? (body.error as ApiErrorBody) : undefined;
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
	const nested = listOf(entry.errors);
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

export interface ReadAnswer {
	outcomes: Map<string, UserOutcome>;
	/** Users in the answer that the request did not contain (ignored, counted for hints). */
	unexpected: number;
}

/**
 * Reads the per-user lists of an answer for the users that were sent. Every sent user gets
 * an outcome: confirmed, refused with the server's reason, or not acknowledged. A user the
 * server lists both as done and as failed counts as failed: only clear confirmations count.
 */
export function readPerUserAnswer(
	action: BlockAction,
	lists: JsonRecord,
	sent: readonly string[],
	context?: ApiErrorBody,
): ReadAnswer {
	const sentSet = new Set(sent);
	const outcomes = new Map<string, UserOutcome>();
	let unexpected = 0;

	for (const key of ['errors', 'failed_users']) {
		for (const entry of listOf(lists[key])) {
			const user = matchSent(entry, sentSet);
			if (user === undefined) unexpected++;
			else if (!outcomes.has(user)) outcomes.set(user, { ok: false, error: failureOf(entry, context) });
		}
	}
	for (const entry of listOf(lists[SUCCESS_KEY[action]])) {
		const user = matchSent(entry, sentSet);
		if (user === undefined) {
			unexpected++;
			continue;
		}
		if (outcomes.has(user)) continue;
		const waId = typeof entry.wa_id === 'string' && entry.wa_id !== '' ? entry.wa_id : user.slice(1);
		outcomes.set(user, { ok: true, waId });
	}

	for (const user of sent) {
		if (!outcomes.has(user)) {
			outcomes.set(user, {
				ok: false,
				error: {
					code: LocalErrorCode.NotAcknowledged,
					message: `Splashify's answer did not mention this user, so it is not known to be ${action === 'block' ? 'blocked' : 'unblocked'}: run the operation again for it`,
				},
			});
		}
	}
	return { outcomes, unexpected };
}
