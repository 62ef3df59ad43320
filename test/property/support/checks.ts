/**
 * The vocabulary the runs' checks share (Block/Unblock, Check/Sync, List): a broken invariant
 * (`check`), reading untyped JSON, the item an output came from, what a user and a request
 * entry look like, what the server's answer said about one user (`verdictOf`), the key in no
 * output, error, execution data or log, and the figures every run counts (`countRequests`).
 * One owner, so that the same invariant reads and fails the same way in every property.
 */
import { randomBytes } from 'crypto';
import type { INodeExecutionData } from 'n8n-workflow';

import type { RunResult } from '../../harness/runNode';
import type { RecordedRequest } from '../../../sandbox/server';
import { searchable, type LogCapture } from './logs';
import {
	BSUID,
	expectedInput,
	isBsuidUser,
	isParentBsuid,
	type Item,
	occurrencesByRules,
} from './model';
import type { Stats } from './stats';
import type { Answer, World } from './world';

export class InvariantError extends Error {}

export function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new InvariantError(message);
}

export const short = (value: unknown) => {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return text.length > 120 ? `${text.slice(0, 120)}…(${text.length} chars)` : text;
};

export const asRecord = (value: unknown) =>
	value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
const asList = (value: unknown) =>
	Array.isArray(value) ? value.map(asRecord).filter((r) => r !== undefined) : [];
/** The `error` of an output item or an answer, when it has one. */
export const errorOf = (json: unknown) => asRecord(asRecord(json)?.error);
/** Whether a text names item `i` (0-based) as n8n's users count them. */
export const namesItem = (text: unknown, i: number) =>
	new RegExp(`\\bitem ${i + 1}\\b`, 'i').test(String(text));

export const E164 = /^\+[1-9]\d{6,14}$/;
export const isUser = (value: unknown): value is string =>
	typeof value === 'string' && (E164.test(value) || BSUID.test(value));

/** Behaviours after which the node retries (the sandbox answers them without processing, or too late). */
export const TRANSIENT = new Set([
	'rateLimit',
	'serverError',
	'internal',
	'drop',
	'malformed',
	'hang',
]);

export function newApiKey(): string {
	return `pk_live_${randomBytes(18).toString('hex')}`;
}

/** Fails if the key is anywhere in the run's outputs, error, execution data or logs. */
export function assertNoKey(key: string, result: RunResult, logs: LogCapture): void {
	const places: Array<[string, string]> = [
		['outputs', searchable(result.outputs)],
		['error', searchable(result.error)],
		['execution data', searchable(result.run.data)],
		['logs', logs.lines.join('\n')],
	];
	for (const [where, text] of places)
		check(!text.includes(key), `The API key appears in the ${where}`);
}

/** The item an output item came from. */
export function itemOf(output: INodeExecutionData): number {
	const paired = output.pairedItem;
	const item =
		typeof paired === 'number' ? paired : Array.isArray(paired) ? paired[0]?.item : paired?.item;
	check(typeof item === 'number', `An output item has no pairedItem: ${short(output.json)}`);
	return item;
}

/** An output item with the output it came out on; `used` once an entry claimed it. */
export type Out = { out: INodeExecutionData; output: number; used: boolean };

/**
 * The occurrences each item must give (one per entry, one failed item for none), by the
 * documented counting rules as well as by the generator: a disagreement is a generator bug.
 */
export function occurrenceCounts(items: readonly Item[]): number[] {
	return items.map((item, i) => {
		const count = Math.max(1, item.users.entries.length);
		const byRules = occurrencesByRules(item.users.value);
		if (byRules !== count)
			throw new Error(
				`Test generator bug: item ${i} has ${count} entries but the rules count ${byRules}`,
			);
		return count;
	});
}

