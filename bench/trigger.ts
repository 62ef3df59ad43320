/**
 * The WhatsApp Blocklist Trigger's part of `npm run bench` (issue: "State that n8n can save
 * every minute"): the size of the state the trigger keeps in the workflow's static data, for
 * 1,000 / 10,000 / 64,000 blocked users of several kinds, against saving the List items; one
 * poll of 64,000 through n8n-core's PollContext (a baseline, one with no change, one with 100
 * changes, and one at a slow latency) with its requests, time, CPU and memory; the state's
 * encode / decode / compare time alone; and whether a poll fits the durable scheduler's budget.
 *
 * Each measurement runs in a fresh process (bench/trigger-worker.ts), the sandbox in its own
 * (bench/sandbox-process.ts), so the CPU and memory figures are the trigger's own. With
 * --smoke everything runs once, small, in one process (checks only, figures not comparable).
 * Selected with --only: keys trigger-state, trigger-polls, trigger-slow.
 */
import * as os from 'os';

import type { SandboxProcess } from './processes';
import { exited, forkTs } from './processes';
import type { SandboxStats } from './sandbox-process';
import {
	blocklistOf,
	changedBlocklist,
	MIX_LABELS,
	type BlocklistMix,
	type ListedUser,
} from './blocklists';
import { fmt, table } from './format';
import type {
	PollFigures,
	PollKind,
	PollStep,
	StateFigures,
	StepFigures,
	TriggerJob,
	TriggerStep,
} from './trigger-worker';

export const TRIGGER_KEYS = ['trigger-state', 'trigger-polls', 'trigger-slow'] as const;

/** The trigger reads the blocklist in pages of the largest size the API gives (snapshot.ts). */
const PAGE = 1000;
const KB = 1000;
const MB = 1000 * 1000;
/** "Well under 1 MB": the aim, read as at most half of it. */
const STATE_AIM_BYTES = 500 * KB;
/** The list the polls read: realistic numbers with BSUIDs among them. */
const POLL_MIX: BlocklistMix = 'bsuids';
const CHANGES = 100;

/**
 * The time n8n 2.41.1's durable scheduler (N8N_SCHEDULER_ENABLED, poll triggers on) gives one
 * poll, as its trigger-execution-context factory computes it: the ceiling is the smaller of
 * N8N_SCHEDULER_POLL_TIMEOUT (45 s by default) and N8N_SCHEDULER_LEASE_DURATION (60 s), the
 * margin 20% of it but at least 5 s and at most half; the budget is the ceiling less the margin.
 */
export function durablePollBudgetMs(pollTimeoutSeconds = 45, leaseDurationSeconds = 60): number {
	const ceilingMs = Math.min(pollTimeoutSeconds, leaseDurationSeconds) * 1000;
	const marginMs = Math.min(Math.max(0.2 * ceilingMs, 5000), ceilingMs / 2);
	return ceilingMs - marginMs;
}

export interface TriggerOptions {
	latencyMs: number;
	smoke: boolean;
	/** Runs of each poll (each in a fresh process). */
	repeat: number;
	/** A no-change poll at this latency per request too (0: none). */
	slowLatencyMs: number;
	only?: RegExp;
	phoneNumberId: string;
	warmupPhoneNumberId: string;
	log: (line: string) => void;
}

export interface PollRun {
	figures: PollFigures;
	latencyMs: number;
	gets: number;
	/** Requests other than GETs of the watched phone number ID (there must be none). */
	others: Record<string, number>;
	statuses: Record<string, number>;
	sandboxCpuMs: number;
	/** From the start of the poll to the first GET reaching the sandbox. */
	beforeFirstMs: number;
	/** From the last GET being served to the end of the poll (decode, compare, encode, items). */
	afterLastMs: number;
}

export interface PollCase {
	key: (typeof TRIGGER_KEYS)[number];
	poll: PollKind;
	latencyMs: number;
	runs: PollRun[];
	/** The run with the median wall time. */
	median: PollRun;
}

export interface TriggerResult {
	users: number;
	sizes: number[];
	smoke: boolean;
	budgetMs: number;
	latencyMs: number;
	state?: StateFigures;
	polls: PollCase[];
	problems: string[];
	seconds: number;
	loadStart: number[];
	loadEnd: number[];
}

