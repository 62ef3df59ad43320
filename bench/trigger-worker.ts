/**
 * The trigger bench's measurements, in a fresh process (started by bench/trigger.ts with
 * --expose-gc), the sandbox in another (bench/sandbox-process.ts):
 *
 *   - a `poll` step: one poll of the WhatsApp Blocklist Trigger through test/harness/pollNode.ts
 *     (n8n-core's real PollContext and TriggersAndPollers, n8n-core's request helper), with the
 *     durable scheduler's time budget; wall time, CPU of the process (inside the node's poll()
 *     and for the whole poll with the harness's save), heap and RSS;
 *   - a `state` step: the saved state alone (nodes/WhatsApp/trigger/state.ts): its
 *     size as n8n saves it (JSON.stringify of the workflow's static data) for several lists,
 *     against a JSON array of the List items, and the time to encode, decode and compare it.
 *
 * A warm-up first (polls of 1,000 users on another phone number ID, set through the
 * sandbox's admin API), so the figures are not the JIT compiling the code on first use.
 *
 * Protocol (IPC with the parent), once per step: worker -> {ready, step}; parent prepares the
 * sandbox -> {go, seed?}; worker -> {result, step, result}; after the last result the parent
 * answers {bye} and the worker ends. `seed` is the node's static data
 * a poll starts from (what n8n saved after the baseline poll), sent over IPC (too large for
 * a command-line argument at 64,000 users).
 */
import { performance } from 'perf_hooks';
import type { IDataObject } from 'n8n-workflow';

import { listEntryToJson } from '../nodes/WhatsApp/blocklist/listPage';
import { compareBlocklists, knownUser } from '../nodes/WhatsApp/trigger/events';
import { decodeState, encodeState, type KnownUser } from '../nodes/WhatsApp/trigger/state';
import { WhatsAppBlocklistTrigger } from '../nodes/WhatsApp/WhatsAppBlocklistTrigger.node';
import { TRIGGER_NAME, TriggerHarness } from '../test/harness/pollNode';
import { gc, MB, measure, timeMethod } from './measure';
import { blocklistOf, changedBlocklist, type BlocklistMix, type ListedUser } from './blocklists';

/** CPU and wall time inside the node's poll() (n8n's helpers it calls included). */
const pollWindow = timeMethod(WhatsAppBlocklistTrigger.prototype, 'poll');

export type PollKind = 'baseline' | 'no-change' | 'change';

export interface StateStep {
	kind: 'state';
	/** Lists to measure the size of: [mix, users]. */
	sizes: Array<[BlocklistMix, number]>;
	/** Encode, decode and compare timed on this list, `changes` changes apart, `repeat` times each. */
	timing: { mix: BlocklistMix; users: number; changes: number; repeat: number };
}

export interface PollStep {
	kind: 'poll';
	poll: PollKind;
	/** The durable scheduler's budget the poll gets (getPollBudgetMs). */
	budgetMs: number;
}

export type TriggerStep = StateStep | PollStep;

export interface TriggerJob {
	sandboxUrl: string;
	apiKey: string;
	phoneNumberId: string;
	warmupPhoneNumberId: string;
	warmupUsers: number;
	steps: TriggerStep[];
}

export interface SizeFigures {
	mix: BlocklistMix;
	users: number;
	/** JSON.stringify of the workflow's static data holding the node's state, as n8n saves it. */
	stateBytes: number;
	/** The same static data with the List items (the JSON array List outputs) instead of the state. */
	listItemsBytes: number;
	/** The same with only the `user` strings, as a JSON array. */
	userStringsBytes: number;
	/** Users stored a second time with their IDs (`ids` of state.ts). */
	idsEntries: number;
}

export interface StateFigures {
	kind: 'state';
	sizes: SizeFigures[];
	timing: StateStep['timing'] & {
		encodeMs: number[];
		decodeMs: number[];
		compareMs: number[];
		/** JSON.stringify of the static data holding the state (n8n's save of it). */
		saveJsonMs: number[];
		/** Whether decoding gave back exactly the users encoded, and the compare found exactly the changes. */
		roundTrips: boolean;
		changesFound: number;
	};
}

