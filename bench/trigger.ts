/**
 * Part 3 of `npm run bench`, the WhatsApp Blocklist Trigger ("State that n8n can save every
 * minute"): the size of the state it keeps in the workflow's static data for 1,000 / 10,000 /
 * 64,000 blocked users of several kinds (bench/blocklists.ts), against saving the List items;
 * one poll of 64,000 through n8n-core's PollContext (a baseline, one with no change, one with 100
 * changes, and one with no change at 400 ms per request), its requests, events, time, CPU and
 * memory; the state's encode / decode / compare time alone; whether a poll fits the durable
 * scheduler's budget. Each measurement in a fresh process (bench/worker.ts); with --smoke at
 * 2,000 users, once each. Selected with --only: keys trigger-state, trigger-polls, trigger-slow.
 */
import * as os from 'os';

import { MIX_LABELS, blocklistOf, changedBlocklist, type ListedUser } from './blocklists';
import { fmt, median, n, table, targetTable, withRange, type Target } from './format';
import {
	PHONE_ID,
	runWorker,
	selected,
	type BenchOptions,
	type Run,
	type SandboxProcess,
} from './processes';
import type { PollKind, PollResult, StateResult } from './worker';

/** The trigger reads the blocklist in pages of the largest size the API gives (snapshot.ts). */
const PAGE = 1000;
const KB = 1000;
const MB = 1000 * 1000;
/** "Well under 1 MB": the aim, read as at most half of it. */
const STATE_AIM_BYTES = 500 * KB;
/** The list the polls read: realistic numbers with BSUIDs among them. */
const POLL_MIX = 'bsuids';
const CHANGES = 100;
const SLOW_LATENCY_MS = 400;

/**
 * The time n8n 2.41.1's durable scheduler (N8N_SCHEDULER_ENABLED) gives one poll, as its
 * trigger-execution-context factory computes it: the ceiling is the smaller of
 * N8N_SCHEDULER_POLL_TIMEOUT (45 s) and N8N_SCHEDULER_LEASE_DURATION (60 s), the margin 20% of
 * it but at least 5 s and at most half; the budget is the ceiling less the margin: 36 s.
 */
const CEILING_MS = Math.min(45, 60) * 1000;
const BUDGET_MS = CEILING_MS - Math.min(Math.max(0.2 * CEILING_MS, 5000), CEILING_MS / 2);

interface PollCase {
	key: string;
	poll: PollKind;
	latencyMs: number;
	runs: Array<Run<PollResult>>;
	/** The run with the median wall time. */
	median: Run<PollResult>;
}

export interface TriggerResult {
	users: number;
	sizes: number[];
	smoke: boolean;
	latencyMs: number;
	state?: StateResult;
	polls: PollCase[];
	problems: string[];
	seconds: number;
	loadStart: number[];
	loadEnd: number[];
}

const userOf = (u: ListedUser) => String(u.entry.user ?? u.entry.wa_id ?? u.entry.user_id);

/** What a poll must have done: its requests, its events, whether n8n saves after it, the state it leaves. */
function checkPoll(c: PollCase, r: Run<PollResult>, users: number, stateBytes?: number): string[] {
	const f = r.worker;
	const problems: string[] = [];
	const gets = r.sandbox.byTarget[`GET ${PHONE_ID}`] ?? 0;
	const overBudget = f.error !== undefined && /longer than n8n lets a poll run/.test(f.error);
	// A slow poll over the budget is a figure (it does not fit), not a wrong result.
	if (f.error && !(c.key === 'trigger-slow' && overBudget))
		problems.push(`the poll failed: ${f.error}`);
	if (f.error && !overBudget) return problems;
	const wantGets = Math.max(1, Math.ceil(users / PAGE));
	if (!overBudget && gets !== wantGets) problems.push(`${gets} GETs, expected ${wantGets}`);
	if (r.sandbox.requests !== gets)
		problems.push(`other requests: ${JSON.stringify(r.sandbox.byTarget)}`);
	if (Object.keys(r.sandbox.statuses).some((s) => s !== '200'))
		problems.push(`answers other than 200: ${JSON.stringify(r.sandbox.statuses)}`);
	if (overBudget) return problems;
	if (f.figures.wallMs > BUDGET_MS)
		problems.push(
			`took ${fmt(f.figures.wallMs, 0)} ms, over the ${BUDGET_MS} ms budget, yet did not fail`,
		);
	const saved = f.savedBytes !== null;
	if (c.poll === 'change') {
		const { added, removed } = changedBlocklist(POLL_MIX, users, CHANGES);
		const want = [
			...added.map((u) => `blocked ${userOf(u)}`).sort(),
			...removed.map((u) => `unblocked ${userOf(u)}`).sort(),
		];
		const events = f.events ?? [];
		const blocked = events.filter((e) => e.startsWith('blocked '));
		// Blocked first, then unblocked; each group in any order.
		const got = [...blocked.sort(), ...events.slice(blocked.length).sort()];
		if (
			f.items !== CHANGES ||
			got.join() !== want.join() ||
			!events.slice(0, blocked.length).every((e) => e.startsWith('blocked '))
		)
			problems.push(
				`events ${f.items ?? 'none'}, expected exactly the ${added.length} blocked and ${removed.length} unblocked users, blocked first`,
			);
		if (!saved) problems.push('a poll that emitted was not saved');
		return problems;
	}
	if (f.items !== null) problems.push(`a ${c.poll} poll emitted ${f.items} items`);
	if (c.poll === 'baseline') {
		if (!saved) problems.push('the baseline (activation) poll was not saved');
		if (stateBytes !== undefined && f.savedBytes !== stateBytes)
			problems.push(`saved ${f.savedBytes} bytes, the state measured alone is ${stateBytes}`);
	} else {
		if (saved) problems.push('a poll that emitted nothing was saved');
		if (!f.stateUnchanged) problems.push('a poll with no change changed the state');
	}
	return problems;
}

