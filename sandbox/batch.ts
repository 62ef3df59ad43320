/**
 * Block (POST) and unblock (DELETE) batches: validation, per-user processing in request
 * order, and rendering of the answer in the configured shape.
 * Entries name a phone number (`user`) or a BSUID (`user_id`), see users.ts; answer entries
 * carry `wa_id` for numbers and `user_id` (and `parent_user_id` when enabled) for BSUIDs.
 */
import type { Blocklist } from './blocklist';
import { isRecord, type Parsed } from './http-util';
import {
	batchPartlyFailed,
	invalidParameter,
	noChangeError,
	USER_ERRORS,
	type ErrorAnswer,
	type UserError,
} from './meta-errors';
import type { AnswerShape, NoChangeCode } from './types';
import { E164, entryOf, isBsuid, keyFields, PARENT_BSUID, type BatchEntry } from './users';

const MAX_USERS_PER_REQUEST = 500;

export type Verb = 'block' | 'unblock';

/**
 * The outcome for one `block_users[]` entry; `input` is exactly what was sent, `key` the
 * blocklist key it names (wa_id or BSUID), absent when the entry is invalid.
 */
export interface UserResult {
	input: unknown;
	key?: string;
	error?: UserError;
}

export interface BatchRules {
	blocklistCap: number;
	/** Blocklist keys (wa_ids, BSUIDs) whose block needs re-engagement. */
	reengagementRequired: ReadonlySet<string>;
	/** The code of "already blocked" / "not blocked". */
	noChangeCode: NoChangeCode;
}

export interface RenderOptions {
	shape: AnswerShape;
	/** Add `parent_user_id` to the entries of (non-parent) BSUIDs. */
	parentUserIds: boolean;
}

export interface Answer {
	status: number;
	body: unknown;
}

/** Returns the entries of a valid batch body, or the 400 to answer. */
export function validateBatch(parsed: Parsed): BatchEntry[] | ErrorAnswer {
	if (!parsed.ok) return invalidParameter('The request body must be valid JSON');
	const body = parsed.value;
	if (!isRecord(body)) return invalidParameter('The request body must be a JSON object');
	if (body.messaging_product !== 'whatsapp') {
		return invalidParameter("Param messaging_product must be 'whatsapp'");
	}
	if (!Array.isArray(body.block_users)) {
		return invalidParameter(
			'Param block_users must be an array of {"user": "<E.164 number>"} or {"user_id": "<BSUID>"}',
		);
	}
	if (body.block_users.length === 0) return invalidParameter('Param block_users must not be empty');
	if (body.block_users.length > MAX_USERS_PER_REQUEST) {
		return invalidParameter(`Cannot block more than ${MAX_USERS_PER_REQUEST} users in one request`);
	}
	const entries = body.block_users.map(entryOf);
	// Meta (2026-06-29): "Parent BSUIDs are not supported for blocking or unblocking users. If
	// you attempt to use a parent BSUID, the request will fail." The whole request.
	if (
		entries.some(
			(entry) =>
				entry.field === 'user_id' &&
				typeof entry.input === 'string' &&
				PARENT_BSUID.test(entry.input),
		)
	) {
		return invalidParameter(
			'Parent BSUIDs are not supported for blocking or unblocking users',
			"Give the user's own BSUID (user_id) or phone number",
		);
	}
	return entries;
}

/** Applies the batch to the blocklist, user by user in request order. */
export function processBatch(
	verb: Verb,
	entries: BatchEntry[],
	list: Blocklist,
	rules: BatchRules,
): UserResult[] {
	return entries.map((entry) => processUser(verb, entry, list, rules));
}

/** The blocklist key an entry names, or the error of an invalid entry. */
function keyOf({ field, input }: BatchEntry): string | UserError {
	if (field === 'user_id')
		return typeof input === 'string' && isBsuid(input) ? input : USER_ERRORS.invalidUserId;
	return typeof input === 'string' && E164.test(input) ? input.slice(1) : USER_ERRORS.invalidNumber;
}

