/**
 * Reads that cannot lie: List, Check, Sync and the Blocklist Trigger against a sandbox that
 * answers as real servers and the proxies in front of them do (a 200 that is an error, `{}`,
 * `[]`, HTML, a page without `data`, an entry the node does not know, cursors that repeat or
 * cycle, Graph-style paging, the older grouped shape, a refused or capped `limit`). A read
 * is complete and right, or it is a failure: never a shorter list, never a write after it,
 * never a trigger event from it.
 */
import { runNode } from '../../scripts/n8n/runNode';
import { TriggerHarness } from '../../scripts/n8n/pollNode';
import type { Behaviour } from '../../sandbox/server';
import { FAST_RETRIES, numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';

const ctx = useSandbox();
const listed = numbers(250).map((n) => n.slice(1));
const BSUID = 'US.13491208655302741918';
const gets = () => ctx.sb.requests.filter((r) => r.method === 'GET');
const writes = () => ctx.sb.requests.filter((r) => r.method !== 'GET');

beforeEach(() => ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed));

/** Check of two listed users and one that is not, with small pages so the anomaly can land on page 2. */
async function check(options: Record<string, unknown> = {}) {
	return await runNode({
		parameters: { operation: 'check', users: `+${listed[0]}, +${listed[249]}, +919000000001`, options: { ...FAST_RETRIES, ...options } },
		credentials: ctx.credentials,
	});
}

const listAll = async (options: Record<string, unknown> = {}) =>
	await runNode({ parameters: { operation: 'list', returnAll: true, options: { ...FAST_RETRIES, ...options } }, credentials: ctx.credentials });

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
		expect(failed.map((i) => i.json.user)).toEqual([`+${listed[0]}`, `+${listed[249]}`, '+919000000001']);
		expect(JSON.stringify(failed[0].json.error)).toMatch(/could not be read completely/);
	});

	test('List fails the item instead of returning a shorter list', async () => {
		const { outputs, error } = await listAll();
		expect(outputs).toEqual([]);
		expect(error?.message).toBeDefined();
		expect(error?.description).toMatch(/Item 1/);
	});

	test('Sync with Unblock Others sends no write', async () => {
		const { outputs, error } = await runNode({
			parameters: { operation: 'sync', users: `+${listed[0]}, +919000000001`, options: { ...FAST_RETRIES, unblockOthers: true } },
			credentials: ctx.credentials,
		});
		expect(error).toBeUndefined();
		expect(writes()).toEqual([]);
		expect(outputs[0]).toEqual([]);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(listed);
	});
});

describe('a 200 that is an error envelope is classified by its code', () => {
	test('a rate limit inside a 200 is retried, for a read and for a block', async () => {
		ctx.sb.enqueue({ kind: 'errorIn200', code: 130429, match: 'GET' }, { kind: 'errorIn200', code: 130429, match: 'POST' });
		const read = await check();
		expect(read.outputs[0].map((i) => i.json.user)).toEqual([`+${listed[0]}`, `+${listed[249]}`]);
		expect(read.outputs[1].map((i) => i.json.user)).toEqual(['+919000000001']);
		const block = await runNode({ parameters: { operation: 'block', users: '+919000000002', options: FAST_RETRIES }, credentials: ctx.credentials });
		expect(block.outputs[0].map((i) => [i.json.user, i.json.status])).toEqual([['+919000000002', 'blocked']]);
		expect(writes().map((r) => r.status)).toEqual([200, 200]);
	});

	test('a block answered by a 200 error envelope puts its users on Failed with the server code', async () => {
		ctx.sb.config.fault = { kind: 'errorIn200', code: 131000, match: 'POST' };
		const { outputs } = await runNode({ parameters: { operation: 'block', users: '+919000000002', options: FAST_RETRIES }, credentials: ctx.credentials });
		expect(outputs[0]).toEqual([]);
		expect(outputs[1].map((i) => (i.json.error as { code: unknown }).code)).toEqual([131000]);
	});
});

describe('cursors are checked, not trusted', () => {
	test.each(['ignoreAfter', 'cycle', 'freshCycle'] as const)('%s: the read fails, after a bounded number of pages', async (fault) => {
		ctx.sb.config.cursorFault = fault;
		const { error } = await listAll();
		expect(error?.message).toMatch(/cursor|round in circles/);
		expect(gets().length).toBeLessThanOrEqual(8);
		const checked = await check();
		expect(checked.outputs[1]).toEqual([]);
		expect(checked.outputs[2]).toHaveLength(3);
	});

	test('Graph-style paging (after on the last page, paging.next only when more): exactly the pages needed', async () => {
		ctx.sb.config.paging = 'graph';
		const { outputs } = await listAll();
		expect(outputs[0].map((i) => i.json.user)).toEqual(listed);
		expect(gets()).toHaveLength(3);
	});

	test('the older grouped shape ({data: [{block_users: [...]}]}, paging.next URLs only) is read, not dropped', async () => {
		ctx.sb.config.listShape = 'grouped';
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, [...listed, BSUID]);
		const { outputs } = await listAll();
		expect(outputs[0].map((i) => i.json.user)).toEqual([...listed, BSUID]);
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
	const trigger = () => new TriggerHarness({ events: ['blocked', 'unblocked'], options: { maxRetries: 0 } }, ctx.credentials);

	test.each(anomalies)('%s: the poll fails, emits nothing, and the next good poll gives exactly the real changes', async (_name, behaviour) => {
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
	});
});
