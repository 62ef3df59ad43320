/**
 * One randomized Block or Unblock run and every invariant checked on it. The truth is what
 * the sandbox recorded: the requests it received, the answers it sent, how each request
 * changed its blocklist, and the blocklist afterwards.
 */
import { randomBytes } from 'crypto';
import type { INodeExecutionData } from 'n8n-workflow';

import { MAX_CONSECUTIVE_EXHAUSTED_BATCHES } from '../../../nodes/WhatsApp/changes/sendGate';
import { runNode, type RunResult } from '../../harness/runNode';
import type { RecordedRequest } from '../../../sandbox/server';
import { searchable, type LogCapture } from './logs';
import {
	BSUID,
	type ChangeCase,
	type Entry,
	expectedInput,
	isBsuidUser,
	isParentBsuid,
	itemJsonOf,
	listKey,
	occurrencesByRules,
	PHONE_OF_KIND,
	RETRY_ON_FAIL_TRIES,
} from './model';
import type { Stats } from './stats';
import {
	PHONE_A,
	PHONE_B,
	PHONE_FORBIDDEN,
	PHONE_UNKNOWN,
	phoneOfPath,
	startWorld,
	withDeadline,
	type Answer,
	type World,
} from './world';

export const E164 = /^\+[1-9]\d{6,14}$/;
const isUser = (value: unknown): value is string =>
	typeof value === 'string' && (E164.test(value) || BSUID.test(value));
/** The statuses of a success: done, or unchanged (the blocklist already was as asked). */
const STATUS = {
	block: { done: 'blocked', unchanged: 'already blocked' },
	unblock: { done: 'unblocked', unchanged: 'not blocked' },
} as const;
/** The sandbox's wordings of "nothing to change", with either of its codes (an echo may follow). */
const NO_CHANGE_MESSAGES = {
	block: ['User is already blocked', '(#100) The user is already blocked'],
	unblock: ['User is not blocked', '(#100) The user is not blocked'],
} as const;
const LOCAL_CODES = new Set([
	'INVALID_NUMBER',
	'NO_USERS',
	'INVALID_PHONE_NUMBER_ID',
	'PARENT_BSUID',
]);
/** The sandbox's answer to a POST/DELETE holding a parent BSUID (Meta, 2026-06-29): the whole request refused. */
const PARENT_REFUSAL = /Parent BSUIDs are not supported/;

/** Whether the server refused a request as a whole for holding a parent BSUID (the node must never send one). */
export function refusedForParent(answer: Answer | undefined): boolean {
	const error = asRecord(asRecord(answer?.json)?.error);
	return (
		answer?.status === 400 && error?.code === 100 && PARENT_REFUSAL.test(String(error.message))
	);
}
const RUN_DEADLINE_MS = 30_000;
/** Behaviours after which the node retries (the sandbox answers them without processing, or too late). */
const TRANSIENT = new Set(['rateLimit', 'serverError', 'internal', 'drop', 'malformed', 'hang']);

export class InvariantError extends Error {}

function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new InvariantError(message);
}

const short = (value: unknown) => {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return text.length > 80 ? `${text.slice(0, 80)}…(${text.length} chars)` : text;
};

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
function itemOf(output: INodeExecutionData): number {
	const paired = output.pairedItem;
	const item =
		typeof paired === 'number' ? paired : Array.isArray(paired) ? paired[0]?.item : paired?.item;
	check(typeof item === 'number', `An output item has no pairedItem: ${short(output.json)}`);
	return item;
}

/** What the server said about one user in one answer (`entry`: its entry in the answer). */
type Verdict =
	| { kind: 'ok'; entry: Record<string, unknown> }
	| { kind: 'unchanged'; entry: Record<string, unknown> }
	| { kind: 'failed'; code: unknown }
	| { kind: 'unmentioned' }
	| { kind: 'noLists' }
	| { kind: 'noAnswer' };

const asRecord = (value: unknown) =>
	value !== null && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
const asList = (value: unknown) =>
	Array.isArray(value) ? value.map(asRecord).filter((r) => r !== undefined) : [];

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

/** The shape of a block/unblock answer with per-user lists, for the figures. */
function shapeOf(answer: Answer | undefined): string | undefined {
	const lists = asRecord(asRecord(answer?.json)?.block_users);
	if (!answer || !lists) return undefined;
	if ('errors' in lists) return 'provider';
	return answer.status === 400 ? 'mixed400' : 'meta';
}

