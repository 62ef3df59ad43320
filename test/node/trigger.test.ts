/**
 * The WhatsApp Blocklist Trigger through n8n-core's real PollContext and TriggersAndPollers,
 * against the sandbox over HTTP: the baseline, blocks and unblocks between polls, the Events
 * filter, the phone number ID override, manual mode, and polls that cannot read the whole list.
 */
import { TriggerHarness } from '../harness/pollNode';
import { numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';

const ctx = useSandbox();
const PN2 = '200000000000002';
const digits = (list: string[]) => list.map((n) => n.slice(1));
const [a, b, c, d, e] = digits(numbers(5));
const BSUID = 'US.13491208655302741918';

const gets = () => ctx.sb.requests.filter((r) => r.method === 'GET');
const trigger = (parameters: Record<string, unknown> = {}) =>
	new TriggerHarness({ events: ['blocked', 'unblocked'], ...parameters }, ctx.credentials);
/** A trigger that has made its first poll (the baseline) of `listed`. */
async function started(listed: string[], parameters: Record<string, unknown> = {}) {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed);
	const t = trigger(parameters);
	await t.poll();
	return t;
}
/** The events of a poll as [event, user] rows. */
const eventsOf = ({ items }: { items?: Array<Record<string, unknown>> | null }) =>
	items?.map((i) => [i.event, i.user]);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

test('the first poll records the blocklist and emits nothing; with no change the next emits nothing either', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a, b, BSUID]);
	const t = trigger();
	expect(await t.poll()).toEqual({ items: null });
	expect(typeof t.savedStaticData?.blocklist).toBe('string');
	expect(gets().map((r) => r.query)).toEqual([{ limit: '1000' }]);
	expect(await t.poll()).toEqual({ items: null });
	expect(gets()).toHaveLength(2);
});

test('users blocked and unblocked between polls come out once each, with the last known block reason', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a, b, c]);
	ctx.sb.config.blockReasons = { [b]: 'spam' };
	const t = trigger();
	await t.poll();

	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a, c, d, BSUID]);
	ctx.sb.config.blockReasons = { [d]: 'abuse' };
	const { items, error } = await t.poll();
	expect(error).toBeUndefined();
	const detectedAt = items?.[0].detectedAt;
	expect(detectedAt).toMatch(ISO);
	const event = (event: string, user: string, block_reason: string) => ({
		event,
		user,
		wa_id: user === BSUID ? null : user,
		user_id: user === BSUID ? BSUID : null,
		block_reason,
		phoneNumberId: PHONE_NUMBER_ID,
		detectedAt,
	});
	expect(items).toEqual([
		event('blocked', d, 'abuse'),
		event('blocked', BSUID, 'manual'),
		event('unblocked', b, 'spam'),
	]);
	// n8n saved the new state with the emitting poll: after a restart nothing comes again.
	t.restart();
	expect(await t.poll()).toEqual({ items: null });
});

test('a block made through the API (POST) is seen by the next poll', async () => {
	const t = await started([a]);
	const res = await fetch(`${ctx.sb.url}/api/v25.0/${PHONE_NUMBER_ID}/block_users`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ctx.sb.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ messaging_product: 'whatsapp', block_users: [{ user: `+${e}` }] }),
	});
	expect(res.status).toBe(200);
	expect(eventsOf(await t.poll())).toEqual([['blocked', e]]);
});

test('Events: only the chosen kind is emitted, and a change of the other kind is still recorded', async () => {
	const t = await started([a, b], { events: ['blocked'] });
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a]);
	expect(await t.poll()).toEqual({ items: null });
	// b was unblocked (not emitted, but recorded): blocking b again is a new block.
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a, b]);
	expect(eventsOf(await t.poll())).toEqual([['blocked', b]]);

	const u = trigger({ events: ['unblocked'] });
	await u.poll();
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [b, c]);
	expect(eventsOf(await u.poll())).toEqual([['unblocked', a]]);
});

test('no event chosen: a clear error, nothing read', async () => {
	const { error } = await trigger({ events: [] }).poll();
	expect(error?.message).toBe('No event is chosen');
	expect(error?.description).toContain('Choose Blocked, Unblocked or both');
	expect(gets()).toHaveLength(0);
});

test("Phone Number ID overrides the credential's; a new phone number ID starts with a new baseline", async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a]);
	ctx.sb.setBlocklist(PN2, [b]);
	const t = trigger({ phoneNumberId: PN2 });
	await t.poll();
	ctx.sb.setBlocklist(PN2, [b, c]);
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a, d]);
	const { items } = await t.poll();
	expect(items?.map((i) => [i.event, i.user, i.phoneNumberId])).toEqual([['blocked', c, PN2]]);
	expect(new Set(gets().map((r) => r.path.split('/')[3]))).toEqual(new Set([PN2]));

	// The saved state is of PN2: watching the credential's number again records it first.
	t.node.parameters.phoneNumberId = '';
	expect(await t.poll()).toEqual({ items: null });
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [d]);
	expect((await t.poll()).items?.map((i) => [i.event, i.user, i.phoneNumberId])).toEqual([
		['unblocked', a, PHONE_NUMBER_ID],
	]);
});

