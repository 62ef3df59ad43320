/**
 * Fixed cases of the Check/Sync property (support/checkSyncRun.ts), each run through all of
 * its invariants and then held to the exact outcome: they pin down the situations the
 * randomized runs meet only now and then, whatever seed the property suite uses.
 */
import { CheckSyncStats, runCheckSyncCase } from './support/checkSyncRun';
import { type CheckSyncCase, PLAIN_PAGING, strangers } from './support/checkSyncModel';
import { captureLogs, type LogCapture } from './support/logs';
import { type Entry, type Item, listKey } from './support/model';
import { PHONE_A } from './support/world';

let logs: LogCapture;
beforeAll(() => {
	logs = captureLogs();
});
afterAll(() => logs.restore());

const valid = (canonical: string): Entry => ({
	value: canonical,
	kind: 'valid',
	canonical,
	textSafe: true,
});
const invalid = (value: string): Entry => ({ value, kind: 'invalid', textSafe: true });
const item = (...entries: Entry[]): Item => ({
	users: { mode: 'text', value: entries.map((e) => String(e.value)).join(', '), entries },
	phone: undefined,
	phoneKind: 'A',
});

const OPTIONS = {
	maxRetries: 1,
	retryDelay: 1,
	timeout: 2_000,
	unblockOthers: false,
	allowEmptyBlocklist: false,
	unblockDespiteRefused: false,
	dryRun: false,
	batchSize: 50,
	maxConcurrency: 1,
};

/** Runs a fixed case (Sync unless it says otherwise) through all of the property's invariants. */
function runCase(overrides: Partial<CheckSyncCase>, options: Partial<typeof OPTIONS> = {}) {
	const c: CheckSyncCase = {
		operation: 'sync',
		pool: [],
		items: [],
		phoneMode: 'normal',
		preseed: { A: [], B: [] },
		listShape: 'provider',
		server: PLAIN_PAGING,
		strictCursors: false,
		parentUserIds: false,
		noChangeCode: 139100,
		mutateAt: [],
		mutations: ['addEnd'],
		raceBeforeWrite: 'none',
		options: { ...OPTIONS, ...options },
		continueOnFail: false,
		script: [],
		paddedKey: false,
		expressions: { users: '={{ $json.users }}', phone: '={{ $json.phone }}' },
		large: false,
		...overrides,
	};
	return runCheckSyncCase(c, new CheckSyncStats(), logs);
}

const statuses = (outputs: Array<Array<{ json: Record<string, unknown> }>>) =>
	outputs.map((out) => out.map((i) => `${String(i.json.user)} ${String(i.json.status)}`));

test('Sync: a user blocked by someone else between the read and the write comes out as already blocked, on Unchanged', async () => {
	const users = ['+919000000001', '+919000000002', '+919000000003'];
	const run = await runCase(
		{
			pool: users,
			items: [item(...users.map(valid))],
			raceBeforeWrite: 'flipFirstUser',
		},
		{ batchSize: 2 },
	);
	expect(run.result.error).toBeUndefined();
	expect(run.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'POST']);
	expect(statuses(run.result.outputs as never)).toEqual([
		[`${users[1]} blocked`, `${users[2]} blocked`],
		[`${users[0]} already blocked`],
		[],
	]);
	expect(run.blocklists[PHONE_A].sort()).toEqual(users.map(listKey).sort());
});

test('Sync with Unblock Others: a user unblocked by someone else in between comes out as not blocked; wanted users are kept', async () => {
	const wanted = '+919000000001';
	const others = ['+447000000001', 'GB.123456'];
	const run = await runCase(
		{
			pool: [wanted],
			items: [item(valid(wanted))],
			preseed: { A: [listKey(wanted), ...others.map(listKey)], B: [] },
			raceBeforeWrite: 'flipFirstUser',
		},
		{ unblockOthers: true },
	);
	expect(run.requests.map((r) => [r.method, r.users])).toEqual([
		['GET', undefined],
		['DELETE', others],
	]);
	expect(statuses(run.result.outputs as never)).toEqual([
		[`${others[1]} unblocked`],
		[`${wanted} already blocked`, `${others[0]} not blocked`],
		[],
	]);
	expect(run.result.outputs[1][1].json.input).toBeNull();
	expect(run.blocklists[PHONE_A]).toEqual([listKey(wanted)]);
});

test('Check: a 2,500-entry blocklist that changes while it is paged (strict cursors) is read again from the first page', async () => {
	const user = '+919000000001';
	const list = strangers(2_500, 7);
	list.splice(1_700, 0, listKey(user));
	const run = await runCase({
		operation: 'check',
		pool: [user],
		items: [item(valid(user), valid('+919000000002'))],
		preseed: { A: list, B: [] },
		strictCursors: true,
		mutateAt: [1],
		mutations: ['removeFirst'],
		options: { maxRetries: 0, retryDelay: 1, timeout: 2_000 },
	});
	// Page 1, page 2 (139102: the list changed), then pages 1 to 3 again.
	expect(
		run.requests.map((r) => [r.method, r.after === undefined ? 'first' : 'next', r.status]),
	).toEqual([
		['GET', 'first', 200],
		['GET', 'next', 400],
		['GET', 'first', 200],
		['GET', 'next', 200],
		['GET', 'next', 200],
	]);
	expect(statuses(run.result.outputs as never)).toEqual([
		[`${user} blocked`],
		['+919000000002 not blocked'],
		[],
	]);
});