interface Sent {
	/** Request indexes per `${phone} ${user}`. */
	byUser: Map<string, number[]>;
	/** Request indexes per batch (method, path, users). */
	byBatch: Map<string, number[]>;
	usersOfPhone: Map<string, Set<string>>;
}

function indexRequests(requests: readonly RecordedRequest[]): Sent {
	const sent: Sent = { byUser: new Map(), byBatch: new Map(), usersOfPhone: new Map() };
	requests.forEach((req, n) => {
		const phone = phoneOfPath(req.path);
		const batchKey = `${req.method} ${req.path} ${JSON.stringify(req.users ?? null)}`;
		sent.byBatch.set(batchKey, [...(sent.byBatch.get(batchKey) ?? []), n]);
		for (const user of req.users ?? []) {
			const key = `${phone} ${user}`;
			sent.byUser.set(key, [...(sent.byUser.get(key) ?? []), n]);
			if (!sent.usersOfPhone.has(phone)) sent.usersOfPhone.set(phone, new Set());
			sent.usersOfPhone.get(phone)!.add(user);
		}
	});
	return sent;
}

function phoneIdOf(c: ChangeCase, itemIndex: number): string | undefined {
	const kind = c.items[itemIndex].phoneKind;
	return kind === 'bad' ? undefined : PHONE_OF_KIND[kind];
}

/** Runs one case against a fresh sandbox and checks every invariant; throws InvariantError. */
export async function runChangeCase(c: ChangeCase, stats: Stats, logs: LogCapture): Promise<void> {
	const key = newApiKey();
	const world = await startWorld({ apiKey: key, script: c.script });
	try {
		await runAndCheck(c, world, key, stats, logs);
	} finally {
		await world.close();
	}
}