/** Which parts --only selects (all when it is not given). */
export function triggerSelected(only: RegExp | undefined): Array<(typeof TRIGGER_KEYS)[number]> {
	return TRIGGER_KEYS.filter((key) => !only || only.test(key));
}

interface Prepared {
	keys: string[];
	latencyMs?: number;
	seed?: unknown;
}

interface StepRun {
	figures: StepFigures;
	run?: PollRun;
}

/**
 * One worker process running `steps`; `prepare` gives what the sandbox must hold (and the
 * seed) before each, `onResult` sees each step's figures as they come. The messages are
 * handled one after the other: a step's sandbox figures are read before the next step resets it.
 */
async function runWorker(
	sandbox: SandboxProcess,
	job: TriggerJob,
	latencyMs: number,
	prepare: (step: TriggerStep) => Prepared | undefined,
	onResult: (run: StepRun) => void,
): Promise<StepRun[]> {
	// BENCH_WORKER_FLAGS: extra Node flags, as for the in-process workers (e.g. --trace-gc).
	const extraFlags = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean);
	const child = forkTs('trigger-worker.ts', job, [
		'--expose-gc',
		'--max-old-space-size=4096',
		...extraFlags,
	]);
	const out: StepRun[] = [];
	let received = 0;
	let before: SandboxStats | undefined;
	let stepLatency = latencyMs;
	let chain: Promise<void> = Promise.resolve();
	const handle = async (message: WorkerMessage): Promise<void> => {
		const step = job.steps[message.step];
		if (message.type === 'ready') {
			await sandbox.reset();
			const prepared = prepare(step);
			stepLatency = prepared?.latencyMs ?? latencyMs;
			if (prepared?.latencyMs !== undefined) await setLatency(sandbox, prepared.latencyMs);
			if (prepared) await sandbox.set(job.phoneNumberId, prepared.keys);
			before = await sandbox.stats();
			child.send({ type: 'go', seed: prepared?.seed });
		} else if (message.type === 'result' && message.result) {
			const figures = message.result;
			const run: StepRun = {
				figures,
				run:
					figures.kind === 'poll'
						? await pollRun(sandbox, job.phoneNumberId, figures, before, stepLatency)
						: undefined,
			};
			out.push(run);
			onResult(run);
			if (out.length === job.steps.length) child.send({ type: 'bye' });
		}
	};
	await new Promise<void>((resolve, reject) => {
		child.on('message', (message: WorkerMessage) => {
			if (message.type === 'error')
				return reject(new Error(`trigger bench worker failed: ${message.error}`));
			if (message.type === 'result') received++;
			chain = chain.then(() => handle(message)).catch(reject);
		});
		child.once('exit', (code) => {
			if (received === job.steps.length) void chain.then(resolve, reject);
			else
				reject(
					new Error(
						`trigger bench worker exited with ${code} after ${received} of ${job.steps.length} steps`,
					),
				);
		});
	});
	await exited(child);
	return out;
}

interface WorkerMessage {
	type: 'ready' | 'result' | 'error';
	step: number;
	result?: StepFigures;
	error?: string;
}

async function setLatency(sandbox: SandboxProcess, latencyMs: number): Promise<void> {
	const res = await fetch(`${sandbox.url}/__sandbox/config`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ latencyMs }),
	});
	if (!res.ok) throw new Error(`the sandbox refused latency ${latencyMs} (${res.status})`);
}