/** Runs the selected parts of the trigger bench against the (running) sandbox process. */
export async function runTriggerBench(
	sandbox: SandboxProcess,
	o: BenchOptions,
): Promise<TriggerResult> {
	const started = Date.now();
	const loadStart = os.loadavg();
	const users = o.smoke ? 2000 : 64_000;
	const sizes = o.smoke ? [1000] : [1000, 10_000, 64_000];
	let state: StateResult | undefined;
	if (selected(o, 'trigger-state')) {
		const mixes = ['in', 'mixed', 'bsuids', 'reasons', 'both-ids'] as const;
		const lists = sizes.flatMap((count) =>
			mixes.map((mix): [(typeof mixes)[number], number] => [mix, count]),
		);
		if (!sizes.includes(users)) lists.push([POLL_MIX, users]);
		const timing = { mix: POLL_MIX, users, changes: CHANGES, repeat: o.smoke ? 3 : 10 } as const;
		state = (await runWorker<StateResult>(sandbox, { kind: 'state', sizes: lists, timing })).worker;
		o.log(
			`[trigger] trigger-state: ${lists.length} sizes; encode ${fmt(median(state.timing.encodeMs), 1)} ms`,
		);
	}
	const keys = (listed: readonly ListedUser[]) => listed.map((u) => u.key);
	const lists = {
		listed: keys(blocklistOf(POLL_MIX, users)),
		changed: keys(changedBlocklist(POLL_MIX, users, CHANGES).after),
	};
	let seed: unknown;
	const polls = async (key: string, poll: PollKind, times: number, latencyMs = o.latencyMs) => {
		const runs: Array<Run<PollResult>> = [];
		for (let i = 1; i <= times; i++) {
			const prep = {
				lists: { [PHONE_ID]: poll === 'change' ? lists.changed : lists.listed },
				latencyMs,
			};
			const r = await runWorker<PollResult>(
				sandbox,
				{ kind: 'poll', poll, budgetMs: BUDGET_MS },
				{ prep, seed },
			);
			seed ??= r.worker.nodeStaticData;
			delete r.worker.nodeStaticData;
			runs.push(r);
			const f = r.worker;
			o.log(
				`[trigger] ${key} ${poll} run ${i}/${times}: ${fmt(f.figures.wallMs, 0)} ms wall, ${fmt(f.figures.innerCpuMs, 0)} ms CPU in poll() (${fmt(f.figures.cpuMs, 0)} in all), ${r.sandbox.requests} GETs, ${f.items ?? 'no'} items${f.error ? `, error: ${f.error}` : ''}`,
			);
		}
		return { key, poll, latencyMs, runs, median: median(runs, (r) => r.worker.figures.wallMs) };
	};
	const all: PollCase[] = [];
	const normal = selected(o, 'trigger-polls');
	const slow = selected(o, 'trigger-slow') && !o.smoke;
	// The baseline runs once only when it is there just for the slow poll's seed (then not shown).
	if (normal || slow) all.push(await polls('trigger-polls', 'baseline', normal ? o.repeat : 1));
	if (normal)
		all.push(
			await polls('trigger-polls', 'no-change', o.repeat),
			await polls('trigger-polls', 'change', o.repeat),
		);
	if (slow) all.push(await polls('trigger-slow', 'no-change', 1, SLOW_LATENCY_MS));
	await sandbox.reset();

	const stateBytes = state?.sizes.find((s) => s.mix === POLL_MIX && s.users === users)?.stateBytes;
	const problems: string[] = [];
	if (state && !state.timing.roundTrips)
		problems.push(
			`trigger-state: decoding did not give back the users encoded, or the compare did not find the ${CHANGES} changes (${state.timing.changesFound})`,
		);
	for (const c of all)
		for (const r of c.runs)
			problems.push(
				...checkPoll(c, r, users, stateBytes).map(
					(p) => `${c.key} ${c.poll} at ${c.latencyMs} ms: ${p}`,
				),
			);
	return {
		users,
		sizes,
		smoke: o.smoke,
		latencyMs: o.latencyMs,
		state,
		polls: normal ? all : all.filter((c) => c.key === 'trigger-slow'),
		problems,
		seconds: (Date.now() - started) / 1000,
		loadStart,
		loadEnd: os.loadavg(),
	};
}

