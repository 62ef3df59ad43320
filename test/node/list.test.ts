import { numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { usersOf } from '../helpers/items';

const ctx = useSandbox();
const blocked = numbers(250).map((n) => n.slice(1));

beforeEach(() => ctx.sb.setBlocklist(PHONE_NUMBER_ID, blocked));

test('Return All follows the cursors across 3 pages', async () => {
	const { outputs, error } = await ctx.run({ operation: 'list', returnAll: true });
	expect(error).toBeUndefined();
	expect(outputs).toHaveLength(1);
	expect(outputs[0].map((i) => i.json.wa_id)).toEqual(blocked);
	expect(outputs[0][0].json).toEqual({
		user: blocked[0],
		wa_id: blocked[0],
		user_id: null,
		block_reason: 'manual',
		phoneNumberId: PHONE_NUMBER_ID,
	});
	const gets = ctx.sb.requests.filter((r) => r.method === 'GET');
	expect(gets).toHaveLength(3);
	expect(gets.map((r) => r.query.limit)).toEqual(['100', '100', '100']);
	expect(gets[0].query.after).toBeUndefined();
	expect(gets[1].query.after).toBeDefined();
});

test('a limit stops paging as soon as it is reached', async () => {
	const { outputs } = await ctx.run({ operation: 'list', returnAll: false, limit: 130 });
	expect(outputs[0].map((i) => i.json.wa_id)).toEqual(blocked.slice(0, 130));
	expect(ctx.sb.requests.map((r) => r.query.limit)).toEqual(['100', '30']);
});

test('page size option', async () => {
	const { outputs } = await ctx.run({
		operation: 'list',
		returnAll: true,
		options: { pageSize: 1000 },
	});
	expect(outputs[0]).toHaveLength(250);
	expect(ctx.sb.requests).toHaveLength(1);
});

test("Meta's list shape ({messaging_product, wa_id})", async () => {
	ctx.sb.config.listShape = 'meta';
	const { outputs } = await ctx.run({ operation: 'list', returnAll: true });
	expect(usersOf(outputs[0])).toEqual(blocked);
	expect(outputs[0][0].json).toMatchObject({
		wa_id: blocked[0],
		messaging_product: 'whatsapp',
		block_reason: null,
	});
});

test('139102 (list changed while paging) restarts once from the first page, without duplicates', async () => {
	let gets = 0;
	ctx.sb.behaviour = (req) => {
		if (req.method !== 'GET') return undefined;
		gets++;
		return gets === 2 ? { kind: 'listChanged' } : undefined;
	};
	const { outputs, error } = await ctx.run({ operation: 'list', returnAll: true });
	expect(error).toBeUndefined();
	expect(outputs[0].map((i) => i.json.wa_id)).toEqual(blocked);
	const afters = ctx.sb.requests.map((r) => r.query.after === undefined);
	expect(afters).toEqual([true, false, true, false, false]);
});

test('a second 139102 fails the item with a clear error', async () => {
	ctx.sb.behaviour = (req) =>
		req.method === 'GET' && req.query.after ? { kind: 'listChanged' } : undefined;
	const { error } = await ctx.run({ operation: 'list', returnAll: true });
	expect(error?.message).toMatch(/changed/i);
	expect(error?.description).toMatch(/Item 1/);
});

test('one list per input item, each paired to its item', async () => {
	ctx.sb.setBlocklist('200000000000002', ['14155559876']);
	const { outputs } = await ctx.run(
		{ operation: 'list', returnAll: true, phoneNumberId: '={{ $json.pid }}' },
		{ items: [{ pid: '200000000000002' }, { pid: '' }] },
	);
	expect(outputs[0]).toHaveLength(251);
	expect(outputs[0][0].json.wa_id).toBe('14155559876');
	expect(outputs[0][0].pairedItem).toEqual({ item: 0 });
	expect(outputs[0][1].pairedItem).toEqual({ item: 1 });
});

test('with Continue On Fail, a failed list gives one item of only error and details (so n8n can route it to an error output)', async () => {
	const { outputs, error } = await ctx.run(
		{ operation: 'list', returnAll: true },
		{ credentials: { ...ctx.credentials, apiKey: 'pk_live_wrong' }, continueOnFail: true },
	);
	expect(error).toBeUndefined();
	expect(outputs[0]).toHaveLength(1);
	expect(Object.keys(outputs[0][0].json).sort()).toEqual(['details', 'error']);
	expect(outputs[0][0].json.error).toMatch(/rejected the API key/);
	expect(outputs[0][0].json.details).toMatch(/Item 1/);
});