async function pollRun(
	sandbox: SandboxProcess,
	phoneNumberId: string,
	figures: PollFigures,
	before: SandboxStats | undefined,
	latencyMs: number,
): Promise<PollRun> {
	const after = await sandbox.stats();
	const timeline = (await sandbox.timeline()).filter((t) => t.target === `GET ${phoneNumberId}`);
	const diff = (now: Record<string, number>, then: Record<string, number> = {}) =>
		Object.fromEntries(
			Object.entries(now)
				.map(([k, v]) => [k, v - (then[k] ?? 0)] as const)
				.filter(([, v]) => v > 0),
		);
	const byTarget = diff(after.byTarget, before?.byTarget);
	const gets = byTarget[`GET ${phoneNumberId}`] ?? 0;
	delete byTarget[`GET ${phoneNumberId}`];
	return {
		figures,
		latencyMs,
		gets,
		others: byTarget,
		statuses: diff(after.statuses, before?.statuses),
		sandboxCpuMs: (after.cpuMicros - (before?.cpuMicros ?? 0)) / 1000,
		beforeFirstMs: timeline.length > 0 ? timeline[0].at - latencyMs - figures.startedAt : NaN,
		afterLastMs: timeline.length > 0 ? figures.endedAt - timeline[timeline.length - 1].at : NaN,
	};
}

const keysOf = (listed: readonly ListedUser[]) => listed.map((u) => u.key);
const userOf = (u: ListedUser) => String(u.entry.user ?? u.entry.wa_id ?? u.entry.user_id);

/** What a poll must have done: its requests, its events, whether n8n saves after it, the state it leaves. */
function checkPoll(
	c: { poll: PollKind; key: string },
	r: PollRun,
	users: number,
	expectedBytes: number | undefined,
	budgetMs: number,
): string[] {
	const f = r.figures;
	const problems: string[] = [];
	const wantGets = Math.max(1, Math.ceil(users / PAGE));
	const overBudget = f.error !== undefined && /longer than n8n lets a poll run/.test(f.error);
	// A slow poll over the budget is a figure (it does not fit), not a wrong result.
	if (f.error && !(c.key === 'trigger-slow' && overBudget))
		problems.push(`the poll failed: ${f.error}`);
	if (f.error && !overBudget) return problems;
	if (!overBudget && r.gets !== wantGets) problems.push(`${r.gets} GETs, expected ${wantGets}`);
	if (Object.keys(r.others).length > 0)
		problems.push(`other requests: ${JSON.stringify(r.others)}`);
	const bad = Object.keys(r.statuses).filter((s) => s !== '200');
	if (bad.length > 0) problems.push(`answers other than 200: ${JSON.stringify(r.statuses)}`);
	if (overBudget) return problems;
	if (f.wallMs > budgetMs)
		problems.push(`took ${fmt(f.wallMs, 0)} ms, over the ${budgetMs} ms budget, yet did not fail`);
	if (c.poll === 'baseline') {
		if (f.items !== null) problems.push(`a baseline emitted ${f.items} items`);
		if (!f.saved) problems.push('the baseline (activation) poll was not saved');
		if (expectedBytes !== undefined && f.savedBytes !== expectedBytes)
			problems.push(`saved ${f.savedBytes} bytes, the state measured alone is ${expectedBytes}`);
	} else if (c.poll === 'no-change') {
		if (f.items !== null) problems.push(`a poll with no change emitted ${f.items} items`);
		if (f.saved) problems.push('a poll that emitted nothing was saved');
		if (!f.stateUnchanged) problems.push('a poll with no change changed the state');
	} else {
		const { added, removed } = changedBlocklist(POLL_MIX, users, CHANGES);
		const want = [
			...added.map((u) => `blocked ${userOf(u)}`).sort(),
			...removed.map((u) => `unblocked ${userOf(u)}`).sort(),
		];
		const events = f.events ?? [];
		const blockedFirst = events.every(
			([event], i) => i === 0 || event === 'unblocked' || events[i - 1][0] === 'blocked',
		);
		const got = [
			...events
				.filter(([e]) => e === 'blocked')
				.map(([e, u]) => `${e} ${u}`)
				.sort(),
			...events
				.filter(([e]) => e === 'unblocked')
				.map(([e, u]) => `${e} ${u}`)
				.sort(),
		];
		if (f.items !== CHANGES || got.join() !== want.join() || !blockedFirst) {
			problems.push(
				`events ${f.items ?? 'none'}, expected exactly the ${added.length} blocked and ${removed.length} unblocked users, blocked first`,
			);
		}
		if (!f.saved) problems.push('a poll that emitted was not saved');
	}
	return problems;
}

