/**
 * `npm run bench`: the performance benchmark of issue 4. Prints the tables of BENCHMARKS.md.
 *
 *   1. In process: the node's execute() through n8n-core's WorkflowExecute and real HTTP helper
 *      (scripts/n8n/runNode.ts), each measurement in a fresh process, against the sandbox in a
 *      process of its own with a fixed added latency per request.
 *   2. In a real n8n (the pinned version, scripts/n8n/): the same block done by the node, by a
 *      Code node + HTTP Request node, and by an HTTP Request node per user (bench/n8n-compare.ts).
 *
 * Flags (each also as an environment variable):
 *   --latency=20        BENCH_LATENCY_MS   ms the sandbox waits before answering each request
 *   --repeat=3          BENCH_REPEAT       in-process runs per case (the median run is shown)
 *   --rounds=3          BENCH_ROUNDS       real-n8n rounds (after one warm-up round)
 *   --skip-n8n          BENCH_SKIP_N8N=1   only the in-process part
 *   --skip-inprocess                       only the real-n8n part
 *   --package=FILE.tgz                     real-n8n part: install this packed build instead of
 *                                          building and packing the checkout (to compare builds)
 *   --only=REGEX                           only the in-process cases / n8n variants whose key matches
 *   --profile                              also CPU-profile three runs (100k-user block, 10k users
 *                                          mapped through n8n's expression engine, List of 64k)
 *                                          and print where the time goes (.cache/bench/*.cpuprofile)
 *   --smoke                                a tiny run (well under a minute, no n8n) that checks
 *                                          the request counts and outputs, not the timings
 *   --write                                put the tables into BENCHMARKS.md (between markers)
 *   BENCH_WORKER_FLAGS="--max-semi-space-size=1"   extra Node flags for the in-process workers
 * Results are also written as JSON to .cache/bench/results.json.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { runN8nComparison, type N8nResult, type Variant } from './n8n-compare';
import { measureInWorker, SandboxProcess, type Measured } from './processes';
import { formatSummary, summarise } from './profile-summary';
import { expectedFor, preblocked, userEntries, type UserMix } from './users';

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, '.cache', 'bench');
const BATCH = 500;
const PHONE_ID = '100000000000001';
const WARMUP_PHONE_ID = '100000000000009';
const LIST_CAP = 64_000;

// ---- options --------------------------------------------------------------------------------

function flag(name: string): string | undefined {
	const prefix = `--${name}=`;
	const hit = process.argv.find((arg) => arg === `--${name}` || arg.startsWith(prefix));
	if (hit === undefined) return undefined;
	return hit.startsWith(prefix) ? hit.slice(prefix.length) : 'true';
}

function numberOption(name: string, env: string, fallback: number): number {
	const raw = flag(name) ?? process.env[env];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
	return value;
}

const smoke = flag('smoke') !== undefined;
const options = {
	latencyMs: numberOption('latency', 'BENCH_LATENCY_MS', 20),
	repeat: Math.max(1, Math.floor(numberOption('repeat', 'BENCH_REPEAT', smoke ? 1 : 3))),
	rounds: Math.max(1, Math.floor(numberOption('rounds', 'BENCH_ROUNDS', 3))),
	n8n: !smoke && flag('skip-n8n') === undefined && !process.env.BENCH_SKIP_N8N,
	inProcess: flag('skip-inprocess') === undefined,
	profile: flag('profile') !== undefined,
	write: flag('write') !== undefined,
	only: flag('only') === undefined ? undefined : new RegExp(flag('only') as string),
};

// ---- in-process cases -----------------------------------------------------------------------

interface Case {
	key: string;
	group: 'scaling' | 'concurrency' | 'per-item' | 'list';
	operation: 'block' | 'list';
	users: number;
	usersPerItem: number;
	maxConcurrency: number;
	pageSize?: number;
	mapping?: 'field' | 'nested';
	/** Block: repeats + invalid entries, BSUIDs, or a re-run over a half-filled blocklist (bench/users.ts). */
	mix?: UserMix;
}

