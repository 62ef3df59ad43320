/**
 * `npm run bench`: the performance benchmark of issue 4; prints the tables of BENCHMARKS.md.
 *
 *   1. In process (bench/inprocess.ts): Block, List, Check and Sync through n8n-core's
 *      WorkflowExecute and real HTTP helper, each run in a fresh process, against the sandbox in
 *      a process of its own with a fixed added latency per request.
 *   2. In a real n8n (bench/n8n-compare.ts): the block done by the node, by Code + HTTP Request
 *      and by an HTTP Request per user; Sync against List + Compare Datasets + Block + Unblock.
 *   3. The WhatsApp Blocklist Trigger (bench/trigger.ts): the size of its saved state, polls of
 *      64,000 users, whether one fits the durable scheduler's budget. Its tables go into their
 *      own section of BENCHMARKS.md.
 *
 * Flags:
 *   --latency=20      ms the sandbox waits before answering each request (or BENCH_LATENCY_MS)
 *   --repeat=3        in-process runs per case and trigger runs per poll (the median run is shown)
 *   --rounds=3        real-n8n rounds (after one warm-up round)
 *   --skip-n8n        only the in-process part and the trigger
 *   --skip-inprocess  only the real-n8n part
 *   --package=FILE    real n8n: install this packed build (.tgz) instead of packing the checkout
 *   --only=REGEX      only the cases, variants and parts whose key matches: in process e.g.
 *                     block-100000-100pi-c4, list-64000-p100, check-100000-vs-64000,
 *                     sync-64000-vs-64000; n8n e.g. node-c10, sync-node, sync-fail-compare-cof
 *                     (bench/n8n-compare.ts); trigger-state, trigger-polls, trigger-slow
 *   --profile         also CPU-profile five in-process cases and print where the time goes
 *   --smoke           a small run without n8n that checks request counts and outputs, not timings
 *   --write           put the tables into BENCHMARKS.md between the markers (the trigger's
 *                     between its own, so --only=trigger --write leaves the rest)
 *   BENCH_WORKER_FLAGS="--max-semi-space-size=1"   extra Node flags for the measuring workers
 * Results also go to .cache/bench/results.json. Exits 1 if a run sent a wrong number of requests
 * or gave wrong outputs; timings never fail it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { fmt, targetTable } from './format';
import { inProcessTables, inProcessTargets, profileCases, runInProcess } from './inprocess';
import { n8nNodeRequests, n8nTables, n8nTargets, runN8nComparison } from './n8n-compare';
import {
	PHONE_ID,
	SandboxProcess,
	WARMUP_PHONE_ID,
	selected,
	type BenchOptions,
} from './processes';
import { runTriggerBench, triggerReport } from './trigger';

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, '.cache', 'bench');
const MARKERS = {
	main: ['<!-- bench:begin (written by `npm run bench -- --write`) -->', '<!-- bench:end -->'],
	trigger: [
		'<!-- bench:trigger:begin (written by `npm run bench -- --only=trigger --write`) -->',
		'<!-- bench:trigger:end -->',
	],
};

const args = process.argv.slice(2);
/** `--name=value` or `--name` (then 'true'). */
function flag(name: string): string | undefined {
	const hit = args.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
	return hit?.slice(`--${name}=`.length) || (hit ? 'true' : undefined);
}
function count(name: string, fallback: number, raw = flag(name)): number {
	const value = Number(raw ?? fallback);
	if (!Number.isFinite(value) || value < 0)
		throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
	return value;
}

function machine(): string {
	/* eslint-disable @typescript-eslint/no-require-imports */
	const version = (name: string) =>
		(require(`${name}/package.json`) as { version: string }).version;
	const n8n = (require('../scripts/n8n/install') as { N8N_VERSION: string }).N8N_VERSION;
	/* eslint-enable @typescript-eslint/no-require-imports */
	const cpus = os.cpus();
	return [
		`- CPU: ${cpus[0]?.model ?? '?'}, ${cpus.length} cores (nproc ${os.availableParallelism()})`,
		`- Memory: ${fmt(os.totalmem() / 1024 ** 3, 1)} GB`,
		`- OS: ${os.type()} ${os.release()}`,
		`- Node ${process.versions.node}; n8n-core ${version('n8n-core')} / n8n-workflow ${version('n8n-workflow')} in process; n8n ${n8n} for the real-n8n part`,
		`- Load average at start: ${load()}`,
	].join('\n');
}
const load = () =>
	os
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(', ');

/** Puts `report` between the markers in BENCHMARKS.md (which must hold them). */
function writeMarkdown(report: string, [begin, end]: string[]): void {
	const file = path.join(ROOT, 'BENCHMARKS.md');
	const current = fs.readFileSync(file, 'utf8');
	const from = current.indexOf(begin);
	const to = current.indexOf(end);
	if (from < 0 || to < from) throw new Error(`BENCHMARKS.md has no markers ${begin} ... ${end}`);
	fs.writeFileSync(
		file,
		`${current.slice(0, from + begin.length)}\n${report}\n${current.slice(to)}`,
	);
}