function stateStep(options: TriggerOptions, users: number, sizes: number[]): TriggerStep {
	const mixes: BlocklistMix[] = ['in', 'mixed', 'bsuids', 'reasons', 'both-ids'];
	const list: Array<[BlocklistMix, number]> = sizes.flatMap((n) =>
		mixes.map((mix): [BlocklistMix, number] => [mix, n]),
	);
	if (!sizes.includes(users)) list.push([POLL_MIX, users]);
	return {
		kind: 'state',
		sizes: list,
		timing: { mix: POLL_MIX, users, changes: CHANGES, repeat: options.smoke ? 3 : 10 },
	};
}

function median<T>(values: T[], by: (v: T) => number): T {
	const sorted = [...values].sort((a, b) => by(a) - by(b));
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Runs the selected parts of the trigger bench against the (running) sandbox process. */
export async function runTriggerBench(
	sandbox: SandboxProcess,
	options: TriggerOptions,
): Promise<TriggerResult> {
	const started = Date.now();
	const loadStart = os.loadavg();
	const selected = triggerSelected(options.only);
	const users = options.smoke ? 2000 : 64_000;
	const sizes = options.smoke ? [1000] : [1000, 10_000, 64_000];
	const budgetMs = durablePollBudgetMs();
	const job = (steps: TriggerStep[]): TriggerJob => ({
		sandboxUrl: sandbox.url,
		apiKey: sandbox.apiKey,
		phoneNumberId: options.phoneNumberId,
		warmupPhoneNumberId: options.warmupPhoneNumberId,
		warmupUsers: 1000,
		steps,
	});
	const listed = keysOf(blocklistOf(POLL_MIX, users));
	const changed = keysOf(changedBlocklist(POLL_MIX, users, CHANGES).after);
	const poll = (kind: PollKind): PollStep => ({ kind: 'poll', poll: kind, budgetMs });
	let seed: unknown;
	const prepare = (step: TriggerStep, latencyMs?: number): Prepared | undefined => {
		if (step.kind === 'state') return undefined;
		return {
			keys: step.poll === 'change' ? changed : listed,
			seed: step.poll === 'baseline' ? undefined : seed,
			latencyMs,
		};
	};
	const steps: Array<{
		key: (typeof TRIGGER_KEYS)[number];
		step: TriggerStep;
		latencyMs?: number;
	}> = [];
	if (selected.includes('trigger-state'))
		steps.push({ key: 'trigger-state', step: stateStep(options, users, sizes) });
	const anyPoll = selected.includes('trigger-polls') || selected.includes('trigger-slow');
	if (anyPoll) steps.push({ key: 'trigger-polls', step: poll('baseline') });
	if (selected.includes('trigger-polls'))
		steps.push(
			{ key: 'trigger-polls', step: poll('no-change') },
			{ key: 'trigger-polls', step: poll('change') },
		);
	if (selected.includes('trigger-slow') && !options.smoke && options.slowLatencyMs > 0)
		steps.push({ key: 'trigger-slow', step: poll('no-change'), latencyMs: options.slowLatencyMs });

	// Smoke: every step once, in one process. Otherwise each poll run in a fresh process.
	const results: Array<{ key: (typeof TRIGGER_KEYS)[number]; run: StepRun; latencyMs: number }> =
		[];
	const onSeed = (run: StepRun) => {
		if (run.figures.kind === 'poll' && run.figures.poll === 'baseline' && seed === undefined)
			seed = run.figures.nodeStaticData;
	};
	if (options.smoke && steps.length > 0) {
		let index = 0;
		await runWorker(
			sandbox,
			job(steps.map((s) => s.step)),
			options.latencyMs,
			(step) => prepare(step),
			(run) => {
				const s = steps[index++];
				onSeed(run);
				results.push({ key: s.key, run, latencyMs: options.latencyMs });
				options.log(`[trigger] ${describeStep(s.key, run)}`);
			},
		);
	} else {
		for (const s of steps) {
			// The baseline runs once only when it is there just for the slow poll's seed.
			const times =
				s.step.kind === 'poll' && s.key === 'trigger-polls' && selected.includes('trigger-polls')
					? options.repeat
					: 1;
			for (let i = 0; i < times; i++) {
				await runWorker(
					sandbox,
					job([s.step]),
					options.latencyMs,
					(step) => prepare(step, s.latencyMs),
					(run) => {
						onSeed(run);
						results.push({ key: s.key, run, latencyMs: s.latencyMs ?? options.latencyMs });
						options.log(
							`[trigger] ${describeStep(s.key, run)}${times > 1 ? ` (run ${i + 1}/${times})` : ''}`,
						);
					},
				);
			}
		}
	}
	await sandbox.reset();

	const state = results
		.map((r) => r.run.figures)
		.find((f): f is StateFigures => f.kind === 'state');
	const expectedBytes = state?.sizes.find(
		(s) => s.mix === POLL_MIX && s.users === users,
	)?.stateBytes;
	const problems: string[] = [];
	if (state && !state.timing.roundTrips)
		problems.push(
			`trigger-state: decoding did not give back the users encoded, or the compare did not find the ${CHANGES} changes (${state.timing.changesFound})`,
		);
	const cases: PollCase[] = [];
	for (const r of results) {
		if (!r.run.run || r.run.figures.kind !== 'poll') continue;
		const run = r.run.run;
		const kind = r.run.figures.poll;
		problems.push(
			...checkPoll({ poll: kind, key: r.key }, run, users, expectedBytes, budgetMs).map(
				(p) => `${r.key} ${kind} at ${r.latencyMs} ms: ${p}`,
			),
		);
		const existing = cases.find((c) => c.key === r.key && c.poll === kind);
		if (existing) existing.runs.push(run);
		else cases.push({ key: r.key, poll: kind, latencyMs: r.latencyMs, runs: [run], median: run });
	}
	for (const c of cases) c.median = median(c.runs, (x) => x.figures.wallMs);
	// The baseline also ran for the slow poll's seed only when the polls were not selected.
	const shown = selected.includes('trigger-polls')
		? cases
		: cases.filter((c) => c.key !== 'trigger-polls');
	return {
		users,
		sizes,
		smoke: options.smoke,
		budgetMs,
		latencyMs: options.latencyMs,
		state,
		polls: shown,
		problems,
		seconds: (Date.now() - started) / 1000,
		loadStart,
		loadEnd: os.loadavg(),
	};
}

function describeStep(key: string, run: StepRun): string {
	const f = run.figures;
	if (f.kind === 'state')
		return `${key}: ${f.sizes.length} sizes; encode ${fmt(
			median(f.timing.encodeMs, (x) => x),
			1,
		)} ms, decode ${fmt(
			median(f.timing.decodeMs, (x) => x),
			1,
		)} ms`;
	const r = run.run;
	return `${key} ${f.poll}: ${fmt(f.wallMs, 0)} ms wall, ${fmt(f.pollCpuMs, 0)} ms CPU in poll() (${fmt(f.cpuMs, 0)} in all), ${r?.gets ?? 0} GETs, ${f.items ?? 'no'} items${f.error ? `, error: ${f.error}` : ''}`;
}

// ---- report ---------------------------------------------------------------------------------

const n = (value: number) => value.toLocaleString('en-US');
const kb = (bytes: number) => `${fmt(bytes / KB, 1)} KB`;

const POLL_LABELS: Record<PollKind, string> = {
	baseline: 'first poll (baseline: records the list)',
	'no-change': 'no change since the last poll',
	change: `${CHANGES} changes (${CHANGES / 2} blocked, ${CHANGES / 2} unblocked)`,
};

function sizeTable(state: StateFigures, sizes: number[]): string {
	const rows = state.sizes
		.filter((s) => sizes.includes(s.users))
		.sort((a, b) => a.users - b.users)
		.map((s) => [
			n(s.users),
			MIX_LABELS[s.mix] + (s.idsEntries > 0 ? ` (${n(s.idsEntries)} stored with both IDs)` : ''),
			`**${n(s.stateBytes)}** (${kb(s.stateBytes)})`,
			fmt(s.stateBytes / s.users, 1),
			`${n(s.listItemsBytes)} (${kb(s.listItemsBytes)})`,
			`${fmt((100 * s.stateBytes) / s.listItemsBytes, 1)}%`,
			n(s.userStringsBytes),
		]);
	return table(
		[
			'blocked users',
			'users',
			'saved state: bytes',
			'bytes per user',
			'List items as JSON: bytes',
			'state / List items',
			'user strings only: bytes',
		],
		rows,
	);
}

function pollTable(result: TriggerResult): string {
	const rows = result.polls.map((c) => {
		const m = c.median;
		const f = m.figures;
		const walls = c.runs.map((r) => r.figures.wallMs);
		const wantItems = c.poll === 'change' ? String(CHANGES) : 'none';
		const wait = m.gets * c.latencyMs;
		return [
			`${POLL_LABELS[c.poll]}${c.key === 'trigger-slow' ? `, at **${c.latencyMs} ms** per request` : ''}`,
			`${m.gets} (${Math.max(1, Math.ceil(result.users / PAGE))})`,
			`${f.items ?? 'none'} (${wantItems})`,
			`${fmt(f.wallMs, 0)}${c.runs.length > 1 ? ` (${fmt(Math.min(...walls), 0)}–${fmt(Math.max(...walls), 0)})` : ''}`,
			fmt(wait, 0),
			fmt(f.wallMs - wait, 0),
			`${fmt(m.beforeFirstMs, 0)} / ${fmt(m.afterLastMs, 0)}`,
			`${fmt(f.pollCpuMs, 0)} / ${fmt(f.cpuMs, 0)}`,
			fmt(m.sandboxCpuMs, 0),
			fmt(f.heapPeakDeltaMb, 1),
			fmt(f.heapHeldDeltaMb, 1),
			fmt(f.rssPeakDeltaMb, 1),
			f.saved ? `yes, ${n(f.savedBytes ?? 0)} bytes` : 'no',
			f.error ? `failed: ${f.error}` : 'ok',
		];
	});
	return table(
		[
			'poll',
			'GETs (expected)',
			'items out (expected)',
			'wall ms (min–max)',
			'server wait ms',
			'wall − wait ms',
			'before 1st / after last GET ms',
			'CPU ms: poll() / whole poll',
			'sandbox CPU ms',
			'peak heap +MB',
			'heap held after +MB',
			'peak RSS +MB',
			'n8n saves the static data after it',
			'result',
		],
		rows,
	);
}

function timingTable(state: StateFigures): string {
	const t = state.timing;
	const cell = (values: number[]) =>
		`${fmt(
			median(values, (x) => x),
			2,
		)} (${fmt(Math.min(...values), 2)}–${fmt(Math.max(...values), 2)})`;
	return table(
		[
			'list',
			'encodeState()',
			'decodeState()',
			`compareBlocklists(), ${t.changes} changes`,
			'JSON.stringify of the static data (n8n saving it)',
			'round trip exact',
		],
		[
			[
				`${n(t.users)}: ${MIX_LABELS[t.mix]}`,
				cell(t.encodeMs),
				cell(t.decodeMs),
				cell(t.compareMs),
				cell(t.saveJsonMs),
				t.roundTrips ? 'yes' : '**no**',
			],
		],
	);
}

interface Goal {
	name: string;
	holds: boolean;
	detail: string;
}

function goals(result: TriggerResult): Goal[] {
	const out: Goal[] = [];
	const top = Math.max(...result.sizes);
	for (const s of result.state?.sizes.filter((x) => x.users === top) ?? []) {
		out.push({
			name: `Saved state at ${n(top)} users well under 1 MB (at most ${n(STATE_AIM_BYTES / KB)} KB): ${MIX_LABELS[s.mix]}`,
			holds: s.stateBytes <= STATE_AIM_BYTES,
			detail: `${n(s.stateBytes)} bytes = ${fmt((100 * s.stateBytes) / MB, 1)}% of 1 MB; the List items would be ${n(s.listItemsBytes)} (${fmt(s.listItemsBytes / s.stateBytes, 1)}x)`,
		});
	}
	const budget = result.budgetMs;
	const normal = result.polls.filter((c) => c.key === 'trigger-polls');
	if (normal.length > 0) {
		const slowest = normal.reduce((a, b) =>
			Math.max(...b.runs.map((r) => r.figures.wallMs)) >
			Math.max(...a.runs.map((r) => r.figures.wallMs))
				? b
				: a,
		);
		const worst = slowest.runs.reduce((a, b) => (b.figures.wallMs > a.figures.wallMs ? b : a));
		const own = worst.figures.wallMs - worst.gets * slowest.latencyMs;
		const maxLatency = (budget - own) / Math.max(1, worst.gets);
		out.push({
			name: `One poll of ${n(result.users)} fits the durable scheduler's budget (${fmt(budget / 1000, 0)} s = 45 s less its 9 s margin) at ${result.latencyMs} ms per request`,
			holds: normal.every((c) =>
				c.runs.every((r) => !r.figures.error && r.figures.wallMs <= budget),
			),
			detail: `slowest run ${fmt(worst.figures.wallMs, 0)} ms (${POLL_LABELS[slowest.poll]}), ${fmt((100 * worst.figures.wallMs) / budget, 1)}% of the budget; ${fmt(own, 0)} ms of it not latency, so ${worst.gets} GETs fit up to about ${fmt(maxLatency, 0)} ms per request`,
		});
	}
	for (const c of result.polls.filter((x) => x.key === 'trigger-slow')) {
		const f = c.median.figures;
		out.push({
			name: `... and at ${c.latencyMs} ms per request (measured)`,
			holds: !f.error && f.wallMs <= budget,
			detail: `${fmt(f.wallMs, 0)} ms, ${fmt((100 * f.wallMs) / budget, 1)}% of the budget${f.error ? `; ${f.error}` : ''}`,
		});
	}
	if (result.polls.length > 0 || result.state) {
		out.push({
			name: `Requests and events exact: ceil(${n(result.users)} / 1,000) GETs per poll and nothing else; no event from a baseline or an unchanged list, exactly the ${CHANGES} changes otherwise; n8n saves after the baseline and the emitting poll only; the state a poll saved is byte for byte the one measured alone`,
			holds: result.problems.length === 0,
			detail:
				result.problems.length === 0
					? `${result.polls.reduce((a, c) => a + c.runs.length, 0)} poll(s) checked`
					: result.problems.join('; '),
		});
	}
	return out;
}

export function triggerReport(result: TriggerResult, command: string): string {
	const parts: string[] = [];
	const runs = Math.max(
		0,
		...result.polls.filter((c) => c.key === 'trigger-polls').map((c) => c.runs.length),
	);
	const how = result.smoke
		? ', every step once in one process (smoke: the figures are not comparable)'
		: runs > 0
			? `, ${runs} run(s) per poll, each in a fresh process`
			: '';
	parts.push(
		`Measured ${new Date().toISOString().slice(0, 10)}, \`${command}\` (latency ${result.latencyMs} ms per request${how}), ${fmt(result.seconds, 0)} s; load average ${result.loadStart.map((l) => l.toFixed(2)).join(', ')} at start, ${result.loadEnd.map((l) => l.toFixed(2)).join(', ')} at end.`,
	);
	if (result.state)
		parts.push(
			`Saved state (JSON.stringify of the workflow's static data, as n8n saves it; 1 KB = 1,000 bytes, 1 MB = 1,000,000):\n\n${sizeTable(result.state, result.sizes)}`,
		);
	if (result.polls.length > 0) {
		parts.push(
			`One poll of ${n(result.users)} blocked users through n8n-core's PollContext and TriggersAndPollers, with the durable scheduler's budget of ${fmt(result.budgetMs / 1000, 0)} s; the list: ${MIX_LABELS[POLL_MIX]}; the median run by wall time:\n\n${pollTable(result)}`,
		);
	}
	if (result.state)
		parts.push(
			`The state alone at ${n(result.state.timing.users)} users, ms: median of ${result.state.timing.encodeMs.length} (min–max):\n\n${timingTable(result.state)}`,
		);
	const g = goals(result);
	if (g.length > 0)
		parts.push(
			table(
				['goal', 'holds', 'measured'],
				g.map((x) => [x.name, x.holds ? 'yes' : '**no**', x.detail]),
			),
		);
	return parts.join('\n\n');
}
