/**
 * Part 1 of `npm run bench`: the node's execute() in process (bench/worker.ts, through n8n-core's
 * WorkflowExecute and real HTTP helper), each run in a fresh process against the sandbox in its
 * own: Block at several sizes, concurrencies, input shapes and mixes of users; List of a full
 * blocklist at two page sizes; Check (100,000 users against a 64,000-entry blocklist) and Sync
 * (64,000 desired against 64,000 listed, half changed, Unblock Others on), shown against their
 * latency floor (pages + batches) × latency. Every run is checked for its exact requests per
 * method, its outputs and statuses (Sync: and the blocklist it leaves); `--profile` CPU-profiles
 * five of the cases and sums where the time goes (bench/profile-summary.ts).
 */
import * as fs from 'fs';
import * as path from 'path';

import { fmt, median, n, table, withRange, type Target } from './format';
import { summarise } from './profile-summary';
import {
	PHONE_ID,
	WARMUP_PHONE_ID,
	runWorker,
	selected,
	type BenchOptions,
	type Run,
	type SandboxProcess,
} from './processes';
import type { Prep } from './sandbox-process';
import {
	expectedFor,
	listedSplit,
	listedUsers,
	preblocked,
	userEntries,
	userNumber,
} from './users';
import type { NodeJob, NodeResult } from './worker';

const BATCH = 500;
/** Check and Sync read with the largest page the API gives. */
const READ_PAGE = 1000;
const LIST_CAP = 64_000;
/** The cases --profile profiles. */
const PROFILED = [
	'block-100000-100pi-c1',
	'block-10000-1pi-c1-nested',
	`list-${LIST_CAP}-p100`,
	`check-100000-vs-${LIST_CAP}`,
	`sync-${LIST_CAP}-vs-${LIST_CAP}`,
];

export interface Case extends Omit<NodeJob, 'kind' | 'profile'> {
	key: string;
	/** Check and Sync: the blocklist's size before the run (listedUsers: every second user given, the rest others). */
	listed?: number;
	/** Check and Sync: the sandbox pages like Meta's Graph API (`after` on the last page too). */
	paging?: 'graph';
}

function block(
	users: number,
	usersPerItem: number,
	maxConcurrency: number,
	mapping?: 'nested',
): Case {
	const key = `block-${users}-${usersPerItem}pi-c${maxConcurrency}${mapping ? `-${mapping}` : ''}`;
	return { key, operation: 'block', users, usersPerItem, maxConcurrency, mapping };
}
const mixed = (users: number, mix: Case['mix']): Case => ({
	...block(users, 100, 1),
	key: `block-${users}-${mix === 'repeats' ? 'mixed' : mix}`,
	mix,
});
const list = (users: number, pageSize: number): Case => ({
	key: `list-${users}-p${pageSize}`,
	operation: 'list',
	users,
	usersPerItem: 0,
	maxConcurrency: 1,
	pageSize,
});
function readFirst(
	operation: 'check' | 'sync',
	users: number,
	listed: number,
	paging?: 'graph',
): Case {
	const key = `${operation}-${users}-vs-${listed}${paging ? '-graph' : ''}`;
	return { key, operation, users, usersPerItem: 100, maxConcurrency: 1, listed, paging };
}

export function cases(smoke: boolean): Case[] {
	if (smoke)
		return [
			block(1000, 100, 1),
			block(10_000, 100, 1),
			block(10_000, 100, 4),
			block(1000, 1, 1),
			mixed(5000, 'repeats'),
			mixed(5000, 'bsuids'),
			mixed(5000, 'rerun'),
			list(5000, 1000),
			readFirst('check', 10_000, 6400),
			readFirst('sync', 6400, 6400),
			// Graph-style paging must cost the same GETs: the end is seen without asking once more.
			readFirst('check', 10_000, 6400, 'graph'),
			readFirst('sync', 6400, 6400, 'graph'),
		];
	return [
		block(1000, 100, 1),
		block(10_000, 100, 1),
		block(100_000, 100, 1),
		block(100_000, 100, 4),
		block(10_000, 1, 1),
		block(100_000, 1, 1),
		block(10_000, 1, 1, 'nested'),
		mixed(10_000, 'repeats'),
		mixed(10_000, 'bsuids'),
		mixed(10_000, 'rerun'),
		list(LIST_CAP, 100),
		list(LIST_CAP, 1000),
		readFirst('check', 100_000, LIST_CAP),
		readFirst('sync', LIST_CAP, LIST_CAP),
	];
}

