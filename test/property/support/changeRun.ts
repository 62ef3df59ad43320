/**
 * One randomized Block or Unblock run and every invariant checked on it. The truth is what
 * the sandbox recorded: the requests it received, the answers it sent, how each request
 * changed its blocklist, and the blocklist afterwards.
 */
import { MAX_CONSECUTIVE_EXHAUSTED_BATCHES } from '../../../nodes/WhatsApp/changes/sendGate';
import type { RunResult } from '../../harness/runNode';
import type { RecordedRequest } from '../../../sandbox/server';
import {
	asRecord,
	check,
	checkErrorNamesCause,
	checkExactlyOnce,
	checkFailedVerdict,
	checkItemShape,
	checkSentEntries,
	countOccurrences,
	countRequests,
	errorOf,
	forEachEntry,
	InvariantError,
	itemOf,
	namesItem,
	occurrenceCounts,
	type Out,
	short,
	TRANSIENT,
	verdictOf,
} from './checks';
import type { LogCapture } from './logs';
import {
	type ChangeCase,
	isParentBsuid,
	listKey,
	phoneOfItem,
	RETRY_ON_FAIL_TRIES,
	usersNodeRun,
} from './model';
import type { Stats } from './stats';
import {
	type Answer,
	PHONE_A,
	PHONE_B,
	PHONE_FORBIDDEN,
	PHONE_UNKNOWN,
	phoneOfPath,
	runInWorld,
	type World,
} from './world';

/** The statuses of a success: done, or unchanged (the blocklist already was as asked). */
const STATUS = {
	block: { done: 'blocked', unchanged: 'already blocked' },
	unblock: { done: 'unblocked', unchanged: 'not blocked' },
} as const;
const LOCAL_CODES = new Set([
	'INVALID_NUMBER',
	'NO_USERS',
	'INVALID_PHONE_NUMBER_ID',
	'PARENT_BSUID',
]);
const REFUSED_PHONES = [PHONE_UNKNOWN, PHONE_FORBIDDEN];

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

/** What every check of a run reads. */
interface Run {
	c: ChangeCase;
	world: World;
	result: RunResult;
	requests: readonly RecordedRequest[];
	sent: Sent;
	stats: Stats;
	/** The index of the first request of each try of the node (n8n runs it again under Retry On Fail). */
	tryStarts: number[];
	/** Whether the node stopped sending after exhausted batches. */
	stopped: boolean;
}

/** Runs one case against a fresh sandbox and checks every invariant; throws InvariantError. */
export async function runChangeCase(c: ChangeCase, stats: Stats, logs: LogCapture): Promise<void> {
	const before: Record<string, Set<string>> = {};
	const tryStarts: number[] = [];
	let requestCount = () => 0;
	await runInWorld(
		c,
		{
			...usersNodeRun(c),
			...(c.retryOnFail ? { retryOnFail: { maxTries: RETRY_ON_FAIL_TRIES } } : {}),
			onTry: () => tryStarts.push(requestCount()),
			logs,
			deadlineMs: 30_000,
			prepare: (sb) => {
				requestCount = () => sb.requests.length;
				sb.setBlocklist(PHONE_A, c.preseed.A.map(listKey));
				sb.setBlocklist(PHONE_B, c.preseed.B.map(listKey));
				// The forbidden phone number ID holds B's users too, so that an unblock there would show.
				sb.setBlocklist(PHONE_FORBIDDEN, c.preseed.B.map(listKey));
				sb.config.forbidden = { [PHONE_FORBIDDEN]: ['POST', 'DELETE'] };
				sb.config.reengagementRequired = [...c.reengagementRequired];
				sb.config.blocklistCap = c.blocklistCap;
				sb.config.noChangeCode = c.noChangeCode;
				sb.config.parentUserIds = c.parentUserIds;
				for (const phone of [PHONE_A, PHONE_B, PHONE_FORBIDDEN])
					before[phone] = new Set(sb.blocklist(phone));
			},
		},
		({ world, result, elapsed }) => {
			const { requests } = world.sb;
			const run: Run = {
				c,
				world,
				result,
				requests,
				sent: indexRequests(requests),
				stats,
				tryStarts,
				stopped: false,
			};
			checkTries(run);
			if (requests.length > 0 && c.phoneMode !== 'wrongKey')
				check(
					requests.some((r) => r.authorized),
					'No request carried the key',
				);
			checkBatches(run);
			checkBlocklists(run, before);
			if (checkWholeCall(run)) checkOccurrences(run);
			if (elapsed > 20_000) throw new InvariantError(`The run took ${elapsed} ms`);
		},
	);
}