export interface PollFigures {
	kind: 'poll';
	poll: PollKind;
	wallMs: number;
	startedAt: number;
	endedAt: number;
	/** CPU of this process for the whole poll (PollContext, TriggersAndPollers, the harness's save). */
	cpuMs: number;
	/** CPU and wall inside the node's poll(). */
	pollCpuMs: number;
	pollWallMs: number;
	heapBeforeMb: number;
	heapPeakDeltaMb: number;
	/** After gc, with the emitted items and the new state still held. */
	heapHeldDeltaMb: number;
	rssBeforeMb: number;
	rssPeakDeltaMb: number;
	/** Items emitted, null when the poll returned null. */
	items: number | null;
	/** The emitted events as [event, user], when at most 1,000. */
	events?: Array<[string, string]>;
	error?: string;
	/** Whether the harness saved the static data after this poll (as n8n does after the activation poll and after a poll that emits). */
	saved: boolean;
	/** Bytes of JSON.stringify of the workflow's static data as the harness saved it after this poll; null when it did not save. */
	savedBytes: number | null;
	/** The same for the static data in memory after the poll. */
	liveBytes: number;
	/** Whether the state in memory after the poll is exactly the one it started from. */
	stateUnchanged: boolean;
	/** The node's static data in memory after the poll (baseline only: the seed of the other polls). */
	nodeStaticData?: IDataObject;
}

export type StepFigures = StateFigures | PollFigures;

const staticKey = `node:${TRIGGER_NAME}`;
/** Bytes of the workflow's static data holding this node's static data, as n8n saves it. */
const staticDataBytes = (nodeData: unknown) =>
	Buffer.byteLength(JSON.stringify({ [staticKey]: nodeData }));

function ask(message: unknown, expect: 'go' | 'bye'): Promise<{ seed?: IDataObject }> {
	return new Promise((resolve) => {
		const onMessage = (reply: { type?: string; seed?: IDataObject }) => {
			if (reply?.type !== expect) return;
			process.off('message', onMessage);
			resolve(reply);
		};
		process.on('message', onMessage);
		process.send?.(message);
	});
}

/** The users as the trigger holds them after reading these entries (List items, then known users). */
function usersOf(
	listed: readonly ListedUser[],
	phoneNumberId: string,
): { items: IDataObject[]; users: KnownUser[] } {
	const items = listed
		.map(({ entry }) => listEntryToJson(entry, phoneNumberId))
		.filter((x): x is IDataObject => x !== undefined);
	return { items, users: items.map(knownUser) };
}

function timed(repeat: number, body: () => unknown): number[] {
	for (let i = 0; i < 3; i++) body();
	const out: number[] = [];
	for (let i = 0; i < repeat; i++) {
		const t0 = performance.now();
		body();
		out.push(performance.now() - t0);
	}
	return out;
}

function sameUsers(a: readonly KnownUser[], b: readonly KnownUser[]): boolean {
	const text = (list: readonly KnownUser[]) =>
		list
			.map((u) => JSON.stringify([u.user, u.waId, u.userId, u.blockReason]))
			.sort()
			.join('\n');
	return a.length === b.length && text(a) === text(b);
}

function stateStep(step: StateStep, phoneNumberId: string): StateFigures {
	const sizes = step.sizes.map(([mix, count]): SizeFigures => {
		const { items, users } = usersOf(blocklistOf(mix, count), phoneNumberId);
		const encoded = encodeState(phoneNumberId, users);
		return {
			mix,
			users: count,
			stateBytes: staticDataBytes({ blocklist: encoded }),
			listItemsBytes: staticDataBytes({ blocklist: items }),
			userStringsBytes: staticDataBytes({ blocklist: users.map((u) => u.user) }),
			idsEntries: (JSON.parse(encoded) as { ids: unknown[] }).ids.length,
		};
	});
	const { mix, users: count, changes, repeat } = step.timing;
	const before = usersOf(blocklistOf(mix, count), phoneNumberId).users;
	const changed = changedBlocklist(mix, count, changes);
	const after = usersOf(changed.after, phoneNumberId).users;
	const encoded = encodeState(phoneNumberId, before);
	const decoded = decodeState(encoded, phoneNumberId) ?? [];
	const found = compareBlocklists(decoded, after);
	const roundTrips =
		sameUsers(decoded, before) &&
		found.blocked.length === changed.added.length &&
		found.unblocked.length === changed.removed.length;
	gc();
	return {
		kind: 'state',
		sizes,
		timing: {
			...step.timing,
			encodeMs: timed(repeat, () => encodeState(phoneNumberId, before)),
			decodeMs: timed(repeat, () => decodeState(encoded, phoneNumberId)),
			compareMs: timed(repeat, () => compareBlocklists(decoded, after)),
			saveJsonMs: timed(repeat, () => JSON.stringify({ [staticKey]: { blocklist: encoded } })),
			roundTrips,
			changesFound: found.blocked.length + found.unblocked.length,
		},
	};
}