/** Every item gave exactly its occurrences (lost and duplicated ones are counted first). */
export function checkExactlyOnce(perItem: Out[][], counts: number[], stats: Stats): void {
	perItem.forEach((outs, i) => {
		if (outs.length < counts[i]) stats.lost += counts[i] - outs.length;
		if (outs.length > counts[i]) stats.duplicated += outs.length - counts[i];
		check(
			outs.length === counts[i],
			`Item ${i + 1} gave ${counts[i]} occurrences but ${outs.length} came out`,
		);
	});
}

/**
 * Each given entry of an item came out as itself (its `input`): `fate` checks the output item
 * it claimed. Entries whose input the node describes instead (null, an object without a user)
 * are only counted.
 */
export function forEachEntry(
	item: Item,
	outs: Out[],
	i: number,
	fate: (entry: Item['users']['entries'][number], match: Out, input: string) => void,
): void {
	for (const entry of item.users.entries) {
		const fromText =
			item.users.mode === 'text' ||
			(item.users.mode === 'single' && typeof entry.value === 'string');
		const input = expectedInput(entry.value, fromText);
		if (input === undefined) continue;
		const match = outs.find((o) => !o.used && o.out.json.input === input);
		check(
			match,
			`Item ${i + 1}: the entry ${short(entry.value)} (input ${short(input)}) did not come out`,
		);
		match.used = true;
		fate(entry, match, input);
	}
}

/**
 * An output item's shape: a failed one has an error code and message, any other no error; one
 * with a user has it as E.164 or a BSUID, with `wa_id` / `user_id` to match.
 */
export function checkItemShape(
	json: Record<string, unknown>,
	what: string,
	failed: boolean,
	hasUser = !failed,
): void {
	const error = errorOf(json);
	if (failed) {
		check(
			error &&
				(typeof error.code === 'number' || (typeof error.code === 'string' && error.code !== '')),
			`${what} has no error code`,
		);
		check(
			typeof error.message === 'string' && error.message.trim() !== '',
			`${what} has no error message`,
		);
	} else check(json.error === undefined, `${what} has an error`);
	if (!hasUser) return;
	check(isUser(json.user), `${what} has no E.164 or BSUID user`);
	const bsuid = isBsuidUser(json.user);
	check(
		json.wa_id === (bsuid ? null : json.user.slice(1)) &&
			json.user_id === (bsuid ? json.user : null),
		`${what}: wa_id / user_id do not match the user`,
	);
}

/** A whole-call error names an item whose phone number ID (or key) caused it, and says what to fix. */
export function checkErrorNamesCause(
	text: string,
	phoneMode: string,
	caused: (item: number) => boolean,
): void {
	const named = /\bitem (\d+)\b/i.exec(text);
	check(named !== null, `The error names no item: ${short(text)}`);
	check(
		caused(Number(named[1]) - 1),
		`The error names item ${named[1]}, which did not cause it: ${short(text)}`,
	);
	check(
		phoneMode === 'unknown' ? /phone number ID/.test(text) : /API key/.test(text),
		`The error does not say what to fix: ${short(text)}`,
	);
}

/** Every entry of a POST/DELETE body is `{user: E.164}` or `{user_id: BSUID}`, never a parent BSUID. */
export function checkSentEntries(req: RecordedRequest, who: string): void {
	const body = req.body as { block_users?: Array<Record<string, unknown>> };
	for (const entry of body.block_users ?? []) {
		const user = entry.user ?? entry.user_id;
		check(
			Object.keys(entry).length === 1 && isUser(user),
			`${who} sent ${short(entry)}, neither {user: E.164} nor {user_id: BSUID}`,
		);
		check(
			isBsuidUser(user) === 'user_id' in entry,
			`${who} sent ${short(entry)}: a BSUID goes in user_id, a number in user`,
		);
		check(
			!isParentBsuid(user),
			`${who} sent the parent BSUID ${short(user)}: WhatsApp refuses the whole request`,
		);
	}
}