test('manual mode (Fetch Test Event): up to 3 listed users as sample events, one small read, the state untouched', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a, b, c, d]);
	const t = trigger();
	const { items } = await t.poll({ mode: 'manual' });
	expect(items?.map((i) => [i.event, i.user])).toEqual([
		['blocked', a],
		['blocked', b],
		['blocked', c],
	]);
	const fields = 'block_reason detectedAt event phoneNumberId user user_id wa_id';
	expect(Object.keys(items?.[0] ?? {}).sort()).toEqual(fields.split(' '));
	expect(gets().map((r) => r.query)).toEqual([{ limit: '3' }]);
	expect(t.staticData).toEqual({});
	// Still the first real poll afterwards: a baseline.
	expect(await t.poll()).toEqual({ items: null });

	const unblockedOnly = await trigger({ events: ['unblocked'] }).poll({ mode: 'manual' });
	expect(unblockedOnly.items?.[0]).toMatchObject({ event: 'unblocked', user: a });
});

test('manual mode on an empty blocklist says there is nothing to show and how to get a sample', async () => {
	const { items, error } = await trigger().poll({ mode: 'manual' });
	expect(items).toBeNull();
	expect(error?.message).toBe(
		`The blocklist of phone number ID ${PHONE_NUMBER_ID} is empty, so there is no sample event`,
	);
	expect(error?.description).toContain('Block a test user');
});

test('a poll whose read fails on page 2 emits nothing and keeps the last complete read; the next one reports each change once', async () => {
	const t = await started(digits(numbers(1500)), { options: { maxRetries: 0 } });
	const before = t.staticData.blocklist;

	const [newcomer] = digits(numbers(1, 5000));
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [...digits(numbers(1500)).slice(1), newcomer]);
	ctx.sb.enqueue({ kind: 'ok', match: 'GET' }, { kind: 'serverError', match: 'GET' });
	const failed = await t.poll();
	expect(failed.items).toBeNull();
	expect(failed.error?.message).toMatch(/gave up after 1 attempt/);
	expect(failed.error?.description).toContain('Nothing was reported');
	expect(t.staticData.blocklist).toBe(before);

	const { items } = await t.poll();
	expect(items?.map((i) => [i.event, i.user])).toEqual([
		['blocked', newcomer],
		['unblocked', a],
	]);
	expect(await t.poll()).toEqual({ items: null });
});

test('a blocklist that keeps changing while paged (139102 more than 3 times) is a failed poll, not a short list', async () => {
	const t = await started([a, b]);
	const before = t.staticData.blocklist;
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a]);
	ctx.sb.enqueue(...Array.from({ length: 4 }, () => ({ kind: 'listChanged' as const })));
	const { items, error } = await t.poll();
	expect(items).toBeNull();
	expect(error?.message).toMatch(/changed/i);
	expect(t.staticData.blocklist).toBe(before);
	expect(eventsOf(await t.poll())).toEqual([['unblocked', b]]);
});

test('a rejected key fails the poll with a clear message that does not contain the key', async () => {
	const key = 'sk_wrong_key_123456';
	const t = new TriggerHarness({ events: ['blocked'] }, { ...ctx.credentials, apiKey: key });
	const { error } = await t.poll();
	expect(error?.message).toMatch(/Splashify rejected the API key/);
	expect(`${error?.message} ${error?.description}`).not.toContain(key);
	expect(JSON.stringify(error)).not.toContain(key);
	expect(t.staticData).toEqual({});
});

test('a read that takes longer than the poll budget emits nothing and keeps the state', async () => {
	const t = await started([a]);
	const before = t.staticData.blocklist;
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a, b]);
	ctx.sb.config.latencyMs = 60;
	const { items, error } = await t.poll({ budgetMs: 20 });
	expect(items).toBeNull();
	expect(error?.message).toMatch(/longer than n8n lets a poll run/);
	expect(t.staticData.blocklist).toBe(before);
	ctx.sb.config.latencyMs = 0;
	expect((await t.poll({ budgetMs: 45_000 })).items?.map((i) => i.user)).toEqual([b]);
});

test('two overlapping polls of the trigger report a change once', async () => {
	const t = await started([a]);
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [a, b]);
	ctx.sb.config.latencyMs = 30;
	const results = await Promise.all([t.poll(), t.poll()]);
	const emitted = results.flatMap((r) => r.items ?? []);
	expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
	expect(emitted.map((i) => [i.event, i.user])).toEqual([['blocked', b]]);
});

test("Meta's list shape ({messaging_product, wa_id}): events with a null block reason", async () => {
	ctx.sb.config.listShape = 'meta';
	const t = await started([a]);
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [b]);
	const { items } = await t.poll();
	expect(items?.map((i) => [i.event, i.user, i.wa_id, i.block_reason])).toEqual([
		['blocked', b, b, null],
		['unblocked', a, a, null],
	]);
});
