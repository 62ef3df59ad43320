/**
 * The Blocklist Trigger's property: random sequences of blocklist changes and polls, some of
 * which fail (a server error on a chosen page, the list changing while paged, a rejected
 * key, a broken answer), some restarted by n8n in between, through n8n-core's poll context
 * against the sandbox. After each poll the emitted events are checked against what the
 * sandbox held (never against what the node saved): a complete read emits exactly the
 * changes since the last complete read, of the chosen kinds; a failed poll emits nothing,
 * throws without the key and leaves the saved state as it was. Over a run with both kinds
 * chosen, the events applied to the first state give exactly the last state.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { BlocklistEvent } from '../../../nodes/WhatsApp/trigger/events';
import { TriggerHarness } from '../../harness/pollNode';
import { isBsuid } from '../../../nodes/WhatsApp/users/bsuid';
import type { Behaviour, Sandbox } from '../../../sandbox/server';
import type { LogCapture } from './logs';
import { Stats } from './stats';

export const PN = '100000000000001';
const REASONS = ['manual', 'spam', 'abuse'] as const;

export type Fault =
	| { kind: 'none' }
	/** GET number `onGet` of the poll (1-based, retries count) answers 500. */
	| { kind: 'serverError'; onGet: number }
	/** GET number `onGet` answers 200 with a broken JSON body. */
	| { kind: 'malformed'; onGet: number }
	/** The first `times` GETs answer 139102 (the read restarts; more than 3 times fails it). */
	| { kind: 'listChanged'; times: number }
	/** Just before GET number `onGet` the blocklist becomes `list` (cursors then answer 139102). */
	| { kind: 'midRead'; onGet: number; list: string[] }
	/** The key is refused (401) for this poll. */
	| { kind: 'keyRejected' }
	/**
	 * GET number `onGet` gets an answer that is no page: an error envelope in a 200 (130429 is
	 * retried, 131000 and 100 are not), `{}`, `[]`, HTML (retried like broken JSON), paging
	 * without data, or a page with an entry no shape knows.
	 */
	| { kind: 'anomaly'; onGet: number; behaviour: Behaviour }
	/** For this poll the cursors never lead to the end (see the sandbox's `cursorFault`). */
	| { kind: 'cursor'; fault: 'ignoreAfter' | 'cycle' | 'freshCycle' };

export interface PollStep {
	/** The blocklist as it is when the poll starts (sandbox order). */
	list: string[];
	reasons: Record<string, string>;
	fault: Fault;
	/** n8n restarts before this poll (the workflow comes back from what it saved). */
	restart: boolean;
}

export interface TriggerCase {
	events: BlocklistEvent[];
	maxRetries: 0 | 1;
	/** The most entries a page holds (the sandbox's maxPageSize): the node asks for 1,000. */
	pageSize: number;
	listShape: 'provider' | 'meta' | 'grouped';
	/** Graph-style paging: `after` on the last page too, only `paging.next` marks the end. */
	paging: 'provider' | 'graph';
	/** The largest `limit` the server takes: the node steps down 1000 -> 100 -> 10, below 10 every poll fails. */
	maxLimit: number;
	steps: PollStep[];
}

const numberKey = fc
	.integer({ min: 0, max: 99 })
	.map((n) => `9198000000${String(n).padStart(2, '0')}`);
/** BSUIDs by Meta's grammar (2026-06-29): mostly digits, now and then letters and digits, case kept. */
const bsuidKey = fc
	.integer({ min: 1, max: 40 })
	.map((n) =>
		n % 4 === 0
			? `BR.aZ09${n}xY${'q'.repeat(n)}`
			: `US.1349120865530274${String(n).padStart(4, '0')}`,
	);
const poolArb = fc.uniqueArray(
	fc.oneof({ weight: 3, arbitrary: numberKey }, { weight: 1, arbitrary: bsuidKey }),
	{ minLength: 1, maxLength: 24 },
);

/** A fault on GET number 1 to 5 of a poll. */
const onGet = <K extends 'serverError' | 'malformed'>(kind: K) =>
	fc.integer({ min: 1, max: 5 }).map((onGet) => ({ kind, onGet }));

