/**
 * Reads that cannot lie: List, Check, Sync and the Blocklist Trigger against a sandbox that
 * answers as real servers and the proxies in front of them do (a 200 that is an error, `{}`,
 * `[]`, HTML, a page without `data`, an entry the node does not know, cursors that repeat or
 * cycle, Graph-style paging, the older grouped shape, a refused or capped `limit`). A read
 * is complete and right, or it is a failure: never a shorter list, never a write after it,
 * never a trigger event from it.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import { TriggerHarness } from '../harness/pollNode';
import type { Behaviour } from '../../sandbox/server';
import { FAST_RETRIES, numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { codesOf, rows, usersOf } from '../helpers/items';

const ctx = useSandbox();
const listed = numbers(250).map((n) => n.slice(1));
const BSUID = 'US.13491208655302741918';
const gets = () => ctx.sb.requests.filter((r) => r.method === 'GET');
const writes = () => ctx.sb.requests.filter((r) => r.method !== 'GET');

beforeEach(() => ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed));

/** Check of two listed users and one that is not, with small pages so the anomaly can land on page 2. */
async function check(options: Record<string, unknown> = {}) {
	return await ctx.run({
		operation: 'check',
		users: `+${listed[0]}, +${listed[249]}, +919000000001`,
		options: { ...FAST_RETRIES, ...options },
	});
}

const listAll = async (options: Record<string, unknown> = {}) =>
	await ctx.run({ operation: 'list', returnAll: true, options: { ...FAST_RETRIES, ...options } });

const anomalies: Array<[string, Behaviour]> = [
	['a 200 whose body is an error envelope (code 131000)', { kind: 'errorIn200', code: 131000 }],
	['a 200 with {}', { kind: 'bogus200', body: 'object' }],
	['a 200 with []', { kind: 'bogus200', body: 'array' }],
	['a 200 with a page without data', { kind: 'bogus200', body: 'noData' }],
	['a page with an entry the node does not recognise', { kind: 'unknownEntry' }],
];

describe.each(anomalies)('%s on page 2', (_name, behaviour) => {
	beforeEach(() => {
		// Pages of 100 whatever is asked, and the anomaly from the second GET on (retries included).
		ctx.sb.config.maxPageSize = 100;
		let n = 0;
		ctx.sb.behaviour = (req) => (req.method === 'GET' && ++n >= 2 ? behaviour : undefined);
	});

	test('Check puts every user on Failed, none on Not Blocked', async () => {
		const { outputs, error } = await check();
		expect(error).toBeUndefined();
		const [blocked, notBlocked, failed] = outputs;
		expect(blocked).toEqual([]);
		expect(notBlocked).toEqual([]);
		expect(usersOf(failed)).toEqual([`+${listed[0]}`, `+${listed[249]}`, '+919000000001']);
		expect(JSON.stringify(failed[0].json.error)).toMatch(/could not be read completely/);
	});

	test('List fails the item instead of returning a shorter list', async () => {
		const { outputs, error } = await listAll();
		expect(outputs).toEqual([]);
		expect(error?.message).toBeDefined();
		expect(error?.description).toMatch(/Item 1/);
	});

	test('Sync with Unblock Others sends no write', async () => {
		const { outputs, error } = await ctx.run({
			operation: 'sync',
			users: `+${listed[0]}, +919000000001`,
			options: { ...FAST_RETRIES, unblockOthers: true },
		});
		expect(error).toBeUndefined();
		expect(writes()).toEqual([]);
		expect(outputs[0]).toEqual([]);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(listed);
	});
});

describe('a 200 that is an error envelope is classified by its code', () => {
	test('a rate limit inside a 200 is retried, for a read and for a block', async () => {
		ctx.sb.enqueue(
			{ kind: 'errorIn200', code: 130429, match: 'GET' },
			{ kind: 'errorIn200', code: 130429, match: 'POST' },
		);
		const read = await check();
		expect(usersOf(read.outputs[0])).toEqual([`+${listed[0]}`, `+${listed[249]}`]);
		expect(usersOf(read.outputs[1])).toEqual(['+919000000001']);
		const block = await ctx.run({
			operation: 'block',
			users: '+919000000002',
			options: FAST_RETRIES,
		});
		expect(rows(block.outputs[0], 'user', 'status')).toEqual([['+919000000002', 'blocked']]);
		expect(writes().map((r) => r.status)).toEqual([200, 200]);
	});

	test('a block answered by a 200 error envelope puts its users on Failed with the server code', async () => {
		ctx.sb.config.fault = { kind: 'errorIn200', code: 131000, match: 'POST' };
		const { outputs } = await ctx.run({
			operation: 'block',
			users: '+919000000002',
			options: FAST_RETRIES,
		});
		expect(outputs[0]).toEqual([]);
		expect(codesOf(outputs[1])).toEqual([131000]);
	});
});

