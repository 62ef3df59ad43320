/** Starting the bench's child processes (TypeScript through ts-node) and talking to them over IPC. */
import { type ChildProcess, fork } from 'child_process';
import * as path from 'path';

import type { SandboxProcessOptions, SandboxStats } from './sandbox-process';
import type { WorkerJob, WorkerResult } from './inprocess-worker';

const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', require.resolve('./register.js')];

/** Forks a bench TypeScript file (through ts-node) with `arg` as JSON in argv[2] and an IPC channel. */
export function forkTs(file: string, arg: unknown, execArgv: string[] = []): ChildProcess {
	return fork(path.join(__dirname, file), [JSON.stringify(arg)], {
		execArgv: [...TS_NODE, ...execArgv],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
	});
}

export function exited(child: ChildProcess): Promise<void> {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) resolve();
		else child.once('exit', () => resolve());
	});
}

/** The sandbox in its own process. */
export class SandboxProcess {
	private nextId = 1;
	private readonly pending = new Map<
		number,
		{ resolve: (v: unknown) => void; reject: (e: Error) => void }
	>();

	private constructor(
		private readonly child: ChildProcess,
		readonly url: string,
		readonly apiKey: string,
	) {
		child.on(
			'message',
			(message: { id?: number; ok?: boolean; value?: unknown; error?: string }) => {
				const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
				if (!waiting || message.id === undefined) return;
				this.pending.delete(message.id);
				if (message.ok) waiting.resolve(message.value);
				else waiting.reject(new Error(message.error ?? 'sandbox command failed'));
			},
		);
	}

	static start(options: SandboxProcessOptions): Promise<SandboxProcess> {
		const child = forkTs('sandbox-process.ts', options);
		return new Promise((resolve, reject) => {
			child.once('exit', (code) =>
				reject(new Error(`the sandbox process exited (${code}) before it was ready`)),
			);
			child.once('message', (message: { ready?: boolean; url: string; apiKey: string }) => {
				if (message.ready) resolve(new SandboxProcess(child, message.url, message.apiKey));
			});
		});
	}

	private command<T>(cmd: object): Promise<T> {
		const id = this.nextId++;
		return new Promise<T>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.child.send({ id, ...cmd });
		});
	}

	stats(): Promise<SandboxStats> {
		return this.command({ cmd: 'stats' });
	}

	/** When each request since the last reset was served (after the added latency). */
	timeline(): Promise<Array<{ target: string; at: number }>> {
		return this.command({ cmd: 'timeline' });
	}

	reset(): Promise<void> {
		return this.command({ cmd: 'reset' });
	}

	fill(phoneNumberId: string, count: number): Promise<number> {
		return this.command({ cmd: 'fill', phoneNumberId, count });
	}

	/** Sets that blocklist to exactly these users (E.164 numbers or BSUIDs); resolves to its size. */
	set(phoneNumberId: string, keys: string[]): Promise<number> {
		return this.command({ cmd: 'set', phoneNumberId, keys });
	}

	sizes(phoneNumberIds: string[]): Promise<Record<string, number>> {
		return this.command({ cmd: 'sizes', phoneNumberIds });
	}

	/** That blocklist's keys: wa_ids (numbers without '+') and BSUIDs. */
	contents(phoneNumberId: string): Promise<string[]> {
		return this.command({ cmd: 'contents', phoneNumberId });
	}

	/** Every GET of that phone number ID after its first `afterPages` answers 500 (until a reset). */
	failReads(phoneNumberId: string, afterPages: number): Promise<void> {
		return this.command({ cmd: 'failReads', phoneNumberId, afterPages });
	}

	/** How the sandbox pages lists until the next reset: 'graph' keeps `after` on the last page (Meta's way). */
	paging(paging: 'provider' | 'graph'): Promise<void> {
		return this.command({ cmd: 'paging', paging });
	}

	async close(): Promise<void> {
		if (this.child.exitCode !== null) return;
		const done = exited(this.child);
		this.child.send({ id: this.nextId++, cmd: 'close' });
		await done;
	}
}

export interface Measured {
	worker: WorkerResult;
	/** Sandbox requests and the sandbox's CPU during the measured run only. */
	requests: number;
	byTarget: Record<string, number>;
	statuses: Record<string, number>;
	sandboxCpuMs: number;
	/** From the start of the run to the first request reaching the sandbox (gathering the users). */
	toFirstRequestMs: number;
	/** From the last request being served (after its latency) to the end of the run (building the output). */
	afterLastRequestMs: number;
}

/**
 * Runs one in-process measurement in a fresh worker process: the worker warms up, the sandbox is
 * reset (so the warm-up's requests are not counted), then the measured run goes.
 */
export async function measureInWorker(
	sandbox: SandboxProcess,
	latencyMs: number,
	job: WorkerJob,
	prepareSandbox: () => Promise<void> = async () => {},
): Promise<Measured> {
	// BENCH_WORKER_FLAGS: extra Node flags for the worker, e.g. --max-semi-space-size=1 to see
	// how much of the RSS growth is V8's young generation.
	const extraFlags = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean);
	const child = forkTs('inprocess-worker.ts', job, [
		'--expose-gc',
		'--max-old-space-size=4096',
		...extraFlags,
	]);
	let before: SandboxStats | undefined;
	const result = await new Promise<WorkerResult>((resolve, reject) => {
		child.on('message', (message: { type: string; result?: WorkerResult; error?: string }) => {
			if (message.type === 'ready') {
				void (async () => {
					await sandbox.reset();
					await prepareSandbox();
					before = await sandbox.stats();
					child.send({ type: 'go' });
				})().catch(reject);
			} else if (message.type === 'result' && message.result) resolve(message.result);
			else if (message.type === 'error') reject(new Error(`bench worker failed: ${message.error}`));
		});
		child.once('exit', (code) =>
			reject(new Error(`bench worker exited with ${code} before reporting`)),
		);
	});
	const after = await sandbox.stats();
	const timeline = await sandbox.timeline();
	await exited(child);
	const byTarget: Record<string, number> = {};
	for (const [key, count] of Object.entries(after.byTarget))
		byTarget[key] = count - (before?.byTarget[key] ?? 0);
	const statuses: Record<string, number> = {};
	for (const [key, count] of Object.entries(after.statuses))
		statuses[key] = count - (before?.statuses[key] ?? 0);
	return {
		worker: result,
		requests: after.requests - (before?.requests ?? 0),
		byTarget,
		statuses,
		sandboxCpuMs: (after.cpuMicros - (before?.cpuMicros ?? 0)) / 1000,
		toFirstRequestMs: timeline.length > 0 ? timeline[0].at - latencyMs - result.startedAt : NaN,
		afterLastRequestMs:
			timeline.length > 0 ? result.endedAt - timeline[timeline.length - 1].at : NaN,
	};
}
