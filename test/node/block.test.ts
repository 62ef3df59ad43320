import { FAST_RETRIES, numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { messageOf, rows, usersOf } from '../helpers/items';

const ctx = useSandbox();

describe('Block', () => {
	test('1,201 users over 3 items: 3 requests of 500/500/201 and 1,201 output items, each paired to its item', async () => {
		const all = numbers(1201);
		const items = [
			{ phones: all.slice(0, 400) },
			{ phones: all.slice(400, 900) },
			{ phones: all.slice(900) },
		];
		const { outputs, error } = await ctx.run(
			{ operation: 'block', users: '={{ $json.phones }}' },
			{ items },
		);
		expect(error).toBeUndefined();

		const posts = ctx.sb.requests.filter((r) => r.method === 'POST');
		expect(posts.map((r) => r.users?.length)).toEqual([500, 500, 201]);
		expect(posts.flatMap((r) => r.users)).toEqual(all);
		expect(posts[0].body).toMatchObject({ messaging_product: 'whatsapp' });

		const [succeeded, failed] = outputs;
		expect(failed).toHaveLength(0);
		expect(succeeded).toHaveLength(1201);
		expect(usersOf(succeeded)).toEqual(all);
		expect(succeeded[0].json).toEqual({
			status: 'blocked',
			input: all[0],
			user: all[0],
			wa_id: all[0].slice(1),
			user_id: null,
			phoneNumberId: PHONE_NUMBER_ID,
		});
		expect(succeeded[399].pairedItem).toEqual({ item: 0 });
		expect(succeeded[400].pairedItem).toEqual({ item: 1 });
		expect(succeeded[1200].pairedItem).toEqual({ item: 2 });
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toHaveLength(1201);
	});

	test('batch size option: N unique users cost ceil(N / size) requests', async () => {
		await ctx.run({ operation: 'block', users: numbers(23).join('\n'), options: { batchSize: 5 } });
		expect(ctx.sb.requests.map((r) => r.users?.length)).toEqual([5, 5, 5, 5, 3]);
	});

	test('formats are normalised, duplicates are sent once, and every occurrence gets its own item', async () => {
		const { outputs } = await ctx.run(
			{ operation: 'block', users: '={{ $json.phone }}' },
			{
				items: [
					{ phone: '+91 99999-99999' },
					{ phone: '0091 (99999) 99999' },
					{ phone: '919999999999' },
					{ phone: '+1 415.555.9876' },
				],
			},
		);
		expect(ctx.sb.requests).toHaveLength(1);
		expect(ctx.sb.requests[0].users).toEqual(['+919999999999', '+14155559876']);
		const [succeeded, failed] = outputs;
		expect(failed).toHaveLength(0);
		expect(rows(succeeded, 'input', 'user', 'pairedItem')).toEqual([
			['+91 99999-99999', '+919999999999', { item: 0 }],
			['0091 (99999) 99999', '+919999999999', { item: 1 }],
			['919999999999', '+919999999999', { item: 2 }],
			['+1 415.555.9876', '+14155559876', { item: 3 }],
		]);
	});

	test('invalid numbers are never sent and come out as failed items with the item number', async () => {
		const { outputs } = await ctx.run(
			{ operation: 'block', users: '={{ $json.phones }}' },
			{ items: [{ phones: '+919999999999, 12345, not-a-number' }, { phones: '' }] },
		);
		expect(ctx.sb.requests.flatMap((r) => r.users)).toEqual(['+919999999999']);
		const [succeeded, failed] = outputs;
		expect(usersOf(succeeded)).toEqual(['+919999999999']);
		expect(rows(failed, 'input', 'code', 'pairedItem')).toEqual([
			['12345', 'INVALID_NUMBER', { item: 0 }],
			['not-a-number', 'INVALID_NUMBER', { item: 0 }],
			['', 'NO_USERS', { item: 1 }],
		]);
		expect(messageOf(failed[0])).toMatch(/"12345" is not a valid phone number.*\(item 1\)/);
		expect(messageOf(failed[2])).toMatch(/Item 2 has no users/);
		expect(failed[0].json).toMatchObject({
			status: 'failed',
			user: null,
			wa_id: null,
			user_id: null,
		});
	});

	test("partial failures in the provider's shape; an already blocked user is a success", async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919888888888']);
		ctx.sb.config.reengagementRequired = ['+14155559876'];
		const { outputs } = await ctx.run({
			operation: 'block',
			users: '+919999999999, +919888888888, +14155559876',
		});
		const [succeeded, failed] = outputs;
		expect(rows(succeeded, 'user', 'status')).toEqual([
			['+919999999999', 'blocked'],
			['+919888888888', 'already blocked'],
		]);
		expect(succeeded[1].json).not.toHaveProperty('error');
		expect(rows(failed, 'user', 'code')).toEqual([['+14155559876', 131047]]);
		expect(failed[0].json.error).toEqual({
			code: 131047,
			message:
				'WhatsApp lets a business block only users who messaged this phone number in the last 24 hours: block this user after they message you, or in the WhatsApp Business app (unblocking has no such rule)',
			details: 'Re-engagement required: User has not messaged in the last 24 hours',
		});
	});

	test.each(['meta', 'mixed400'] as const)(
		"partial failures in Meta's shape (%s)",
		async (shape) => {
			ctx.sb.config.shape = shape;
			ctx.sb.config.reengagementRequired = ['+14155559876'];
			const { outputs, error } = await ctx.run({
				operation: 'block',
				users: '+919999999999, +14155559876',
			});
			expect(error).toBeUndefined();
			if (shape === 'mixed400') expect(ctx.sb.requests[0].status).toBe(400);
			const [succeeded, failed] = outputs;
			expect(usersOf(succeeded)).toEqual(['+919999999999']);
			expect(failed).toHaveLength(1);
			expect(failed[0].json).toMatchObject({
				user: '+14155559876',
				wa_id: '14155559876',
				error: {
					code: 131047,
					message: expect.stringMatching(
						/^WhatsApp lets a business block only users who messaged this phone number in the last 24 hours/,
					),
					details: expect.stringMatching(/^Re-engagement required: .*24 hours/),
				},
			});
			expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(['919999999999']);
		},
	);

	test('a user the server does not mention is failed as not acknowledged, not lost', async () => {
		ctx.sb.enqueue({ kind: 'omitUsers', count: 2 });
		const { outputs } = await ctx.run({ operation: 'block', users: numbers(5).join(',') });
		const [succeeded, failed] = outputs;
		expect(usersOf(succeeded)).toEqual(numbers(3));
		expect(rows(failed, 'user', 'code')).toEqual([
			[numbers(5)[3], 'NOT_ACKNOWLEDGED'],
			[numbers(5)[4], 'NOT_ACKNOWLEDGED'],
		]);
	});

	test('users in the answer that were not sent are ignored', async () => {
		ctx.sb.enqueue({ kind: 'extraUsers', count: 3 });
		const { outputs } = await ctx.run({ operation: 'block', users: numbers(2).join(',') });
		expect(usersOf(outputs[0])).toEqual(numbers(2));
		expect(outputs[1]).toHaveLength(0);
	});

	test('each item may name its own phone number ID; batches are per phone number', async () => {
		const { outputs } = await ctx.run(
			{ operation: 'block', users: '={{ $json.phone }}', phoneNumberId: '={{ $json.pid }}' },
			{
				items: [
					{ phone: '+919999999999', pid: '' },
					{ phone: '+919999999999', pid: '200000000000002' },
				],
			},
		);
		expect(ctx.sb.requests.map((r) => r.path)).toEqual([
			`/api/v25.0/${PHONE_NUMBER_ID}/block_users`,
			'/api/v25.0/200000000000002/block_users',
		]);
		expect(outputs[0].map((i) => i.json.phoneNumberId)).toEqual([
			PHONE_NUMBER_ID,
			'200000000000002',
		]);
		expect(ctx.sb.blocklist('200000000000002')).toEqual(['919999999999']);
	});

	test('maxConcurrency sends batches in parallel and keeps results complete and in input order', async () => {
		ctx.sb.config.latencyMs = 30;
		const all = numbers(40);
		const { outputs } = await ctx.run({
			operation: 'block',
			users: all.join(','),
			options: { batchSize: 4, maxConcurrency: 5 },
		});
		expect(ctx.sb.requests).toHaveLength(10);
		expect(usersOf(outputs[0])).toEqual(all);
		expect(new Set(ctx.sb.blocklist(PHONE_NUMBER_ID))).toEqual(new Set(all.map((n) => n.slice(1))));
	});

	test('retries options are honoured on a 5xx, then the batch succeeds', async () => {
		ctx.sb.enqueue({ kind: 'serverError', status: 503 }, { kind: 'internal' });
		const { outputs } = await ctx.run({
			operation: 'block',
			users: '+919999999999',
			options: FAST_RETRIES,
		});
		expect(ctx.sb.requests.map((r) => r.status)).toEqual([503, 500, 200]);
		expect(outputs[0]).toHaveLength(1);
	});
});

test("an operation the node does not have (the editor's Custom API Call) gives a clear error, not a crash", async () => {
	const { error } = await ctx.run({ operation: '__CUSTOM_API_CALL__' });
	expect(error?.message).toBe('The operation "__CUSTOM_API_CALL__" is not supported by this node');
	expect(error?.description).toMatch(/^Choose Block, Check, List, Sync or Unblock\. /);
	expect(ctx.sb.requests).toHaveLength(0);
});
