/**
 * One measurement in a fresh process (started by bench/processes.ts, runWorker, with
 * --expose-gc), the sandbox in another. First a warm-up on another phone number ID, so the
 * figures are not the JIT compiling the code on first use; then, over IPC: worker -> {ready};
 * the parent resets and prepares the sandbox -> {go, seed}; worker -> {result}. A job is one of:
 *
 *   - `node`: the WhatsApp Block Users node's execute() through n8n-core's WorkflowExecute and
 *     real HTTP helper (test/harness/runNode.ts); with `profile`, the measured run is
 *     CPU-profiled with the inspector and the profile written there;
 *   - `poll`: one poll of the WhatsApp Blocklist Trigger through test/harness/pollNode.ts
 *     (n8n-core's PollContext and TriggersAndPollers) with the durable scheduler's budget; a
 *     poll other than the baseline starts from `seed`, the static data the baseline saved;
 *   - `state`: the trigger's saved state alone (nodes/WhatsApp/trigger/state.ts): its size as n8n
 *     saves it for several lists against the List items, and the time to encode, decode, compare.
 */
import { writeFileSync } from 'fs';
import { Session } from 'inspector';
import type { IDataObject } from 'n8n-workflow';
import { performance } from 'perf_hooks';

import { listEntryToJson } from '../nodes/WhatsApp/blocklist/listPage';
import { compareBlocklists, knownUser } from '../nodes/WhatsApp/trigger/events';
import { decodeState, encodeState, type KnownUser } from '../nodes/WhatsApp/trigger/state';
import { WhatsAppBlocklistTrigger } from '../nodes/WhatsApp/WhatsAppBlocklistTrigger.node';
import { WhatsAppBlockUsers } from '../nodes/WhatsApp/WhatsAppBlockUsers.node';
import { TRIGGER_NAME, TriggerHarness } from '../test/harness/pollNode';
import { runNode } from '../test/harness/runNode';
import { blocklistOf, changedBlocklist, type BlocklistMix, type ListedUser } from './blocklists';
import { gc, measure, timeMethod, type Figures } from './measure';
import { PHONE_ID, WARMUP_PHONE_ID } from './processes';
import { userEntries, type UserMix } from './users';

const executeWindow = timeMethod(WhatsAppBlockUsers.prototype, 'execute');
const pollWindow = timeMethod(WhatsAppBlocklistTrigger.prototype, 'poll');

export interface NodeJob {
	kind: 'node';
	operation: 'block' | 'list' | 'check' | 'sync';
	/** Users sent (Sync: the desired blocklist); List reads what the parent put on the blocklist. */
	users: number;
	usersPerItem: number;
	/** One user per item: Users = {{ $json.phone }}, or `nested` = {{ $json.contact.phone }} (n8n's expression engine per item). */
	mapping?: 'nested';
	mix?: UserMix;
	maxConcurrency: number;
	/** List: page size (Return All). */
	pageSize?: number;
	/** A path to write a .cpuprofile of the measured run to. */
	profile?: string;
}

export type PollKind = 'baseline' | 'no-change' | 'change';

export interface PollJob {
	kind: 'poll';
	poll: PollKind;
	/** The durable scheduler's budget the poll gets (getPollBudgetMs). */
	budgetMs: number;
}

export interface StateJob {
	kind: 'state';
	/** Lists to measure the size of. */
	sizes: Array<[BlocklistMix, number]>;
	/** Encode, decode and compare timed on this list, `changes` changes apart, `repeat` times each. */
	timing: { mix: BlocklistMix; users: number; changes: number; repeat: number };
}

export type WorkerJob = NodeJob | PollJob | StateJob;

export interface NodeResult {
	kind: 'node';
	figures: Figures;
	outputItems: number[];
	/** Items per `status`, per output. */
	statuses: Array<Record<string, number>>;
	error?: string;
}

export interface PollResult {
	kind: 'poll';
	figures: Figures;
	/** Items emitted, null when the poll returned null. */
	items: number | null;
	/** The emitted events as `event user`, when at most 1,000. */
	events?: string[];
	error?: string;
	/** Bytes of the static data the harness saved after this poll (as n8n does after the activation poll and a poll that emits); null: not saved. */
	savedBytes: number | null;
	/** Whether the state in memory after the poll is exactly the one it started from. */
	stateUnchanged: boolean;
	/** The node's static data after a baseline: the seed of the other polls. */
	nodeStaticData?: IDataObject;
}

export interface SizeFigures {
	mix: BlocklistMix;
	users: number;
	/** JSON.stringify of the workflow's static data holding the node's state, as n8n saves it. */
	stateBytes: number;
	/** The same static data with the List items (the JSON array List outputs) instead. */
	listItemsBytes: number;
	/** The same with only the `user` strings. */
	userStringsBytes: number;
}

export interface StateResult {
	kind: 'state';
	figures?: undefined;
	sizes: SizeFigures[];
	timing: StateJob['timing'] & {
		encodeMs: number[];
		decodeMs: number[];
		compareMs: number[];
		/** JSON.stringify of the static data holding the state (n8n's save of it). */
		saveJsonMs: number[];
		/** Decoding gave back exactly the users encoded, and the compare found exactly the changes. */
		roundTrips: boolean;
		changesFound: number;
	};
}

