/**
 * Sync with Unblock Others never unblocks a user who may be a wanted one: when a given
 * entry of a phone number ID was refused (it may be one of the listed users), nobody is
 * unblocked there (blocks still go) and the listed users it would have unblocked come out
 * on Failed with UNBLOCK_WITHHELD, unless Unblock Others Despite Refused Users is on. A
 * listed user known only by a BSUID is kept while a wanted number is not on the list (and a
 * listed number while a wanted BSUID is not), on Unchanged with the reason.
 */
import { numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { messageOf, rows } from '../helpers/items';

const ctx = useSandbox();
const [A, B, C] = numbers(3);
const REAL = '+919876543210';
const BSUID = 'US.13491208655302741918';
const digits = (users: string[]) => users.map((u) => u.replace(/^\+/, ''));
const sent = () =>
	ctx.sb.requests.filter((r) => r.method !== 'GET').map((r) => [r.method, r.users]);

const sync = (users: string, options: Record<string, unknown> = {}) =>
	ctx.run({ operation: 'sync', users, options: { unblockOthers: true, ...options } });

test('a refused entry (a national number without Default Country Code) withholds every unblock on its phone number ID; blocks still go', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A, REAL, B]));
	const { outputs, error } = await sync(`${A}, 98765 43210, ${C}`);
	expect(error).toBeUndefined();
	expect(sent()).toEqual([['POST', [C]]]);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(digits([A, REAL, B, C]));
	const [changed, unchanged, failed] = outputs;
	expect(rows(changed, 'user', 'status')).toEqual([[C, 'blocked']]);
	expect(rows(unchanged, 'user', 'status')).toEqual([[A, 'already blocked']]);
	expect(rows(failed, 'input', 'user', 'code')).toEqual([
		['98765 43210', null, 'INVALID_NUMBER'],
		[null, REAL, 'UNBLOCK_WITHHELD'],
		[null, B, 'UNBLOCK_WITHHELD'],
	]);
	expect(messageOf(failed[1])).toMatch(
		/^Not unblocked: 1 given user of phone number ID 100000000000001 was refused \(item 1: "98765 43210"\), and may be this user/,
	);
});

test('Dry Run shows the same: the withheld unblocks on Failed, nothing sent', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A, REAL]));
	const { outputs } = await sync(`${A}, nope`, { dryRun: true });
	expect(sent()).toEqual([]);
	expect(outputs[0]).toEqual([]);
	expect(rows(outputs[2], 'user', 'code')).toEqual([
		[null, 'INVALID_NUMBER'],
		[REAL, 'UNBLOCK_WITHHELD'],
	]);
});

test('Unblock Others Despite Refused Users: the others are unblocked as before', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A, REAL, B]));
	const { outputs } = await sync(`${A}, nope`, { unblockDespiteRefused: true });
	expect(sent()).toEqual([['DELETE', [REAL, B]]]);
	expect(rows(outputs[0], 'user', 'status')).toEqual([
		[REAL, 'unblocked'],
		[B, 'unblocked'],
	]);
});

test('a listed user known only by a BSUID is kept while a wanted number is not on the list, with the reason; unblocked once every wanted number is', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [...digits([A, B]), BSUID]);
	const { outputs } = await sync(`${A}, ${C}`);
	expect(sent()).toEqual([
		['POST', [C]],
		['DELETE', [B]],
	]);
	const kept = outputs[1].find((i) => i.json.user === BSUID);
	expect(kept?.json).toMatchObject({
		status: 'kept',
		input: null,
		user: BSUID,
		user_id: BSUID,
		wa_id: null,
	});
	expect(kept?.json.reason).toMatch(
		/known only by a BSUID.*given by number is not on the list.*may be the same person/,
	);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([...digits([A]), BSUID, ...digits([C])]);

	ctx.sb.requests.length = 0;
	const second = await sync(`${A}, ${C}`);
	expect(sent()).toEqual([['DELETE', [BSUID]]]);
	expect(rows(second.outputs[0], 'user', 'status')).toEqual([[BSUID, 'unblocked']]);
});

test('and the other way round: a listed number is kept while a wanted BSUID is not on the list', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A, B]));
	const { outputs } = await sync(`${A}, ${BSUID}`);
	expect(sent()).toEqual([['POST', [BSUID]]]);
	expect(rows(outputs[1], 'user', 'status')).toEqual([
		[A, 'already blocked'],
		[B, 'kept'],
	]);
	expect(outputs[1][1].json.reason).toMatch(
		/known only by a phone number.*given by BSUID is not on the list.*may be the same person/,
	);
});

test('a listed user known only by a parent BSUID is never sent in an unblock: it fails alone, the others are unblocked', async () => {
	const PARENT = 'US.ENT.1';
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [PARENT, ...digits([A, B])]);
	const { outputs } = await sync(A);
	expect(sent()).toEqual([['DELETE', [B]]]);
	expect(rows(outputs[0], 'user', 'status')).toEqual([[B, 'unblocked']]);
	expect(rows(outputs[2], 'user', 'code')).toEqual([[PARENT, 'PARENT_BSUID']]);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([PARENT, ...digits([A])]);
});