async function runAndCheck(
	c: ChangeCase,
	world: World,
	key: string,
	stats: Stats,
	logs: LogCapture,
): Promise<void> {
	const { sb } = world;
	sb.setBlocklist(PHONE_A, c.preseed.A.map(listKey));
	sb.setBlocklist(PHONE_B, c.preseed.B.map(listKey));
	// The forbidden phone number ID holds B's users too, so that an unblock there would show.
	sb.setBlocklist(PHONE_FORBIDDEN, c.preseed.B.map(listKey));
	sb.config.forbidden = { [PHONE_FORBIDDEN]: ['POST', 'DELETE'] };
	sb.config.reengagementRequired = [...c.reengagementRequired];
	sb.config.blocklistCap = c.blocklistCap;
	sb.config.noChangeCode = c.noChangeCode;
	sb.config.parentUserIds = c.parentUserIds;
	const before: Record<string, Set<string>> = {};
	for (const phone of [PHONE_A, PHONE_B, PHONE_FORBIDDEN])
		before[phone] = new Set(sb.blocklist(phone));

	const credentialKey = c.phoneMode === 'wrongKey' ? newApiKey() : key;
	const items = itemJsonOf(c.items);
	const expectedCounts = c.items.map((item, i) => {
		const count = Math.max(1, item.users.entries.length);
		const byRules = occurrencesByRules(item.users.value);
		if (byRules !== count)
			throw new Error(
				`Test generator bug: item ${i} has ${count} entries but the rules count ${byRules}`,
			);
		return count;
	});
	const totalOccurrences = expectedCounts.reduce((a, b) => a + b, 0);

	logs.clear();
	const started = Date.now();
	/** The index of the first request of each try of the node (n8n runs it again under Retry On Fail). */
	const tryStarts: number[] = [];
	const result = await withDeadline(
		runNode({
			parameters: {
				operation: c.operation,
				users: c.expressions.users,
				phoneNumberId: c.expressions.phone,
				options: { ...c.options },
			},
			items: items as never,
			credentials: {
				apiKey: c.paddedKey ? `  ${credentialKey} ` : credentialKey,
				phoneNumberId: PHONE_A,
				baseUrl: sb.url,
				apiVersion: 'v25.0',
			},
			continueOnFail: c.continueOnFail,
			...(c.retryOnFail ? { retryOnFail: { maxTries: RETRY_ON_FAIL_TRIES } } : {}),
			onTry: () => tryStarts.push(sb.requests.length),
		}),
		RUN_DEADLINE_MS,
		'The node run',
	);
	const elapsed = Date.now() - started;
	logs.assertStillCapturing();
	// Let hung requests finish server-side before the blocklists are read.
	const settle = world.settledAt - Date.now();
	if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));

	const requests = sb.requests;
	const sent = indexRequests(requests);
	const method = c.operation === 'block' ? 'POST' : 'DELETE';

	// ---- Fatal answers: 401 (the key: the whole call) and 404 / 403 (one phone number ID).
	const fatalAnswer = (r: RecordedRequest) =>
		r.status === 401 ||
		(r.status === 404 && phoneOfPath(r.path) === PHONE_UNKNOWN) ||
		(r.status === 403 && phoneOfPath(r.path) === PHONE_FORBIDDEN);
	const keyRejected = requests.some((r) => r.status === 401);
	const fatalOn = (phone: string) =>
		requests.some((r) => fatalAnswer(r) && phoneOfPath(r.path) === phone);
	/** Every request met a fatal answer: nothing was changed, so (without Continue) the node throws. */
	const allFatal = requests.length > 0 && requests.every(fatalAnswer);
	// n8n runs the node again (Retry On Fail) only after it threw, and never after a write.
	const { tries } = result;
	check(
		tries >= 1 && tries <= (c.retryOnFail ? RETRY_ON_FAIL_TRIES : 1),
		`n8n ran the node ${tries} times (Retry On Fail ${c.retryOnFail})`,
	);
	check(
		tries === 1 || result.error !== undefined,
		`n8n ran the node ${tries} times, but the last try did not throw`,
	);
	const wrote = (n: number) =>
		(world.changes.get(n)?.added.length ?? 0) + (world.changes.get(n)?.removed.length ?? 0) > 0;
	if (result.error !== undefined) {
		const writes = requests.filter((_, n) => wrote(n)).length;
		check(
			writes === 0,
			`The node threw although ${writes} requests changed the blocklist: the error hides completed writes`,
		);
	}
	checkNoRepeatedWrites(c, world, tryStarts, tries);
	stats.nodeRetries += tries - 1;

	// ---- The API key is nowhere (and was really in play).
	assertNoKey(credentialKey, result, logs);
	assertNoKey(key, result, logs);
	if (requests.length > 0 && c.phoneMode !== 'wrongKey')
		check(
			requests.some((r) => r.authorized),
			'No request carried the key',
		);

	// ---- Requests: right method, bounded retries, batches of at most batchSize, each user in one batch.
	const { batchSize, maxRetries } = c.options;
	const uniqueUsersBound = new Map<string, Set<string>>();
	c.items.forEach((item, i) => {
		const phone = phoneIdOf(c, i);
		if (phone === undefined) return;
		if (!uniqueUsersBound.has(phone)) uniqueUsersBound.set(phone, new Set());
		item.users.entries.forEach((e, j) => {
			if (e.kind === 'valid' && !isParentBsuid(e.canonical!))
				uniqueUsersBound.get(phone)!.add(e.canonical!);
			else if (e.kind === 'unknown') uniqueUsersBound.get(phone)!.add(`unknown ${i} ${j}`);
		});
	});
	let budget = 0;
	for (const users of uniqueUsersBound.values())
		budget += Math.ceil(users.size / batchSize) * (maxRetries + 1);
	check(
		requests.length <= budget * tries,
		`${requests.length} requests over ${tries} tries, over the budget of ${budget} a try (batches × (maxRetries + 1))`,
	);
	const batchOfUser = new Map<string, string>();
	for (const [batchKey, indexes] of sent.byBatch) {
		const first = requests[indexes[0]];
		check(first.method === method, `A ${first.method} request in a ${c.operation} run`);
		check(
			indexes.length <= (maxRetries + 1) * tries,
			`A batch was sent ${indexes.length} times in ${tries} tries with maxRetries ${maxRetries}`,
		);
		const users = first.users ?? [];
		check(
			users.length >= 1 && users.length <= batchSize,
			`A batch of ${users.length} users with batchSize ${batchSize}`,
		);
		check(new Set(users).size === users.length, 'A batch carries the same user twice');
		const body = first.body as { block_users?: Array<Record<string, unknown>> };
		for (const entry of body.block_users ?? []) {
			const user = entry.user ?? entry.user_id;
			check(
				Object.keys(entry).length === 1 && isUser(user),
				`The node sent ${short(entry)}, neither {user: E.164} nor {user_id: BSUID}`,
			);
			check(
				isBsuidUser(user) === 'user_id' in entry,
				`The node sent ${short(entry)}: a BSUID goes in user_id, a number in user`,
			);
			check(
				!isParentBsuid(user),
				`The node sent the parent BSUID ${short(user)}: WhatsApp refuses the whole request`,
			);
		}
		for (const user of users) {
			const userKey = `${phoneOfPath(first.path)} ${user}`;
			check(
				!batchOfUser.has(userKey) || batchOfUser.get(userKey) === batchKey,
				`${user} was sent in two different batches`,
			);
			batchOfUser.set(userKey, batchKey);
		}
		// Retry-After is honoured; a failure that is not transient is not retried.
		for (let k = 0; k + 1 < indexes.length; k++) {
			check(
				!world.refused.has(indexes[k]),
				'Retried a request the server refused as a whole (HTTP 400, code 100)',
			);
			const decided = world.decided.get(indexes[k]);
			if (decided === undefined) continue;
			if (
				decided.kind === 'rateLimit' &&
				decided.retryAfter !== undefined &&
				decided.retryAfter <= 60
			) {
				const gap = world.arrivedAt.get(indexes[k + 1])! - world.arrivedAt.get(indexes[k])!;
				check(
					gap >= decided.retryAfter * 1000 - 10,
					`Retried after ${gap} ms although Retry-After said ${decided.retryAfter} s`,
				);
			}
			check(
				!(decided.kind === 'rateLimit' && decided.retryAfter === 3600),
				'Retried although Retry-After asked for an hour',
			);
			// A retry after an answer with per-user lists is only right when the client never saw
			// it: its timeout fired first (a loaded machine), so the retry comes a timeout later.
			if (['ok', 'omitUsers', 'extraUsers'].includes(decided.kind)) {
				const gap = world.arrivedAt.get(indexes[k + 1])! - world.arrivedAt.get(indexes[k])!;
				check(
					gap >= c.options.timeout,
					`Retried ${gap} ms after an answer with per-user lists (${decided.kind})`,
				);
				stats.clientTimeouts++;
			}
		}
	}
	// After MAX_CONSECUTIVE_EXHAUSTED_BATCHES batches in a row fail through all their retries
	// the node stops sending. A batch is exhausted when its last allowed attempt failed
	// transiently (as the sandbox recorded it).
	const exhausted = (indexes: number[]) => {
		const last = indexes[indexes.length - 1];
		return (
			indexes.length === maxRetries + 1 &&
			!world.refused.has(last) &&
			TRANSIENT.has(world.decided.get(last)?.kind ?? '')
		);
	};
	const batchesInOrder = [...sent.byBatch.values()].sort((a, b) => a[0] - b[0]);
	const exhaustedCount = batchesInOrder.filter(exhausted).length;
	let stopped = false;
	if (c.options.maxConcurrency === 1) {
		let inARow = 0;
		for (const indexes of batchesInOrder) {
			check(
				!stopped,
				`A batch was sent after ${MAX_CONSECUTIVE_EXHAUSTED_BATCHES} batches in a row failed through all their retries`,
			);
			inARow = exhausted(indexes) ? inARow + 1 : 0;
			if (inARow >= MAX_CONSECUTIVE_EXHAUSTED_BATCHES) stopped = true;
		}
	} else stopped = exhaustedCount >= MAX_CONSECUTIVE_EXHAUSTED_BATCHES;
	stats.exhaustedBatches += exhaustedCount;
	if (stopped) stats.stoppedRuns++;

	const fatalHappened = requests.some(fatalAnswer);
	checkStopsAfterFatal(c, requests, tryStarts, stats);

	// ---- The blocklists afterwards agree with what was sent.
	check(
		sb.blocklist(PHONE_FORBIDDEN).length === before[PHONE_FORBIDDEN].size,
		'The blocklist of the phone number ID the key may not change changed',
	);
	for (const phone of [PHONE_A, PHONE_B]) {
		const after = new Set(sb.blocklist(phone));
		const sentDigits = new Set([...(sent.usersOfPhone.get(phone) ?? [])].map(listKey));
		for (const waId of after)
			if (!before[phone].has(waId))
				check(
					c.operation === 'block' && sentDigits.has(waId),
					`${waId} appeared on the blocklist of ${phone} without being sent`,
				);
		for (const waId of before[phone])
			if (!after.has(waId))
				check(
					c.operation === 'unblock' && sentDigits.has(waId),
					`${waId} left the blocklist of ${phone} without being sent`,
				);
	}

	// ---- Whole-call failures: thrown exactly when expected, naming the item.
	const badItem = c.items.findIndex(
		(item) => item.phoneKind === 'bad' && item.users.entries.length > 0,
	);
	// A whole-call failure (401 for a wrong key, 404 for an unknown phone number ID) must happen
	// when a valid user goes to it, may happen when only entries of unknown fate do, and cannot
	// happen otherwise; the stop after exhausted batches may come first.
	// (A parent BSUID is valid but never sent: it cannot cause one.)
	const usersOn = (kinds: string[], entryKinds: string[]) =>
		c.items.some(
			(item) =>
				kinds.includes(item.phoneKind) &&
				item.users.entries.some(
					(e) =>
						entryKinds.includes(e.kind) && !(e.kind === 'valid' && isParentBsuid(e.canonical!)),
				),
		);
	const fatalKinds =
		c.phoneMode === 'unknown'
			? ['unknown', 'forbidden']
			: c.phoneMode === 'wrongKey'
				? ['A', 'B']
				: [];
	const fatalExpected = usersOn(fatalKinds, ['valid']) && !stopped;
	const fatalPossible = usersOn(fatalKinds, ['valid', 'unknown']);
	const refused = badItem >= 0 && !c.continueOnFail;
	if (!refused) {
		check(
			!fatalExpected || fatalHappened,
			'A fatal answer (401/403/404) was expected but did not happen',
		);
		check(
			!fatalHappened || fatalPossible,
			'A fatal answer (401/403/404) happened but nothing could cause it',
		);
	}
	// A fatal answer stops the node only when every request met one: a throw never hides a write.
	const throwExpected = refused || (!c.continueOnFail && allFatal);

	stats.runs++;
	stats.requests += requests.length;
	stats.keyEchoes += world.echoed;
	stats.refusals += world.refused.size;
	const parentRefusals = [...world.answers.values()].filter(refusedForParent).length;
	stats.parentRequestsRefused += parentRefusals;
	check(
		parentRefusals === 0,
		`${parentRefusals} requests were refused as a whole for holding a parent BSUID`,
	);
	stats.occurrences += totalOccurrences;
	stats.usersSent += sent.byUser.size;
	for (const item of c.items)
		stats.bsuidEntries += item.users.entries.filter(
			(e) => e.kind === 'valid' && isBsuidUser(e.canonical!),
		).length;
	for (const [n, req] of requests.entries()) {
		stats.count(
			stats.behaviours,
			world.refused.has(n) ? 'refused' : (req.behaviour ?? `rejected ${req.status}`),
		);
		const shape = shapeOf(world.answers.get(n));
		if (shape) stats.count(stats.shapes, shape);
	}

	if (throwExpected) {
		const error = result.error;
		check(
			error !== undefined,
			`The node did not throw, but it should have (${badItem >= 0 ? 'bad phone number ID' : c.phoneMode})`,
		);
		stats.thrown++;
		const text = `${error.message}\n${error.description ?? ''}`;
		check(error.message.trim() !== '', 'The error has no message');
		if (badItem >= 0) {
			check(
				requests.length === 0,
				`${requests.length} requests were sent although item ${badItem + 1} has a bad phone number ID`,
			);
			check(
				new RegExp(`\\bitem ${badItem + 1}\\b`, 'i').test(text),
				`The error does not name item ${badItem + 1}: ${short(text)}`,
			);
			check(
				/phone number ID/.test(text),
				`The error does not say the phone number ID is wrong: ${short(text)}`,
			);
		} else {
			const named = /\bitem (\d+)\b/i.exec(text);
			check(named !== null, `The error names no item: ${short(text)}`);
			const itemIndex = Number(named[1]) - 1;
			const phone = phoneIdOf(c, itemIndex);
			check(
				c.phoneMode === 'unknown'
					? phone === PHONE_UNKNOWN || phone === PHONE_FORBIDDEN
					: phone === PHONE_A || phone === PHONE_B,
				`The error names item ${itemIndex + 1}, which did not cause it: ${short(text)}`,
			);
			check(
				c.phoneMode === 'unknown' ? /phone number ID/.test(text) : /API key/.test(text),
				`The error does not say what to fix: ${short(text)}`,
			);
		}
		return;
	}
	check(
		result.error === undefined,
		`The node threw, but no whole-call failure was expected: ${short(result.error?.message)} ${short(result.error?.description)}`,
	);

	// ---- Every occurrence exactly once.
	const [succeeded = [], failed = []] = result.outputs;
	check(result.outputs.length === 2, `Expected 2 outputs, got ${result.outputs.length}`);
	const perItem = c.items.map(
		() => [] as Array<{ out: INodeExecutionData; ok: boolean; used: boolean }>,
	);
	for (const [list, ok] of [
		[succeeded, true],
		[failed, false],
	] as const) {
		for (const out of list) {
			const item = itemOf(out);
			check(
				item >= 0 && item < c.items.length,
				`An output item points at item ${item}, which does not exist`,
			);
			perItem[item].push({ out, ok, used: false });
		}
	}
	perItem.forEach((outs, i) => {
		if (outs.length < expectedCounts[i]) stats.lost += expectedCounts[i] - outs.length;
		if (outs.length > expectedCounts[i]) stats.duplicated += outs.length - expectedCounts[i];
		check(
			outs.length === expectedCounts[i],
			`Item ${i + 1} gave ${expectedCounts[i]} occurrences but ${outs.length} came out`,
		);
	});
	stats.succeeded += succeeded.length;
	stats.failed += failed.length;
	for (const out of failed) stats.count(stats.failureCodes, String(asRecord(out.json.error)?.code));

	// ---- Each output is well formed; local failures name the item.
	for (const [i, outs] of perItem.entries()) {
		for (const { out, ok } of outs) {
			const json = out.json as Record<string, unknown>;
			if (ok) {
				const statuses: readonly string[] = Object.values(STATUS[c.operation]);
				check(
					statuses.includes(json.status as string),
					`Succeeded item with status ${short(json.status)}`,
				);
				check(
					isUser(json.user),
					`Succeeded item without an E.164 or BSUID user: ${short(json.user)}`,
				);
				const bsuid = isBsuidUser(json.user);
				check(
					json.wa_id === (bsuid ? null : json.user.slice(1)) &&
						json.user_id === (bsuid ? json.user : null),
					`Succeeded item with wa_id ${short(json.wa_id)} / user_id ${short(json.user_id)} for ${json.user}`,
				);
				check(json.error === undefined, 'Succeeded item with an error');
			} else {
				const error = asRecord(json.error);
				check(json.status === 'failed', `Failed item with status ${short(json.status)}`);
				check(
					'user_id' in json && 'wa_id' in json,
					`Failed item without wa_id and user_id: ${short(json)}`,
				);
				check(
					error &&
						(typeof error.code === 'number' ||
							(typeof error.code === 'string' && error.code !== '')),
					`Failed item without an error code: ${short(json)}`,
				);
				check(
					typeof error.message === 'string' && error.message.trim() !== '',
					`Failed item without a message: ${short(json)}`,
				);
				if (LOCAL_CODES.has(String(error.code))) {
					check(
						new RegExp(`\\bitem ${i + 1}\\b`, 'i').test(error.message),
						`A ${String(error.code)} message does not name item ${i + 1}: ${short(error.message)}`,
					);
				}
			}
		}
	}

	// ---- Each entry came out as itself, with the right fate for its kind.
	c.items.forEach((item, i) => {
		const outs = perItem[i];
		if (item.users.entries.length === 0) {
			check(
				!outs[0].ok && asRecord(outs[0].out.json.error)?.code === 'NO_USERS',
				`Item ${i + 1} has no users but did not fail with NO_USERS`,
			);
			return;
		}
		item.users.entries.forEach((entry: Entry) => {
			const input = expectedInput(
				entry.value,
				item.users.mode === 'text' ||
					(item.users.mode === 'single' && typeof entry.value === 'string'),
			);
			if (input === undefined) return;
			const match = outs.find((o) => !o.used && o.out.json.input === input);
			check(
				match,
				`Item ${i + 1}: the entry ${short(entry.value)} (input ${short(input)}) did not come out`,
			);
			match.used = true;
			const json = match.out.json as Record<string, unknown>;
			const code = asRecord(json.error)?.code;
			if (item.phoneKind === 'bad')
				check(
					!match.ok && code === 'INVALID_PHONE_NUMBER_ID',
					`Item ${i + 1} has a bad phone number ID but ${short(input)} got ${short(code ?? 'success')}`,
				);
			else if (entry.kind === 'invalid')
				check(
					!match.ok && code === 'INVALID_NUMBER',
					`The invalid entry ${short(input)} got ${short(code ?? 'success')}`,
				);
			else if (entry.kind === 'valid' && isParentBsuid(entry.canonical!)) {
				// Block and Unblock never send a parent BSUID: refused there and then, the rest still sent.
				check(
					!match.ok && code === 'PARENT_BSUID',
					`The parent BSUID ${short(input)} got ${short(code ?? json.status)}, not PARENT_BSUID`,
				);
				check(
					json.user === null && json.user_id === entry.canonical,
					`The parent BSUID ${short(input)} came out as user ${short(json.user)} / user_id ${short(json.user_id)}`,
				);
				check(
					!sent.byUser.has(`${phoneIdOf(c, i)} ${entry.canonical}`),
					`The parent BSUID ${entry.canonical} was sent`,
				);
				stats.parentBsuidsRefused++;
			} else if (entry.kind === 'valid') {
				check(
					json.user === entry.canonical,
					`${short(input)} was read as ${short(json.user)}, not ${entry.canonical}`,
				);
				check(
					json.phoneNumberId === phoneIdOf(c, i),
					`${short(input)} went to phone number ID ${short(json.phoneNumberId)}`,
				);
			}
		});
	});

	// ---- Each user's fate is the server's: success only when the answer confirmed it.
	const lateAnswers = world.unattributed.filter(
		(status) => status !== 401 && status !== 403 && status !== 404,
	).length;
	if (lateAnswers > 0) stats.verdictSkipped++;
	const fateOf = new Map<string, string>();
	for (const outs of perItem) {
		for (const { out, ok } of outs) {
			const json = out.json as Record<string, unknown>;
			const code = asRecord(json.error)?.code;
			if (typeof json.user !== 'string' || typeof json.phoneNumberId !== 'string') continue;
			const userKey = `${json.phoneNumberId} ${json.user}`;
			const fate = ok ? 'ok' : `failed ${String(code)}`;
			check(
				!fateOf.has(userKey) || fateOf.get(userKey) === fate,
				`${userKey} came out both as ${fateOf.get(userKey)} and ${fate}`,
			);
			fateOf.set(userKey, fate);
			if (!ok && LOCAL_CODES.has(String(code))) continue;
			const indexes = sent.byUser.get(userKey) ?? [];
			if (!ok && code === 'NOT_SENT') {
				check(indexes.length === 0, `${userKey} is NOT_SENT but was sent`);
				const phone = json.phoneNumberId;
				check(
					keyRejected || fatalOn(phone) || stopped,
					`${userKey} is NOT_SENT, but neither the key nor its phone number ID was refused, nor did ${MAX_CONSECUTIVE_EXHAUSTED_BATCHES} batches in a row fail`,
				);
				if (!keyRejected && !stopped)
					check(
						String(asRecord(json.error)?.message).includes(`phone number ID ${phone}`),
						`${userKey} is NOT_SENT without naming its phone number ID: ${short(json.error)}`,
					);
				continue;
			}
			check(indexes.length > 0, `${userKey} came out ${fate} but was never sent`);
			const last = indexes[indexes.length - 1];
			if (fatalAnswer(requests[last]) && requests[last].status !== 401) {
				// The server's reason for a phone number ID it refused: 100 (not found) or 10 (not permitted).
				check(
					!ok && code === (requests[last].status === 404 ? 100 : 10),
					`${userKey}: its phone number ID answered ${requests[last].status}, but it came out ${fate}`,
				);
				continue;
			}
			if (lateAnswers > 0) continue;
			const verdict = verdictOf(world.answers.get(last), json.user, c.operation);
			if (world.refused.has(last))
				check(
					!ok && code === 100,
					`${userKey}: its request was refused with code 100, but it came out ${fate}`,
				);
			if (ok) {
				const unchanged = json.status === STATUS[c.operation].unchanged;
				check(
					verdict.kind === (unchanged ? 'unchanged' : 'ok'),
					`${userKey} reported ${json.status}, but the server's last answer for it says ${verdict.kind}`,
				);
				const parent =
					verdict.kind === 'ok' || verdict.kind === 'unchanged'
						? verdict.entry.parent_user_id
						: undefined;
				check(
					json.parent_user_id === parent,
					`${userKey} has parent_user_id ${short(json.parent_user_id)}, the answer ${short(parent)}`,
				);
				if (unchanged) stats.unchanged++;
				if (parent !== undefined) stats.parentUserIds++;
				const change = world.changes.get(last);
				const changed = c.operation === 'block' ? change?.added : change?.removed;
				check(
					changed?.includes(listKey(json.user)) === !unchanged,
					`${userKey} reported ${json.status}, but the request ${unchanged ? 'did' : 'did not'} change the blocklist`,
				);
				const onList = sb.blocklist(json.phoneNumberId).includes(listKey(json.user));
				check(
					c.operation === 'block' ? onList : !onList,
					`${userKey} reported ${json.status}, but the blocklist afterwards disagrees`,
				);
			} else if (code === 'ECONNABORTED' && (verdict.kind === 'ok' || verdict.kind === 'failed')) {
				// The server answered, but after the client's timeout had fired (a loaded machine):
				// the node rightly reports what it saw, a timeout.
				stats.clientTimeouts++;
			} else {
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
		}
	}

	// ---- Every valid user on a good phone number ID was sent, unless a whole-call failure stopped it.
	// ---- Every valid user on a good phone number ID was sent, unless the key was rejected or the
	// server was down: a refused phone number ID stops nobody else, whatever the item order.
	if (!keyRejected && !stopped) {
		c.items.forEach((item, i) => {
			const phone = phoneIdOf(c, i);
			if (phone === undefined || phone === PHONE_UNKNOWN || phone === PHONE_FORBIDDEN) return;
			for (const entry of item.users.entries) {
				if (entry.kind === 'valid' && !isParentBsuid(entry.canonical!))
					check(
						sent.byUser.has(`${phone} ${entry.canonical}`),
						`${entry.canonical} (item ${i + 1}) was never sent`,
					);
			}
		});
		for (const [phone, users] of sent.usersOfPhone) {
			if (phone === PHONE_UNKNOWN || phone === PHONE_FORBIDDEN) continue;
			const batches = [...sent.byBatch.keys()].filter((k) => k.includes(`/${phone}/`)).length;
			check(
				batches === Math.ceil(users.size / batchSize),
				`${users.size} users on ${phone} went out in ${batches} batches of at most ${batchSize}`,
			);
		}
	}
	if (elapsed > 20_000) throw new InvariantError(`The run took ${elapsed} ms`);
}