/** Retry On Fail: n8n runs the node again only after it threw, and never after a write. */
function checkTries({ c, world, result, requests, tryStarts, stats }: Run): void {
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
	// A later try never sends a user whom an earlier try changed or confirmed.
	const done = new Set<string>();
	if (tries > 1)
		tryStarts.forEach((start, t) => {
			const tryRequests = requests.slice(start, tryStarts[t + 1] ?? requests.length);
			for (const req of tryRequests)
				for (const user of req.users ?? [])
					check(
						t === 0 || !done.has(`${phoneOfPath(req.path)} ${user}`),
						`Try ${t + 1} of the node sent ${user} to ${phoneOfPath(req.path)} again, after an earlier try had done it`,
					);
			tryRequests.forEach((req, k) => {
				const change = world.changes.get(start + k);
				for (const user of req.users ?? []) {
					const verdict = verdictOf(world.answers.get(start + k), user, c.operation).kind;
					if (
						verdict === 'ok' ||
						verdict === 'unchanged' ||
						change?.added.includes(listKey(user)) ||
						change?.removed.includes(listKey(user))
					)
						done.add(`${phoneOfPath(req.path)} ${user}`);
				}
			});
		});
	stats.nodeRetries += tries - 1;
}

/**
 * Requests: the right method, bounded retries, batches of at most Batch Size, each user in one
 * batch; Retry-After honoured, no retry of what must not be retried; the stop after
 * MAX_CONSECUTIVE_EXHAUSTED_BATCHES exhausted batches, and after fatal answers.
 */