function processUser(
	verb: Verb,
	entry: BatchEntry,
	list: Blocklist,
	rules: BatchRules,
): UserResult {
	const { input } = entry;
	const key = keyOf(entry);
	if (typeof key !== 'string') return { input, error: key };
	const error = verb === 'block' ? blockUser(key, list, rules) : unblockUser(key, list, rules);
	return error ? { input, key, error } : { input, key };
}

function blockUser(key: string, list: Blocklist, rules: BatchRules): UserError | undefined {
	if (list.has(key)) return noChangeError('block', rules.noChangeCode);
	if (rules.reengagementRequired.has(key)) return USER_ERRORS.reengagementRequired;
	if (list.size >= rules.blocklistCap) {
		return {
			...USER_ERRORS.blocklistFull,
			details: `The blocklist already holds ${rules.blocklistCap} users`,
		};
	}
	list.add(key);
	return undefined;
}

function unblockUser(key: string, list: Blocklist, rules: BatchRules): UserError | undefined {
	return list.remove(key) ? undefined : noChangeError('unblock', rules.noChangeCode);
}

/**
 * Phantom successes for the `extraUsers` fault: users the request did not contain. Phantom i
 * is of the kind of entry i (cycling): a number for a `user` entry, a BSUID for `user_id`.
 */
export function phantomResults(count: number, entries: BatchEntry[]): UserResult[] {
	const sent = new Set(entries.map((e) => e.input));
	const phantoms: UserResult[] = [];
	for (let n = 0; phantoms.length < count; n++) {
		const bsuid = entries[phantoms.length % entries.length]?.field === 'user_id';
		const input = bsuid ? `US.${String(19995550000 + n)}` : `+1999${String(5550000 + n)}`;
		if (!sent.has(input)) phantoms.push({ input, key: bsuid ? input : input.slice(1) });
	}
	return phantoms;
}

/** `input` and the identity fields: `wa_id` for a number, `user_id` (+ parent) for a BSUID. */
function identity(result: UserResult, parentUserIds: boolean): Record<string, unknown> {
	if (result.key === undefined) return { input: result.input };
	return { input: result.input, ...keyFields(result.key, parentUserIds) };
}

function successes(results: UserResult[], parentUserIds: boolean): unknown[] {
	return results.filter((r) => !r.error).map((r) => identity(r, parentUserIds));
}

/** Provider's `errors` entries: {input, wa_id | user_id..., code, message, error_data}. */
function providerErrors(results: UserResult[], parentUserIds: boolean): unknown[] {
	return results
		.filter((r) => r.error)
		.map((r) => {
			const e = r.error as UserError;
			return {
				...identity(r, parentUserIds),
				code: e.code,
				message: e.message,
				error_data: { details: e.details },
			};
		});
}

/** Meta's `failed_users` entries: {input, wa_id | user_id..., errors: [{message, code, error_data}]}. */
function failedUsers(results: UserResult[], parentUserIds: boolean): unknown[] {
	return results
		.filter((r) => r.error)
		.map((r) => {
			const e = r.error as UserError;
			const errors = [{ message: e.message, code: e.code, error_data: { details: e.details } }];
			return { ...identity(r, parentUserIds), errors };
		});
}

/** Renders the per-user results in the configured answer shape. */
export function renderBatch(
	verb: Verb,
	results: UserResult[],
	{ shape, parentUserIds }: RenderOptions,
): Answer {
	const key = verb === 'block' ? 'added_users' : 'removed_users';
	const ok = successes(results, parentUserIds);
	if (shape === 'provider') {
		const blockUsers = { [key]: ok, errors: providerErrors(results, parentUserIds) };
		return { status: 200, body: { messaging_product: 'whatsapp', block_users: blockUsers } };
	}
	const failed = failedUsers(results, parentUserIds);
	const blockUsers = failed.length > 0 ? { [key]: ok, failed_users: failed } : { [key]: ok };
	const body = { messaging_product: 'whatsapp', block_users: blockUsers };
	if (shape === 'mixed400' && failed.length > 0) {
		const { body: envelope } = batchPartlyFailed(verb, failed.length, results.length);
		return { status: 400, body: { ...envelope, ...body } };
	}
	return { status: 200, body };
}