export type WorkerResult = NodeResult | PollResult | StateResult;

/** The sandbox's URL and key, given in argv with the job. */
const { url, apiKey } = JSON.parse(process.argv[2]) as { url: string; apiKey: string };
const credentials = (phoneNumberId = PHONE_ID) => ({
	apiKey,
	baseUrl: url,
	phoneNumberId,
	apiVersion: 'v25.0',
});

// ---- the node -------------------------------------------------------------------------------

/**
 * The run, its input built first (outside the measured window). The items go through JSON once,
 * as items do that reach a node from a trigger, an API or a database: V8 then holds each number
 * as one flat string, not as the pieces a template literal leaves (which cost more to hash).
 */
function nodeRun(job: NodeJob, users: number, phoneNumberId: string) {
	const creds = credentials(phoneNumberId);
	if (job.operation === 'list') {
		const parameters = { operation: 'list', returnAll: true, options: { pageSize: job.pageSize } };
		return () => runNode({ parameters, credentials: creds });
	}
	const entries = userEntries(users, job.mix);
	let items: IDataObject[] = [];
	let usersParameter = '={{ $json.phones }}';
	if (job.usersPerItem === 1 && job.mapping === 'nested') {
		items = entries.map((phone) => ({ contact: { phone } }));
		usersParameter = '={{ $json.contact.phone }}';
	} else if (job.usersPerItem === 1) {
		items = entries.map((phone) => ({ phone }));
		usersParameter = '={{ $json.phone }}';
	} else {
		for (let start = 0; start < users; start += job.usersPerItem)
			items.push({ phones: entries.slice(start, start + job.usersPerItem) });
	}
	items = JSON.parse(JSON.stringify(items)) as IDataObject[];
	const options: IDataObject =
		job.operation === 'check' ? {} : { maxConcurrency: job.maxConcurrency };
	if (job.operation === 'sync') options.unblockOthers = true;
	const parameters = { operation: job.operation, users: usersParameter, options };
	return () => runNode({ parameters, items, credentials: creds });
}

/** How many items of an output have each `status` (items without one count under "none"). */
function countStatuses(items: ReadonlyArray<{ json: IDataObject }>): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const { json } of items) {
		const status = typeof json.status === 'string' ? json.status : 'none';
		counts[status] = (counts[status] ?? 0) + 1;
	}
	return counts;
}

async function profiled<T>(file: string | undefined, body: () => Promise<T>): Promise<T> {
	if (!file) return await body();
	const session = new Session();
	session.connect();
	const post = (method: string, params: object = {}) =>
		new Promise<unknown>((resolve, reject) =>
			session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
		);
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 100 });
	await post('Profiler.start');
	try {
		return await body();
	} finally {
		const { profile } = (await post('Profiler.stop')) as { profile: unknown };
		writeFileSync(file, JSON.stringify(profile));
		session.disconnect();
	}
}

async function nodeJob(job: NodeJob): Promise<NodeResult> {
	const warm = await nodeRun(job, 1000, WARMUP_PHONE_ID)();
	if (warm.error) throw new Error(`warm-up failed: ${warm.error.message}`);
	await started();
	const run = nodeRun(job, job.users, PHONE_ID);
	const { value, figures } = await measure(() => profiled(job.profile, run), executeWindow);
	return {
		kind: 'node',
		figures,
		outputItems: value.outputs.map((output) => output.length),
		statuses: value.outputs.map(countStatuses),
		error: value.error?.message,
	};
}

// ---- the trigger ----------------------------------------------------------------------------

const staticKey = `node:${TRIGGER_NAME}`;
/** Bytes of the workflow's static data holding this node's static data, as n8n saves it. */
const staticDataBytes = (nodeData: unknown) =>
	Buffer.byteLength(JSON.stringify({ [staticKey]: nodeData }));

/** The users as the trigger holds them after reading these entries (List items, then known users). */
function usersOf(listed: readonly ListedUser[], phoneNumberId: string) {
	const items = listed
		.map(({ entry }) => listEntryToJson(entry, phoneNumberId))
		.filter((x): x is IDataObject => x !== undefined);
	return { items, users: items.map(knownUser) };
}

/** `repeat` timings of `body`, after 3 warm-up calls. */
function timed(repeat: number, body: () => unknown): number[] {
	for (let i = 0; i < 3; i++) body();
	return Array.from({ length: repeat }, () => {
		const t0 = performance.now();
		body();
		return performance.now() - t0;
	});
}

function sameUsers(a: readonly KnownUser[], b: readonly KnownUser[]): boolean {
	const text = (list: readonly KnownUser[]) =>
		list
			.map((u) => JSON.stringify([u.user, u.waId, u.userId, u.blockReason]))
			.sort()
			.join('\n');
	return text(a) === text(b);
}