async function measurePoll(harness: TriggerHarness, step: PollStep): Promise<PollFigures> {
	const stateBefore = harness.staticData.blocklist;
	const savedBefore = harness.savedStaticData;
	const { value: result, measurement } = await measure(() =>
		harness.poll({ budgetMs: step.budgetMs }),
	);
	const { wallMs, startedAt, endedAt, cpu, heapPeak, maxRssMb } = measurement;
	const before = { heapUsed: measurement.heapBefore, rss: measurement.rssBefore };
	gc();
	const held = process.memoryUsage().heapUsed;
	const items = result.items;
	const savedNow = harness.savedStaticData;
	return {
		kind: 'poll',
		poll: step.poll,
		wallMs,
		startedAt,
		endedAt,
		cpuMs: (cpu.user + cpu.system) / 1000,
		pollCpuMs: pollWindow.cpuMs,
		pollWallMs: pollWindow.wallMs,
		heapBeforeMb: before.heapUsed / MB,
		heapPeakDeltaMb: (heapPeak - before.heapUsed) / MB,
		heapHeldDeltaMb: (held - before.heapUsed) / MB,
		rssBeforeMb: before.rss / MB,
		rssPeakDeltaMb: maxRssMb - before.rss / MB,
		items: items === null ? null : items.length,
		events:
			items !== null && items.length <= 1000
				? items.map((i) => [String(i.event), String(i.user)])
				: undefined,
		error: result.error
			? `${result.error.message}${result.error.description ? ` (${result.error.description})` : ''}`
			: undefined,
		saved: savedNow !== savedBefore,
		savedBytes: savedNow !== savedBefore ? staticDataBytes(savedNow) : null,
		liveBytes: staticDataBytes(harness.staticData),
		stateUnchanged: harness.staticData.blocklist === stateBefore,
		nodeStaticData:
			step.poll === 'baseline'
				? (JSON.parse(JSON.stringify(harness.staticData)) as IDataObject)
				: undefined,
	};
}

async function setWarmupList(job: TriggerJob, listed: readonly ListedUser[]): Promise<void> {
	const res = await fetch(`${job.sandboxUrl}/__sandbox/blocklist/${job.warmupPhoneNumberId}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(listed.map((u) => u.key)),
	});
	if (!res.ok) throw new Error(`warm-up: the sandbox refused the blocklist (${res.status})`);
}

/** Polls of `warmupUsers` users on the warm-up phone number ID: a baseline, a change, no change; the state code alone too. */
async function warmUp(job: TriggerJob, harness: TriggerHarness): Promise<void> {
	const changed = changedBlocklist('bsuids', job.warmupUsers, 20);
	await setWarmupList(job, blocklistOf('bsuids', job.warmupUsers));
	const polls = [await harness.poll()];
	await setWarmupList(job, changed.after);
	polls.push(await harness.poll(), await harness.poll());
	const failed = polls.find((p) => p.error);
	if (failed?.error) throw new Error(`warm-up poll failed: ${failed.error.message}`);
	if (polls[1].items?.length !== 20)
		throw new Error(`warm-up: ${polls[1].items?.length ?? 0} events, expected 20`);
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as TriggerJob;
	const credentials = {
		apiKey: job.apiKey,
		baseUrl: job.sandboxUrl,
		phoneNumberId: job.phoneNumberId,
		apiVersion: 'v25.0',
	};
	const parameters = { events: ['blocked', 'unblocked'] };
	// The warm-up trigger watches the warm-up phone number ID; measured polls other than a
	// baseline go on with it, watching the credential's phone number ID (so they are not the
	// trigger's first poll, which n8n saves whatever it returns) from the seeded state.
	const running = new TriggerHarness(
		{ ...parameters, phoneNumberId: job.warmupPhoneNumberId },
		credentials,
	);
	await warmUp(job, running);

	for (const [index, step] of job.steps.entries()) {
		const { seed } = await ask({ type: 'ready', step: index }, 'go');
		let result: StepFigures;
		if (step.kind === 'state') result = stateStep(step, job.phoneNumberId);
		else if (step.poll === 'baseline')
			result = await measurePoll(new TriggerHarness(parameters, credentials), step);
		else {
			running.node.parameters.phoneNumberId = '';
			if (seed) Object.assign(running.staticData, seed);
			result = await measurePoll(running, step);
		}
		if (index < job.steps.length - 1) process.send?.({ type: 'result', step: index, result });
		// The last result may be large (a state of 64,000 users): the parent says when it has it.
		else await ask({ type: 'result', step: index, result }, 'bye');
	}
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
