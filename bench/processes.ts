/**
 * The bench's child processes: the sandbox (bench/sandbox-process.ts) and the measuring workers
 * (bench/worker.ts), TypeScript through ts-node, talked to over IPC. `runWorker` is the one way a
 * measurement runs: a fresh worker warms up, the sandbox is reset and prepared (so the warm-up
 * is not counted), the worker measures once, and the sandbox's figures of that run come with it.
 */
import { type ChildProcess, fork } from 'child_process';
import * as path from 'path';

import type { Prep, SandboxOptions, SandboxStats } from './sandbox-process';
import type { WorkerJob, WorkerResult } from './worker';

/** The phone number ID measured, and the one the workers warm up on. */
export const PHONE_ID = '100000000000001';
export const WARMUP_PHONE_ID = '100000000000009';

export interface BenchOptions {
	/** Added by the sandbox to every request. */
	latencyMs: number;
	/** In-process runs per case, trigger runs per poll (the median run is shown). */
	repeat: number;
	/** Real-n8n rounds after the warm-up round. */
	rounds: number;
	smoke: boolean;
	/** --only: the cases, n8n variants and trigger parts whose key matches (all when unset). */
	only?: RegExp;
	log: (line: string) => void;
}

export const selected = (options: BenchOptions, key: string) =>
	!options.only || options.only.test(key);

/** Forks a bench TypeScript file with `arg` as JSON in argv[2] and an IPC channel. */
function forkTs(file: string, arg: unknown, execArgv: string[] = []): ChildProcess {
	return fork(path.join(__dirname, file), [JSON.stringify(arg)], {
		execArgv: [
			'-r',
			'ts-node/register/transpile-only',
			'-r',
			require.resolve('./register.js'),
		].concat(execArgv),
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
	});
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The sandbox in its own process. */
export class SandboxProcess {
	private nextId = 1;
	private readonly pending = new Map<
		number,
		(m: { ok: boolean; value: unknown; error?: string }) => void
	>();

	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
		readonly apiKey: string,
	) {
		child.on('message', (m: { id?: number; ok: boolean; value: unknown; error?: string }) => {
			const settle = m.id === undefined ? undefined : this.pending.get(m.id);
			if (settle && m.id !== undefined && this.pending.delete(m.id)) settle(m);
		});
	}

	static start(options: SandboxOptions): Promise<SandboxProcess> {
		const child = forkTs('sandbox-process.ts', options);
		return new Promise((resolve, reject) => {
			child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)));
			child.once('message', (m: { url: string; apiKey: string }) =>
				resolve(new SandboxProcess(child, m.url, m.apiKey)),
			);
		});
	}

	private command<T>(cmd: string, more: object = {}): Promise<T> {
		const id = this.nextId++;
		return new Promise<T>((resolve, reject) => {
			this.pending.set(id, (m) =>
				m.ok ? resolve(m.value as T) : reject(new Error(m.error ?? `sandbox ${cmd} failed`)),
			);
			this.child.send({ id, cmd, ...more });
		});
	}

	/** Clears requests and blocklists, then applies `prep` until the next reset. */
	reset(prep: Prep = {}): Promise<void> {
		return this.command('reset', { prep });
	}

	/** Requests, statuses and the sandbox's CPU since the last reset. */
	stats(): Promise<SandboxStats> {
		return this.command('stats');
	}

	/** That blocklist's keys: wa_ids (numbers without '+') and BSUIDs. */
	contents(phoneNumberId: string): Promise<string[]> {
		return this.command('contents', { phoneNumberId });
	}

	async close(): Promise<void> {
		const done = exited(this.child);
		this.child.send({ id: 0, cmd: 'close' });
		await done;
	}
}

export interface Run<R extends WorkerResult = WorkerResult> {
	worker: R;
	/** The sandbox's figures during the measured run only. */
	sandbox: SandboxStats;
	/** From the start of the run to the first request reaching the sandbox (before any latency). */
	toFirstRequestMs: number;
	/** From the last request being served to the end of the run (building the output). */
	afterLastRequestMs: number;
}

/**
 * One measurement in a fresh worker process (bench/worker.ts, with --expose-gc and the extra
 * Node flags of BENCH_WORKER_FLAGS, e.g. --max-semi-space-size=1 or --trace-gc): `warmup` is what
 * the sandbox holds while the worker warms up, `prep` what it holds for the measured run; `seed`
 * goes to the worker with the start signal (a trigger's saved static data: too large for argv).
 */
export async function runWorker<R extends WorkerResult>(
	sandbox: SandboxProcess,
	job: WorkerJob,
	{ prep = {}, warmup, seed }: { prep?: Prep; warmup?: Prep; seed?: unknown } = {},
): Promise<Run<R>> {
	if (warmup) await sandbox.reset(warmup);
	const flags = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean);
	const child = forkTs('worker.ts', { job, url: sandbox.url, apiKey: sandbox.apiKey }, [
		'--expose-gc',
		'--max-old-space-size=4096',
		...flags,
	]);
	const worker = await new Promise<R>((resolve, reject) => {
		child.on('message', (m: { type: string; result?: R; error?: string }) => {
			if (m.type === 'ready')
				sandbox.reset(prep).then(() => child.send({ type: 'go', seed }), reject);
			else if (m.type === 'result') resolve(m.result as R);
			else reject(new Error(`bench worker failed: ${m.error}`));
		});
		child.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
	});
	const stats = await sandbox.stats();
	await exited(child);
	return {
		worker,
		sandbox: stats,
		toFirstRequestMs: (stats.firstAt ?? NaN) - (worker.figures?.startedAt ?? NaN),
		afterLastRequestMs: (worker.figures?.endedAt ?? NaN) - (stats.lastAt ?? NaN),
	};
}