function stepArb(pool: string[]): fc.Arbitrary<PollStep> {
	const list = fc.shuffledSubarray(pool);
	const fault: fc.Arbitrary<Fault> = fc.oneof(
		{ weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
		{ weight: 2, arbitrary: onGet('serverError') },
		{ weight: 1, arbitrary: onGet('malformed') },
		{
			weight: 2,
			arbitrary: fc
				.integer({ min: 1, max: 4 })
				.map((times) => ({ kind: 'listChanged' as const, times })),
		},
		{
			weight: 2,
			arbitrary: fc.record({
				kind: fc.constant('midRead' as const),
				onGet: fc.integer({ min: 2, max: 4 }),
				list,
			}),
		},
		{ weight: 1, arbitrary: fc.constant({ kind: 'keyRejected' as const }) },
		{
			weight: 3,
			arbitrary: fc.record({
				kind: fc.constant('anomaly' as const),
				onGet: fc.integer({ min: 1, max: 5 }),
				behaviour: fc.constantFrom<Behaviour>(
					...[130429, 131000, 100].map((code) => ({ kind: 'errorIn200' as const, code })),
					...(['object', 'array', 'html', 'noData'] as const).map((body) => ({
						kind: 'bogus200' as const,
						body,
					})),
					{ kind: 'unknownEntry' },
				),
			}),
		},
		{
			weight: 1,
			arbitrary: fc
				.constantFrom('ignoreAfter' as const, 'cycle' as const, 'freshCycle' as const)
				.map((cursor) => ({ kind: 'cursor' as const, fault: cursor })),
		},
	);
	const reasons = fc
		.array(fc.tuple(fc.constantFrom(...pool), fc.constantFrom(...REASONS)))
		.map((pairs) => Object.fromEntries(pairs));
	return fc.record({
		list,
		reasons,
		fault,
		restart: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
	});
}

export const triggerCaseArb: fc.Arbitrary<TriggerCase> = poolArb.chain((pool) =>
	fc.record({
		events: fc.constantFrom<BlocklistEvent[]>(
			['blocked', 'unblocked'],
			['blocked', 'unblocked'],
			['blocked'],
			['unblocked'],
		),
		maxRetries: fc.constantFrom<0 | 1>(0, 1),
		pageSize: fc.integer({ min: 1, max: 7 }),
		listShape: fc.constantFrom<TriggerCase['listShape']>('provider', 'provider', 'meta', 'grouped'),
		paging: fc.constantFrom<TriggerCase['paging']>('provider', 'graph'),
		maxLimit: fc.oneof(
			{ weight: 6, arbitrary: fc.constant(1000) },
			{ weight: 3, arbitrary: fc.constantFrom(500, 100, 50, 10) },
			{ weight: 1, arbitrary: fc.constant(5) },
		),
		steps: fc.array(stepArb(pool), { minLength: 2, maxLength: 8 }),
	}),
);

export class TriggerStats extends Stats {
	polls = 0;
	failedPolls = 0;
	baselines = 0;
	restarts = 0;
	blockedEvents = 0;
	unblockedEvents = 0;
	/** Changes of a kind not chosen under Events: recorded, not emitted. */
	filteredChanges = 0;
	gets = 0;
	/** Polls whose read restarted because the list changed while it was paged. */
	restartedReads = 0;
	faults: Record<string, number> = {};
}

/** A listed user as the model knows them: the key and its block reason when last read. */
type Model = Map<string, string | null>;

function listed(sb: Sandbox, shape: TriggerCase['listShape']): Model {
	const reasons = sb.config.blockReasons;
	return new Map(
		sb.blocklist(PN).map((key) => [key, shape === 'provider' ? (reasons[key] ?? 'manual') : null]),
	);
}

/** The script of one poll's faults, applied by the sandbox hook to the poll's GETs. */
function applyFault(
	sb: Sandbox,
	fault: Fault,
	maxGets: number,
): { gets: () => number; overBudget: () => boolean } {
	let gets = 0;
	sb.behaviour = (req) => {
		if (req.method !== 'GET') return undefined;
		gets++;
		// A reader going round in circles is stopped here (and the poll then fails the check).
		if (gets > maxGets) return { kind: 'errorIn200', code: 131000 };
		if (fault.kind === 'anomaly' && gets === fault.onGet) return fault.behaviour;
		if (fault.kind === 'serverError' && gets === fault.onGet) return { kind: 'serverError' };
		if (fault.kind === 'malformed' && gets === fault.onGet) return { kind: 'malformed' };
		if (fault.kind === 'listChanged' && gets <= fault.times) return { kind: 'listChanged' };
		if (fault.kind === 'midRead' && gets === fault.onGet) sb.setBlocklist(PN, fault.list);
		return undefined;
	};
	if (fault.kind === 'keyRejected') sb.config.apiKey = 'sk_someone_else_entirely';
	if (fault.kind === 'cursor') sb.config.cursorFault = fault.fault;
	return { gets: () => gets, overBudget: () => gets > maxGets };
}

/**
 * The GETs a clean poll of `list` takes: the page sizes the server refuses (1,000, then 100,
 * then 10, each one GET), then the pages; Graph-style paging takes one more GET when the only
 * page has an `after` cursor but no `paging.next` (the node cannot yet tell the server uses it).
 */
export function cleanGets(
	c: TriggerCase,
	list: readonly string[],
): { refused: number; pages: number; total: number } {
	const refused = [1000, 100, 10].filter((size) => size > c.maxLimit).length;
	const pages = Math.max(1, Math.ceil(list.length / c.pageSize));
	const extra =
		c.paging === 'graph' && c.listShape !== 'grouped' && pages === 1 && list.length > 0 ? 1 : 0;
	return { refused, pages: pages + extra, total: refused + pages + extra };
}

const RETRIED: ReadonlyArray<(b: Behaviour) => boolean> = [
	(b) => b.kind === 'errorIn200' && b.code === 130429,
	(b) => b.kind === 'bogus200' && b.body === 'html',
];

/** Whether the poll must fail: the fault hits a request the read cannot do without. */
function mustFail(c: TriggerCase, step: PollStep): boolean {
	const { refused, total } = cleanGets(c, step.list);
	const { fault } = step;
	if (fault.kind === 'keyRejected') return true;
	if (fault.kind === 'cursor' && fault.fault === 'ignoreAfter') {
		// A proxy dropping the query string answers the first page (no limit asked, so none
		// refused) to every GET: the read ends only when that page is the whole list and says so.
		const onePageEnds =
			step.list.length <= c.pageSize &&
			!(c.paging === 'graph' && c.listShape !== 'grouped' && step.list.length > 0);
		return !onePageEnds;
	}
	if (refused === 3) return true;
	if (fault.kind === 'listChanged') return fault.times > 3;
	if (fault.kind === 'serverError' || fault.kind === 'malformed')
		return c.maxRetries === 0 && fault.onGet <= total;
	if (fault.kind === 'anomaly') {
		if (fault.behaviour.kind === 'unknownEntry')
			return fault.onGet > refused && fault.onGet <= total;
		return (
			fault.onGet <= total &&
			(c.maxRetries === 0 || !RETRIED.some((retried) => retried(fault.behaviour)))
		);
	}
	if (fault.kind === 'cursor') return step.list.length > 0;
	return false;
}

function expectFailed(
	c: TriggerCase,
	step: PollStep,
	result: Awaited<ReturnType<TriggerHarness['poll']>>,
	before: unknown,
	t: TriggerHarness,
	key: string,
): void {
	if (result.error === undefined)
		throw new Error(
			`poll with ${JSON.stringify(step.fault)} succeeded; it must fail (pageSize ${c.pageSize}, ${step.list.length} listed)`,
		);
	expect(result.items).toBeNull();
	expect(t.staticData.blocklist).toBe(before);
	expect(
		`${result.error.message} ${result.error.description ?? ''} ${JSON.stringify(result.error)}`,
	).not.toContain(key);
}

/** The events a complete read must emit: every change since the model, of the chosen kinds. */
function expectEvents(
	c: TriggerCase,
	items: IDataObject[] | null,
	model: Model,
	now: Model,
	order: string[],
	stats: TriggerStats,
): void {
	const blocked = order.filter((key) => !model.has(key));
	const unblocked = [...model.keys()].filter((key) => !now.has(key));
	const want = (event: BlocklistEvent) => c.events.includes(event);
	stats.filteredChanges +=
		(want('blocked') ? 0 : blocked.length) + (want('unblocked') ? 0 : unblocked.length);
	const emitted = items ?? [];
	if (emitted.length === 0) expect(items).toBeNull();
	const ids = (key: string) =>
		isBsuid(key) ? { wa_id: null, user_id: key } : { wa_id: key, user_id: null };
	const event = (kind: BlocklistEvent, key: string, reason: string | null | undefined) => ({
		event: kind,
		user: key,
		...ids(key),
		block_reason: reason ?? null,
		phoneNumberId: PN,
	});
	const strip = (item: IDataObject) => {
		expect(item.detectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		const { detectedAt: _at, ...rest } = item;
		return rest;
	};
	const gotBlocked = emitted.filter((i) => i.event === 'blocked').map(strip);
	const gotUnblocked = emitted.filter((i) => i.event === 'unblocked').map(strip);
	expect(emitted.map((i) => i.event)).toEqual([
		...gotBlocked.map(() => 'blocked'),
		...gotUnblocked.map(() => 'unblocked'),
	]);
	expect(gotBlocked).toEqual(
		want('blocked') ? blocked.map((key) => event('blocked', key, now.get(key))) : [],
	);
	const byUser = (a: IDataObject, b: IDataObject) => String(a.user).localeCompare(String(b.user));
	expect([...gotUnblocked].sort(byUser)).toEqual(
		want('unblocked')
			? unblocked.map((key) => event('unblocked', key, model.get(key))).sort(byUser)
			: [],
	);
	stats.blockedEvents += gotBlocked.length;
	stats.unblockedEvents += gotUnblocked.length;
}

/** Runs one case: every poll checked against the sandbox, the whole sequence at the end. */
export async function runTriggerCase(
	sb: Sandbox,
	c: TriggerCase,
	stats: TriggerStats,
	logs: LogCapture,
): Promise<void> {
	sb.reset();
	sb.behaviour = undefined;
	Object.assign(sb.config, {
		strictCursors: true,
		maxPageSize: c.pageSize,
		listShape: c.listShape,
		paging: c.paging,
		maxLimit: c.maxLimit,
	});
	stats.countPaging({
		paging: c.paging,
		listShape: c.listShape,
		maxLimit: c.maxLimit,
		maxPageSize: c.pageSize,
	});
	const key = sb.apiKey;
	const credentials = { apiKey: key, baseUrl: sb.url, phoneNumberId: PN, apiVersion: 'v25.0' };
	const t = new TriggerHarness(
		{ events: c.events, options: { maxRetries: c.maxRetries, retryDelay: 1 } },
		credentials,
	);
	logs.clear();
	stats.runs++;

	let model: Model | undefined;
	let saved: Model | undefined;
	/** The first complete read with every emitted event applied to it. */
	let replay: Set<string> | undefined;
	for (const step of c.steps) {
		sb.setBlocklist(PN, step.list);
		sb.config.blockReasons = step.reasons;
		if (step.restart && model !== undefined) {
			t.restart();
			model = saved;
			stats.restarts++;
		}
		const clean = cleanGets(c, step.list);
		const maxGets = (clean.total + 3) * (c.maxRetries + 1) * 5 + 10;
		const { gets, overBudget } = applyFault(sb, step.fault, maxGets);
		const before = t.staticData.blocklist;
		const result = await t.poll();
		sb.behaviour = undefined;
		sb.config.apiKey = key;
		sb.config.cursorFault = 'none';
		stats.polls++;
		stats.gets += gets();
		const { fault } = step;
		stats.count(
			stats.faults,
			fault.kind === 'anomaly'
				? `${fault.behaviour.kind} ${JSON.stringify(fault.behaviour).replace(/.*"(code|body)":("?[^"}]+"?)}/, '$2')}`
				: fault.kind === 'cursor'
					? fault.fault
					: fault.kind,
		);
		if (overBudget())
			throw new Error(
				`poll with ${JSON.stringify(fault)} sent ${gets()} GETs (a clean read takes ${clean.total}): its read went round in circles`,
			);
		// A clean poll takes exactly the GETs it needs: no GET past the end (Graph-style paging).
		if (fault.kind === 'none' && clean.refused < 3 && gets() !== clean.total) {
			throw new Error(
				`a clean poll of ${step.list.length} users in pages of ${c.pageSize} (${c.paging} paging, ${c.listShape} shape, maxLimit ${c.maxLimit}) sent ${gets()} GETs, not ${clean.total}`,
			);
		}
		if (mustFail(c, step)) {
			expectFailed(c, step, result, before, t, key);
			stats.failedPolls++;
			continue;
		}
		if (result.error !== undefined)
			throw new Error(`poll with ${JSON.stringify(step.fault)} failed: ${result.error.message}`);
		if (step.fault.kind === 'midRead' && gets() > step.fault.onGet) stats.restartedReads++;
		const now = listed(sb, c.listShape);
		if (model === undefined || replay === undefined) {
			expect(result.items).toBeNull();
			stats.baselines++;
			replay = new Set(now.keys());
		} else {
			expectEvents(c, result.items, model, now, sb.blocklist(PN), stats);
			if (c.events.length === 2) for (const item of result.items ?? []) replayEvent(replay, item);
		}
		model = now;
		if (result.items !== null || saved === undefined) saved = now;
	}
	if (c.events.length === 2 && replay !== undefined && model !== undefined) {
		expect([...replay].sort()).toEqual([...model.keys()].sort());
	}
	expect(logs.lines.join('\n')).not.toContain(key);
}

/** Applies one event to the replayed list: a user is blocked only when absent, unblocked only when present. */
function replayEvent(replay: Set<string>, item: IDataObject): void {
	const user = String(item.user);
	if (item.event === 'blocked') {
		if (replay.has(user))
			throw new Error(`${user} reported blocked twice without an unblock between`);
		replay.add(user);
	} else {
		if (!replay.has(user)) throw new Error(`${user} reported unblocked while not blocked`);
		replay.delete(user);
	}
}
