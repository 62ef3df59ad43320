/**
 * Users known only by a business-scoped user ID (BSUID) through the node's real execution and
 * n8n's HTTP helper, against the sandbox: sent as `{"user_id"}` beside numbers, answered and
 * listed in every shape, refused locally when malformed; and "already blocked" / "not
 * blocked" answers with either code, in every shape, coming out as successes.
 */
import { numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { messageOf, rows, usersOf } from '../helpers/items';

const ctx = useSandbox();
const BSUID = 'US.13491208655302741918';
const OTHER = 'IN.777';
const PARENT = 'US.ENT.11815799212886844830';

describe.each(['provider', 'meta', 'mixed400'] as const)('BSUIDs, %s answers', (shape) => {
	beforeEach(() => {
		ctx.sb.config.shape = shape;
	});

	test('one request mixes {user} and {user_id}; duplicates are sent once, each occurrence gets its item', async () => {
		ctx.sb.config.parentUserIds = true;
		ctx.sb.config.reengagementRequired = [OTHER];
		const { outputs, error } = await ctx.run(
			{ operation: 'block', users: '={{ $json.users }}' },
			{
				items: [
					{ users: ['+919999999999', { user_id: BSUID }, 'in.777'] },
					{ users: `${PARENT}, ${BSUID}` },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(ctx.sb.requests).toHaveLength(1);
		// The parent BSUID is never sent (WhatsApp would refuse the whole request): it fails alone.
		expect(ctx.sb.requests[0].body).toEqual({
			messaging_product: 'whatsapp',
			block_users: [{ user: '+919999999999' }, { user_id: BSUID }, { user_id: OTHER }],
		});
		const [succeeded, failed] = outputs;
		expect(rows(succeeded, 'user', 'status', 'pairedItem')).toEqual([
			['+919999999999', 'blocked', { item: 0 }],
			[BSUID, 'blocked', { item: 0 }],
			[BSUID, 'blocked', { item: 1 }],
		]);
		expect(succeeded[1].json).toEqual({
			status: 'blocked',
			input: BSUID,
			user: BSUID,
			wa_id: null,
			user_id: BSUID,
			parent_user_id: 'US.ENT.13491208655302741918',
			phoneNumberId: PHONE_NUMBER_ID,
		});
		expect(succeeded[0].json).toMatchObject({ wa_id: '919999999999', user_id: null });
		expect(rows(failed, 'input', 'user_id', 'code')).toEqual([
			['in.777', OTHER, 131047],
			[PARENT, PARENT, 'PARENT_BSUID'],
		]);
		expect(messageOf(failed[1])).toMatch(
			/is a parent BSUID.*give the user's own BSUID \(user_id\) or phone number instead \(item 2\)/,
		);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(['919999999999', BSUID]);
	});

	test('unblock by BSUID; a BSUID that is not blocked is "not blocked"', async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, [BSUID, '919999999999']);
		const { outputs } = await ctx.run({
			operation: 'unblock',
			users: `${BSUID}, ${OTHER}, +919999999999`,
		});
		expect(rows(outputs[0], 'user', 'status', 'user_id', 'wa_id')).toEqual([
			[BSUID, 'unblocked', BSUID, null],
			[OTHER, 'not blocked', OTHER, null],
			['+919999999999', 'unblocked', null, '919999999999'],
		]);
		expect(outputs[1]).toEqual([]);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([]);
	});
});

test('a malformed BSUID is never sent and fails with what a BSUID looks like', async () => {
	const { outputs } = await ctx.run({
		operation: 'block',
		users: ['US-1349', 'USA.12', { user_id: 'US.' }, BSUID] as unknown as string,
	});
	expect(ctx.sb.requests[0].users).toEqual([BSUID]);
	expect(usersOf(outputs[0])).toEqual([BSUID]);
	expect(rows(outputs[1], 'input', 'code')).toEqual([
		['US-1349', 'INVALID_NUMBER'],
		['USA.12', 'INVALID_NUMBER'],
		['US.', 'INVALID_NUMBER'],
	]);
	for (const item of outputs[1]) {
		expect(messageOf(item)).toMatch(
			/two capital letters, a dot and up to 128 letters and digits, such as US\.13491208655302741918 \(item 1\)$/,
		);
	}
});

describe.each(['provider', 'meta'] as const)('List with BSUIDs, %s entries', (listShape) => {
	test('each entry says user, wa_id and user_id; List items feed an Unblock', async () => {
		ctx.sb.config.listShape = listShape;
		ctx.sb.config.parentUserIds = true;
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919999999999', BSUID, PARENT]);
		const { outputs } = await ctx.run({ operation: 'list', returnAll: true });
		expect(rows(outputs[0], 'user', 'wa_id', 'user_id', 'parent_user_id')).toEqual([
			['919999999999', '919999999999', null, undefined],
			[BSUID, null, BSUID, 'US.ENT.13491208655302741918'],
			[PARENT, null, PARENT, undefined],
		]);
		const unblock = await ctx.run(
			{ operation: 'unblock', users: '={{ $json }}' },
			{ items: outputs[0].map((i) => i.json) as never },
		);
		expect(rows(unblock.outputs[0], 'user', 'status')).toEqual([
			['+919999999999', 'unblocked'],
			[BSUID, 'unblocked'],
		]);
		expect(rows(unblock.outputs[1], 'input', 'code')).toEqual([[PARENT, 'PARENT_BSUID']]);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([PARENT]);
	});
});

describe.each([100, 139100] as const)(
	'"already blocked" / "not blocked" with code %s',
	(noChangeCode) => {
		test.each(['provider', 'meta', 'mixed400'] as const)(
			'in %s answers: successes, sent once, nothing on Failed',
			async (shape) => {
				ctx.sb.config.noChangeCode = noChangeCode;
				ctx.sb.config.shape = shape;
				const users = [...numbers(3), BSUID];
				ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['917000000000', BSUID]);
				const block = await ctx.run({ operation: 'block', users: users.join(',') });
				expect(rows(block.outputs[0], 'user', 'status')).toEqual([
					[users[0], 'already blocked'],
					[users[1], 'blocked'],
					[users[2], 'blocked'],
					[BSUID, 'already blocked'],
				]);
				expect(block.outputs[1]).toEqual([]);
				ctx.sb.setBlocklist(PHONE_NUMBER_ID, [users[1].slice(1)]);
				const unblock = await ctx.run({ operation: 'unblock', users: users.join(',') });
				expect(unblock.outputs[0].map((i) => i.json.status)).toEqual([
					'not blocked',
					'unblocked',
					'not blocked',
					'not blocked',
				]);
				expect(unblock.outputs[1]).toEqual([]);
				expect(ctx.sb.requests.map((r) => r.method)).toEqual(['POST', 'DELETE']);
			},
		);
	},
);

describe("BSUIDs by Meta's grammar, parent BSUIDs never sent", () => {
	const LONG = `BR.${'aZ09'.repeat(32)}`;

	test('a 128-character alphanumeric BSUID is blocked, listed, checked and unblocked as given (case kept)', async () => {
		const block = await ctx.run({ operation: 'block', users: `br.${LONG.slice(3)}` });
		expect(rows(block.outputs[0], 'user', 'status')).toEqual([[LONG, 'blocked']]);
		expect(ctx.sb.requests[0].body).toEqual({
			messaging_product: 'whatsapp',
			block_users: [{ user_id: LONG }],
		});
		const list = await ctx.run({ operation: 'list', returnAll: true });
		expect(usersOf(list.outputs[0])).toEqual([LONG]);
		const check = await ctx.run({ operation: 'check', users: LONG });
		expect(usersOf(check.outputs[0])).toEqual([LONG]);
		const unblock = await ctx.run({ operation: 'unblock', users: LONG });
		expect(unblock.outputs[0].map((i) => i.json.status)).toEqual(['unblocked']);
	});

	test('Check matches a parent BSUID against the parent_user_id of a listed user', async () => {
		ctx.sb.config.parentUserIds = true;
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, [BSUID]);
		const { outputs } = await ctx.run({
			operation: 'check',
			users: `US.ENT.${BSUID.slice(3)}, ${PARENT}`,
		});
		expect(usersOf(outputs[0])).toEqual([`US.ENT.${BSUID.slice(3)}`]);
		expect(usersOf(outputs[1])).toEqual([PARENT]);
	});

	test('Sync: a parent BSUID on the list is already blocked; one not on it is refused and withholds the unblocks', async () => {
		ctx.sb.config.parentUserIds = true;
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, [BSUID, '919999999999']);
		const listedParent = `US.ENT.${BSUID.slice(3)}`;
		const kept = await ctx.run({ operation: 'sync', users: listedParent });
		expect(rows(kept.outputs[1], 'user', 'status')).toEqual([[listedParent, 'already blocked']]);
		expect(ctx.sb.requests.filter((r) => r.method === 'POST')).toEqual([]);
		ctx.sb.requests.length = 0;
		const refused = await ctx.run({
			operation: 'sync',
			users: `${BSUID}, ${PARENT}`,
			options: { unblockOthers: true },
		});
		expect(ctx.sb.requests.filter((r) => r.method !== 'GET')).toEqual([]);
		expect(rows(refused.outputs[2], 'input', 'user', 'code')).toEqual([
			[PARENT, null, 'PARENT_BSUID'],
			[null, '+919999999999', 'UNBLOCK_WITHHELD'],
		]);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([BSUID, '919999999999']);
	});
});