function checkBatches(run: Run): void {
	const { c, world, requests, sent, result, stats } = run;
	const { tries } = result;
	const { batchSize, maxRetries } = c.options;
	const method = c.operation === 'block' ? 'POST' : 'DELETE';
	const uniqueUsersBound = new Map<string, Set<string>>();
	c.items.forEach((item, i) => {
		const phone = phoneOfItem(c.items, i);
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
		checkSentEntries(first, 'The node');
		for (const user of users) {
			const userKey = `${phoneOfPath(first.path)} ${user}`;
			check(
				!batchOfUser.has(userKey) || batchOfUser.get(userKey) === batchKey,
				`${user} was sent in two different batches`,
			);
			batchOfUser.set(userKey, batchKey);
		}
		checkRetries(run, indexes);
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
	if (c.options.maxConcurrency === 1) {
		let inARow = 0;
		for (const indexes of batchesInOrder) {
			check(
				!run.stopped,
				`A batch was sent after ${MAX_CONSECUTIVE_EXHAUSTED_BATCHES} batches in a row failed through all their retries`,
			);
			inARow = exhausted(indexes) ? inARow + 1 : 0;
			if (inARow >= MAX_CONSECUTIVE_EXHAUSTED_BATCHES) run.stopped = true;
		}
	} else run.stopped = exhaustedCount >= MAX_CONSECUTIVE_EXHAUSTED_BATCHES;
	stats.exhaustedBatches += exhaustedCount;
	if (run.stopped) stats.stoppedRuns++;
	checkStopsAfterFatal(run);
}

/** Retry-After is honoured; a failure that is not transient is not retried. */
function checkRetries({ c, world, stats }: Run, indexes: number[]): void {
	for (let k = 0; k + 1 < indexes.length; k++) {
		check(
			!world.refused.has(indexes[k]),
			'Retried a request the server refused as a whole (HTTP 400, code 100)',
		);
		const decided = world.decided.get(indexes[k]);
		if (decided === undefined) continue;
		const gap = world.arrivedAt.get(indexes[k + 1])! - world.arrivedAt.get(indexes[k])!;
		if (
			decided.kind === 'rateLimit' &&
			decided.retryAfter !== undefined &&
			decided.retryAfter <= 60
		)
			check(
				gap >= decided.retryAfter * 1000 - 10,
				`Retried after ${gap} ms although Retry-After said ${decided.retryAfter} s`,
			);
		check(
			!(decided.kind === 'rateLimit' && decided.retryAfter === 3600),
			'Retried although Retry-After asked for an hour',
		);
		// A retry after an answer with per-user lists is only right when the client never saw
		// it: its timeout fired first (a loaded machine), so the retry comes a timeout later.
		if (['ok', 'omitUsers', 'extraUsers'].includes(decided.kind)) {
			check(
				gap >= c.options.timeout,
				`Retried ${gap} ms after an answer with per-user lists (${decided.kind})`,
			);
			stats.clientTimeouts++;
		}
	}
}

/** Fatal answers: 401 (the key: the whole call) and 404 / 403 (one phone number ID). */
const fatalAnswer = (r: RecordedRequest) =>
	r.status === 401 ||
	(r.status === 404 && phoneOfPath(r.path) === PHONE_UNKNOWN) ||
	(r.status === 403 && phoneOfPath(r.path) === PHONE_FORBIDDEN);

/**
 * Within each try of the node: nothing is sent after the key was rejected, nor to a refused
 * phone number ID after its refusal (concurrency 1); at any concurrency, no more requests reach
 * a refused phone number ID than can be in flight when its first refusal arrives.
 */
function checkStopsAfterFatal({ c, requests, tryStarts, stats }: Run): void {
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
		for (const phone of REFUSED_PHONES) {
			const count = segment.filter((r) => phoneOfPath(r.path) === phone).length;
			check(
				count <= maxConcurrency,
				`${count} requests went to the refused phone number ID ${phone} in one try, with at most ${maxConcurrency} at a time`,
			);
			const good = [...phones].some((p) => !REFUSED_PHONES.includes(p));
			if (count > 0)
				stats.count(
					stats.refusedPhoneNumberIds,
					`${phone === PHONE_UNKNOWN ? '404' : '403'} ${good ? 'beside a good phone number ID' : 'alone'}`,
				);
		}
	});
}

/** The blocklists afterwards agree with what was sent. */
function checkBlocklists({ c, world, sent }: Run, before: Record<string, Set<string>>): void {
	const { sb } = world;
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
}

/**
 * Whole-call failures: a fatal answer happens exactly when something could cause it, and the
 * node throws exactly when expected, naming the item and what to fix. Returns whether the run
 * returned (so that its outputs are checked).
 */
function checkWholeCall(run: Run): boolean {
	const { c, requests, result, stats, world } = run;
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
	const fatalHappened = requests.some(fatalAnswer);
	const refused = badItem >= 0 && !c.continueOnFail;
	if (!refused) {
		check(
			!(usersOn(fatalKinds, ['valid']) && !run.stopped) || fatalHappened,
			'A fatal answer (401/403/404) was expected but did not happen',
		);
		check(
			!fatalHappened || usersOn(fatalKinds, ['valid', 'unknown']),
			'A fatal answer (401/403/404) happened but nothing could cause it',
		);
	}
	// A fatal answer stops the node only when every request met one: a throw never hides a write.
	const allFatal = requests.length > 0 && requests.every(fatalAnswer);
	const throwExpected = refused || (!c.continueOnFail && allFatal);

	countRequests(stats, world);
	countOccurrences(stats, c.items, occurrenceCounts(c.items));
	stats.usersSent += run.sent.byUser.size;
	for (const n of requests.keys()) {
		const shape = shapeOf(world.answers.get(n));
		if (shape) stats.count(stats.shapes, shape);
	}

	if (!throwExpected) {
		check(
			result.error === undefined,
			`The node threw, but no whole-call failure was expected: ${short(result.error?.message)} ${short(result.error?.description)}`,
		);
		return true;
	}
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
		check(namesItem(text, badItem), `The error does not name item ${badItem + 1}: ${short(text)}`);
		check(
			/phone number ID/.test(text),
			`The error does not say the phone number ID is wrong: ${short(text)}`,
		);
		return false;
	}
	checkErrorNamesCause(text, c.phoneMode, (item) => {
		const phone = phoneOfItem(c.items, item);
		return c.phoneMode === 'unknown'
			? REFUSED_PHONES.includes(phone!)
			: phone === PHONE_A || phone === PHONE_B;
	});
	return false;
}