function cases(): Case[] {
	const block = (group: Case['group'], users: number, usersPerItem: number, maxConcurrency: number, mapping?: 'nested'): Case => ({
		key: `block-${users}-${usersPerItem}pi-c${maxConcurrency}${mapping ? `-${mapping}` : ''}`,
		group,
		operation: 'block',
		users,
		usersPerItem,
		maxConcurrency,
		mapping,
	});
	const list = (users: number, pageSize: number): Case => ({
		key: `list-${users}-p${pageSize}`,
		group: 'list',
		operation: 'list',
		users,
		usersPerItem: 0,
		maxConcurrency: 1,
		pageSize,
	});
	const mixed = (users: number, mix: UserMix = 'repeats'): Case => ({
		...block('per-item', users, 100, 1),
		key: `block-${users}-${mix === 'repeats' ? 'mixed' : mix}`,
		mix,
	});
	if (smoke) {
		return [
			block('scaling', 1000, 100, 1),
			block('scaling', 10_000, 100, 1),
			block('concurrency', 10_000, 100, 4),
			block('per-item', 1000, 1, 1),
			mixed(5000),
			mixed(5000, 'bsuids'),
			mixed(5000, 'rerun'),
			list(5000, 1000),
		];
	}
	return [
		block('scaling', 1000, 100, 1),
		block('scaling', 10_000, 100, 1),
		block('scaling', 100_000, 100, 1),
		block('concurrency', 100_000, 100, 4),
		block('per-item', 10_000, 1, 1),
		block('per-item', 100_000, 1, 1),
		block('per-item', 10_000, 1, 1, 'nested'),
		mixed(10_000),
		mixed(10_000, 'bsuids'),
		mixed(10_000, 'rerun'),
		list(LIST_CAP, 100),
		list(LIST_CAP, 1000),
	];
}

interface CaseResult {
	case: Case;
	runs: Measured[];
	/** The run with the median wall time (its figures are shown). */
	median: Measured;
	wallMsAll: number[];
	expectedRequests: number;
	expectedItems: number;
	problems: string[];
}