// ---- report ---------------------------------------------------------------------------------

const kb = (bytes: number) => `${fmt(bytes / KB, 1)} KB`;

const POLL_LABELS: Record<PollKind, string> = {
	baseline: 'first poll (baseline: records the list)',
	'no-change': 'no change since the last poll',
	change: `${CHANGES} changes (${CHANGES / 2} blocked, ${CHANGES / 2} unblocked)`,
};

function sizeTable(state: StateResult, sizes: number[]): string {
	const rows = state.sizes
		.filter((s) => sizes.includes(s.users))
		.sort((a, b) => a.users - b.users)
		.map((s) => [
			n(s.users),
			MIX_LABELS[s.mix],
			`**${n(s.stateBytes)}** (${kb(s.stateBytes)})`,
			fmt(s.stateBytes / s.users, 1),
			`${n(s.listItemsBytes)} (${kb(s.listItemsBytes)})`,
			`${fmt((100 * s.stateBytes) / s.listItemsBytes, 1)}%`,
			n(s.userStringsBytes),
		]);
	const header =
		'blocked users | users | saved state: bytes | bytes per user | List items as JSON: bytes | state / List items | user strings only: bytes';
	return table(header, rows);
}

function pollTable(result: TriggerResult): string {
	const rows = result.polls.map((c) => {
		const m = c.median;
		const f = m.worker;
		const gets = m.sandbox.byTarget[`GET ${PHONE_ID}`] ?? 0;
		const wait = gets * c.latencyMs;
		return [
			`${POLL_LABELS[c.poll]}${c.key === 'trigger-slow' ? `, at **${c.latencyMs} ms** per request` : ''}`,
			`${gets} (${Math.max(1, Math.ceil(result.users / PAGE))})`,
			`${f.items ?? 'none'} (${c.poll === 'change' ? CHANGES : 'none'})`,
			withRange(
				f.figures.wallMs,
				c.runs.map((r) => r.worker.figures.wallMs),
			),
			fmt(wait, 0),
			fmt(f.figures.wallMs - wait, 0),
			`${fmt(m.toFirstRequestMs, 0)} / ${fmt(m.afterLastRequestMs, 0)}`,
			`${fmt(f.figures.innerCpuMs, 0)} / ${fmt(f.figures.cpuMs, 0)}`,
			fmt(m.sandbox.cpuMs, 0),
			fmt(f.figures.heapPeakDeltaMb, 1),
			fmt(f.figures.heapHeldDeltaMb, 1),
			fmt(f.figures.rssPeakDeltaMb, 1),
			f.savedBytes !== null ? `yes, ${n(f.savedBytes)} bytes` : 'no',
			f.error ? `failed: ${f.error}` : 'ok',
		];
	});
	const header =
		'poll | GETs (expected) | items out (expected) | wall ms (min–max) | server wait ms | wall − wait ms | before 1st / after last GET ms | CPU ms: poll() / whole poll | sandbox CPU ms | peak heap +MB | heap held after +MB | peak RSS +MB | n8n saves the static data after it | result';
	return table(header, rows);
}

function timingTable(state: StateResult): string {
	const t = state.timing;
	const cell = (values: number[]) => withRange(median(values), values, 2);
	const header = `list | encodeState() | decodeState() | compareBlocklists(), ${t.changes} changes | JSON.stringify of the static data (n8n saving it) | round trip exact`;
	const row = [
		`${n(t.users)}: ${MIX_LABELS[t.mix]}`,
		cell(t.encodeMs),
		cell(t.decodeMs),
		cell(t.compareMs),
		cell(t.saveJsonMs),
		t.roundTrips ? 'yes' : '**no**',
	];
	return table(header, [row]);
}