/** Every occurrence exactly once, well formed, as itself, with the server's fate; every valid user sent. */
function checkOccurrences(run: Run): void {
	const { c, result, stats } = run;
	const [succeeded = [], failed = []] = result.outputs;
	check(result.outputs.length === 2, `Expected 2 outputs, got ${result.outputs.length}`);
	const perItem = c.items.map(() => [] as Out[]);
	result.outputs.forEach((list, output) => {
		for (const out of list) {
			const item = itemOf(out);
			check(
				item >= 0 && item < c.items.length,
				`An output item points at item ${item}, which does not exist`,
			);
			perItem[item].push({ out, output, used: false });
		}
	});
	checkExactlyOnce(perItem, occurrenceCounts(c.items), stats);
	stats.succeeded += succeeded.length;
	stats.failed += failed.length;
	for (const out of failed) stats.count(stats.failureCodes, String(errorOf(out.json)?.code));
	for (const [i, outs] of perItem.entries())
		for (const { out, output } of outs) checkWellFormed(c, out.json, output === 0, i);
	checkEntries(run, perItem);
	checkFates(run, perItem);
	checkAllSent(run);
}

/** A Succeeded item has a done or unchanged status; a Failed one fails, and a local failure names its item. */
function checkWellFormed(c: ChangeCase, json: Record<string, unknown>, ok: boolean, i: number) {
	checkItemShape(json, `${ok ? 'Succeeded' : 'Failed'} item ${short(json)}`, !ok);
	if (ok) {
		const statuses: readonly string[] = Object.values(STATUS[c.operation]);
		check(
			statuses.includes(json.status as string),
			`Succeeded item with status ${short(json.status)}`,
		);
		return;
	}
	const error = errorOf(json)!;
	check(json.status === 'failed', `Failed item with status ${short(json.status)}`);
	check(
		'user_id' in json && 'wa_id' in json,
		`Failed item without wa_id and user_id: ${short(json)}`,
	);
	if (LOCAL_CODES.has(String(error.code)))
		check(
			namesItem(error.message, i),
			`A ${String(error.code)} message does not name item ${i + 1}: ${short(error.message)}`,
		);
}

/** Each entry came out as itself, with the right fate for its kind. */
function checkEntries({ c, sent, stats }: Run, perItem: Out[][]): void {
	c.items.forEach((item, i) => {
		const outs = perItem[i];
		if (item.users.entries.length === 0) {
			check(
				outs[0].output === 1 && errorOf(outs[0].out.json)?.code === 'NO_USERS',
				`Item ${i + 1} has no users but did not fail with NO_USERS`,
			);
			return;
		}
		forEachEntry(item, outs, i, (entry, match, input) => {
			const { json } = match.out;
			const ok = match.output === 0;
			const code = errorOf(json)?.code;
			if (item.phoneKind === 'bad')
				check(
					!ok && code === 'INVALID_PHONE_NUMBER_ID',
					`Item ${i + 1} has a bad phone number ID but ${short(input)} got ${short(code ?? 'success')}`,
				);
			else if (entry.kind === 'invalid')
				check(
					!ok && code === 'INVALID_NUMBER',
					`The invalid entry ${short(input)} got ${short(code ?? 'success')}`,
				);
			else if (entry.kind === 'valid' && isParentBsuid(entry.canonical!)) {
				// Block and Unblock never send a parent BSUID: refused there and then, the rest still sent.
				check(
					!ok && code === 'PARENT_BSUID',
					`The parent BSUID ${short(input)} got ${short(code ?? json.status)}, not PARENT_BSUID`,
				);
				check(
					json.user === null && json.user_id === entry.canonical,
					`The parent BSUID ${short(input)} came out as user ${short(json.user)} / user_id ${short(json.user_id)}`,
				);
				check(
					!sent.byUser.has(`${phoneOfItem(c.items, i)} ${entry.canonical}`),
					`The parent BSUID ${entry.canonical} was sent`,
				);
				stats.parentBsuidsRefused++;
			} else if (entry.kind === 'valid') {
				check(
					json.user === entry.canonical,
					`${short(input)} was read as ${short(json.user)}, not ${entry.canonical}`,
				);
				check(
					json.phoneNumberId === phoneOfItem(c.items, i),
					`${short(input)} went to phone number ID ${short(json.phoneNumberId)}`,
				);
			}
		});
	});
}