export interface CaseResult {
	case: Case;
	runs: Array<Run<NodeResult>>;
	/** The run with the median wall time (its figures are shown). */
	median: Run<NodeResult>;
	expected: Expected;
	problems: string[];
}

/** What a run must do: requests per method on the measured ID (and none elsewhere), items per output, items per status. */
interface Expected {
	methods: Record<'GET' | 'POST' | 'DELETE', number>;
	requests: number;
	outputs: number[];
	/** Per output, the items each of these statuses must have. */
	statuses: Array<Record<string, number>>;
}

/**
 * Block: ceil(unique valid users / 500) POSTs. List: ceil(users / page) GETs. Check and Sync:
 * ceil(listed / 1000) GETs; Sync then ceil(to block / 500) POSTs and ceil(to unblock / 500)
 * DELETEs (Unblock Others on).
 */
function expected(c: Case): Expected {
	const make = (
		GET: number,
		POST: number,
		DELETE: number,
		outputs: number[],
		statuses: Expected['statuses'] = [],
	) => ({ methods: { GET, POST, DELETE }, requests: GET + POST + DELETE, outputs, statuses });
	if (c.operation === 'list')
		return make(Math.ceil(c.users / (c.pageSize ?? 100)), 0, 0, [c.users]);
	if (c.operation === 'block') {
		const e = expectedFor(userEntries(c.users, c.mix));
		const already = { 'already blocked': preblocked(c.users, c.mix).length };
		return make(0, Math.ceil(e.unique / BATCH), 0, [e.valid, e.invalid], [already]);
	}
	const { given, others } = listedSplit(c.users, c.listed ?? 0);
	const GET = Math.max(1, Math.ceil((c.listed ?? 0) / READ_PAGE));
	const rest = c.users - given;
	if (c.operation === 'check')
		return make(GET, 0, 0, [given, rest, 0], [{ blocked: given }, { 'not blocked': rest }]);
	return make(
		GET,
		Math.ceil(rest / BATCH),
		Math.ceil(others / BATCH),
		[rest + others, given, 0],
		[{ blocked: rest, unblocked: others }, { 'already blocked': given }],
	);
}

/** What the blocklist holds before a run of `users` users of the case (and how the sandbox pages). */
function prepFor(c: Case, phoneNumberId: string, users: number): Prep {
	let keys: string[] = [];
	if (c.operation === 'list')
		keys = Array.from({ length: users }, (_, i) => `9180${String(i).padStart(8, '0')}`);
	else if (c.listed !== undefined)
		keys = listedUsers(users, Math.round((c.listed * users) / c.users));
	else keys = preblocked(users, c.mix);
	return { lists: { [phoneNumberId]: keys }, paging: c.paging };
}

/** One measured run (the worker warms up on 1,000 users of the same case). */
function runCase(sandbox: SandboxProcess, c: Case, profile?: string): Promise<Run<NodeResult>> {
	const { key: _key, listed: _listed, paging: _paging, ...job } = c;
	return runWorker<NodeResult>(
		sandbox,
		{ kind: 'node', ...job, profile },
		{ warmup: prepFor(c, WARMUP_PHONE_ID, 1000), prep: prepFor(c, PHONE_ID, c.users) },
	);
}

const method = (m: Run, name: string) => m.sandbox.byTarget[`${name} ${PHONE_ID}`] ?? 0;

