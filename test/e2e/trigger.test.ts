/**
 * The WhatsApp Blocklist Trigger in a real `n8n start`: an active (published) workflow, the
 * trigger -> a NoOp, polled by n8n's own Poll Times crons against the sandbox, read back through
 * n8n's REST API. n8n refuses a poll cron that fires more than once a minute, so Poll Times
 * holds one custom cron per few seconds of the minute (`0 * * * * *`, `3 * * * * *`, ...).
 * The blocklist has 1,500 users, so every poll reads two pages.
 *
 * In order, on one instance: the activation poll records a baseline (no execution); blocks and
 * an unblock come out as one execution; polls whose second page fails emit nothing and each
 * leave an error execution, and the change made meanwhile comes out once when the page answers
 * again; so do polls whose second page is a 200 that is no page (an error envelope, `{}`); after a restart nothing is emitted again and a change made while n8n was down comes
 * out once; the API key is in no execution, not in n8n's log, nor in any file n8n wrote.
 */
import * as fs from 'fs';
import * as path from 'path';

import { installDir } from '../../scripts/n8n/install';
import type { N8nInstance, RestClient, WfNode } from '../../scripts/n8n/run';
import type { Behaviour, Sandbox } from '../../sandbox/server';
import {
	PN1,
	connect,
	describeE2e,
	newN8n,
	newSandbox,
	noOp,
	numbers,
	sandboxCredential,
	timing,
	until,
	workflow,
} from './helpers';

// n8n stores run data in the `flatted` format; its own copy reads it back.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flatted = require(path.join(installDir, 'node_modules', 'flatted')) as {
	parse(text: string): any;
};

const TRIGGER_TYPE = 'n8n-nodes-splashify.whatsAppBlocklistTrigger';
const TRIGGER = 'WhatsApp Blocklist Trigger';
const RECEIVED = 'Received';
/** A key that is not the sandbox's default, to look for in what n8n stores and logs. */
const API_KEY = 'pk_e2e_trigger_key_5c81d2e7a9f4';
const CREDENTIAL = { id: 'e2eTriggerCred01', name: 'Splashify sandbox (trigger)' };
const OWNER = { email: 'trigger-owner@example.com', password: 'Trigger-Owner-1' };
const WORKFLOW_ID = 'e2eBlocklistTrig';
/** Seconds between polls: one cron per step of the minute. */
const POLL_EVERY_S = 3;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const digits = (list: string[]) => list.map((n) => n.replace(/^\+/, ''));
/** The blocklist at activation: two pages of the API's largest page size (1,000). */
const BASE = digits(numbers(0, 1500));
/** Listed at activation with a block reason of its own; unblocked in the first change. */
const UNBLOCKED = BASE[42];
/** Users blocked later, none of them in BASE. */
const [NEW1, NEW2, NEW3, NEW4, NEW5] = digits(numbers(5000, 5));

/** Every file under `dir`, except in folders named in `skip`. */
function filesUnder(dir: string, skip: string[]): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return skip.includes(entry.name) ? [] : filesUnder(full, skip);
		return entry.isFile() ? [full] : [];
	});
}

interface Execution {
	id: string;
	status: string;
	mode: string;
}

interface Event {
	event: string;
	user: string;
	wa_id: string | null;
	user_id: string | null;
	block_reason: string | null;
	phoneNumberId: string;
	detectedAt: string;
}