/** Each user's fate is the server's: success only when the answer confirmed it. */
function checkFates(run: Run, perItem: Out[][]): void {
	const { c, world, requests, sent, stats } = run;
	const keyRejected = requests.some((r) => r.status === 401);
	const fatalOn = (phone: string) =>
		requests.some((r) => fatalAnswer(r) && phoneOfPath(r.path) === phone);
	const lateAnswers = world.unattributed.filter(
		(status) => status !== 401 && status !== 403 && status !== 404,
	).length;
	if (lateAnswers > 0) stats.verdictSkipped++;
	const fateOf = new Map<string, string>();
	for (const { out, output } of perItem.flat()) {
		const { json } = out;
		const ok = output === 0;
		const code = errorOf(json)?.code;
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
				keyRejected || fatalOn(phone) || run.stopped,
				`${userKey} is NOT_SENT, but neither the key nor its phone number ID was refused, nor did ${MAX_CONSECUTIVE_EXHAUSTED_BATCHES} batches in a row fail`,
			);
			if (!keyRejected && !run.stopped)
				check(
					String(errorOf(json)?.message).includes(`phone number ID ${phone}`),
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
			const onList = world.sb.blocklist(json.phoneNumberId).includes(listKey(json.user));
			check(
				c.operation === 'block' ? onList : !onList,
				`${userKey} reported ${json.status}, but the blocklist afterwards disagrees`,
			);
		} else if (code === 'ECONNABORTED' && (verdict.kind === 'ok' || verdict.kind === 'failed')) {
			// The server answered, but after the client's timeout had fired (a loaded machine):
			// the node rightly reports what it saw, a timeout.
			stats.clientTimeouts++;
		} else checkFailedVerdict(userKey, code, verdict);
	}
}

/**
 * Every valid user on a good phone number ID was sent, in ceil(users / Batch Size) batches,
 * unless the key was rejected or the server was down: a refused phone number ID stops nobody
 * else, whatever the item order.
 */
function checkAllSent({ c, requests, sent, stopped }: Run): void {
	if (requests.some((r) => r.status === 401) || stopped) return;
	c.items.forEach((item, i) => {
		const phone = phoneOfItem(c.items, i);
		if (phone === undefined || REFUSED_PHONES.includes(phone)) return;
		for (const entry of item.users.entries)
			if (entry.kind === 'valid' && !isParentBsuid(entry.canonical!))
				check(
					sent.byUser.has(`${phone} ${entry.canonical}`),
					`${entry.canonical} (item ${i + 1}) was never sent`,
				);
	});
	for (const [phone, users] of sent.usersOfPhone) {
		if (REFUSED_PHONES.includes(phone)) continue;
		const batches = [...sent.byBatch.keys()].filter((k) => k.includes(`/${phone}/`)).length;
		check(
			batches === Math.ceil(users.size / c.options.batchSize),
			`${users.size} users on ${phone} went out in ${batches} batches of at most ${c.options.batchSize}`,
		);
	}
}