describe('cursors are checked, not trusted', () => {
	test.each(['ignoreAfter', 'cycle', 'freshCycle'] as const)(
		'%s: the read fails, after a bounded number of pages',
		async (fault) => {
			ctx.sb.config.cursorFault = fault;
			const { error } = await listAll();
			expect(error?.message).toMatch(/cursor|round in circles/);
			expect(gets().length).toBeLessThanOrEqual(8);
			const checked = await check();
			expect(checked.outputs[1]).toEqual([]);
			expect(checked.outputs[2]).toHaveLength(3);
		},
	);

	test('Graph-style paging (after on the last page, paging.next only when more): exactly the pages needed', async () => {
		ctx.sb.config.paging = 'graph';
		const { outputs } = await listAll();
		expect(usersOf(outputs[0])).toEqual(listed);
		expect(gets()).toHaveLength(3);
	});

	test('the older grouped shape ({data: [{block_users: [...]}]}, paging.next URLs only) is read, not dropped', async () => {
		ctx.sb.config.listShape = 'grouped';
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, [...listed, BSUID]);
		const { outputs } = await listAll();
		expect(usersOf(outputs[0])).toEqual([...listed, BSUID]);
		expect(outputs[0][250].json).toMatchObject({ wa_id: null, user_id: BSUID });
		expect(gets()).toHaveLength(3);
		const checked = await check();
		expect(checked.outputs[0]).toHaveLength(2);
	});
});

describe('a page size the server refuses or caps', () => {
	test('a refused limit (code 100) steps down to 100 within the same read', async () => {
		ctx.sb.config.maxLimit = 500;
		const { outputs } = await check();
		expect(outputs[0]).toHaveLength(2);
		expect(outputs[1]).toHaveLength(1);
		expect(gets().map((r) => [r.query.limit, r.status])).toEqual([
			['1000', 400],
			['100', 200],
			['100', 200],
			['100', 200],
		]);
	});

	test('a server that takes only 10 still gets a complete read; one that takes none says so', async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed.slice(0, 25));
		ctx.sb.config.maxLimit = 50;
		const ok = await listAll({ pageSize: 1000 });
		expect(ok.outputs[0]).toHaveLength(25);
		expect(gets().map((r) => r.query.limit)).toEqual(['1000', '100', '10', '10', '10']);
		ctx.sb.config.maxLimit = 5;
		const refused = await check();
		expect(refused.outputs[2]).toHaveLength(3);
		expect(JSON.stringify(refused.outputs[2][0].json.error)).toMatch(/limit/);
	});

	test('a silently capped page size still reads to the end', async () => {
		ctx.sb.config.maxPageSize = 70;
		const { outputs } = await check();
		expect(outputs[0]).toHaveLength(2);
		expect(gets()).toHaveLength(4);
	});
});

describe('the Blocklist Trigger', () => {
	const trigger = () =>
		new TriggerHarness(
			{ events: ['blocked', 'unblocked'], options: { maxRetries: 0 } },
			ctx.credentials,
		);

	test.each(anomalies)(
		'%s: the poll fails, emits nothing, and the next good poll gives exactly the real changes',
		async (_name, behaviour) => {
			const t = trigger();
			await t.poll();
			ctx.sb.setBlocklist(PHONE_NUMBER_ID, [...listed.slice(1), '919000000009']);
			ctx.sb.enqueue({ ...behaviour, match: 'GET' } as Behaviour);
			const failed = await t.poll();
			expect(failed.items ?? null).toBeNull();
			expect(failed.error?.message).toBeDefined();
			const { items } = await t.poll();
			expect(items?.map((i) => [i.event, i.user])).toEqual([
				['blocked', '919000000009'],
				['unblocked', listed[0]],
			]);
		},
	);
});

/**
 * Answers no sandbox switch makes: a tiny server on loopback that answers each GET by its
 * `after` query (undefined for page 1) with the body `pages` gives it.
 */