test('Sync refuses to empty a blocklist when no valid user is given, and a dry run with Allow Emptying lists all of them', async () => {
	const listed = ['447000000001', '447000000002', 'GB.42'];
	const empty = { items: [item(invalid('n/a'), invalid('+12'))], preseed: { A: listed, B: [] } };
	const refused = await runCase(empty, { unblockOthers: true });
	expect(refused.result.error?.message).toMatch(
		/would unblock all 3 users of phone number ID 100000000000001.*Allow Emptying the Blocklist/,
	);
	expect(refused.requests.map((r) => r.method)).toEqual(['GET']);
	expect(refused.blocklists[PHONE_A]).toEqual(listed);

	// The refused entries may be listed users: with Allow Emptying alone nobody is unblocked (withheld)...
	const withheld = await runCase(empty, {
		unblockOthers: true,
		allowEmptyBlocklist: true,
		dryRun: true,
	});
	expect(withheld.result.error).toBeUndefined();
	expect(withheld.requests.map((r) => r.method)).toEqual(['GET']);
	expect(statuses(withheld.result.outputs as never)).toEqual([
		[],
		[],
		['null failed', 'null failed', '+447000000001 failed', '+447000000002 failed', 'GB.42 failed'],
	]);
	expect(withheld.result.outputs[2].map((i) => (i.json.error as { code: string }).code)).toEqual([
		'INVALID_NUMBER',
		'INVALID_NUMBER',
		'UNBLOCK_WITHHELD',
		'UNBLOCK_WITHHELD',
		'UNBLOCK_WITHHELD',
	]);

	// ...and with Unblock Others Despite Refused Users too, the dry run lists all of them.
	const dry = await runCase(empty, {
		unblockOthers: true,
		allowEmptyBlocklist: true,
		unblockDespiteRefused: true,
		dryRun: true,
	});
	expect(dry.result.error).toBeUndefined();
	expect(dry.requests.map((r) => r.method)).toEqual(['GET']);
	expect(statuses(dry.result.outputs as never)[0]).toEqual([
		'+447000000001 would unblock',
		'+447000000002 would unblock',
		'GB.42 would unblock',
	]);
	expect(dry.result.outputs[2].map((i) => (i.json.error as { code: string }).code)).toEqual([
		'INVALID_NUMBER',
		'INVALID_NUMBER',
	]);
});

test('Sync with Unblock Others: a refused entry (a parent BSUID not on the list) withholds every unblock of its phone number ID; blocks still go', async () => {
	const wanted = '+919000000001';
	const parent = 'US.ENT.aZ09';
	const listed = ['447000000001', 'BR.x9'];
	const run = await runCase(
		{
			pool: [wanted, parent],
			items: [item(valid(wanted), valid(parent))],
			preseed: { A: listed, B: [] },
		},
		{ unblockOthers: true },
	);
	expect(run.result.error).toBeUndefined();
	expect(run.requests.map((r) => [r.method, r.users])).toEqual([
		['GET', undefined],
		['POST', [wanted]],
	]);
	expect(statuses(run.result.outputs as never)).toEqual([
		[`${wanted} blocked`],
		[],
		['null failed', '+447000000001 failed', 'BR.x9 failed'],
	]);
	expect(
		run.result.outputs[2].map((i) => [i.json.input, (i.json.error as { code: string }).code]),
	).toEqual([
		[parent, 'PARENT_BSUID'],
		[null, 'UNBLOCK_WITHHELD'],
		[null, 'UNBLOCK_WITHHELD'],
	]);
	expect(run.blocklists[PHONE_A]).toEqual([...listed, listKey(wanted)]);
});

test('Sync with Unblock Others: a parent BSUID on the list (a child names it) is already blocked, never sent; a BSUID-only listed user is kept while a wanted number is not on the list', async () => {
	const wanted = '+919000000001';
	const parent = 'US.ENT.aZ09';
	const run = await runCase(
		{
			pool: [wanted, parent],
			items: [item(valid(wanted), valid(parent))],
			preseed: { A: ['US.aZ09', 'BR.x9', '447000000001'], B: [] },
			parentUserIds: true,
		},
		{ unblockOthers: true },
	);
	expect(run.result.error).toBeUndefined();
	expect(run.requests.map((r) => [r.method, r.users])).toEqual([
		['GET', undefined],
		['POST', [wanted]],
		['DELETE', ['+447000000001']],
	]);
	expect(statuses(run.result.outputs as never)).toEqual([
		[`${wanted} blocked`, '+447000000001 unblocked'],
		[`${parent} already blocked`, 'BR.x9 kept'],
		[],
	]);
	expect(run.result.outputs[1][1].json).toMatchObject({
		input: null,
		user_id: 'BR.x9',
		reason: expect.stringMatching(/known only by a BSUID/),
	});
	expect(run.blocklists[PHONE_A]).toEqual(['US.aZ09', 'BR.x9', listKey(wanted)]);
});
