/**
 * One in-process measurement, in a fresh process (started by bench/run.ts with --expose-gc):
 * the node's execute() through n8n-core's WorkflowExecute and real HTTP helper (test/harness/
 * runNode.ts) against the sandbox, which runs in another process. A small warm-up run first, so
 * the figures are not dominated by the JIT compiling the code on first use.
 *
 * Protocol (IPC with the parent): worker -> {ready}; parent resets the sandbox -> {go};
 * worker -> {result}. With `profile`, the measured run is CPU-profiled with the inspector and
 * the profile written to `profile` (a path); those runs are not used for the figures.
 */
import { writeFileSync } from 'fs';
import { Session } from 'inspector';
import type { IDataObject } from 'n8n-workflow';

import { WhatsAppBlockUsers } from '../nodes/WhatsApp/WhatsAppBlockUsers.node';
import { runNode } from '../test/harness/runNode';
import { gc, MB, measure, timeMethod } from './measure';
import { type UserMix, userEntries } from './users';

/**
 * CPU and wall time of the node's execute() alone (n8n's helpers it calls included), apart
 * from what WorkflowExecute does before and after it: the prototype is wrapped once.
 */
const executeWindow = timeMethod(WhatsAppBlockUsers.prototype, 'execute');

export interface WorkerJob {
	/** Check and Sync: the parent prepares the blocklist (bench/users.ts, listedUsers); Sync runs with Unblock Others on. */
	operation: 'block' | 'list' | 'check' | 'sync';
	/** Block, Check, Sync: users to send (Sync: the desired blocklist). List: ignored (the blocklist was filled by the parent). */
	users: number;
	/** Block: users per input item (1 = one item per user). */
	usersPerItem: number;
	/**
	 * Block, one user per item: how Users is mapped. `field`: ={{ $json.phone }} (the node
	 * reads the field itself); `nested`: ={{ $json.contact.phone }}, which goes through n8n's
	 * expression engine once per item.
	 */
	mapping?: 'field' | 'nested';
	/** Block: which entries besides distinct numbers (see bench/users.ts); the parent preloads the blocklist for `rerun`. */
	mix?: UserMix;
	maxConcurrency: number;
	/** List: page size and Return All. */
	pageSize?: number;
	sandboxUrl: string;
	apiKey: string;
	phoneNumberId: string;
	/** Phone number ID for the warm-up run (kept apart from the measured one). */
	warmupPhoneNumberId: string;
	/** Path to write a .cpuprofile of the measured run to. */
	profile?: string;
}

export interface WorkerResult {
	wallMs: number;
	/** Date.now() when the measured run started and ended (to line up with the sandbox's timeline). */
	startedAt: number;
	endedAt: number;
	cpuUserMs: number;
	cpuSystemMs: number;
	/** CPU and wall time inside the node's execute() (the rest is WorkflowExecute around it). */
	executeCpuMs: number;
	executeWallMs: number;
	/** Heap used before the run (after gc), input items included. */
	heapBeforeMb: number;
	/** Highest heap used seen while running (sampled every 10 ms, and once at the end). */
	heapPeakDeltaMb: number;
	/** Heap used after the run with its output still held, after gc: the floor of what it needs. */
	heapWithOutputDeltaMb: number;
	/** Heap used after the run once its output was dropped, after gc. */
	heapRetainedDeltaMb: number;
	/** The kernel's high-water mark of RSS minus RSS before the run. */
	rssPeakDeltaMb: number;
	rssBeforeMb: number;
	outputItems: number[];
	/** Items of the first output (Succeeded) per `status` field, e.g. { blocked: 5000, 'already blocked': 5000 }. */
	outputStatuses: Record<string, number>;
	/** The same for every output (Check: Blocked, Not Blocked, Failed; Sync: Changed, Unchanged, Failed). */
	statusesByOutput: Array<Record<string, number>>;
	error?: string;
	nodeVersion: string;
}

/**
 * Input items and parameters: `usersPerItem` users per item, mapped with an expression. The
 * items go through JSON once, as items do that reach a node from a trigger, an API or a
 * database: V8 then holds each number as one flat string, not as the joined pieces that
 * building it with a template literal would leave behind (which cost more to hash and hold).
 */
function blockInput(
	job: WorkerJob,
	users: number,
): { items: IDataObject[]; usersParameter: string } {
	const items: IDataObject[] = [];
	const entries = userEntries(users, job.mix);
	let usersParameter: string;
	if (job.usersPerItem === 1 && job.mapping === 'nested') {
		for (const phone of entries) items.push({ contact: { phone } });
		usersParameter = '={{ $json.contact.phone }}';
	} else if (job.usersPerItem === 1) {
		for (const phone of entries) items.push({ phone });
		usersParameter = '={{ $json.phone }}';
	} else {
		for (let start = 0; start < users; start += job.usersPerItem)
			items.push({ phones: entries.slice(start, start + job.usersPerItem) });
		usersParameter = '={{ $json.phones }}';
	}
	return { items: JSON.parse(JSON.stringify(items)) as IDataObject[], usersParameter };
}