async function main(): Promise<void> {
	if (flag('help')) return void console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
	const started = Date.now();
	const smoke = flag('smoke') !== undefined;
	const o: BenchOptions = {
		latencyMs: count('latency', 20, flag('latency') ?? (process.env.BENCH_LATENCY_MS || undefined)),
		repeat: Math.max(1, Math.floor(count('repeat', smoke ? 1 : 3))),
		rounds: Math.max(1, Math.floor(count('rounds', 3))),
		smoke,
		only: flag('only') === undefined ? undefined : new RegExp(flag('only') as string),
		log: (line) => console.error(line),
	};
	const inProcess = flag('skip-inprocess') === undefined;
	const withN8n = !smoke && flag('skip-n8n') === undefined;
	const head = machine();
	o.log(
		`${head}\nlatency ${o.latencyMs} ms per request; ${o.repeat} run(s) per in-process case; ${withN8n ? `${o.rounds} real-n8n round(s)` : 'no real-n8n part'}`,
	);

	// The cap is raised far above the real 64,000: a 100,000-user block would otherwise be refused
	// past 64,000, and Sync of 64,000 vs 64,000 blocks its 32,000 new users before it unblocks the
	// 32,000 others, so the list holds 96,000 in between.
	const sandbox = await SandboxProcess.start({
		latencyMs: o.latencyMs,
		phoneNumberIds: [PHONE_ID, WARMUP_PHONE_ID],
		blocklistCap: 10_000_000,
	});
	fs.mkdirSync(OUT_DIR, { recursive: true });
	const [inproc, trigger, profile, n8n] = await (async () => {
		try {
			const runTrigger =
				inProcess && ['trigger-state', 'trigger-polls', 'trigger-slow'].some((k) => selected(o, k));
			return [
				inProcess ? await runInProcess(sandbox, o) : [],
				runTrigger ? await runTriggerBench(sandbox, o) : undefined,
				flag('profile') ? await profileCases(sandbox, o, OUT_DIR) : '',
				withN8n
					? await runN8nComparison(
							sandbox,
							o,
							flag('package') && path.resolve(flag('package') as string),
						)
					: undefined,
			] as const;
		} finally {
			await sandbox.close();
		}
	})();

	const seconds = (Date.now() - started) / 1000;
	const targets = [
		...inProcessTargets(inproc, o.latencyMs, n8nNodeRequests(n8n)),
		...(n8n ? n8nTargets(n8n) : []),
	];
	const sections = [
		`Measured ${new Date().toISOString().slice(0, 10)}, \`npm run bench\`${smoke ? ' -- --smoke' : ''} (latency ${o.latencyMs} ms per request, ${o.repeat} run(s) per in-process case${n8n ? `, ${o.rounds} real-n8n rounds` : ''}), ${fmt(seconds, 0)} s in all.`,
		`#### Machine\n\n${head}\n- Load average at end: ${load()}`,
	];
	if (inproc.length > 0)
		sections.push(
			`#### In process (n8n-core WorkflowExecute + real HTTP helper)\n\n${inProcessTables(inproc, o.latencyMs)}`,
		);
	if (n8n)
		sections.push(
			`#### Real n8n ${n8n.n8nVersion} (one \`n8n executeBatch\` process, median of ${o.rounds} alternating rounds)\n\n${n8nTables(n8n)}`,
		);
	sections.push(`#### Targets\n\n${targetTable(targets)}`);
	const report = sections.join('\n\n');
	// Only the trigger ran (--only=trigger): the main tables are neither printed nor written.
	const mainRan = inproc.length > 0 || n8n !== undefined || !trigger;
	if (mainRan) console.log(report);
	const shown = args.filter((arg) => arg !== '--write' && arg !== '--smoke');
	const command = `npm run ${smoke ? 'bench:smoke' : 'bench'}${shown.length > 0 ? ` -- ${shown.join(' ')}` : ''}`;
	const triggerText = trigger ? triggerReport(trigger, command) : '';
	if (triggerText) console.log(`\n#### WhatsApp Blocklist Trigger\n\n${triggerText}`);
	if (profile) console.log(`\n${profile}`);
	const results = { options: o, seconds, inProcess: inproc, n8n, trigger, targets };
	fs.writeFileSync(
		path.join(OUT_DIR, smoke ? 'results-smoke.json' : 'results.json'),
		JSON.stringify(results, null, 2),
	);
	if (flag('write') && mainRan) writeMarkdown(report, MARKERS.main);
	if (flag('write') && triggerText) writeMarkdown(triggerText, MARKERS.trigger);

	const problems = [
		...inproc.flatMap((r) => r.problems.map((p) => `${r.case.key}: ${p}`)),
		...(trigger?.problems ?? []),
		...(n8n?.runs ?? [])
			.filter((r) => !r.ok)
			.map((r) => `n8n ${r.variant} round ${r.round}: ${r.problem}`),
	];
	if (problems.length > 0) {
		o.log(`\nFAILED checks (request counts, outputs):\n${problems.join('\n')}`);
		process.exitCode = 1;
	}
	o.log(`bench finished in ${fmt(seconds, 0)} s`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	process.exit(1);
});
