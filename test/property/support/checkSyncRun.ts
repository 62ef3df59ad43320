/**
 * One randomized Check or Sync run and every invariant of the spec checked on it. The truth
 * is what the sandbox recorded: the requests in arrival order, the answers it sent, the
 * blocklist as each GET saw it (a snapshot taken just before the page was cut), how each
 * POST/DELETE changed the blocklist, and the blocklist afterwards.
 *
 * Whether a read completed, and the blocklist at each of its GETs, is reads.ts's. The state
 * the node may have seen for a user is any state the user had from the start of the last read
 * attempt (its last GET without a cursor) to its end: when nothing changed under the read that
 * is exactly one state, otherwise either is accepted.
 */
import { MAX_CONSECUTIVE_EXHAUSTED_BATCHES } from '../../../nodes/WhatsApp/changes/sendGate';
import type { RunResult } from '../../harness/runNode';
import type { RecordedRequest, Sandbox } from '../../../sandbox/server';
import {
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
	isUser,
	itemOf,
	namesItem,
	occurrenceCounts,
	type Out,
	short,
	TRANSIENT,
	verdictOf,
} from './checks';
import type { CheckSyncCase, ListMutation } from './checkSyncModel';
import type { LogCapture } from './logs';
import {
	BSUID,
	isBsuidUser,
	isParentBsuid,
	listKey,
	PARENT,
	phoneOfItem,
	usersNodeRun,
} from './model';
import { LIST_CHANGED, readTruths } from './reads';
import { Stats } from './stats';
import { PHONE_A, PHONE_B, PHONE_UNKNOWN, phoneOfPath, runInWorld, type World } from './world';

/** Figures of the Check/Sync property, beyond the common ones. */
export class CheckSyncStats extends Stats {
	/** Phone number ID reads (GET sequences), and how many of them did not complete. */
	reads = 0;
	readsFailed = 0;
	/** Reads of a blocklist that needed more than one 1,000-entry page. */
	multiPageReads = 0;
	/** 139102 answers (the node then starts the read again), and runs whose lists changed under a read. */
	listChangedAnswers = 0;
	listsChangedUnderfoot = 0;
	/** Sync runs whose blocklist changed between the read and the first write. */
	racesBeforeWrite = 0;
	/** Of those, occurrences the server then said were already blocked / not blocked. */
	racedUnchanged = 0;
	/** Sync phone number IDs refused as an empty sync (thrown, or REFUSED_EMPTY_SYNC with continueOnFail). */
	emptySyncsRefused = 0;
	dryRuns = 0;
	/** Output items per status (Check and Sync), and users Sync unblocked because nobody wanted them. */
	statuses: Record<string, number> = {};
	listItems = 0;
	/** Listed users not unblocked because a given entry of their phone number ID was refused (UNBLOCK_WITHHELD). */
	withheld = 0;
	postRequests = 0;
	deleteRequests = 0;
}

const REFUSED_CODE = 'REFUSED_EMPTY_SYNC';
const WITHHELD_CODE = 'UNBLOCK_WITHHELD';
/** Local refusals of a given entry that withhold Sync's unblocks on its phone number ID (an item with no users, NO_USERS, is none). */
const REFUSING_CODES = new Set(['INVALID_NUMBER', 'PARENT_BSUID']);
const OUTPUTS = {
	check: ['Blocked', 'Not Blocked', 'Failed'],
	sync: ['Changed', 'Unchanged', 'Failed'],
} as const;
const STATUSES = {
	check: [['blocked'], ['not blocked'], ['failed']],
	sync: [
		['blocked', 'unblocked', 'would block', 'would unblock'],
		['already blocked', 'not blocked', 'kept'],
		['failed'],
	],
} as const;

/** Changes the blocklist of `phone` before GET `n` (see CheckSyncCase.mutations). */
function mutateBlocklist(
	sb: Sandbox,
	c: CheckSyncCase,
	phone: string,
	n: number,
	kind: ListMutation,
): void {
	const current = sb.blocklist(phone);
	const unlisted = c.pool.map(listKey).filter((k) => !current.includes(k));
	const added =
		n % 2 === 0 && unlisted.length > 0
			? unlisted[n % unlisted.length]
			: n % 3 === 0
				? `GB.88${n}`
				: `4478${String(n).padStart(8, '0')}`;
	let next = current;
	if (kind === 'addEnd') next = current.includes(added) ? current : [...current, added];
	else if (kind === 'addFront') next = current.includes(added) ? current : [added, ...current];
	else if (kind === 'removeLast') next = current.slice(0, -1);
	else if (kind === 'removeFirst') next = current.slice(1);
	else if (current.length > 0) {
		const at = (n * 31) % current.length;
		next = [...current.slice(0, at), ...current.slice(at + 1)];
	}
	sb.setBlocklist(phone, next);
}

/** What a run left behind, for tests that check more than the invariants. */
export interface CheckSyncRunRecord {
	result: RunResult;
	requests: Array<{ method: string; after?: string; users?: string[]; status: number }>;
	blocklists: Record<string, string[]>;
}