/** How many items of an output have each `status` (items without one count under "none"). */
function countStatuses(items: ReadonlyArray<{ json: IDataObject }> = []): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const { json } of items) {
		const status = typeof json.status === 'string' ? json.status : 'none';
		counts[status] = (counts[status] ?? 0) + 1;
	}
	return counts;
}

/** The node's options for a Block, Check or Sync job. */
function operationOptions(job: WorkerJob): IDataObject {
	if (job.operation === 'check') return {};
	if (job.operation === 'sync') return { unblockOthers: true, maxConcurrency: job.maxConcurrency };
	return { maxConcurrency: job.maxConcurrency };
}

function credentials(job: WorkerJob, phoneNumberId: string) {
	return { apiKey: job.apiKey, baseUrl: job.sandboxUrl, phoneNumberId, apiVersion: 'v25.0' };
}

/** Builds the input first and returns the run itself, so that only the run is measured. */
function prepare(
	job: WorkerJob,
	users: number,
	phoneNumberId: string,
): () => ReturnType<typeof runNode> {
	if (job.operation === 'list') {
		return () =>
			runNode({
				parameters: {
					operation: 'list',
					returnAll: true,
					options: { pageSize: job.pageSize ?? 100 },
				},
				credentials: credentials(job, phoneNumberId),
			});
	}
	const { items, usersParameter } = blockInput(job, users);
	return () =>
		runNode({
			parameters: {
				operation: job.operation,
				users: usersParameter,
				options: operationOptions(job),
			},
			items,
			credentials: credentials(job, phoneNumberId),
		});
}

function ask(message: unknown, expect: string): Promise<void> {
	return new Promise((resolve) => {
		const onMessage = (reply: { type?: string }) => {
			if (reply?.type !== expect) return;
			process.off('message', onMessage);
			resolve();
		};
		process.on('message', onMessage);
		process.send?.(message);
	});
}

async function profiled<T>(path: string | undefined, body: () => Promise<T>): Promise<T> {
	if (!path) return await body();
	const session = new Session();
	session.connect();
	const post = (method: string, params?: object) =>
		new Promise<unknown>((resolve, reject) =>
			session.post(method, params ?? {}, (error, result) =>
				error ? reject(error) : resolve(result),
			),
		);
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 100 });
	await post('Profiler.start');
	try {
		return await body();
	} finally {
		const { profile } = (await post('Profiler.stop')) as { profile: unknown };
		writeFileSync(path, JSON.stringify(profile));
		session.disconnect();
	}
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as WorkerJob;

	// Warm-up: the same code paths on a small input, on another phone number ID.
	const warm = await prepare(job, 1000, job.warmupPhoneNumberId)();
	if (warm.error) throw new Error(`warm-up failed: ${warm.error.message}`);

	await ask({ type: 'ready' }, 'go');

	// The input items exist before the node runs: built here, outside the measured window.
	const run = prepare(job, job.users, job.phoneNumberId);
	const measured = await measure(() => profiled(job.profile, run));
	let result: Awaited<ReturnType<typeof run>> | undefined = measured.value;
	const { wallMs, startedAt, endedAt, cpu, heapPeak, maxRssMb } = measured.measurement;
	const before = { heapUsed: measured.measurement.heapBefore, rss: measured.measurement.rssBefore };
	gc();
	const withOutput = process.memoryUsage().heapUsed;
	const outputItems = result.outputs.map((output) => output.length);
	const outputStatuses = countStatuses(result.outputs[0]);
	const statusesByOutput = result.outputs.map((output) => countStatuses(output));
	const error = result.error?.message;
	result = undefined;
	gc();
	const retained = process.memoryUsage().heapUsed;

	const report: WorkerResult = {
		wallMs,
		startedAt,
		endedAt,
		cpuUserMs: cpu.user / 1000,
		cpuSystemMs: cpu.system / 1000,
		executeCpuMs: executeWindow.cpuMs,
		executeWallMs: executeWindow.wallMs,
		heapBeforeMb: before.heapUsed / MB,
		heapPeakDeltaMb: (heapPeak - before.heapUsed) / MB,
		heapWithOutputDeltaMb: (withOutput - before.heapUsed) / MB,
		heapRetainedDeltaMb: (retained - before.heapUsed) / MB,
		rssPeakDeltaMb: maxRssMb - before.rss / MB,
		rssBeforeMb: before.rss / MB,
		outputItems,
		outputStatuses,
		statusesByOutput,
		error,
		nodeVersion: process.versions.node,
	};
	process.send?.({ type: 'result', result: report });
	process.disconnect?.();
}

main().catch((error: unknown) => {
	process.send?.({
		type: 'error',
		error: error instanceof Error ? (error.stack ?? error.message) : String(error),
	});
	process.exitCode = 1;
	process.disconnect?.();
});