function stateJob(job: StateJob): StateResult {
	const id = PHONE_ID;
	const sizes = job.sizes.map(([mix, count]): SizeFigures => {
		const { items, users } = usersOf(blocklistOf(mix, count), id);
		return {
			mix,
			users: count,
			stateBytes: staticDataBytes({ blocklist: encodeState(id, users) }),
			listItemsBytes: staticDataBytes({ blocklist: items }),
			userStringsBytes: staticDataBytes({ blocklist: users.map((u) => u.user) }),
		};
	});
	const { mix, users: count, changes, repeat } = job.timing;
	const before = usersOf(blocklistOf(mix, count), id).users;
	const changed = changedBlocklist(mix, count, changes);
	const after = usersOf(changed.after, id).users;
	const encoded = encodeState(id, before);
	const decoded = decodeState(encoded, id) ?? [];
	const found = compareBlocklists(decoded, after);
	gc();
	return {
		kind: 'state',
		sizes,
		timing: {
			...job.timing,
			encodeMs: timed(repeat, () => encodeState(id, before)),
			decodeMs: timed(repeat, () => decodeState(encoded, id)),
			compareMs: timed(repeat, () => compareBlocklists(decoded, after)),
			saveJsonMs: timed(repeat, () => JSON.stringify({ [staticKey]: { blocklist: encoded } })),
			roundTrips:
				sameUsers(decoded, before) &&
				found.blocked.length === changed.added.length &&
				found.unblocked.length === changed.removed.length,
			changesFound: found.blocked.length + found.unblocked.length,
		},
	};
}

async function measurePoll(harness: TriggerHarness, job: PollJob): Promise<PollResult> {
	const stateBefore = harness.staticData.blocklist;
	const savedBefore = harness.savedStaticData;
	const poll = () => harness.poll({ budgetMs: job.budgetMs });
	const { value, figures } = await measure(poll, pollWindow);
	const saved = harness.savedStaticData;
	const { items, error } = value;
	return {
		kind: 'poll',
		figures,
		items: items === null ? null : items.length,
		events: items && items.length <= 1000 ? items.map((i) => `${i.event} ${i.user}`) : undefined,
		error: error && `${error.message}${error.description ? ` (${error.description})` : ''}`,
		savedBytes: saved !== savedBefore ? staticDataBytes(saved) : null,
		stateUnchanged: harness.staticData.blocklist === stateBefore,
		nodeStaticData:
			job.poll === 'baseline'
				? (JSON.parse(JSON.stringify(harness.staticData)) as IDataObject)
				: undefined,
	};
}

/** Polls of 1,000 users on the warm-up phone number ID (set through the sandbox's admin API): a baseline, a change, no change. */
async function warmUpTrigger(harness: TriggerHarness): Promise<void> {
	const setList = async (listed: readonly ListedUser[]) => {
		const res = await fetch(`${url}/__sandbox/blocklist/${WARMUP_PHONE_ID}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(listed.map((u) => u.key)),
		});
		if (!res.ok) throw new Error(`warm-up: the sandbox refused the blocklist (${res.status})`);
	};
	await setList(blocklistOf('bsuids', 1000));
	const polls = [await harness.poll()];
	await setList(changedBlocklist('bsuids', 1000, 20).after);
	polls.push(await harness.poll(), await harness.poll());
	const failed = polls.find((p) => p.error)?.error;
	if (failed) throw new Error(`warm-up poll failed: ${failed.message}`);
	if (polls[1].items?.length !== 20)
		throw new Error(`warm-up: ${polls[1].items?.length ?? 0} events, expected 20`);
}

async function triggerJob(job: PollJob | StateJob): Promise<PollResult | StateResult> {
	const parameters = { events: ['blocked', 'unblocked'] };
	// The warm-up trigger watches the warm-up phone number ID; a measured poll other than a
	// baseline goes on with it, watching the credential's (so it is not the trigger's first
	// poll, which n8n saves whatever it returns), from the seeded state.
	const running = new TriggerHarness(
		{ ...parameters, phoneNumberId: WARMUP_PHONE_ID },
		credentials(),
	);
	await warmUpTrigger(running);
	const seed = await started();
	if (job.kind === 'state') return stateJob(job);
	if (job.poll === 'baseline')
		return await measurePoll(new TriggerHarness(parameters, credentials()), job);
	running.node.parameters.phoneNumberId = '';
	Object.assign(running.staticData, seed);
	return await measurePoll(running, job);
}

// ---- the protocol ---------------------------------------------------------------------------

/** Says ready and waits for the parent's go; resolves to the seed it sends. */
function started(): Promise<IDataObject | undefined> {
	return new Promise((resolve) => {
		process.once('message', (m: { seed?: IDataObject }) => resolve(m.seed));
		process.send?.({ type: 'ready' });
	});
}

async function main(): Promise<void> {
	const { job } = JSON.parse(process.argv[2]) as { job: WorkerJob };
	const result = job.kind === 'node' ? await nodeJob(job) : await triggerJob(job);
	// The result may be large (a state of 64,000 users): disconnect once it is sent.
	process.send?.({ type: 'result', result }, () => process.disconnect());
}

main().catch((error: unknown) => {
	const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
	process.send?.({ type: 'error', error: text }, () => process.disconnect());
	process.exitCode = 1;
});