async function check(sandbox: SandboxProcess, c: Case, m: Run<NodeResult>): Promise<string[]> {
	const want = expected(c);
	const problems: string[] = [];
	if (m.worker.error) problems.push(`node error: ${m.worker.error}`);
	for (const name of ['GET', 'POST', 'DELETE'] as const)
		if (method(m, name) !== want.methods[name])
			problems.push(`${method(m, name)} ${name}s, expected ${want.methods[name]}`);
	if (m.sandbox.requests !== want.requests)
		problems.push(`${m.sandbox.requests} requests, expected ${want.requests}`);
	const outputs = want.outputs.map((_, i) => m.worker.outputItems[i] ?? 0);
	if (outputs.join() !== want.outputs.join())
		problems.push(`outputs ${outputs.join(' / ')}, expected ${want.outputs.join(' / ')}`);
	want.statuses.forEach((statuses, i) => {
		for (const [status, count] of Object.entries(statuses)) {
			const got = m.worker.statuses[i]?.[status] ?? 0;
			if (got !== count) problems.push(`output ${i}: ${got} "${status}", expected ${count}`);
		}
	});
	const bad = Object.keys(m.sandbox.statuses).filter((s) => s !== '200');
	if (bad.length > 0)
		problems.push(`answers other than 200: ${JSON.stringify(m.sandbox.statuses)}`);
	if (c.operation === 'sync') {
		// The blocklist must hold exactly the desired users (as wa_ids).
		const held = (await sandbox.contents(PHONE_ID)).sort().join();
		const want = Array.from({ length: c.users }, (_, i) => userNumber(i).slice(1))
			.sort()
			.join();
		if (held !== want)
			problems.push(`the blocklist after the sync is not exactly the ${c.users} desired`);
	}
	return problems;
}

export async function runInProcess(
	sandbox: SandboxProcess,
	o: BenchOptions,
): Promise<CaseResult[]> {
	const results: CaseResult[] = [];
	for (const c of cases(o.smoke).filter((x) => selected(o, x.key))) {
		const runs: Array<Run<NodeResult>> = [];
		const problems: string[] = [];
		for (let i = 1; i <= o.repeat; i++) {
			const m = await runCase(sandbox, c);
			runs.push(m);
			problems.push(...(await check(sandbox, c, m)).map((p) => `run ${i}: ${p}`));
			const f = m.worker.figures;
			o.log(
				`[in-process] ${c.key} run ${i}/${o.repeat}: ${fmt(f.wallMs, 0)} ms wall, ${fmt(f.innerCpuMs, 0)} ms CPU in execute() (${fmt(f.cpuMs, 0)} in all), ${m.sandbox.requests} requests, ${fmt(m.toFirstRequestMs, 0)} ms to the first request, ${fmt(m.afterLastRequestMs, 0)} ms after the last`,
			);
		}
		const mid = median(runs, (m) => m.worker.figures.wallMs);
		results.push({ case: c, runs, median: mid, expected: expected(c), problems });
	}
	return results;
}

/** `--profile`: CPU profiles of five cases (--only selects among them too), summed by bench/profile-summary.ts. */
export async function profileCases(
	sandbox: SandboxProcess,
	o: BenchOptions,
	dir: string,
): Promise<string> {
	const sections: string[] = [];
	for (const c of cases(false).filter((x) => PROFILED.includes(x.key) && selected(o, x.key))) {
		const file = path.join(dir, `profile-${c.key}.cpuprofile`);
		const m = await runCase(sandbox, c, file);
		const summary = summarise(JSON.parse(fs.readFileSync(file, 'utf8')), 15);
		const text = `### CPU profile: ${label(c)} (${fmt(m.worker.figures.wallMs, 0)} ms wall with the profiler on)\n\n${summary}`;
		o.log(text);
		sections.push(text);
	}
	return sections.join('\n\n');
}

// ---- tables and targets ---------------------------------------------------------------------

function label(c: Case): string {
	const { given } = listedSplit(c.users, c.listed ?? 0);
	const graph = c.paging === 'graph' ? ', Graph-style paging' : '';
	if (c.operation === 'check')
		return `Check ${n(c.users)} users vs a ${n(c.listed ?? 0)}-entry blocklist (${n(given)} of them on it)${graph}`;
	if (c.operation === 'sync')
		return `Sync ${n(c.users)} desired vs ${n(c.listed ?? 0)} listed (${n(given)} in both), Unblock Others on${graph}`;
	if (c.operation === 'list') return `list ${c.users} blocked users, page size ${c.pageSize}`;
	return `block ${c.users} users, ${c.usersPerItem} per item${c.mapping ? ' (Users = {{ $json.contact.phone }})' : ''}`;
}

