/**
 * Block (POST) and unblock (DELETE) batches: validation, per-user processing in request
 * order, and rendering of the answer in the configured shape.
 */
import type { Blocklist } from './blocklist';
import { isRecord, type Parsed } from './http-util';
import {
	batchPartlyFailed,
	invalidParameter,
	USER_ERRORS,
	type ErrorAnswer,
	type UserError,
} from './meta-errors';
import type { AnswerShape } from './types';

export const MAX_USERS_PER_REQUEST = 500;
export const E164 = /^\+[1-9]\d{6,14}$/;

export type Verb = 'block' | 'unblock';

/** The outcome for one `block_users[]` entry; `input` is exactly what was sent. */
export interface UserResult {
	input: unknown;
	waId?: string;
	error?: UserError;
}

export interface BatchRules {
	blocklistCap: number;
	/** wa_ids (digits only) whose block needs re-engagement. */
	reengagementRequired: ReadonlySet<string>;
}

export interface Answer {
	status: number;
	body: unknown;
}

/** Returns the `user` values of a valid batch body, or the 400 to answer. */
export function validateBatch(parsed: Parsed): unknown[] | ErrorAnswer {
	if (!parsed.ok) return invalidParameter('The request body must be valid JSON');
	const body = parsed.value;
	if (!isRecord(body)) return invalidParameter('The request body must be a JSON object');
	if (body.messaging_product !== 'whatsapp') {
		return invalidParameter("Param messaging_product must be 'whatsapp'");
	}
	if (!Array.isArray(body.block_users)) {
		return invalidParameter('Param block_users must be an array of {"user": "<E.164 number>"}');
	}
	if (body.block_users.length === 0) return invalidParameter('Param block_users must not be empty');
	if (body.block_users.length > MAX_USERS_PER_REQUEST) {
		return invalidParameter(`Cannot block more than ${MAX_USERS_PER_REQUEST} users in one request`);
	}
	return body.block_users.map((entry: unknown) => (isRecord(entry) ? entry.user : entry));
}

/** Applies the batch to the blocklist, user by user in request order. */
export function processBatch(verb: Verb, inputs: unknown[], list: Blocklist, rules: BatchRules): UserResult[] {
	return inputs.map((input) => processUser(verb, input, list, rules));
}

function processUser(verb: Verb, input: unknown, list: Blocklist, rules: BatchRules): UserResult {
	if (typeof input !== 'string' || !E164.test(input)) return { input, error: USER_ERRORS.invalidNumber };
	const waId = input.slice(1);
	const error = verb === 'block' ? blockUser(waId, list, rules) : unblockUser(waId, list);
	return error ? { input, waId, error } : { input, waId };
}

function blockUser(waId: string, list: Blocklist, rules: BatchRules): UserError | undefined {
	if (list.has(waId)) return USER_ERRORS.alreadyBlocked;
	if (rules.reengagementRequired.has(waId)) return USER_ERRORS.reengagementRequired;
	if (list.size >= rules.blocklistCap) {
		return { ...USER_ERRORS.blocklistFull, details: `The blocklist already holds ${rules.blocklistCap} users` };
	}
	list.add(waId);
	return undefined;
}

function unblockUser(waId: string, list: Blocklist): UserError | undefined {
	return list.remove(waId) ? undefined : USER_ERRORS.notBlocked;
}

/** Phantom successes for the `extraUsers` fault: numbers the request did not contain. */
export function phantomResults(count: number, inputs: unknown[]): UserResult[] {
	const sent = new Set(inputs);
	const phantoms: UserResult[] = [];
	for (let n = 0; phantoms.length < count; n++) {
		const input = `+1999${String(5550000 + n)}`;
		if (!sent.has(input)) phantoms.push({ input, waId: input.slice(1) });
	}
	return phantoms;
}

interface Success {
	input: unknown;
	wa_id: string;
}

function successes(results: UserResult[]): Success[] {
	return results.filter((r) => !r.error).map((r) => ({ input: r.input, wa_id: r.waId as string }));
}

function withWaId(result: UserResult): { input: unknown; wa_id?: string } {
	return result.waId === undefined ? { input: result.input } : { input: result.input, wa_id: result.waId };
}

/** Provider's `errors` entries: {input, wa_id?, code, message, error_data}. */
function providerErrors(results: UserResult[]): unknown[] {
	return results
		.filter((r) => r.error)
		.map((r) => {
			const e = r.error as UserError;
			return { ...withWaId(r), code: e.code, message: e.message, error_data: { details: e.details } };
		});
}

/** Meta's `failed_users` entries: {input, wa_id?, errors: [{message, code, error_data}]}. */
function failedUsers(results: UserResult[]): unknown[] {
	return results
		.filter((r) => r.error)
		.map((r) => {
			const e = r.error as UserError;
			return { ...withWaId(r), errors: [{ message: e.message, code: e.code, error_data: { details: e.details } }] };
		});
}

/** Renders the per-user results in the configured answer shape. */
export function renderBatch(verb: Verb, results: UserResult[], shape: AnswerShape): Answer {
	const key = verb === 'block' ? 'added_users' : 'removed_users';
	const ok = successes(results);
	if (shape === 'provider') {
		const blockUsers = { [key]: ok, errors: providerErrors(results) };
		return { status: 200, body: { messaging_product: 'whatsapp', block_users: blockUsers } };
	}
	const failed = failedUsers(results);
	const blockUsers = failed.length > 0 ? { [key]: ok, failed_users: failed } : { [key]: ok };
	const body = { messaging_product: 'whatsapp', block_users: blockUsers };
	if (shape === 'mixed400' && failed.length > 0) {
		const { body: envelope } = batchPartlyFailed(verb, failed.length, results.length);
		return { status: 400, body: { ...envelope, ...body } };
	}
	return { status: 200, body };
}
