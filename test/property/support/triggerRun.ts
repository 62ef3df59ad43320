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

import type { BlocklistEvent } from '../../../nodes/WhatsAppBlocklistTrigger/changes';
import { TriggerHarness } from '../../../scripts/n8n/pollNode';
import { isBsuid } from '../../../nodes/WhatsAppBlockUsers/helpers/bsuid';
import type { Sandbox } from '../../../sandbox/server';
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
	| { kind: 'keyRejected' };

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
	pageSize: number;
	listShape: 'provider' | 'meta';
	steps: PollStep[];
}

const numberKey = fc.integer({ min: 0, max: 99 }).map((n) => `9198000000${String(n).padStart(2, '0')}`);
const bsuidKey = fc.integer({ min: 1, max: 40 }).map((n) => `US.1349120865530274${String(n).padStart(4, '0')}`);
const poolArb = fc.uniqueArray(fc.oneof({ weight: 3, arbitrary: numberKey }, { weight: 1, arbitrary: bsuidKey }), { minLength: 1, maxLength: 24 });

function stepArb(pool: string[]): fc.Arbitrary<PollStep> {
	const list = fc.shuffledSubarray(pool);
	const fault: fc.Arbitrary<Fault> = fc.oneof(
		{ weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
		{ weight: 2, arbitrary: fc.integer({ min: 1, max: 5 }).map((onGet) => ({ kind: 'serverError' as const, onGet })) },
		{ weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map((onGet) => ({ kind: 'malformed' as const, onGet })) },
		{ weight: 2, arbitrary: fc.integer({ min: 1, max: 4 }).map((times) => ({ kind: 'listChanged' as const, times })) },
		{ weight: 2, arbitrary: fc.record({ kind: fc.constant('midRead' as const), onGet: fc.integer({ min: 2, max: 4 }), list }) },
		{ weight: 1, arbitrary: fc.constant({ kind: 'keyRejected' as const }) },
	);
	const reasons = fc.array(fc.tuple(fc.constantFrom(...pool), fc.constantFrom(...REASONS))).map((pairs) => Object.fromEntries(pairs));
	return fc.record({ list, reasons, fault, restart: fc.integer({ min: 0, max: 4 }).map((n) => n === 0) });
}

export const triggerCaseArb: fc.Arbitrary<TriggerCase> = poolArb.chain((pool) =>
	fc.record({
		events: fc.constantFrom<BlocklistEvent[]>(['blocked', 'unblocked'], ['blocked', 'unblocked'], ['blocked'], ['unblocked']),
		maxRetries: fc.constantFrom<0 | 1>(0, 1),
		pageSize: fc.integer({ min: 1, max: 7 }),
		listShape: fc.constantFrom<'provider' | 'meta'>('provider', 'provider', 'meta'),
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
	return new Map(sb.blocklist(PN).map((key) => [key, shape === 'meta' ? null : (reasons[key] ?? 'manual')]));
}

/** The script of one poll's faults, applied by the sandbox hook to the poll's GETs. */
function applyFault(sb: Sandbox, fault: Fault): () => number {
	let gets = 0;
	sb.behaviour = (req) => {
		if (req.method !== 'GET') return undefined;
		gets++;
		if (fault.kind === 'serverError' && gets === fault.onGet) return { kind: 'serverError' };
		if (fault.kind === 'malformed' && gets === fault.onGet) return { kind: 'malformed' };
		if (fault.kind === 'listChanged' && gets <= fault.times) return { kind: 'listChanged' };
		if (fault.kind === 'midRead' && gets === fault.onGet) sb.setBlocklist(PN, fault.list);
		return undefined;
	};
	if (fault.kind === 'keyRejected') sb.config.apiKey = 'sk_someone_else_entirely';
	return () => gets;
}

/** Whether the poll must fail: the fault hits a request the read cannot do without. */
function mustFail(c: TriggerCase, step: PollStep): boolean {
	const pages = Math.max(1, Math.ceil(step.list.length / c.pageSize));
	const { fault } = step;
	if (fault.kind === 'keyRejected') return true;
	if (fault.kind === 'listChanged') return fault.times > 3;
	if (fault.kind === 'serverError' || fault.kind === 'malformed') return c.maxRetries === 0 && fault.onGet <= pages;
	return false;
}

function expectFailed(c: TriggerCase, step: PollStep, result: Awaited<ReturnType<TriggerHarness['poll']>>, before: unknown, t: TriggerHarness, key: string): void {
	if (result.error === undefined) throw new Error(`poll with ${JSON.stringify(step.fault)} succeeded; it must fail (pageSize ${c.pageSize}, ${step.list.length} listed)`);
	expect(result.items).toBeNull();
	expect(t.staticData.blocklist).toBe(before);
	expect(`${result.error.message} ${result.error.description ?? ''} ${JSON.stringify(result.error)}`).not.toContain(key);
}

/** The events a complete read must emit: every change since the model, of the chosen kinds. */
function expectEvents(c: TriggerCase, items: IDataObject[] | null, model: Model, now: Model, order: string[], stats: TriggerStats): void {
	const blocked = order.filter((key) => !model.has(key));
	const unblocked = [...model.keys()].filter((key) => !now.has(key));
	const want = (event: BlocklistEvent) => c.events.includes(event);
	stats.filteredChanges += (want('blocked') ? 0 : blocked.length) + (want('unblocked') ? 0 : unblocked.length);
	const emitted = items ?? [];
	if (emitted.length === 0) expect(items).toBeNull();
	const ids = (key: string) => (isBsuid(key) ? { wa_id: null, user_id: key } : { wa_id: key, user_id: null });
	const event = (kind: BlocklistEvent, key: string, reason: string | null | undefined) => ({ event: kind, user: key, ...ids(key), block_reason: reason ?? null, phoneNumberId: PN });
	const strip = (item: IDataObject) => {
		expect(item.detectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		const { detectedAt: _at, ...rest } = item;
		return rest;
	};
	const gotBlocked = emitted.filter((i) => i.event === 'blocked').map(strip);
	const gotUnblocked = emitted.filter((i) => i.event === 'unblocked').map(strip);
	expect(emitted.map((i) => i.event)).toEqual([...gotBlocked.map(() => 'blocked'), ...gotUnblocked.map(() => 'unblocked')]);
	expect(gotBlocked).toEqual(want('blocked') ? blocked.map((key) => event('blocked', key, now.get(key))) : []);
	const byUser = (a: IDataObject, b: IDataObject) => String(a.user).localeCompare(String(b.user));
	expect([...gotUnblocked].sort(byUser)).toEqual(want('unblocked') ? unblocked.map((key) => event('unblocked', key, model.get(key))).sort(byUser) : []);
	stats.blockedEvents += gotBlocked.length;
	stats.unblockedEvents += gotUnblocked.length;
}

/** Runs one case: every poll checked against the sandbox, the whole sequence at the end. */
export async function runTriggerCase(sb: Sandbox, c: TriggerCase, stats: TriggerStats, logs: LogCapture): Promise<void> {
	sb.reset();
	sb.behaviour = undefined;
	Object.assign(sb.config, { strictCursors: true, maxPageSize: c.pageSize, listShape: c.listShape });
	const key = sb.apiKey;
	const credentials = { apiKey: key, baseUrl: sb.url, phoneNumberId: PN, apiVersion: 'v25.0' };
	const t = new TriggerHarness({ events: c.events, options: { maxRetries: c.maxRetries, retryDelay: 1 } }, credentials);
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
		const gets = applyFault(sb, step.fault);
		const before = t.staticData.blocklist;
		const result = await t.poll();
		sb.behaviour = undefined;
		sb.config.apiKey = key;
		stats.polls++;
		stats.gets += gets();
		stats.count(stats.faults, step.fault.kind);
		if (mustFail(c, step)) {
			expectFailed(c, step, result, before, t, key);
			stats.failedPolls++;
			continue;
		}
		if (result.error !== undefined) throw new Error(`poll with ${JSON.stringify(step.fault)} failed: ${result.error.message}`);
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
		if (replay.has(user)) throw new Error(`${user} reported blocked twice without an unblock between`);
		replay.add(user);
	} else {
		if (!replay.has(user)) throw new Error(`${user} reported unblocked while not blocked`);
		replay.delete(user);
	}
}