function median<T>(values: T[], by: (v: T) => number): T {
	const sorted = [...values].sort((a, b) => by(a) - by(b));
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * Puts into a blocklist what a run of `users` users of the case starts from: a List case's
 * blocked users, a re-run's already blocked half; nothing for other Block cases.
 */
async function prepareBlocklist(sandbox: SandboxProcess, c: Case, phoneNumberId: string, users: number): Promise<void> {
	if (c.operation === 'list') await sandbox.fill(phoneNumberId, users);
	else if (c.mix === 'rerun') await sandbox.set(phoneNumberId, preblocked(users, c.mix));
}

/**
 * One measured run: the warm-up blocklist is prepared before the worker starts (its warm-up
 * runs 1000 users), the measured one after the sandbox's reset, before the counting starts.
 */
async function runCase(sandbox: SandboxProcess, c: Case, profile?: string): Promise<Measured> {
	await prepareBlocklist(sandbox, c, WARMUP_PHONE_ID, 1000);
	return await measureInWorker(
		sandbox,
		options.latencyMs,
		{
			operation: c.operation,
			users: c.users,
			usersPerItem: c.usersPerItem,
			mapping: c.mapping,
			mix: c.mix,
			maxConcurrency: c.maxConcurrency,
			pageSize: c.pageSize,
			sandboxUrl: sandbox.url,
			apiKey: sandbox.apiKey,
			phoneNumberId: PHONE_ID,
			warmupPhoneNumberId: WARMUP_PHONE_ID,
			profile,
		},
		() => prepareBlocklist(sandbox, c, PHONE_ID, c.users),
	);
}

interface Expected {
	requests: number;
	succeeded: number;
	failed: number;
	/** Block: Succeeded items with status "already blocked" (the preloaded users). */
	alreadyBlocked?: number;
}

/** Requests and output items the case must produce: ceil(unique valid users / 500) for a block. */
function expected(c: Case): Expected {
	if (c.operation === 'list') return { requests: Math.ceil(c.users / (c.pageSize ?? 100)), succeeded: c.users, failed: 0 };
	const e = expectedFor(userEntries(c.users, c.mix));
	const alreadyBlocked = preblocked(c.users, c.mix).length;
	return { requests: Math.ceil(e.unique / BATCH), succeeded: e.valid, failed: e.invalid, alreadyBlocked };
}

/** Succeeded items with status "already blocked". */
function alreadyBlocked(m: Measured): number {
	return m.worker.outputStatuses?.['already blocked'] ?? 0;
}

function check(c: Case, m: Measured): string[] {
	const problems: string[] = [];
	const want = expected(c);
	if (m.worker.error) problems.push(`node error: ${m.worker.error}`);
	if (m.requests !== want.requests) problems.push(`${m.requests} requests, expected ${want.requests}`);
	if (m.worker.outputItems[0] !== want.succeeded) problems.push(`${m.worker.outputItems[0]} items succeeded, expected ${want.succeeded}`);
	if ((m.worker.outputItems[1] ?? 0) !== want.failed) problems.push(`${m.worker.outputItems[1] ?? 0} items failed, expected ${want.failed}`);
	if (want.alreadyBlocked !== undefined && alreadyBlocked(m) !== want.alreadyBlocked) {
		problems.push(`${alreadyBlocked(m)} items already blocked, expected ${want.alreadyBlocked}`);
	}
	const bad = Object.entries(m.statuses).filter(([status]) => status !== '200');
	if (bad.length > 0) problems.push(`answers other than 200: ${JSON.stringify(Object.fromEntries(bad))}`);
	return problems;
}

async function inProcess(sandbox: SandboxProcess, log: (line: string) => void): Promise<CaseResult[]> {
	const results: CaseResult[] = [];
	const all = cases().filter((c) => !options.only || options.only.test(c.key));
	for (const c of all) {
		const runs: Measured[] = [];
		const problems: string[] = [];
		for (let i = 0; i < options.repeat; i++) {
			const m = await runCase(sandbox, c);
			runs.push(m);
			problems.push(...check(c, m).map((p) => `run ${i + 1}: ${p}`));
			log(
				`[in-process] ${c.key} run ${i + 1}/${options.repeat}: ${fmt(m.worker.wallMs, 0)} ms wall, ${fmt(m.worker.executeCpuMs, 0)} ms CPU in execute() (${fmt(cpuMs(m), 0)} in all), ${m.requests} requests, ${fmt(m.toFirstRequestMs, 0)} ms to the first request, ${fmt(m.afterLastRequestMs, 0)} ms after the last`,
			);
		}
		const expectedRequests = expected(c).requests;
		results.push({
			case: c,
			runs,
			median: median(runs, (m) => m.worker.wallMs),
			wallMsAll: runs.map((m) => m.worker.wallMs),
			expectedRequests,
			expectedItems: c.users,
			problems,
		});
	}
	return results;
}

async function profileCases(sandbox: SandboxProcess, log: (line: string) => void): Promise<string> {
	fs.mkdirSync(OUT_DIR, { recursive: true });
	const sections: string[] = [];
	const targets: Case[] = [
		{ key: 'profile-100k', group: 'scaling', operation: 'block', users: smoke ? 10_000 : 100_000, usersPerItem: 100, maxConcurrency: 1 },
		{ key: 'profile-per-item', group: 'per-item', operation: 'block', users: 10_000, usersPerItem: 1, maxConcurrency: 1, mapping: 'nested' },
		{ key: 'profile-list', group: 'list', operation: 'list', users: smoke ? 5000 : LIST_CAP, usersPerItem: 0, maxConcurrency: 1, pageSize: 100 },
	];
	for (const c of targets) {
		const file = path.join(OUT_DIR, `${c.key}.cpuprofile`);
		const m = await runCase(sandbox, c, file);
		const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
		const what =
			c.operation === 'list'
				? `list ${c.users} blocked users, page size ${c.pageSize}`
				: `block ${c.users} users, ${c.usersPerItem} per item${c.mapping === 'nested' ? ' (Users = {{ $json.contact.phone }})' : ''}`;
		const text = `### CPU profile: ${what} (${fmt(m.worker.wallMs, 0)} ms wall with the profiler on)\n\n${formatSummary(summarise(profile, 15))}`;
		log(text);
		sections.push(text);
	}
	return sections.join('\n\n');
}

// ---- formatting -----------------------------------------------------------------------------

function fmt(value: number, digits = 1): string {
	return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function cpuMs(m: Measured): number {
	return m.worker.cpuUserMs + m.worker.cpuSystemMs;
}

/** Time the server was told to wait, if requests went out `concurrency` at a time. */
function idealMs(requests: number, concurrency: number): number {
	return Math.ceil(requests / concurrency) * options.latencyMs;
}

function table(header: string[], rows: string[][]): string {
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** What a Block case's mix adds to its "users per item" cell: the mix and the outcome counts. */
function mixLabel(c: Case, m: Measured): string {
	const outcome = `${m.worker.outputItems[0]} ok / ${m.worker.outputItems[1] ?? 0} failed`;
	switch (c.mix) {
		case 'repeats':
			return `, 5% repeats + 5% invalid: ${outcome}`;
		case 'bsuids':
			return `, 1 in 4 a BSUID: ${outcome}`;
		case 'rerun':
			return `, re-run with half already blocked: ${outcome} (${alreadyBlocked(m)} already blocked)`;
		default:
			return '';
	}
}

function inProcessTables(results: CaseResult[]): string {
	const byKey = new Map(results.map((r) => [r.case.key, r]));
	const blockRow = (r: CaseResult) => {
		const m = r.median;
		const ideal = idealMs(m.requests, r.case.maxConcurrency);
		return [
			r.case.users.toLocaleString('en-US'),
			(r.case.usersPerItem === 1 ? `1 (${r.case.mapping === 'nested' ? '`$json.contact.phone`' : '`$json.phone`'})` : `${r.case.usersPerItem} (\`$json.phones\`)`) +
				mixLabel(r.case, m),
			String(r.case.maxConcurrency),
			`${m.requests} (${r.expectedRequests})`,
			`${fmt(m.worker.wallMs, 0)}${r.runs.length > 1 ? ` (${fmt(Math.min(...r.wallMsAll), 0)}–${fmt(Math.max(...r.wallMsAll), 0)})` : ''}`,
			fmt(ideal, 0),
			fmt(m.worker.wallMs - ideal, 0),
			`${fmt(m.toFirstRequestMs, 0)} / ${fmt(m.afterLastRequestMs, 0)}`,
			`${fmt(m.worker.executeCpuMs, 0)} / ${fmt(cpuMs(m), 0)}`,
			fmt((m.worker.executeCpuMs * 1000) / r.case.users, 1),
			fmt(m.sandboxCpuMs, 0),
			fmt(m.worker.heapPeakDeltaMb, 1),
			fmt(m.worker.heapWithOutputDeltaMb, 1),
			fmt(m.worker.rssPeakDeltaMb, 1),
		];
	};
	const header = [
		'users',
		'users per item (Users =)',
		'max conc.',
		'requests (expected)',
		'wall ms (min–max)',
		'server wait ms',
		'wall − wait ms',
		'before 1st / after last request ms',
		'CPU ms: execute() / whole run',
		'execute() CPU µs/user',
		'sandbox CPU ms',
		'peak heap +MB',
		'heap held after +MB',
		'peak RSS +MB',
	];
	const parts: string[] = [];
	const blocks = results.filter((r) => r.case.operation === 'block');
	parts.push(table(header, blocks.map(blockRow)));

	const c1 = byKey.get('block-100000-100pi-c1') ?? byKey.get('block-10000-100pi-c1');
	const c4 = byKey.get('block-100000-100pi-c4') ?? byKey.get('block-10000-100pi-c4');
	if (c1 && c4) {
		parts.push(
			`Max Concurrent Requests 4 vs 1 at ${c1.case.users.toLocaleString('en-US')} users: ${fmt(c1.median.worker.wallMs, 0)} ms / ${fmt(c4.median.worker.wallMs, 0)} ms = **${fmt(c1.median.worker.wallMs / c4.median.worker.wallMs, 2)}x** faster.`,
		);
	}

	const lists = results.filter((r) => r.case.operation === 'list');
	if (lists.length > 0) {
		parts.push(
			table(
				['blocked users', 'page size', 'requests (expected)', 'items out', 'wall ms', 'server wait ms', 'CPU ms: execute() / whole run', 'peak heap +MB', 'heap held after +MB', 'peak RSS +MB'],
				lists.map((r) => {
					const m = r.median;
					return [
						r.case.users.toLocaleString('en-US'),
						String(r.case.pageSize),
						`${m.requests} (${r.expectedRequests})`,
						String(m.worker.outputItems[0]),
						fmt(m.worker.wallMs, 0),
						fmt(idealMs(m.requests, 1), 0),
						`${fmt(m.worker.executeCpuMs, 0)} / ${fmt(cpuMs(m), 0)}`,
						fmt(m.worker.heapPeakDeltaMb, 1),
						fmt(m.worker.heapWithOutputDeltaMb, 1),
						fmt(m.worker.rssPeakDeltaMb, 1),
					];
				}),
			),
		);
	}
	return parts.join('\n\n');
}

interface VariantSummary {
	variant: Variant;
	spanMs: number;
	spans: number[];
	executions: number[];
	requests: number[];
	ok: boolean;
	problems: string[];
}

function summariseN8n(result: N8nResult): Map<string, VariantSummary> {
	const out = new Map<string, VariantSummary>();
	for (const variant of result.variants) {
		const runs = result.runs.filter((r) => r.variant === variant.key && r.round > 0);
		const spans = runs.map((r) => r.spanMs);
		out.set(variant.key, {
			variant,
			spanMs: median(spans, (s) => s),
			spans,
			executions: runs.map((r) => r.executionMs),
			requests: runs.map((r) => r.requests),
			ok: runs.every((r) => r.ok),
			problems: runs.filter((r) => !r.ok).map((r) => `round ${r.round}: ${r.problem}`),
		});
	}
	return out;
}

function n8nTables(result: N8nResult): string {
	const summary = summariseN8n(result);
	const rows: string[][] = [];
	const ratioTo = (key: string, base: string): string => {
		const a = summary.get(key);
		const b = summary.get(base);
		return a && b ? `${fmt(a.spanMs / b.spanMs, 2)}x` : '–';
	};
	for (const s of summary.values()) {
		const v = s.variant;
		let versus = '';
		const perUser = summary.get(`per-user-${v.users}`);
		if (v.kind === 'node' && perUser) versus = `${fmt(perUser.spanMs / s.spanMs, 0)}x faster than per-user`;
		else if (v.kind === 'node') versus = `${ratioTo(v.key, v.key.replace(/^node/, 'code-http'))} of Code + HTTP`;
		rows.push([
			v.users.toLocaleString('en-US'),
			v.shape === 'item' ? '1 per item' : '100 per item',
			v.label,
			v.concurrency === undefined ? 'all at once' : String(v.concurrency),
			s.requests.join(', '),
			`**${fmt(s.spanMs, 0)}** (${s.spans.map((x) => fmt(x, 0)).join(', ')})`,
			fmt(median(s.executions, (x) => x), 0),
			fmt((s.spanMs * 1000) / v.users, 0),
			versus,
			s.ok ? 'yes' : `NO: ${s.problems.join('; ')}`,
		]);
	}
	return table(['users', 'input', 'workflow', 'in flight', 'requests per run', 'time ms: median (runs)', 'whole execution ms', 'µs/user', 'ratio', 'all blocked'], rows);
}

// ---- targets --------------------------------------------------------------------------------

interface Target {
	name: string;
	holds: boolean | undefined;
	detail: string;
}

function targets(inproc: CaseResult[], n8n: N8nResult | undefined): Target[] {
	const out: Target[] = [];
	const byKey = new Map(inproc.map((r) => [r.case.key, r]));
	const blocks = inproc.filter((r) => r.case.operation === 'block');
	if (blocks.length > 0 || n8n) {
		const bad = blocks.flatMap((r) => r.runs.filter((m) => m.requests !== r.expectedRequests).map(() => r.case.key));
		const n8nNode = n8n ? n8n.runs.filter((r) => r.round > 0 && n8n.variants.find((v) => v.key === r.variant)?.kind === 'node') : [];
		const n8nBad = n8n
			? n8nNode.filter((r) => r.requests !== Math.ceil((n8n.variants.find((v) => v.key === r.variant)?.users ?? 0) / BATCH))
			: [];
		out.push({
			name: 'Requests = ceil(unique valid users / 500), never one per user',
			holds: bad.length === 0 && n8nBad.length === 0,
			detail: `${blocks.reduce((a, r) => a + r.runs.length, 0)} in-process and ${n8nNode.length} n8n runs of the node checked${bad.length + n8nBad.length > 0 ? `; wrong: ${[...bad, ...n8nBad.map((r) => r.variant)].join(', ')}` : ''}`,
		});
	}
	const c1 = byKey.get('block-100000-100pi-c1');
	const c4 = byKey.get('block-100000-100pi-c4');
	if (c1 && c4) {
		const speedup = c1.median.worker.wallMs / c4.median.worker.wallMs;
		out.push({ name: 'maxConcurrency 4 at least 3x faster than 1 (100k users, 20 ms)', holds: speedup >= 3, detail: `${fmt(speedup, 2)}x` });
	}
	if (c1) {
		const cpu = c1.median.worker.executeCpuMs;
		const overWait = c1.median.worker.wallMs - idealMs(c1.median.requests, 1);
		out.push({
			name: "Node's own overhead under 1 s for 100k users (CPU time inside execute(), n8n's request helper included)",
			holds: cpu < 1000,
			detail: `${fmt(cpu, 0)} ms in execute() (runs: ${c1.runs.map((m) => fmt(m.worker.executeCpuMs, 0)).join(', ')}); whole run incl. WorkflowExecute ${fmt(cpuMs(c1.median), 0)} ms; wall − server wait = ${fmt(overWait, 0)} ms (includes the sandbox's own ${fmt(c1.median.sandboxCpuMs, 0)} ms CPU and loopback HTTP)`,
		});
		out.push({
			name: 'Added memory under 100 MB for 100k users',
			holds: c1.median.worker.heapWithOutputDeltaMb < 100 && c1.median.worker.rssPeakDeltaMb < 100,
			detail: `heap held with the 100k output items ${fmt(c1.median.worker.heapWithOutputDeltaMb, 1)} MB; peak heap incl. garbage ${fmt(c1.median.worker.heapPeakDeltaMb, 1)} MB; peak RSS +${fmt(c1.median.worker.rssPeakDeltaMb, 1)} MB`,
		});
	}
	const list = byKey.get(`list-${LIST_CAP}-p100`) ?? inproc.find((r) => r.case.operation === 'list');
	if (list) {
		out.push({
			name: `List with Return All over ${list.case.users.toLocaleString('en-US')} blocked users pages through`,
			holds: list.problems.length === 0,
			detail: `${list.median.worker.outputItems[0]} items in ${list.median.requests} requests of ${list.case.pageSize}; heap held with output ${fmt(list.median.worker.heapWithOutputDeltaMb, 1)} MB, peak +${fmt(list.median.worker.heapPeakDeltaMb, 1)} MB`,
		});
	}
	if (n8n) {
		const s = summariseN8n(n8n);
		for (const [key, v] of s) {
			if (v.variant.kind !== 'node' || v.variant.users !== n8n.variants[0].users) continue;
			const other = s.get(key.replace(/^node/, 'code-http'));
			if (!other) continue;
			const ratio = v.spanMs / other.spanMs;
			out.push({
				name: `n8n: node ≤ 1.0x Code + HTTP Request at ${v.variant.concurrency} in flight, ${v.variant.shape === 'item' ? 'one user per item' : '100 users per item'}`,
				holds: ratio <= 1,
				detail: `${fmt(v.spanMs, 0)} ms vs ${fmt(other.spanMs, 0)} ms = ${fmt(ratio, 2)}x`,
			});
		}
		const few = n8n.variants.find((v) => v.kind === 'per-user');
		const node = few && s.get(`node-${few.users}`);
		const perUser = few && s.get(few.key);
		if (few && node && perUser) {
			out.push({
				name: `n8n: node far faster than an HTTP Request per user (${few.users.toLocaleString('en-US')} users)`,
				holds: perUser.spanMs / node.spanMs >= 5,
				detail: `${fmt(node.spanMs, 0)} ms vs ${fmt(perUser.spanMs, 0)} ms: ${fmt(perUser.spanMs / node.spanMs, 1)}x faster, ${perUser.requests[0]} requests vs ${node.requests[0]}`,
			});
		}
	}
	return out;
}

// ---- main -----------------------------------------------------------------------------------

function machine(): string {
	const cpus = os.cpus();
	let n8nVersion = '';
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		n8nVersion = (require('../scripts/n8n/install') as { N8N_VERSION: string }).N8N_VERSION;
	} catch {
		n8nVersion = '?';
	}
	return [
		`- CPU: ${cpus[0]?.model ?? '?'}, ${cpus.length} cores (nproc ${os.availableParallelism()})`,
		`- Memory: ${fmt(os.totalmem() / 1024 ** 3, 1)} GB`,
		`- OS: ${os.type()} ${os.release()}`,
		`- Node ${process.versions.node}; n8n-core ${pkgVersion('n8n-core')} / n8n-workflow ${pkgVersion('n8n-workflow')} in process; n8n ${n8nVersion} for the real-n8n part`,
		`- Load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`,
	].join('\n');
}

function pkgVersion(name: string): string {
	try {
		return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
	} catch {
		return '?';
	}
}

function writeMarkdown(report: string): void {
	const file = path.join(ROOT, 'BENCHMARKS.md');
	const begin = '<!-- bench:begin (written by `npm run bench -- --write`) -->';
	const end = '<!-- bench:end -->';
	const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
	const from = current.indexOf(begin);
	const to = current.indexOf(end);
	if (from < 0 || to < from) throw new Error('BENCHMARKS.md has no bench markers');
	fs.writeFileSync(file, `${current.slice(0, from + begin.length)}\n${report}\n${current.slice(to)}`);
}

async function main(): Promise<void> {
	const started = Date.now();
	const log = (line: string) => console.error(line);
	const head = machine();
	log(head);
	log(`latency ${options.latencyMs} ms per request; ${options.repeat} run(s) per in-process case; ${options.n8n ? `${options.rounds} real-n8n round(s)` : 'no real-n8n part'}`);

	const sandbox = await SandboxProcess.start({ latencyMs: options.latencyMs, phoneNumberIds: [PHONE_ID, WARMUP_PHONE_ID], blocklistCap: 10_000_000 });
	let inproc: CaseResult[] = [];
	let n8n: N8nResult | undefined;
	let profileText = '';
	try {
		if (options.inProcess) inproc = await inProcess(sandbox, log);
		if (options.profile) profileText = await profileCases(sandbox, log);
		if (options.n8n) {
			n8n = await runN8nComparison(sandbox, {
				latencyMs: options.latencyMs,
				users: 10_000,
				perUserUsers: 1000,
				rounds: options.rounds,
				concurrencies: [1, 10],
				only: options.only,
				packed: flag('package') === undefined ? undefined : path.resolve(flag('package') as string),
				log,
			});
		}
	} finally {
		await sandbox.close();
	}

	const seconds = (Date.now() - started) / 1000;
	const checks = targets(inproc, n8n);
	const sections = [
		`Measured ${new Date().toISOString().slice(0, 10)}, \`npm run bench\`${smoke ? ' -- --smoke' : ''} (latency ${options.latencyMs} ms per request, ${options.repeat} run(s) per in-process case${n8n ? `, ${options.rounds} real-n8n rounds` : ''}), ${fmt(seconds, 0)} s in all.`,
		`#### Machine\n\n${head}\n- Load average at end: ${os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(', ')}`,
	];
	if (inproc.length > 0) sections.push(`#### In process (n8n-core WorkflowExecute + real HTTP helper)\n\n${inProcessTables(inproc)}`);
	if (n8n) sections.push(`#### Real n8n ${n8n.n8nVersion} (one \`n8n executeBatch\` process, median of ${options.rounds} alternating rounds)\n\n${n8nTables(n8n)}`);
	sections.push(`#### Targets\n\n${table(['target', 'holds', 'measured'], checks.map((t) => [t.name, t.holds === undefined ? '?' : t.holds ? 'yes' : '**no**', t.detail]))}`);
	const report = sections.join('\n\n');
	console.log(report);
	if (profileText) console.log(`\n${profileText}`);

	fs.mkdirSync(OUT_DIR, { recursive: true });
	fs.writeFileSync(
		path.join(OUT_DIR, smoke ? 'results-smoke.json' : 'results.json'),
		JSON.stringify({ options, seconds, inProcess: inproc, n8n, targets: checks }, null, 2),
	);
	if (options.write) writeMarkdown(report);

	const problems = [...inproc.flatMap((r) => r.problems.map((p) => `${r.case.key}: ${p}`))];
	if (n8n) problems.push(...n8n.runs.filter((r) => !r.ok).map((r) => `n8n ${r.variant} round ${r.round}: ${r.problem}`));
	if (problems.length > 0) {
		log(`\nFAILED checks (request counts, outputs):\n${problems.join('\n')}`);
		process.exitCode = 1;
	}
	log(`bench finished in ${fmt(seconds, 0)} s`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	process.exit(1);
});