/** Runs one case against a fresh sandbox and checks every invariant; throws InvariantError. */
export async function runCheckSyncCase(
	c: CheckSyncCase,
	stats: CheckSyncStats,
	logs: LogCapture,
): Promise<CheckSyncRunRecord> {
	const observed: Observed = {
		snapshotAt: new Map(),
		mutations: 0,
		firstWrite: undefined,
		raced: undefined,
	};
	const onRequest = (req: RecordedRequest, n: number, sb: Sandbox) => {
		const phone = phoneOfPath(req.path);
		if (req.method === 'GET') {
			const at = c.mutateAt.indexOf(n);
			if (at >= 0) {
				mutateBlocklist(sb, c, phone, n, c.mutations[at % c.mutations.length]);
				observed.mutations++;
			}
			observed.snapshotAt.set(n, new Set(sb.blocklist(phone)));
		} else if (observed.firstWrite === undefined) {
			observed.firstWrite = n;
			const user = req.users?.[0];
			if (c.raceBeforeWrite === 'flipFirstUser' && user !== undefined) {
				// Someone else blocks the first user Sync is about to block (or unblocks the first
				// one it is about to unblock) between Sync's read and its write.
				const keyOf = listKey(user);
				const current = sb.blocklist(phone);
				sb.setBlocklist(
					phone,
					req.method === 'POST' ? [...current, keyOf] : current.filter((k) => k !== keyOf),
				);
				observed.raced = { phone, user, method: req.method };
			}
		}
	};
	const prepare = (sb: Sandbox) => {
		Object.assign(sb.config, c.server, {
			listShape: c.listShape,
			strictCursors: c.strictCursors,
			parentUserIds: c.parentUserIds,
			noChangeCode: c.noChangeCode,
		});
		sb.setBlocklist(PHONE_A, c.preseed.A);
		sb.setBlocklist(PHONE_B, c.preseed.B);
	};
	const node = { ...usersNodeRun(c), logs, deadlineMs: 40_000, onRequest, prepare };
	return await runInWorld(c, node, ({ world, result, elapsed }) => {
		const { sb } = world;
		checkRun(c, world, result, observed, stats);
		if (elapsed > 30_000) throw new InvariantError(`The run took ${elapsed} ms`);
		return {
			result,
			requests: sb.requests.map((r) => ({
				method: r.method,
				after: r.query.after,
				users: r.users,
				status: r.status,
			})),
			blocklists: { [PHONE_A]: sb.blocklist(PHONE_A), [PHONE_B]: sb.blocklist(PHONE_B) },
		};
	});
}

interface Observed {
	snapshotAt: Map<number, Set<string>>;
	mutations: number;
	firstWrite: number | undefined;
	raced: { phone: string; user: string; method: string } | undefined;
}