describeE2e('WhatsApp Blocklist Trigger in n8n start (active workflow)', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let rest: RestClient;
	/** While set, every list request for a second page is answered this way. */
	let pageTwo: Behaviour | undefined;
	/** Executions already checked by an earlier test. */
	let seen = 0;

	function triggerWorkflow() {
		const trigger: WfNode = {
			id: 'e2e-trigger-blocklist',
			name: TRIGGER,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: {
					item: Array.from({ length: 60 / POLL_EVERY_S }, (_, i) => ({
						mode: 'custom',
						cronExpression: `${i * POLL_EVERY_S} * * * * *`,
					})),
				},
				events: ['blocked', 'unblocked'],
				options: { maxRetries: 0 },
			},
			credentials: { splashifyApi: CREDENTIAL },
		};
		const wf = workflow(WORKFLOW_ID, 'E2E blocklist trigger', [trigger, noOp(RECEIVED, [240, 0])]);
		return connect(wf, TRIGGER, RECEIVED);
	}

	// ---- what the sandbox saw -------------------------------------------------------------------

	const listGets = () => sandbox.requests.filter((r) => r.method === 'GET');
	/**
	 * Answered requests for a second page: every poll that gets past page 1 makes one (a read
	 * that restarts because the list changed while paging makes more).
	 */
	const pageTwos = () => listGets().filter((r) => r.query.after !== undefined && r.status !== 0);

	/** Waits until `count` more polls have answered page 2 (succeeded or failed there). */
	async function polls(count: number): Promise<void> {
		const target = pageTwos().length + count;
		await until(
			`${count} more poll(s)`,
			() => (pageTwos().length >= target ? true : undefined),
			(count + 3) * POLL_EVERY_S * 1000 + 10_000,
		);
	}

	// ---- what n8n recorded ----------------------------------------------------------------------

	const finished = (e: Execution) => !['new', 'running', 'waiting'].includes(e.status);

	async function executions(): Promise<Execution[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
		const { json } = await rest.request(
			'GET',
			`/executions?filter=${filter}&limit=100`,
			undefined,
			{ expect: 200 },
		);
		return (json.data.results as Execution[]).sort((a, b) => Number(a.id) - Number(b.id));
	}

	/** The executions after the first `seen`, once there are `count` of them, all finished. */
	async function newExecutions(count: number): Promise<Execution[]> {
		return await until(
			`${count} new execution(s)`,
			async () => {
				const fresh = (await executions()).slice(seen);
				return fresh.length >= count && fresh.every(finished) ? fresh : undefined;
			},
			60_000,
		);
	}

	async function executionText(id: string): Promise<string> {
		return (await rest.request('GET', `/executions/${id}`, undefined, { expect: 200 })).text;
	}

	async function runData(id: string): Promise<any> {
		const { json } = await rest.request('GET', `/executions/${id}`, undefined, { expect: 200 });
		return flatted.parse(json.data.data);
	}

	const itemsOf = (run: any, node: string): Event[] =>
		(run.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []).map((i: { json: Event }) => i.json);
	const byUser = (events: Event[]) => [...events].sort((a, b) => a.user.localeCompare(b.user));

	/** One event as the trigger emits it, for a phone number user of PN1. */
	const event = (kind: string, user: string, blockReason: string, detectedAt: string): Event => ({
		event: kind,
		user,
		wa_id: user,
		user_id: null,
		block_reason: blockReason,
		phoneNumberId: PN1,
		detectedAt,
	});

	/** The events of a successful execution, whose trigger and NoOp both carry the same items. */
	async function eventsOf(execution: Execution): Promise<Event[]> {
		expect([execution.status, execution.mode]).toEqual(['success', 'trigger']);
		const run = await runData(execution.id);
		const events = itemsOf(run, TRIGGER);
		expect(itemsOf(run, RECEIVED)).toEqual(events);
		expect(new Set(events.map((e) => e.detectedAt)).size).toBe(1);
		expect(events[0]?.detectedAt).toMatch(ISO);
		return events;
	}

	/** The one new execution's events. */
	async function oneEventExecution(): Promise<Event[]> {
		const [execution] = await newExecutions(1);
		seen++;
		return await eventsOf(execution);
	}

	/** The executions since the last checked one, once one of them succeeded (the change came out) and all finished. */
	async function untilChangeReported(): Promise<Execution[]> {
		return await until(
			'the change reported',
			async () => {
				const list = (await executions()).slice(seen);
				return list.some((e) => e.status === 'success') && list.every(finished) ? list : undefined;
			},
			60_000,
		);
	}

	/** After `count` more polls, still no new execution. */
	async function nothingNewAfter(count: number): Promise<void> {
		await polls(count);
		// A poll that emitted has its execution listed well before the next poll's page 2.
		await polls(1);
		expect((await executions()).slice(seen)).toEqual([]);
	}

	beforeAll(async () => {
		const t = Date.now();
		sandbox = await newSandbox({ apiKey: API_KEY, phoneNumberIds: [PN1] });
		// The real API answers 139102 to a cursor of a list that changed since: a change made
		// while a poll is between its pages restarts that read instead of mixing two lists.
		sandbox.config.strictCursors = true;
		sandbox.config.blockReasons = { [UNBLOCKED]: 'abuse' };
		sandbox.setBlocklist(PN1, BASE);
		sandbox.behaviour = (req) =>
			req.method === 'GET' && req.query.after !== undefined ? pageTwo : undefined;

		n8n = await newN8n('trigger');
		await n8n.importCredentials([sandboxCredential(sandbox, CREDENTIAL.id, CREDENTIAL.name)]);
		await n8n.importWorkflow(triggerWorkflow());
		await n8n.activate(WORKFLOW_ID);
		timing('trigger: user folder, imports, publish', Date.now() - t);

		const t2 = Date.now();
		await n8n.start();
		rest = n8n.rest();
		await rest.ensureOwner(OWNER);
		timing('trigger: n8n start + owner set-up', Date.now() - t2);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	});

	test('the activation poll reads the whole list and records it: no execution, nor from the polls after it', async () => {
		const t = Date.now();
		// Activation ran one poll: both pages read.
		await until('the activation poll', () => (pageTwos().length > 0 ? true : undefined));
		expect(
			listGets()
				.slice(0, 2)
				.map((r) => [r.query.limit, r.query.after === undefined ? 'page 1' : 'page 2', r.status]),
		).toEqual([
			['1000', 'page 1', 200],
			['1000', 'page 2', 200],
		]);
		expect(listGets().every((r) => r.authorized)).toBe(true);
		const { json } = await rest.request('GET', `/workflows/${WORKFLOW_ID}`, undefined, {
			expect: 200,
		});
		expect(json.data.active).toBe(true);
		await nothingNewAfter(1);
		timing('trigger: baseline', Date.now() - t);
	});

	test('two users blocked (one with a block reason of its own) and one unblocked: one execution with exactly those 3 events', async () => {
		const t = Date.now();
		sandbox.config.blockReasons = { [NEW1]: 'spam' };
		sandbox.setBlocklist(PN1, [...BASE.filter((u) => u !== UNBLOCKED), NEW1, NEW2]);
		const events = await oneEventExecution();
		const at = events[0].detectedAt;
		expect(byUser(events)).toEqual(
			byUser([
				event('blocked', NEW1, 'spam', at),
				event('blocked', NEW2, 'manual', at),
				// Unblocked users carry their last known block reason.
				event('unblocked', UNBLOCKED, 'abuse', at),
			]),
		);
		// Blocked users come first.
		expect(events.map((e) => e.event)).toEqual(['blocked', 'blocked', 'unblocked']);
		await nothingNewAfter(1);
		timing('trigger: one change', Date.now() - t);
	});

	test('polls whose page 2 fails emit nothing (n8n records an error execution for each); the change made meanwhile comes out once after', async () => {
		const t = Date.now();
		pageTwo = { kind: 'serverError' };
		sandbox.setBlocklist(PN1, [...BASE.filter((u) => u !== UNBLOCKED), NEW1, NEW2, NEW3]);
		await polls(2);
		pageTwo = undefined;
		// Page 2 answers again: the next poll reports the change.
		const fresh = await untilChangeReported();
		const failed = pageTwos().filter((r) => r.status === 500);
		expect(failed.length).toBeGreaterThanOrEqual(2);

		// What n8n 2.41.1 records for a poll that throws: one execution per failed poll, status
		// "error", mode "trigger", whose run data is the trigger node alone with the node's
		// error (n8n's ExecutionService.createErrorExecution); the NoOp never runs.
		expect(fresh.map((e) => [e.status, e.mode])).toEqual([
			...failed.map(() => ['error', 'trigger']),
			['success', 'trigger'],
		]);
		for (const e of fresh.slice(0, -1)) {
			const run = await runData(e.id);
			expect(Object.keys(run.resultData.runData)).toEqual([TRIGGER]);
			const task = run.resultData.runData[TRIGGER][0];
			expect(task.data).toBeUndefined();
			expect(task.error).toMatchObject({
				name: 'NodeApiError',
				message:
					'Splashify had a server error (HTTP 500): An unexpected error has occurred. Please retry your request later. (gave up after 1 attempt)',
				description: `An unexpected error has occurred. Please retry your request later. — Phone number ID ${PN1}. Nothing was reported; the next complete read is compared with the last complete one.`,
			});
			expect(run.resultData.error.message).toBe(task.error.message);
			expect(run.resultData.lastNodeExecuted).toBe(TRIGGER);
		}

		// NEW3 comes out once, and only NEW3.
		const events = await eventsOf(fresh[fresh.length - 1]);
		seen += fresh.length;
		expect(events).toEqual([event('blocked', NEW3, 'manual', events[0].detectedAt)]);
		await nothingNewAfter(1);
		timing('trigger: failed polls, then the change once', Date.now() - t);
	});

	test('polls whose page 2 is a 200 that is no page (an error envelope, then {}) emit nothing (not "unblocked" for every user past page 1); the change made meanwhile comes out once after', async () => {
		const t = Date.now();
		const anomalous = () =>
			pageTwos().filter((r) => r.behaviour === 'errorIn200' || r.behaviour === 'bogus200');
		pageTwo = { kind: 'errorIn200', code: 131000 };
		sandbox.setBlocklist(PN1, [...BASE.filter((u) => u !== UNBLOCKED), NEW1, NEW2, NEW3, NEW5]);
		await polls(1);
		pageTwo = { kind: 'bogus200', body: 'object' };
		await polls(1);
		pageTwo = undefined;
		const fresh = await untilChangeReported();
		expect(anomalous().map((r) => r.status)).toEqual(anomalous().map(() => 200));
		expect(anomalous().map((r) => r.behaviour)).toEqual(
			expect.arrayContaining(['errorIn200', 'bogus200']),
		);
		// One error execution per anomalous poll, then the one change: NEW5 blocked, nobody unblocked.
		expect(fresh.map((e) => [e.status, e.mode])).toEqual([
			...anomalous().map(() => ['error', 'trigger']),
			['success', 'trigger'],
		]);
		const messages = await Promise.all(
			fresh
				.slice(0, -1)
				.map(
					async (e) => (await runData(e.id)).resultData.runData[TRIGGER][0].error.message as string,
				),
		);
		expect(messages).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/131000/),
				expect.stringMatching(/not a page of the blocklist/),
			]),
		);
		const events = await eventsOf(fresh[fresh.length - 1]);
		seen += fresh.length;
		expect(events).toEqual([event('blocked', NEW5, 'manual', events[0].detectedAt)]);
		await nothingNewAfter(1);
		timing('trigger: anomalous 200 polls, then the change once', Date.now() - t);
	});

	test('n8n stopped and started again: nothing is emitted again, and a change made while it was down comes out once', async () => {
		const t = Date.now();
		await n8n.stop();
		timing('trigger: n8n stop', Date.now() - t);
		sandbox.setBlocklist(PN1, [
			...BASE.filter((u) => u !== UNBLOCKED && u !== NEW1),
			NEW2,
			NEW3,
			NEW4,
			NEW5,
		]);
		await n8n.start();
		rest = n8n.rest();
		await rest.ensureOwner(OWNER);
		timing('trigger: n8n restart', Date.now() - t);
		// The state saved in the workflow's static data survived the restart: the first poll
		// compares with it instead of recording a new baseline (which would miss the change).
		const events = await oneEventExecution();
		const at = events[0].detectedAt;
		expect(events).toEqual([
			event('blocked', NEW4, 'manual', at),
			event('unblocked', NEW1, 'spam', at),
		]);
		await nothingNewAfter(1);
		timing('trigger: restart and one change', Date.now() - t);
	});

	test('the API key is in no execution that n8n stored, not in its log, nor in any file it wrote', async () => {
		const all = await executions();
		expect(all.length).toBe(seen);
		expect(all.filter((e) => e.status === 'success')).toHaveLength(4);
		for (const e of all) expect(await executionText(e.id)).not.toContain(API_KEY);
		const log = fs.readFileSync(path.join(n8n.userFolder, 'n8n-start.log'), 'utf8');
		// n8n's log of both starts. n8n 2.41.1 logs nothing at level info for a failed poll: the
		// error execution is its only record.
		expect(log.match(/Editor is now accessible/g)).toHaveLength(2);
		expect(log).not.toContain(API_KEY);
		// Nor the SQLite database (the credential is encrypted there), the event logs or anything
		// else under the user folder; inputs/ holds this test's own import file, in plain text.
		const written = filesUnder(n8n.userFolder, ['inputs', 'node_modules']);
		expect(written.map((f) => path.relative(n8n.userFolder, f))).toEqual(
			expect.arrayContaining([
				'n8n-start.log',
				path.join('.n8n', 'database.sqlite'),
				path.join('.n8n', 'n8nEventLog.log'),
			]),
		);
		expect(written.filter((f) => fs.readFileSync(f).includes(API_KEY))).toEqual([]);
		// Every request the sandbox saw carried the key, so it was really in use.
		expect(sandbox.requests.every((r) => r.authorized)).toBe(true);
	});
});