describe('paging the node does not fully recognise is a failed read (a scripted server)', () => {
	let server: Server;
	let url = '';
	let pages: (after: string | undefined) => unknown = () => ({ data: [] });
	const asked: Array<string | undefined> = [];
	const u = (i: number) => `91700000000${i}`;

	beforeAll(async () => {
		server = createServer((req, res) => {
			const after = new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? undefined;
			asked.push(after);
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(pages(after)));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));
	beforeEach(() => {
		asked.length = 0;
	});

	const list = async () =>
		await ctx.run(
			{ operation: 'list', returnAll: true, options: { maxRetries: 0 } },
			{ credentials: { ...ctx.credentials, baseUrl: url } },
		);
	const check = async (users: string) =>
		await ctx.run(
			{ operation: 'check', users, options: { maxRetries: 0 } },
			{ credentials: { ...ctx.credentials, baseUrl: url } },
		);

	test.each([
		['a cursor that is a number', { cursors: { after: 3 } }],
		['a cursor that is true', { cursors: { after: true } }],
		['a cursor that is an object', { cursors: { after: { v: 'c0' } } }],
		['paging.next that is an object', { cursors: { after: 'c0' }, next: { href: 'x' } }],
		['paging that is a text', 'after=c0'],
		['cursors that are a text', { cursors: 'c0' }],
	])('%s fails the read instead of ending it', async (_name, paging) => {
		pages = (after) =>
			after === undefined
				? { data: [{ user: u(1) }, { user: u(2) }], paging }
				: { data: [{ user: u(3) }] };
		const { error } = await list();
		expect(error?.message).toMatch(/paging|cursor/i);
	});

	test('an empty page that still has a cursor is no end: the read fails (a user on page 3 is never reported Not Blocked)', async () => {
		pages = (after) =>
			after === undefined
				? { data: [{ user: u(1) }, { user: u(2) }], paging: { cursors: { after: 'c0' } } }
				: after === 'c0'
					? { data: [], paging: { cursors: { after: 'c1' } } }
					: { data: [{ user: u(3) }] };
		expect((await list()).error?.message).toMatch(/adds no new user/);
		const { outputs } = await check(`+${u(3)}`);
		expect(outputs[1]).toEqual([]);
		expect(outputs[2]).toHaveLength(1);
	});

	test('the after of a next URL is taken whole (base64 padding left unencoded, a plus kept)', async () => {
		pages = (after) =>
			after === undefined
				? {
						data: [{ block_users: [{ input: `+${u(1)}`, wa_id: u(1) }] }],
						paging: { next: `${url}/x?limit=10&after=a+b==` },
					}
				: after === 'a+b=='
					? {
							data: [{ block_users: [{ input: `+${u(2)}`, wa_id: u(2) }] }],
							paging: { previous: 'x' },
						}
					: { error: { code: 100, message: `(#100) Invalid cursor ${after}` } };
		const { outputs, error } = await list();
		expect(error).toBeUndefined();
		expect(usersOf(outputs[0])).toEqual([u(1), u(2)]);
	});

	test('one user listed two ways across pages is one user, with both IDs: Check finds it by either, Sync keeps it', async () => {
		pages = (after) =>
			after === undefined
				? { data: [{ user: u(1) }], paging: { cursors: { after: 'c0' }, next: 'n' } }
				: { data: [{ wa_id: u(1), user_id: 'US.111' }, { user_id: 'US.222' }] };
		const listed = await list();
		expect(rows(listed.outputs[0], 'user', 'wa_id', 'user_id')).toEqual([
			[u(1), u(1), 'US.111'],
			['US.222', null, 'US.222'],
		]);
		const checked = await check(`US.111, +${u(1)}`);
		expect(usersOf(checked.outputs[0])).toEqual(['US.111', `+${u(1)}`]);
	});

	test('a page that names one user by two different IDs, or two pages that disagree, fail the read', async () => {
		pages = () => ({ data: [{ user: u(1), wa_id: u(2) }] });
		expect((await list()).error?.message).toMatch(/does not recognise/);
		pages = (after) =>
			after === undefined
				? {
						data: [{ wa_id: u(1), user_id: 'US.111' }],
						paging: { cursors: { after: 'c0' }, next: 'n' },
					}
				: { data: [{ wa_id: u(1), user_id: 'US.999' }] };
		expect((await list()).error?.message).toMatch(/two different/);
	});

	test('an API key echoed as a field name (of an entry, or of an entry the node refuses) reaches no output and no error', async () => {
		const key = ctx.credentials.apiKey as string;
		pages = () => ({
			data: [
				{ user: u(1), [`Bearer ${key}`]: true, nested: { [`authorization: Bearer ${key}`]: 1 } },
			],
		});
		const listed = await list();
		expect(listed.outputs[0]).toHaveLength(1);
		expect(JSON.stringify(listed.outputs)).not.toContain(key);
		pages = () => ({ data: [{ [`authorization: Bearer ${key}`]: 'x' }] });
		const refused = await list();
		const thrown = JSON.stringify(refused.error, Object.getOwnPropertyNames(refused.error ?? {}));
		expect(thrown).toMatch(/does not recognise/);
		expect(thrown).not.toContain(key);
		const checked = await check(`+${u(1)}`);
		expect(JSON.stringify(checked.outputs)).toMatch(/does not recognise/);
		expect(JSON.stringify(checked.outputs)).not.toContain(key);
	});

	test('a 200 with data and an error of any kind is an error answer', async () => {
		pages = () => ({ data: [{ user: u(1) }], error: 'boom' });
		expect((await list()).error?.message).toMatch(/boom/);
	});
});