/** Time the server was told to wait, if requests went out `concurrency` at a time. */
const waitMs = (requests: number, concurrency: number, latencyMs: number) =>
	Math.ceil(requests / concurrency) * latencyMs;

const wall = (r: CaseResult) =>
	withRange(
		r.median.worker.figures.wallMs,
		r.runs.map((m) => m.worker.figures.wallMs),
	);
const cpu = (m: Run<NodeResult>) =>
	`${fmt(m.worker.figures.innerCpuMs, 0)} / ${fmt(m.worker.figures.cpuMs, 0)}`;
const memory = (m: Run<NodeResult>) => [
	fmt(m.worker.figures.heapPeakDeltaMb, 1),
	fmt(m.worker.figures.heapHeldDeltaMb, 1),
	fmt(m.worker.figures.rssPeakDeltaMb, 1),
];
const MEMORY = 'peak heap +MB | heap held after +MB | peak RSS +MB';
const CPU = 'CPU ms: execute() / whole run';

/** What a Block case's input adds to its "users per item" cell: the mapping, the mix and its outcome. */
function inputLabel(c: Case, m: Run<NodeResult>): string {
	const mapping = c.mapping
		? '`$json.contact.phone`'
		: c.usersPerItem === 1
			? '`$json.phone`'
			: '`$json.phones`';
	const outcome = `${m.worker.outputItems[0]} ok / ${m.worker.outputItems[1] ?? 0} failed`;
	const mix = {
		repeats: `, 5% repeats + 5% invalid: ${outcome}`,
		bsuids: `, 1 in 4 a BSUID: ${outcome}`,
		rerun: `, re-run with half already blocked: ${outcome} (${m.worker.statuses[0]?.['already blocked'] ?? 0} already blocked)`,
	};
	return `${c.usersPerItem} (${mapping})${c.mix ? mix[c.mix] : ''}`;
}

function blockTable(results: CaseResult[], latencyMs: number): string {
	const rows = results.map((r) => {
		const m = r.median;
		const f = m.worker.figures;
		const wait = waitMs(m.sandbox.requests, r.case.maxConcurrency, latencyMs);
		return [
			n(r.case.users),
			inputLabel(r.case, m),
			String(r.case.maxConcurrency),
			`${m.sandbox.requests} (${r.expected.requests})`,
			wall(r),
			fmt(wait, 0),
			fmt(f.wallMs - wait, 0),
			`${fmt(m.toFirstRequestMs, 0)} / ${fmt(m.afterLastRequestMs, 0)}`,
			cpu(m),
			fmt((f.innerCpuMs * 1000) / r.case.users, 1),
			fmt(m.sandbox.cpuMs, 0),
			...memory(m),
		];
	});
	return table(
		`users | users per item (Users =) | max conc. | requests (expected) | wall ms (min–max) | server wait ms | wall − wait ms | before 1st / after last request ms | ${CPU} | execute() CPU µs/user | sandbox CPU ms | ${MEMORY}`,
		rows,
	);
}

function listTable(results: CaseResult[], latencyMs: number): string {
	const rows = results.map(({ case: c, median: m, expected: e }) => [
		n(c.users),
		String(c.pageSize),
		`${m.sandbox.requests} (${e.requests})`,
		String(m.worker.outputItems[0]),
		fmt(m.worker.figures.wallMs, 0),
		fmt(waitMs(m.sandbox.requests, 1, latencyMs), 0),
		cpu(m),
		...memory(m),
	]);
	return table(
		`blocked users | page size | requests (expected) | items out | wall ms | server wait ms | ${CPU} | ${MEMORY}`,
		rows,
	);
}

/** The latency floor of a Check or Sync case: (pages + batches) × latency, one request in flight. */
const floorMs = (r: CaseResult, latencyMs: number) =>
	waitMs(r.expected.requests, r.case.maxConcurrency, latencyMs);
/** CPU inside execute() scaled to 100,000 users given (Sync: desired users). */
const cpuPer100k = (r: CaseResult) => (r.median.worker.figures.innerCpuMs * 100_000) / r.case.users;