/** What the server said about one user in one answer (`entry`: its entry in the answer). */
export type Verdict =
	| { kind: 'ok'; entry: Record<string, unknown> }
	| { kind: 'unchanged'; entry: Record<string, unknown> }
	| { kind: 'failed'; code: unknown }
	| { kind: 'unmentioned' }
	| { kind: 'noLists' }
	| { kind: 'noAnswer' };

/** The sandbox's wordings of "nothing to change", with either of its codes (an echo may follow). */
const NO_CHANGE_MESSAGES = {
	block: ['User is already blocked', '(#100) The user is already blocked'],
	unblock: ['User is not blocked', '(#100) The user is not blocked'],
} as const;

export function verdictOf(
	answer: Answer | undefined,
	user: string,
	operation: 'block' | 'unblock',
): Verdict {
	if (!answer) return { kind: 'noAnswer' };
	const lists = asRecord(asRecord(answer.json)?.block_users);
	if (!lists || answer.status >= 500 || answer.status === 429) return { kind: 'noLists' };
	const failures = [
		...asList(lists.errors).map((entry) => ({ entry, error: entry })),
		...asList(lists.failed_users).map((entry) => ({ entry, error: asList(entry.errors)[0] ?? {} })),
	];
	for (const { entry, error } of failures) {
		if (entry.input !== user) continue;
		const message = String(error.message);
		if (NO_CHANGE_MESSAGES[operation].some((m) => message.startsWith(m)))
			return { kind: 'unchanged', entry };
		return { kind: 'failed', code: error.code };
	}
	const done = asList(lists[operation === 'block' ? 'added_users' : 'removed_users']).find(
		(entry) => entry.input === user,
	);
	return done ? { kind: 'ok', entry: done } : { kind: 'unmentioned' };
}

/**
 * A failed user's code agrees with the server's last answer for it: never a failure where the
 * answer confirmed it or said "unchanged", and the answer's own code where it named one.
 */
export function checkFailedVerdict(userKey: string, code: unknown, verdict: Verdict): void {
	check(
		verdict.kind !== 'ok' && verdict.kind !== 'unchanged',
		`${userKey} reported failed (${String(code)}), but the server said ${verdict.kind}`,
	);
	if (verdict.kind === 'failed')
		check(
			code === verdict.code,
			`${userKey} failed with ${String(code)}, but the server said ${String(verdict.code)}`,
		);
}

/** The sandbox's answer to a POST/DELETE holding a parent BSUID (Meta, 2026-06-29): the whole request refused. */
function refusedForParent(answer: Answer): boolean {
	const error = errorOf(answer.json);
	return (
		answer.status === 400 &&
		error?.code === 100 &&
		/Parent BSUIDs are not supported/.test(String(error.message))
	);
}

/**
 * The figures of every run (runs, requests, answers echoing the key, whole-request refusals,
 * behaviours applied), and the check that no request was refused for holding a parent BSUID.
 */
export function countRequests(stats: Stats, world: World): void {
	const { requests } = world.sb;
	stats.runs++;
	stats.requests += requests.length;
	stats.keyEchoes += world.echoed;
	stats.refusals += world.refused.size;
	for (const [n, req] of requests.entries())
		stats.count(
			stats.behaviours,
			world.refused.has(n) ? 'refused' : (req.behaviour ?? `rejected ${req.status}`),
		);
	const parentRefusals = [...world.answers.values()].filter(refusedForParent).length;
	stats.parentRequestsRefused += parentRefusals;
	check(
		parentRefusals === 0,
		`${parentRefusals} requests were refused as a whole for holding a parent BSUID`,
	);
}

/** The occurrences given and the valid entries that were BSUIDs, for the figures. */
export function countOccurrences(stats: Stats, items: readonly Item[], counts: number[]): void {
	stats.occurrences += counts.reduce((a, b) => a + b, 0);
	for (const item of items)
		stats.bsuidEntries += item.users.entries.filter(
			(e) => e.kind === 'valid' && isBsuidUser(e.canonical!),
		).length;
}