function goals(result: TriggerResult): Target[] {
	const out: Target[] = [];
	const top = Math.max(...result.sizes);
	for (const s of result.state?.sizes.filter((x) => x.users === top) ?? []) {
		out.push({
			name: `Saved state at ${n(top)} users well under 1 MB (at most ${n(STATE_AIM_BYTES / KB)} KB): ${MIX_LABELS[s.mix]}`,
			holds: s.stateBytes <= STATE_AIM_BYTES,
			detail: `${n(s.stateBytes)} bytes = ${fmt((100 * s.stateBytes) / MB, 1)}% of 1 MB; the List items would be ${n(s.listItemsBytes)} (${fmt(s.listItemsBytes / s.stateBytes, 1)}x)`,
		});
	}
	const wallOf = (r: Run<PollResult>) => r.worker.figures.wallMs;
	const normal = result.polls.filter((c) => c.key === 'trigger-polls');
	if (normal.length > 0) {
		const runs = normal.flatMap((c) => c.runs.map((r) => ({ c, r })));
		const { c: slowest, r: worst } = runs.reduce((a, b) => (wallOf(b.r) > wallOf(a.r) ? b : a));
		const gets = worst.sandbox.byTarget[`GET ${PHONE_ID}`] ?? 0;
		const own = wallOf(worst) - gets * slowest.latencyMs;
		out.push({
			name: `One poll of ${n(result.users)} fits the durable scheduler's budget (${fmt(BUDGET_MS / 1000, 0)} s = 45 s less its 9 s margin) at ${result.latencyMs} ms per request`,
			holds: runs.every(({ r }) => !r.worker.error && wallOf(r) <= BUDGET_MS),
			detail: `slowest run ${fmt(wallOf(worst), 0)} ms (${POLL_LABELS[slowest.poll]}), ${fmt((100 * wallOf(worst)) / BUDGET_MS, 1)}% of the budget; ${fmt(own, 0)} ms of it not latency, so ${gets} GETs fit up to about ${fmt((BUDGET_MS - own) / Math.max(1, gets), 0)} ms per request`,
		});
	}
	for (const c of result.polls.filter((x) => x.key === 'trigger-slow')) {
		const f = c.median.worker;
		out.push({
			name: `... and at ${c.latencyMs} ms per request (measured)`,
			holds: !f.error && f.figures.wallMs <= BUDGET_MS,
			detail: `${fmt(f.figures.wallMs, 0)} ms, ${fmt((100 * f.figures.wallMs) / BUDGET_MS, 1)}% of the budget${f.error ? `; ${f.error}` : ''}`,
		});
	}
	out.push({
		name: `Requests and events exact: ceil(${n(result.users)} / 1,000) GETs per poll and nothing else; no event from a baseline or an unchanged list, exactly the ${CHANGES} changes otherwise; n8n saves after the baseline and the emitting poll only; the state a poll saved is byte for byte the one measured alone`,
		holds: result.problems.length === 0,
		detail:
			result.problems.length === 0
				? `${result.polls.reduce((a, c) => a + c.runs.length, 0)} poll(s) checked`
				: result.problems.join('; '),
	});
	return out;
}

export function triggerReport(result: TriggerResult, command: string): string {
	const runs = Math.max(
		0,
		...result.polls.filter((c) => c.key === 'trigger-polls').map((c) => c.runs.length),
	);
	const how = result.smoke
		? ', every step once, each in a fresh process (smoke: the figures are not comparable)'
		: runs > 0
			? `, ${runs} run(s) per poll, each in a fresh process`
			: '';
	const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
	const parts = [
		`Measured ${new Date().toISOString().slice(0, 10)}, \`${command}\` (latency ${result.latencyMs} ms per request${how}), ${fmt(result.seconds, 0)} s; load average ${load(result.loadStart)} at start, ${load(result.loadEnd)} at end.`,
	];
	if (result.state)
		parts.push(
			`Saved state (JSON.stringify of the workflow's static data, as n8n saves it; 1 KB = 1,000 bytes, 1 MB = 1,000,000):\n\n${sizeTable(result.state, result.sizes)}`,
		);
	if (result.polls.length > 0)
		parts.push(
			`One poll of ${n(result.users)} blocked users through n8n-core's PollContext and TriggersAndPollers, with the durable scheduler's budget of ${fmt(BUDGET_MS / 1000, 0)} s; the list: ${MIX_LABELS[POLL_MIX]}; the median run by wall time:\n\n${pollTable(result)}`,
		);
	if (result.state)
		parts.push(
			`The state alone at ${n(result.state.timing.users)} users, ms: median of ${result.state.timing.encodeMs.length} (min–max):\n\n${timingTable(result.state)}`,
		);
	parts.push(targetTable(goals(result), 'goal'));
	return parts.join('\n\n');
}