/** Check and Sync: requests per method and outputs against what they must be, wall against the latency floor, CPU, memory. */
function readFirstTable(results: CaseResult[], latencyMs: number): string {
	const rows = results.map((r) => {
		const { median: m, expected: e } = r;
		const methods = (['GET', 'POST', 'DELETE'] as const).map((x) => method(m, x)).join(' / ');
		const names =
			r.case.operation === 'check'
				? ['Blocked', 'Not Blocked', 'Failed']
				: ['Changed', 'Unchanged', 'Failed'];
		const outputs = names.map((name, i) => `${name} ${m.worker.outputItems[i] ?? 0}`).join(', ');
		return [
			label(r.case),
			`${methods} (${e.methods.GET} / ${e.methods.POST} / ${e.methods.DELETE})`,
			`${outputs} (${e.outputs.join(' / ')})`,
			wall(r),
			fmt(floorMs(r, latencyMs), 0),
			`${fmt(m.worker.figures.wallMs / floorMs(r, latencyMs), 2)}x`,
			cpu(m),
			fmt(cpuPer100k(r), 0),
			...memory(m),
		];
	});
	return table(
		`case | GET / POST / DELETE (expected) | outputs (expected) | wall ms (min–max) | latency floor ms | wall / floor | ${CPU} | execute() CPU ms per 100k users | ${MEMORY}`,
		rows,
	);
}

export function inProcessTables(results: CaseResult[], latencyMs: number): string {
	const of = (op: string) => results.filter((r) => r.case.operation === op);
	const byKey = new Map(results.map((r) => [r.case.key, r]));
	const c1 = byKey.get('block-100000-100pi-c1') ?? byKey.get('block-10000-100pi-c1');
	const c4 = byKey.get('block-100000-100pi-c4') ?? byKey.get('block-10000-100pi-c4');
	const [w1, w4] = [
		c1?.median.worker.figures.wallMs ?? NaN,
		c4?.median.worker.figures.wallMs ?? NaN,
	];
	const readFirst = [...of('check'), ...of('sync')].sort(
		(a, b) => results.indexOf(a) - results.indexOf(b),
	);
	return [
		of('block').length > 0 ? blockTable(of('block'), latencyMs) : '',
		c1 && c4
			? `Max Concurrent Requests 4 vs 1 at ${n(c1.case.users)} users: ${fmt(w1, 0)} ms / ${fmt(w4, 0)} ms = **${fmt(w1 / w4, 2)}x** faster.`
			: '',
		of('list').length > 0 ? listTable(of('list'), latencyMs) : '',
		readFirst.length > 0 ? readFirstTable(readFirst, latencyMs) : '',
	]
		.filter(Boolean)
		.join('\n\n');
}

const memoryHolds = (m: Run<NodeResult>) =>
	m.worker.figures.heapHeldDeltaMb < 100 && m.worker.figures.rssPeakDeltaMb < 100;
const memoryDetail = (m: Run<NodeResult>, what: string) =>
	`heap held with ${what} ${fmt(m.worker.figures.heapHeldDeltaMb, 1)} MB; peak heap incl. garbage ${fmt(m.worker.figures.heapPeakDeltaMb, 1)} MB; peak RSS +${fmt(m.worker.figures.rssPeakDeltaMb, 1)} MB`;

/**
 * The targets of a Check or Sync case: requests exact, wall within 1.1x of the latency floor,
 * CPU in execute() per 100k users (an upper bound of the node's own code: n8n's HTTP helper is
 * in it), added memory under 100 MB.
 */