function checkRun(
	c: CheckSyncCase,
	world: World,
	result: RunResult,
	observed: Observed,
	stats: CheckSyncStats,
): void {
	const { sb } = world;
	const requests = sb.requests;
	const sync = c.operation === 'sync';
	const R = c.options.maxRetries;
	const lateAnswers = world.unattributed.filter(
		(status) => status !== 401 && status !== 404,
	).length;

	const reads = readTruths(c, world, observed, stats);
	const complete = (phone: string) => reads.get(phone)?.complete === true;
	const snaps = (phone: string) => reads.get(phone)?.snapshots ?? [];
	/** A user on a snapshot: by its key, or (a parent BSUID) by a child whose entry names it as parent. */
	const strictlyOn = (s: Set<string>, user: string) => s.has(listKey(user));
	const looselyOn = (s: Set<string>, user: string) =>
		strictlyOn(s, user) ||
		(c.parentUserIds && PARENT.test(user) && s.has(user.replace('.ENT.', '.')));
	const possiblyOn = (phone: string, user: string) => snaps(phone).some((s) => looselyOn(s, user));
	const possiblyOff = (phone: string, user: string) =>
		snaps(phone).some((s) => !strictlyOn(s, user));
	const everListed = (phone: string) => new Set(snaps(phone).flatMap((s) => [...s]));
	const alwaysListed = (phone: string) => {
		const all = snaps(phone);
		return all.length === 0
			? new Set<string>()
			: new Set([...all[0]].filter((k) => all.every((s) => s.has(k))));
	};

	// ---- Which phone number IDs may, and must, be read.
	const validOn = new Map<string, Set<string>>();
	const unknownOn = new Set<string>();
	const targeted = new Set<string>();
	c.items.forEach((item, i) => {
		const phone = phoneOfItem(c.items, i);
		if (phone === undefined) return;
		targeted.add(phone);
		if (!validOn.has(phone)) validOn.set(phone, new Set());
		for (const e of item.users.entries) {
			if (e.kind === 'valid') validOn.get(phone)!.add(e.canonical!);
			if (e.kind === 'unknown') unknownOn.add(phone);
		}
	});
	const badItem = c.items.findIndex(
		(item) => item.phoneKind === 'bad' && item.users.entries.length > 0,
	);
	const mayRead = (phone: string) =>
		sync ? targeted.has(phone) : (validOn.get(phone)?.size ?? 0) > 0 || unknownOn.has(phone);
	for (const phone of reads.keys())
		check(
			mayRead(phone),
			`${c.operation} read the blocklist of ${phone}, which no ${sync ? 'item' : 'valid occurrence'} targets`,
		);
	if (badItem >= 0 && !c.continueOnFail)
		check(
			requests.length === 0,
			`${requests.length} requests were sent although item ${badItem + 1} has a bad phone number ID`,
		);

	// ---- Writes: never for Check; for Sync only after all reads, for complete reads, as planned.
	const writes = requests.map((r, n) => ({ r, n })).filter(({ r }) => r.method !== 'GET');
	stats.postRequests += writes.filter(({ r }) => r.method === 'POST').length;
	stats.deleteRequests += writes.filter(({ r }) => r.method === 'DELETE').length;
	if (!sync)
		check(writes.length === 0, `Check sent a ${writes[0]?.r.method} (request ${writes[0]?.n})`);
	if (sync && c.options.dryRun)
		check(writes.length === 0, `A dry run sent a ${writes[0]?.r.method} (request ${writes[0]?.n})`);
	if (sync && !c.options.unblockOthers)
		check(
			writes.every(({ r }) => r.method !== 'DELETE'),
			'Sync sent a DELETE without Unblock Others',
		);
	const lastGet = Math.max(-1, ...[...reads.values()].flatMap((r) => r.gets));
	const desiredKeys = (phone: string, extra: Iterable<string> = []) =>
		new Set([...(validOn.get(phone) ?? []), ...extra].map(listKey));
	const byBatch = new Map<string, number[]>();
	const sentUsers = new Map<string, { method: string; indexes: number[] }>();
	for (const { r, n } of writes) {
		const phone = phoneOfPath(r.path);
		check(
			n > lastGet,
			`Sync sent a ${r.method} (request ${n}) before all reads were done (GET ${lastGet} came later)`,
		);
		check(
			complete(phone),
			`Sync sent a ${r.method} (request ${n}) for ${phone}, whose read did not complete`,
		);
		const users = r.users ?? [];
		check(
			users.length >= 1 && users.length <= (c.options.batchSize ?? 0),
			`A batch of ${users.length} users with batchSize ${c.options.batchSize}`,
		);
		check(new Set(users).size === users.length, `A ${r.method} batch carries the same user twice`);
		checkSentEntries(r, 'Sync');
		const batchKey = `${r.method} ${phone} ${JSON.stringify(users)}`;
		byBatch.set(batchKey, [...(byBatch.get(batchKey) ?? []), n]);
		for (const user of users) {
			const userKey = `${phone} ${user}`;
			const seen = sentUsers.get(userKey);
			check(!seen || seen.method === r.method, `${userKey} was both blocked and unblocked`);
			if (seen)
				check(
					byBatch.get(batchKey)!.includes(seen.indexes[0]),
					`${userKey} was sent in two different batches`,
				);
			sentUsers.set(userKey, { method: r.method, indexes: [...(seen?.indexes ?? []), n] });
			if (r.method === 'POST') {
				check(
					desiredKeys(phone).has(listKey(user)) || unknownOn.has(phone),
					`Sync blocked ${user} on ${phone}, whom no item wants blocked`,
				);
				check(
					possiblyOff(phone, user),
					`Sync blocked ${user} on ${phone}, who was on the blocklist throughout the read`,
				);
			} else {
				check(
					!desiredKeys(phone).has(listKey(user)),
					`Sync unblocked ${user} on ${phone}, a user an item wants blocked (request ${n})`,
				);
				check(
					everListed(phone).has(listKey(user)),
					`Sync unblocked ${user} on ${phone}, who was not on the blocklist it read`,
				);
			}
		}
	}
	for (const [batchKey, indexes] of byBatch)
		check(
			indexes.length <= R + 1,
			`The batch ${short(batchKey)} was sent ${indexes.length} times with maxRetries ${R}`,
		);
	const exhausted = [...byBatch.values()].filter((indexes) => {
		const last = indexes[indexes.length - 1];
		return (
			indexes.length === R + 1 &&
			!world.refused.has(last) &&
			TRANSIENT.has(requests[last].behaviour ?? '')
		);
	}).length;
	const stopped = exhausted >= MAX_CONSECUTIVE_EXHAUSTED_BATCHES;
	stats.exhaustedBatches += exhausted;
	if (stopped) stats.stoppedRuns++;
	if (sync) {
		// Request count: per phone and direction, ceil(users / batchSize) batches.
		for (const phone of [PHONE_A, PHONE_B]) {
			for (const method of ['POST', 'DELETE']) {
				const users = [...sentUsers.entries()].filter(
					([k, v]) => k.startsWith(`${phone} `) && v.method === method,
				).length;
				const batches = [...byBatch.keys()].filter((k) =>
					k.startsWith(`${method} ${phone} `),
				).length;
				check(
					batches <= Math.ceil(users / c.options.batchSize!),
					`${users} users to ${method} on ${phone} went out in ${batches} batches of at most ${c.options.batchSize}`,
				);
			}
		}
	}

	// ---- Whole-call failures, and Sync's refusal to empty a blocklist.
	const fatalRequests = requests.filter(
		(r) => r.status === 401 || (r.status === 404 && phoneOfPath(r.path) === PHONE_UNKNOWN),
	);
	const fatalHappened = fatalRequests.length > 0;
	const fatalPhones = new Set(fatalRequests.map((r) => phoneOfPath(r.path)));
	if (c.phoneMode !== 'wrongKey' && c.phoneMode !== 'unknown')
		check(!fatalHappened, 'A whole-call failure (401/404) happened but nothing could cause it');
	const refusal = new Map<string, 'expected' | 'possible'>();
	if (sync && c.options.unblockOthers && !c.options.allowEmptyBlocklist) {
		for (const phone of targeted) {
			// A given parent BSUID is a wanted user only when it is on the list (else it is refused, PARENT_BSUID).
			const given = [...(validOn.get(phone) ?? [])];
			const parents = given.filter(isParentBsuid);
			if (!complete(phone) || given.length > parents.length) continue;
			if (parents.some((p) => snaps(phone).every((s) => looselyOn(s, p)))) continue;
			const parentMaybeListed = parents.some((p) => snaps(phone).some((s) => looselyOn(s, p)));
			const sizes = snaps(phone).map((s) => s.size);
			if (sizes.every((n) => n === 0)) continue;
			refusal.set(
				phone,
				unknownOn.has(phone) || parentMaybeListed || sizes.some((n) => n === 0)
					? 'possible'
					: 'expected',
			);
		}
	}
	for (const phone of refusal.keys())
		check(
			!writes.some(({ r }) => phoneOfPath(r.path) === phone && r.method === 'DELETE') ||
				refusal.get(phone) === 'possible',
			`Sync unblocked users of ${phone} although no valid user was given for it and Allow Emptying the Blocklist is off`,
		);
	const refusalExpected = [...refusal.values()].includes('expected');

	countRequests(stats, world);
	stats.countPaging({ ...c.server, listShape: c.listShape });
	stats.usersSent += sentUsers.size;
	if (sync && c.options.dryRun) stats.dryRuns++;
	if (observed.raced) stats.racesBeforeWrite++;
	const expectedCounts = occurrenceCounts(c.items);
	countOccurrences(stats, c.items, expectedCounts);

	const error = result.error;
	const text = error ? `${error.message}\n${error.description ?? ''}` : '';
	if (badItem >= 0 && !c.continueOnFail) {
		check(
			error !== undefined,
			`The node did not throw, but item ${badItem + 1} has a bad phone number ID`,
		);
		check(
			namesItem(text, badItem) && /phone number ID/.test(text),
			`The error does not name item ${badItem + 1} and its phone number ID: ${short(text)}`,
		);
		stats.thrown++;
		return;
	}
	if (fatalHappened && !c.continueOnFail) {
		check(
			error !== undefined,
			`The node did not throw after a whole-call failure (${[...fatalPhones].join(', ')}: ${fatalRequests[0].status})`,
		);
		check(
			writes.length === 0,
			`Sync sent ${writes.length} POST/DELETE requests although a read failed as a whole (401/404)`,
		);
		checkErrorNamesCause(text, c.phoneMode, (item) => fatalPhones.has(phoneOfItem(c.items, item)!));
		stats.thrown++;
		return;
	}
	if (error !== undefined && !c.continueOnFail && refusal.size > 0) {
		check(
			/Allow Emptying the Blocklist/.test(text),
			`The refusal does not say to turn on "Allow Emptying the Blocklist": ${short(text)}`,
		);
		const phone = [...refusal.keys()].find((p) => text.includes(p));
		check(
			phone !== undefined,
			`The refusal names none of the phone number IDs it refuses (${[...refusal.keys()].join(', ')}): ${short(text)}`,
		);
		const sizes = new Set(snaps(phone).map((s) => String(s.size)));
		check(
			[...sizes].some((n) => new RegExp(`\\b${n} users\\b`).test(text)),
			`The refusal does not say how many users (${[...sizes].join(' or ')}) it would unblock: ${short(text)}`,
		);
		check(
			writes.length === 0,
			`Sync sent ${writes.length} POST/DELETE requests and then refused to empty a blocklist`,
		);
		stats.thrown++;
		stats.emptySyncsRefused++;
		return;
	}
	check(
		!refusalExpected || c.continueOnFail,
		`Sync did not refuse to empty the blocklist of ${[...refusal.keys()].join(', ')} (no valid user, Allow Emptying the Blocklist off)`,
	);
	check(
		error === undefined,
		`The node threw, but no whole-call failure was expected: ${short(error?.message)} ${short(error?.description)}`,
	);

	// Every phone number ID a valid occurrence (Check) or an item (Sync) targets was read.
	for (const phone of targeted) {
		const must = sync || (validOn.get(phone)?.size ?? 0) > 0;
		if (must) check(reads.has(phone), `${c.operation} never read the blocklist of ${phone}`);
	}

	// ---- Every occurrence exactly once, on a known output, paired to its item.
	check(
		result.outputs.length === 3,
		`Expected 3 outputs (${OUTPUTS[c.operation].join(', ')}), got ${result.outputs.length}`,
	);
	const perItem = c.items.map(() => [] as Out[]);
	const listItems: Out[] = [];
	result.outputs.forEach((list, output) => {
		for (const out of list) {
			const item = itemOf(out);
			check(
				item >= 0 && item < c.items.length,
				`An output item points at item ${item}, which does not exist`,
			);
			const json = out.json;
			const status = String(json.status);
			check(
				(STATUSES[c.operation][output] as readonly string[]).includes(status),
				`An item with status "${status}" on ${OUTPUTS[c.operation][output]}`,
			);
			stats.count(
				stats.statuses,
				`${c.operation} ${status}${json.input === null ? ' (listed user)' : ''}`,
			);
			if (json.input === null && sync) listItems.push({ out, output, used: false });
			else perItem[item].push({ out, output, used: false });
		}
	});
	checkExactlyOnce(perItem, expectedCounts, stats);
	for (const out of result.outputs[2])
		stats.count(stats.failureCodes, String(errorOf(out.json)?.code));
	stats.failed += result.outputs[2].length;
	stats.succeeded += result.outputs[0].length + result.outputs[1].length;

	// ---- Items are well formed.
	const wellFormed = ({ out, output }: Out, listed: boolean) => {
		const json = out.json as Record<string, unknown>;
		const what = `${OUTPUTS[c.operation][output]} item ${short(json)}`;
		for (const field of ['status', 'input', 'user', 'wa_id', 'user_id', 'phoneNumberId'])
			check(field in json, `${what} has no ${field}`);
		checkItemShape(json, what, output === 2, output !== 2 || listed);
		if (output !== 2 || listed)
			check(
				json.phoneNumberId === PHONE_A || json.phoneNumberId === PHONE_B,
				`${what} is for phone number ID ${short(json.phoneNumberId)}`,
			);
	};
	for (const outs of perItem) for (const o of outs) wellFormed(o, false);
	for (const o of listItems) wellFormed(o, true);

	// ---- Each entry came out as itself.
	const parsedUnknown = new Map<string, Set<string>>();
	c.items.forEach((item, i) => {
		const outs = perItem[i];
		if (item.users.entries.length === 0) {
			const code = errorOf(outs[0].out.json)?.code;
			check(
				outs[0].output === 2 && (code === 'NO_USERS' || code === REFUSED_CODE),
				`Item ${i + 1} has no users but got ${short(code ?? outs[0].out.json.status)}`,
			);
			return;
		}
		forEachEntry(item, outs, i, (entry, match, input) => {
			const json = match.out.json;
			const code = errorOf(json)?.code;
			const phone = phoneOfItem(c.items, i);
			if (item.phoneKind === 'bad')
				check(
					match.output === 2 && code === 'INVALID_PHONE_NUMBER_ID',
					`Item ${i + 1} has a bad phone number ID but ${short(input)} got ${short(code ?? json.status)}`,
				);
			else if (entry.kind === 'invalid') {
				check(
					match.output === 2,
					`The invalid entry ${short(input)} came out as ${short(json.status)}`,
				);
				check(
					code === 'INVALID_NUMBER' || code === REFUSED_CODE || !complete(phone!),
					`The invalid entry ${short(input)} got ${short(code)}`,
				);
				if (code === 'INVALID_NUMBER')
					check(
						namesItem(errorOf(json)?.message, i),
						`An INVALID_NUMBER message does not name item ${i + 1}`,
					);
			} else if (sync && entry.kind === 'valid' && isParentBsuid(entry.canonical!)) {
				// Sync never sends a parent BSUID: already blocked when the list holds it (by
				// user_id or as a listed user's parent_user_id), else refused with PARENT_BSUID.
				if (code === 'PARENT_BSUID') {
					check(
						match.output === 2 && json.user === null && json.user_id === entry.canonical,
						`The parent BSUID ${short(input)} came out as ${short(json)}`,
					);
					check(
						!complete(phone!) || snaps(phone!).some((s) => !looselyOn(s, entry.canonical!)),
						`The parent BSUID ${entry.canonical} was refused, but it was on the blocklist of ${phone} throughout the read`,
					);
					check(
						namesItem(errorOf(json)?.message, i),
						`A PARENT_BSUID message does not name item ${i + 1}`,
					);
					stats.parentBsuidsRefused++;
				} else if (code !== REFUSED_CODE) {
					check(
						json.user === entry.canonical &&
							json.status === 'already blocked' &&
							match.output === 1,
						`The parent BSUID ${short(input)} came out "${short(json.status)}" (${short(code)}) as ${short(json.user)}, neither already blocked nor PARENT_BSUID`,
					);
					check(
						json.phoneNumberId === phone,
						`${short(input)} went to phone number ID ${short(json.phoneNumberId)}, not ${phone}`,
					);
				}
			} else if (entry.kind === 'valid') {
				check(
					json.user === entry.canonical,
					`${short(input)} was read as ${short(json.user)}, not ${entry.canonical}`,
				);
				check(
					json.phoneNumberId === phone,
					`${short(input)} went to phone number ID ${short(json.phoneNumberId)}, not ${phone}`,
				);
			} else if (isUser(json.user) && phone !== undefined) {
				if (!parsedUnknown.has(phone)) parsedUnknown.set(phone, new Set());
				parsedUnknown.get(phone)!.add(json.user);
			}
		});
	});

	// ---- Each user's status is what the server's record supports.
	const readFailedMessage = (phone: string) =>
		`The blocklist of phone number ID ${phone} could not be read completely`;
	const fateOf = new Map<string, string>();
	for (const outs of perItem) {
		for (const { out, output } of outs) {
			const json = out.json as Record<string, unknown>;
			const err = errorOf(json);
			const code = err?.code;
			if (typeof json.phoneNumberId !== 'string') continue;
			const phone = json.phoneNumberId;
			if (!isUser(json.user)) {
				// Invalid entries and items without users: failed, and on a phone number ID whose
				// read failed they may carry the read's failure instead.
				check(output === 2, `An occurrence without a user came out as ${short(json.status)}`);
				continue;
			}
			const user = json.user;
			const userKey = `${phone} ${user}`;
			const fate = `${String(json.status)} ${output === 2 ? String(code) : ''}`;
			check(
				!fateOf.has(userKey) || fateOf.get(userKey) === fate,
				`${userKey} came out both as ${fateOf.get(userKey)} and ${fate}`,
			);
			fateOf.set(userKey, fate);
			if (!complete(phone)) {
				check(
					output === 2,
					`${userKey} came out "${String(json.status)}" although the read of its blocklist did not complete`,
				);
				check(
					String(err?.message).startsWith(readFailedMessage(phone)),
					`${userKey} failed with "${short(err?.message)}", not the failed read's message`,
				);
				const readCode = reads.get(phone)?.lastCode;
				// A page refused for its entries or its cursors fails the read even when the page
				// asked for meanwhile got an error of its own.
				const refusedPage =
					reads.get(phone)?.unknownEntry === true || c.server.cursorFault !== 'none';
				if (readCode !== undefined && readCode !== LIST_CHANGED && !refusedPage)
					check(
						code === readCode,
						`${userKey} failed with code ${short(code)}, but the read's last answer had code ${short(readCode)}`,
					);
				continue;
			}
			if (output === 2 && code === 'ECONNABORTED') {
				// The read's last page was answered after the client's timeout (a loaded machine).
				stats.clientTimeouts++;
				continue;
			}
			if (!sync) {
				check(
					output !== 2,
					`${userKey} failed (${short(code)}) although the read of its blocklist completed: ${short(err?.message)}`,
				);
				if (json.status === 'blocked') {
					check(
						possiblyOn(phone, user),
						`${userKey} reported blocked, but it was not on the blocklist during the read`,
					);
					check(
						json.block_reason === (c.listShape === 'provider' ? 'manual' : null),
						`${userKey} has block_reason ${short(json.block_reason)} for the ${c.listShape} list shape`,
					);
				} else
					check(
						possiblyOff(phone, user),
						`${userKey} reported not blocked, but it was on the blocklist throughout the read`,
					);
				continue;
			}
			checkSyncOccurrence(userKey, phone, user, String(json.status), output, code);
		}
	}

	function checkSyncOccurrence(
		userKey: string,
		phone: string,
		user: string,
		status: string,
		output: number,
		code: unknown,
	): void {
		const sent = sentUsers.get(userKey);
		const allowed = c.options.dryRun
			? ['would block', 'already blocked', 'failed']
			: ['blocked', 'already blocked', 'failed'];
		check(
			allowed.includes(status),
			`${userKey}, a wanted user, came out "${status}"${c.options.dryRun ? ' in a dry run' : ''}`,
		);
		if (c.options.dryRun) {
			check(output !== 2, `${userKey} failed (${short(code)}) in a dry run whose read completed`);
			check(
				status === 'would block' ? possiblyOff(phone, user) : possiblyOn(phone, user),
				`${userKey} reported "${status}" in a dry run, against the blocklist read`,
			);
			return;
		}
		if (sent === undefined) {
			if (output === 2) {
				check(
					code === 'NOT_SENT' && stopped,
					`${userKey} failed with ${short(code)} without being sent`,
				);
				return;
			}
			check(status === 'already blocked', `${userKey} reported "${status}" but was never sent`);
			check(
				possiblyOn(phone, user),
				`${userKey} reported already blocked without being sent, but it was not on the blocklist during the read`,
			);
			return;
		}
		check(sent.method === 'POST', `${userKey}, a wanted user, was sent in a ${sent.method}`);
		if (lateAnswers > 0) return;
		const last = sent.indexes[sent.indexes.length - 1];
		const verdict = verdictOf(world.answers.get(last), user, 'block');
		if (world.refused.has(last))
			check(
				output === 2 && code === 100,
				`${userKey}: its request was refused with code 100, but it came out "${status}"`,
			);
		if (status === 'blocked') {
			check(
				verdict.kind === 'ok',
				`${userKey} reported blocked, but the server's last answer for it says ${verdict.kind}`,
			);
			check(
				world.changes.get(last)?.added.includes(listKey(user)),
				`${userKey} reported blocked, but the request did not add it to the blocklist`,
			);
			check(
				sb.blocklist(phone).includes(listKey(user)),
				`${userKey} reported blocked, but it is not on the blocklist afterwards`,
			);
		} else if (status === 'already blocked') {
			check(
				verdict.kind === 'unchanged',
				`${userKey} was sent and reported already blocked, but the server's last answer says ${verdict.kind}`,
			);
			if (observed.raced?.user === user && observed.raced.phone === phone) stats.racedUnchanged++;
		} else checkFailedVerdict(userKey, code, verdict);
	}

	if (!sync) return;

	// ---- Sync: the users it blocked or unblocked, and the users it had to.
	const desiredOf = (phone: string) => desiredKeys(phone, parsedUnknown.get(phone) ?? []);
	for (const { r } of writes) {
		if (r.method !== 'DELETE') continue;
		const phone = phoneOfPath(r.path);
		for (const user of r.users ?? [])
			check(
				!desiredOf(phone).has(listKey(user)),
				`Sync unblocked ${user} on ${phone}, which an item asked for`,
			);
	}
	// A phone number ID where a given entry was refused (as its occurrences came out): no unblock
	// there, unless Unblock Others Despite Refused Users.
	const refusedOn = (phone: string) =>
		perItem.some(
			(outs, i) =>
				phoneOfItem(c.items, i) === phone &&
				outs.some((o) => REFUSING_CODES.has(String(errorOf(o.out.json)?.code))),
		);
	const withheldOn = (phone: string) =>
		c.options.unblockOthers === true && !c.options.unblockDespiteRefused && refusedOn(phone);
	/** Whether a wanted number (bsuid false) or non-parent BSUID (true) of `phone` is off the list: in every state of the read, none, or maybe. */
	const unlisted = (phone: string, bsuid: boolean): 'yes' | 'no' | 'maybe' => {
		const wanted = [...(validOn.get(phone) ?? []), ...(parsedUnknown.get(phone) ?? [])].filter(
			(u) => !isParentBsuid(u) && isBsuidUser(u) === bsuid,
		);
		if (wanted.some((u) => snaps(phone).every((s) => !strictlyOn(s, u)))) return 'yes';
		return wanted.every((u) => snaps(phone).every((s) => strictlyOn(s, u))) ? 'no' : 'maybe';
	};
	for (const phone of targeted) {
		if (withheldOn(phone))
			check(
				!writes.some(({ r }) => r.method === 'DELETE' && phoneOfPath(r.path) === phone),
				`Sync unblocked users of ${phone} although a given entry there was refused and Unblock Others Despite Refused Users is off`,
			);
	}
	const listedSeen = new Set<string>();
	for (const { out, output } of listItems) {
		const json = out.json as Record<string, unknown>;
		const phone = String(json.phoneNumberId);
		const user = String(json.user);
		const userKey = `${phone} ${user}`;
		const status = String(json.status);
		const firstItem = c.items.findIndex((_, i) => phoneOfItem(c.items, i) === phone);
		check(
			itemOf(out) === firstItem,
			`The listed user ${userKey} is paired to item ${itemOf(out) + 1}, not to item ${firstItem + 1} (the first targeting ${phone})`,
		);
		check(!listedSeen.has(userKey), `The listed user ${userKey} came out twice`);
		listedSeen.add(userKey);
		check(c.options.unblockOthers, `A listed user ${userKey} came out without Unblock Others`);
		check(
			complete(phone),
			`A listed user ${userKey} came out although the read of ${phone} did not complete`,
		);
		check(
			!desiredOf(phone).has(listKey(user)),
			`${userKey}, a wanted user, came out as a listed user to unblock ("${status}")`,
		);
		check(
			everListed(phone).has(listKey(user)),
			`${userKey} came out as a listed user but was not on the blocklist during the read`,
		);
		check(
			!(
				c.parentUserIds &&
				!isParentBsuid(user) &&
				isBsuidUser(user) &&
				desiredOf(phone).has(user.replace('.', '.ENT.')) &&
				snaps(phone).every((s) => s.has(user))
			),
			`${userKey}, whose parent BSUID an item asks for, came out as a listed user to unblock ("${status}")`,
		);
		const sent = sentUsers.get(userKey);
		const code = errorOf(json)?.code;
		// Kept: known to the list by one kind of ID only, while a wanted user of the other kind is not on it.
		const mayBeKept = unlisted(phone, !isBsuidUser(user));
		if (status === 'kept') {
			check(
				output === 1 && sent === undefined,
				`The kept user ${userKey} came out on output ${output}${sent ? ', and was sent' : ''}`,
			);
			check(
				!withheldOn(phone),
				`${userKey} was kept, but every unblock of ${phone} is withheld (a given entry was refused)`,
			);
			check(
				mayBeKept !== 'no',
				`${userKey} was kept, but every wanted ${isBsuidUser(user) ? 'number' : 'BSUID'} of ${phone} was on the list throughout the read`,
			);
			check(
				typeof json.reason === 'string' && json.reason.trim() !== '',
				`The kept user ${userKey} has no reason`,
			);
			continue;
		}
		if (code === WITHHELD_CODE) {
			check(
				output === 2 && status === 'failed' && sent === undefined,
				`The withheld user ${userKey} came out "${status}" on output ${output}${sent ? ', and was sent' : ''}`,
			);
			stats.withheld++;
			check(
				withheldOn(phone),
				`${userKey} was withheld, but no given entry of ${phone} was refused (or Unblock Others Despite Refused Users is on)`,
			);
			check(
				/Unblock Others Despite Refused Users/.test(String(errorOf(json)?.message)) &&
					/\bitem \d+\b/.test(String(errorOf(json)?.message)),
				`The withheld user ${userKey} has the message ${short(errorOf(json)?.message)}`,
			);
			continue;
		}
		check(
			!withheldOn(phone),
			`The listed user ${userKey} came out "${status}", but a given entry of ${phone} was refused and Unblock Others Despite Refused Users is off: it must be withheld`,
		);
		if (isParentBsuid(user)) {
			// A listed parent BSUID nobody asked for cannot be unblocked (WhatsApp refuses the whole request): never sent, on Failed.
			check(
				output === 2 && code === 'PARENT_BSUID' && sent === undefined,
				`The listed parent BSUID ${userKey} came out "${status}" (${short(code)})${sent ? ', and was sent' : ''}: it cannot be unblocked, so it must fail with PARENT_BSUID unsent`,
			);
			continue;
		}
		check(
			mayBeKept !== 'yes',
			`The listed user ${userKey} came out "${status}", but it is known only by ${isBsuidUser(user) ? 'a BSUID' : 'a number'} and a wanted ${isBsuidUser(user) ? 'number' : 'BSUID'} of ${phone} is not on the list: it must be kept`,
		);
		if (!c.options.dryRun)
			check(
				['unblocked', 'not blocked', 'failed'].includes(status),
				`The listed user ${userKey} came out "${status}" outside a dry run`,
			);
		if (c.options.dryRun) {
			check(
				status === 'would unblock',
				`The listed user ${userKey} came out "${status}" in a dry run`,
			);
			continue;
		}
		if (sent === undefined) {
			const code = errorOf(json)?.code;
			check(
				output === 2 && code === 'NOT_SENT' && stopped,
				`The listed user ${userKey} came out "${status}" (${short(code)}) but was never unblocked`,
			);
			continue;
		}
		check(sent.method === 'DELETE', `The listed user ${userKey} was sent in a ${sent.method}`);
		if (lateAnswers > 0) continue;
		const last = sent.indexes[sent.indexes.length - 1];
		const verdict = verdictOf(world.answers.get(last), user, 'unblock');
		if (status === 'unblocked') {
			check(
				verdict.kind === 'ok',
				`${userKey} reported unblocked, but the server's last answer for it says ${verdict.kind}`,
			);
			check(
				world.changes.get(last)?.removed.includes(listKey(user)),
				`${userKey} reported unblocked, but the request did not remove it from the blocklist`,
			);
		} else if (status === 'not blocked') {
			check(
				verdict.kind === 'unchanged',
				`${userKey} reported not blocked, but the server's last answer says ${verdict.kind}`,
			);
			if (observed.raced?.user === user) stats.racedUnchanged++;
		} else if (errorOf(json)?.code !== 'ECONNABORTED')
			check(
				verdict.kind !== 'ok' && verdict.kind !== 'unchanged',
				`${userKey} reported failed, but the server said ${verdict.kind}`,
			);
	}
	stats.listItems += listItems.length;
	// Every user sent in a DELETE came out (as a listed user) exactly once.
	for (const [userKey, sent] of sentUsers)
		if (sent.method === 'DELETE')
			check(listedSeen.has(userKey), `${userKey} was unblocked but came out nowhere`);

	// A phone number ID whose last page the server answered after the client's timeout had
	// fired (a loaded machine): the node rightly saw a failed read.
	const timedOut = new Set(
		perItem
			.flatMap((outs) => outs.map((o) => o.out.json))
			.filter(
				(json) =>
					errorOf(json)?.code === 'ECONNABORTED' &&
					String(errorOf(json)?.message).startsWith(readFailedMessage(String(json.phoneNumberId))),
			)
			.map((json) => String(json.phoneNumberId)),
	);
	for (const phone of targeted) {
		if (!complete(phone) || timedOut.has(phone)) continue;
		const refused = refusal.has(phone) && c.continueOnFail && refusal.get(phone) === 'expected';
		const codes = perItem.flatMap((outs, i) =>
			phoneOfItem(c.items, i) === phone ? outs.map((o) => errorOf(o.out.json)?.code) : [],
		);
		if (refused) {
			check(
				codes.includes(REFUSED_CODE),
				`${phone} was refused as an empty sync, but none of its occurrences says ${REFUSED_CODE}`,
			);
			check(
				!writes.some(({ r }) => phoneOfPath(r.path) === phone),
				`${phone} was refused as an empty sync but got writes`,
			);
			stats.emptySyncsRefused++;
			continue;
		}
		if (refusal.has(phone)) continue;
		// Users that had to be blocked: wanted and off the blocklist throughout the read.
		for (const user of validOn.get(phone) ?? []) {
			if (possiblyOn(phone, user) || isParentBsuid(user)) continue;
			const fate = fateOf.get(`${phone} ${user}`) ?? '';
			if (c.options.dryRun)
				check(
					fate.startsWith('would block'),
					`${phone} ${user} was not on the blocklist, but the dry run says "${fate}"`,
				);
			else if (!stopped)
				check(
					sentUsers.has(`${phone} ${user}`),
					`${phone} ${user} was wanted and not on the blocklist, but Sync never blocked it`,
				);
		}
		if (!c.options.unblockOthers) continue;
		// Users that had to be unblocked: on the blocklist throughout the read, wanted by nobody.
		const wanted = desiredOf(phone);
		for (const k of alwaysListed(phone)) {
			const parentWanted =
				c.parentUserIds && BSUID.test(k) && !PARENT.test(k) && wanted.has(k.replace('.', '.ENT.'));
			if (wanted.has(k) || parentWanted) continue;
			const user = BSUID.test(k) ? k : `+${k}`;
			if (
				observed.raced?.phone === phone &&
				observed.raced.method === 'POST' &&
				listKey(observed.raced.user) === k
			)
				continue;
			check(
				listedSeen.has(`${phone} ${user}`),
				`${phone} ${user} was on the blocklist and wanted by nobody, but Sync did not ${c.options.dryRun ? 'plan to unblock' : 'unblock'} it`,
			);
		}
	}
}