/**
 * Within each try of the node: nothing is sent after the key was rejected, nor to a refused
 * phone number ID after its refusal (concurrency 1); at any concurrency, no more requests reach
 * a refused phone number ID than can be in flight when its first refusal arrives.
 */
function checkStopsAfterFatal(
	c: ChangeCase,
	requests: readonly RecordedRequest[],
	tryStarts: readonly number[],
	stats: Stats,
): void {
	const { maxConcurrency } = c.options;
	tryStarts.forEach((start, t) => {
		const segment = requests.slice(start, tryStarts[t + 1] ?? requests.length);
		const key = segment.findIndex((r) => r.status === 401);
		if (key >= 0 && maxConcurrency === 1)
			check(
				key === segment.length - 1,
				`${segment.length - 1 - key} requests were sent after the key was rejected (401)`,
			);
		const phones = new Set(segment.map((r) => phoneOfPath(r.path)));
		for (const phone of [PHONE_UNKNOWN, PHONE_FORBIDDEN]) {
			const count = segment.filter((r) => phoneOfPath(r.path) === phone).length;
			check(
				count <= maxConcurrency,
				`${count} requests went to the refused phone number ID ${phone} in one try, with at most ${maxConcurrency} at a time`,
			);
			const good = [...phones].some((p) => p !== PHONE_UNKNOWN && p !== PHONE_FORBIDDEN);
			if (count > 0)
				stats.count(
					stats.refusedPhoneNumberIds,
					`${phone === PHONE_UNKNOWN ? '404' : '403'} ${good ? 'beside a good phone number ID' : 'alone'}`,
				);
		}
	});
}

/** Retry On Fail: a later try of the node never sends a user whom an earlier try changed or confirmed. */
function checkNoRepeatedWrites(
	c: ChangeCase,
	world: World,
	tryStarts: readonly number[],
	tries: number,
): void {
	if (tries <= 1) return;
	const { requests } = world.sb;
	const done = new Set<string>();
	tryStarts.forEach((start, t) => {
		const end = tryStarts[t + 1] ?? requests.length;
		for (let n = start; n < end; n++) {
			const phone = phoneOfPath(requests[n].path);
			for (const user of requests[n].users ?? [])
				check(
					t === 0 || !done.has(`${phone} ${user}`),
					`Try ${t + 1} of the node sent ${user} to ${phone} again, after an earlier try had done it`,
				);
		}
		for (let n = start; n < end; n++) {
			const phone = phoneOfPath(requests[n].path);
			const change = world.changes.get(n);
			for (const user of requests[n].users ?? []) {
				const verdict = verdictOf(world.answers.get(n), user, c.operation).kind;
				if (
					verdict === 'ok' ||
					verdict === 'unchanged' ||
					change?.added.includes(listKey(user)) ||
					change?.removed.includes(listKey(user))
				)
					done.add(`${phone} ${user}`);
			}
		}
	});
}