function readFirstTargets(r: CaseResult, latencyMs: number): Target[] {
	const { median: m, expected: e } = r;
	const what = label(r.case);
	const ratio = m.worker.figures.wallMs / floorMs(r, latencyMs);
	const perUsers = cpuPer100k(r);
	return [
		{
			name: `${what}: requests exactly ${e.methods.GET} GET + ${e.methods.POST} POST + ${e.methods.DELETE} DELETE, outputs exact`,
			holds: r.problems.length === 0,
			detail: `${r.runs.length} run(s) checked${r.problems.length > 0 ? `; ${r.problems.join('; ')}` : ''}`,
		},
		{
			name: `${what}: wall within 1.1x of the latency floor`,
			holds: ratio <= 1.1,
			detail: `${fmt(m.worker.figures.wallMs, 0)} ms vs ${fmt(floorMs(r, latencyMs), 0)} ms = ${fmt(ratio, 2)}x`,
		},
		{
			name: `${what}: own CPU under 0.3 s per 100k users`,
			holds: perUsers < 300 ? true : undefined,
			detail: `${fmt(perUsers, 0)} ms per 100k users in execute() (${fmt(m.worker.figures.innerCpuMs, 0)} ms measured; n8n's HTTP helper for ${e.requests} requests included, so an upper bound${perUsers < 300 ? '' : ': see a profile for the own part'})`,
		},
		{
			name: `${what}: added memory under 100 MB`,
			holds: memoryHolds(m),
			detail: memoryDetail(m, 'the output'),
		},
	];
}

/** The in-process targets; `n8nNodeRuns` adds the real n8n's runs of the node to the request-count target. */
export function inProcessTargets(
	results: CaseResult[],
	latencyMs: number,
	n8nNodeRuns: { checked: number; wrong: string[] },
): Target[] {
	const out: Target[] = [];
	const byKey = new Map(results.map((r) => [r.case.key, r]));
	const blocks = results.filter((r) => r.case.operation === 'block');
	if (blocks.length > 0 || n8nNodeRuns.checked > 0) {
		const wrong = blocks.flatMap((r) =>
			r.runs.filter((m) => m.sandbox.requests !== r.expected.requests).map(() => r.case.key),
		);
		wrong.push(...n8nNodeRuns.wrong);
		out.push({
			name: 'Requests = ceil(unique valid users / 500), never one per user',
			holds: wrong.length === 0,
			detail: `${blocks.reduce((a, r) => a + r.runs.length, 0)} in-process and ${n8nNodeRuns.checked} n8n runs of the node checked${wrong.length > 0 ? `; wrong: ${wrong.join(', ')}` : ''}`,
		});
	}
	const c1 = byKey.get('block-100000-100pi-c1');
	const c4 = byKey.get('block-100000-100pi-c4');
	if (c1 && c4) {
		const speedup = c1.median.worker.figures.wallMs / c4.median.worker.figures.wallMs;
		out.push({
			name: 'maxConcurrency 4 at least 3x faster than 1 (100k users, 20 ms)',
			holds: speedup >= 3,
			detail: `${fmt(speedup, 2)}x`,
		});
	}
	if (c1) {
		const m = c1.median;
		const f = m.worker.figures;
		const overWait = f.wallMs - waitMs(m.sandbox.requests, 1, latencyMs);
		out.push(
			{
				name: "Node's own overhead under 1 s for 100k users (CPU time inside execute(), n8n's request helper included)",
				holds: f.innerCpuMs < 1000,
				detail: `${fmt(f.innerCpuMs, 0)} ms in execute() (runs: ${c1.runs.map((x) => fmt(x.worker.figures.innerCpuMs, 0)).join(', ')}); whole run incl. WorkflowExecute ${fmt(f.cpuMs, 0)} ms; wall − server wait = ${fmt(overWait, 0)} ms (includes the sandbox's own ${fmt(m.sandbox.cpuMs, 0)} ms CPU and loopback HTTP)`,
			},
			{
				name: 'Added memory under 100 MB for 100k users',
				holds: memoryHolds(m),
				detail: memoryDetail(m, 'the 100k output items'),
			},
		);
	}
	const listed =
		byKey.get(`list-${LIST_CAP}-p100`) ?? results.find((r) => r.case.operation === 'list');
	if (listed) {
		const f = listed.median.worker.figures;
		out.push({
			name: `List with Return All over ${n(listed.case.users)} blocked users pages through`,
			holds: listed.problems.length === 0,
			detail: `${listed.median.worker.outputItems[0]} items in ${listed.median.sandbox.requests} requests of ${listed.case.pageSize}; heap held with output ${fmt(f.heapHeldDeltaMb, 1)} MB, peak +${fmt(f.heapPeakDeltaMb, 1)} MB`,
		});
	}
	for (const r of results.filter((x) => x.case.listed !== undefined))
		out.push(...readFirstTargets(r, latencyMs));
	return out;
}
