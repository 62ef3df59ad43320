/**
 * Check through the node's real execution and n8n's HTTP helper, against the sandbox: the
 * whole blocklist read (pages of 1,000), users sorted onto Blocked / Not Blocked / Failed,
 * never a change; a read that does not finish puts every user of that phone number on Failed.
 */
import { FAST_RETRIES, numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { codesOf, messageOf, rows, usersOf } from '../helpers/items';

const ctx = useSandbox();
const OTHER_PHONE = '200000000000002';
const BSUID = 'US.13491208655302741918';
/** `count` numbers as the blocklist holds them (no plus). */
const listed = (count: number) => numbers(count).map((n) => n.slice(1));

test('Blocked, Not Blocked and Failed over a 2,500-entry blocklist read in 3 pages; no change sent', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [...listed(2500), BSUID]);
	const { outputs, error } = await ctx.run(
		{ operation: 'check', users: '={{ $json.users }}' },
		{
			items: [
				{ users: [numbers(1)[0], '+919000000001', BSUID] },
				{ users: `${numbers(1, 2499)[0]}, nope, GB.1` },
			],
		},
	);
	expect(error).toBeUndefined();
	expect(ctx.sb.requests.map((r) => [r.method, r.query.limit])).toEqual(
		Array(3).fill(['GET', '1000']),
	);
	const [blocked, notBlocked, failed] = outputs;
	expect(rows(blocked, 'user', 'status', 'pairedItem')).toEqual([
		[numbers(1)[0], 'blocked', { item: 0 }],
		[BSUID, 'blocked', { item: 0 }],
		[numbers(1, 2499)[0], 'blocked', { item: 1 }],
	]);
	expect(blocked[0].json).toEqual({
		status: 'blocked',
		input: numbers(1)[0],
		user: numbers(1)[0],
		wa_id: numbers(1)[0].slice(1),
		user_id: null,
		phoneNumberId: PHONE_NUMBER_ID,
		block_reason: 'manual',
	});
	expect(rows(notBlocked, 'user', 'status')).toEqual([
		['+919000000001', 'not blocked'],
		['GB.1', 'not blocked'],
	]);
	expect(rows(failed, 'input', 'code')).toEqual([['nope', 'INVALID_NUMBER']]);
});

test('a page that fails through its retries: every user of that phone number on Failed, the other phone number answered', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(1500));
	ctx.sb.setBlocklist(OTHER_PHONE, ['919999999999']);
	ctx.sb.behaviour = (req) =>
		req.method === 'GET' && req.query.after !== undefined && req.path.includes(PHONE_NUMBER_ID)
			? { kind: 'serverError', status: 503 }
			: undefined;
	const { outputs, error } = await ctx.run(
		{
			operation: 'check',
			users: '={{ $json.users }}',
			phoneNumberId: '={{ $json.pid }}',
			options: FAST_RETRIES,
		},
		{
			items: [
				{ users: `${numbers(1)[0]}, +919000000001`, pid: '' },
				{ users: '+919999999999', pid: OTHER_PHONE },
			],
		},
	);
	expect(error).toBeUndefined();
	const [blocked, notBlocked, failed] = outputs;
	expect(usersOf(blocked)).toEqual(['+919999999999']);
	expect(notBlocked).toEqual([]);
	expect(usersOf(failed)).toEqual([numbers(1)[0], '+919000000001']);
	expect(messageOf(failed[0])).toMatch(
		new RegExp(
			`^The blocklist of phone number ID ${PHONE_NUMBER_ID} could not be read completely: .*gave up after 4 attempts`,
		),
	);
	expect(ctx.sb.requests.every((r) => r.method === 'GET')).toBe(true);
});

test('the blocklist changing while paging restarts the read; after 3 restarts it fails', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(1200));
	let gets = 0;
	ctx.sb.behaviour = (req) =>
		req.method === 'GET' && req.query.after !== undefined && ++gets <= 2
			? { kind: 'listChanged' }
			: undefined;
	const first = await ctx.run({ operation: 'check', users: numbers(1, 1100)[0] });
	expect(usersOf(first.outputs[0])).toEqual([numbers(1, 1100)[0]]);
	expect(ctx.sb.requests.map((r) => r.status)).toEqual([200, 400, 200, 400, 200, 200]);

	ctx.sb.requests.length = 0;
	ctx.sb.behaviour = (req) =>
		req.method === 'GET' && req.query.after !== undefined ? { kind: 'listChanged' } : undefined;
	const second = await ctx.run({ operation: 'check', users: numbers(1, 1100)[0] });
	expect(ctx.sb.requests).toHaveLength(8);
	expect(codesOf(second.outputs[2])).toEqual([139102]);
});

test('a rejected key stops the node naming the item; with Continue On Fail the users are Failed', async () => {
	const credentials = { ...ctx.credentials, apiKey: 'pk_live_wrong_key_123' };
	const stopped = await ctx.run({ operation: 'check', users: '+919999999999' }, { credentials });
	expect(stopped.error?.message).toMatch(/rejected the API key/);
	expect(String(stopped.error?.description)).toMatch(/Item 1/);
	const continued = await ctx.run(
		{ operation: 'check', users: '+919999999999' },
		{ credentials, continueOnFail: true },
	);
	expect(codesOf(continued.outputs[2])).toEqual([190]);
	expect(JSON.stringify(continued.outputs)).not.toContain('pk_live_wrong_key_123');
});
