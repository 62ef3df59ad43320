import { numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { rows } from '../helpers/items';

const ctx = useSandbox();

test('Unblock sends a DELETE that carries the JSON body, and the body arrives', async () => {
	const blocked = numbers(4).map((n) => n.slice(1));
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, blocked);
	const { outputs, error } = await ctx.run({ operation: 'unblock', users: numbers(3).join(', ') });
	expect(error).toBeUndefined();
	expect(ctx.sb.requests).toHaveLength(1);
	const [request] = ctx.sb.requests;
	expect(request.method).toBe('DELETE');
	expect(request.body).toEqual({
		messaging_product: 'whatsapp',
		block_users: numbers(3).map((user) => ({ user })),
	});
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([blocked[3]]);

	const [succeeded, failed] = outputs;
	expect(failed).toHaveLength(0);
	expect(rows(succeeded, 'status', 'user', 'wa_id')).toEqual(
		numbers(3).map((n) => ['unblocked', n, n.slice(1)]),
	);
});

test('Unblock of a user who is not blocked succeeds as "not blocked", in each answer shape', async () => {
	for (const shape of ['provider', 'meta', 'mixed400'] as const) {
		ctx.sb.reset();
		ctx.sb.config.shape = shape;
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919999999999']);
		const { outputs, error } = await ctx.run({
			operation: 'unblock',
			users: '+919999999999\n+919888888888',
		});
		expect(error).toBeUndefined();
		expect(ctx.sb.requests).toHaveLength(1);
		expect(rows(outputs[0], 'user', 'status')).toEqual([
			['+919999999999', 'unblocked'],
			['+919888888888', 'not blocked'],
		]);
		expect(outputs[1]).toEqual([]);
	}
});

test('Unblock in batches: 1,001 users give DELETEs of 500/500/1', async () => {
	ctx.sb.setBlocklist(
		PHONE_NUMBER_ID,
		numbers(1001).map((n) => n.slice(1)),
	);
	const { outputs } = await ctx.run(
		{ operation: 'unblock', users: '={{ $json.users }}' },
		{ items: [{ users: numbers(1001) }] },
	);
	expect(ctx.sb.requests.map((r) => [r.method, r.users?.length])).toEqual([
		['DELETE', 500],
		['DELETE', 500],
		['DELETE', 1],
	]);
	expect(outputs[0]).toHaveLength(1001);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([]);
});
