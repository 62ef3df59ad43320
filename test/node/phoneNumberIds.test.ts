/**
 * Several phone number IDs in one run are independent: an answer that concerns one phone
 * number ID (404 not found, 403 not permitted) stops that ID's batches only, whatever the
 * item order and the concurrency; a rejected key still stops everything. The node throws
 * only when nothing else was sent (so a throw never hides a write, and n8n's Retry On Fail
 * never repeats one). Through n8n-core's real engine against the sandbox.
 */
import type { RunOptions } from '../harness/runNode';
import { numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { codesOf, messageOf, usersOf } from '../helpers/items';

const ctx = useSandbox();

const GOOD = PHONE_NUMBER_ID;
const OTHER = '200000000000002';
/** Digits only, so it is sent, but the sandbox does not know it (404). */
const UNKNOWN = '999000000000009';

const GOOD_USERS = numbers(3);
const DEAD_USERS = numbers(5, 100);

const requestsTo = (id: string, method?: string) =>
	ctx.sb.requests.filter(
		(r) => r.path.includes(`/${id}/`) && (method === undefined || r.method === method),
	);

/** Two items, the dead phone number ID's first or second; Users and Phone Number ID from the item. */
function twoItems(deadId: string, deadFirst: boolean) {
	const good = { users: GOOD_USERS, pid: '' };
	const dead = { users: DEAD_USERS, pid: deadId };
	return deadFirst ? [dead, good] : [good, dead];
}

/** Users and Phone Number ID from each item. */
const PER_ITEM = { users: '={{ $json.users }}', phoneNumberId: '={{ $json.pid }}' };

function run(
	operation: string,
	items: object[],
	extra: Partial<RunOptions> & { options?: object } = {},
) {
	const { options, ...rest } = extra;
	const parameters = {
		...PER_ITEM,
		operation,
		options: { retryDelay: 1, batchSize: 2, ...options },
	};
	return ctx.run(parameters, { items: items as never, ...rest });
}

describe('Block: an unknown phone number ID (404) stops only its own batches', () => {
	test.each([
		['first', 1, true],
		['second', 1, false],
		['first', 3, true],
		['second', 3, false],
	])(
		'unknown ID %s, concurrency %i: the good ID is blocked, the unknown ID users fail with the reason, no throw',
		async (_order, maxConcurrency, deadFirst) => {
			const { outputs, error } = await run('block', twoItems(UNKNOWN, deadFirst), {
				options: { maxConcurrency },
			});
			expect(error).toBeUndefined();
			const [succeeded, failed] = outputs;
			expect(usersOf(succeeded)).toEqual(GOOD_USERS);
			expect(succeeded.every((i) => i.json.status === 'blocked')).toBe(true);
			expect(ctx.sb.blocklist(GOOD)).toEqual(GOOD_USERS.map((u) => u.slice(1)));
			expect(usersOf(failed)).toEqual(DEAD_USERS);
			// The batch that met the 404 has the server's answer; the batches not sent say why, naming the ID.
			const sentToDead = requestsTo(UNKNOWN);
			expect(sentToDead.length).toBeGreaterThanOrEqual(1);
			expect(sentToDead.length).toBeLessThanOrEqual(maxConcurrency);
			const answered = failed.filter((i) => (i.json.error as { code: unknown }).code === 100);
			expect(answered.length).toBe(sentToDead.reduce((n, r) => n + (r.users?.length ?? 0), 0));
			expect(answered[0].json.error).toMatchObject({
				message: expect.stringMatching(/did not find this phone number ID \(HTTP 404\)/),
			});
			const notSent = failed.filter((i) => (i.json.error as { code: unknown }).code === 'NOT_SENT');
			expect(answered.length + notSent.length).toBe(DEAD_USERS.length);
			for (const item of notSent) {
				expect(messageOf(item)).toMatch(
					new RegExp(`phone number ID ${UNKNOWN}.*did not find this phone number ID`),
				);
			}
			// Every good user was sent once: 3 users in batches of 2.
			expect(requestsTo(GOOD, 'POST')).toHaveLength(2);
		},
	);

	test('with Continue On Fail, the same outputs', async () => {
		const { outputs, error } = await run('block', twoItems(UNKNOWN, true), {
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(usersOf(outputs[0])).toEqual(GOOD_USERS);
		expect(codesOf(outputs[1])).toEqual([100, 100, 'NOT_SENT', 'NOT_SENT', 'NOT_SENT']);
	});

	test('when every phone number ID is unknown nothing was changed, so the node throws, naming the item, as for one', async () => {
		const { outputs, error } = await run('block', [
			{ users: GOOD_USERS, pid: UNKNOWN },
			{ users: DEAD_USERS, pid: '999000000000008' },
		]);
		expect(outputs).toEqual([]);
		expect(error?.message).toMatch(/did not find this phone number ID/);
		expect(error?.description).toMatch(new RegExp(`Item 1, phone number ID ${UNKNOWN}`));
		expect(ctx.sb.requests.map((r) => r.status)).toEqual([404, 404]);
	});

	const WRONG_KEY = 'pk_live_WRONG_KEY_0123456789';
	/** The good users for OTHER, the others for the credential's ID, under a rejected key. */
	const wrongKey = (continueOnFail: boolean) => {
		const items = [
			{ users: GOOD_USERS, pid: OTHER },
			{ users: DEAD_USERS, pid: '' },
		];
		const credentials = { ...ctx.credentials, apiKey: WRONG_KEY };
		return run('block', items, { credentials, continueOnFail });
	};

	test('a rejected key still stops everything, whatever the phone number IDs', async () => {
		const { error } = await wrongKey(false);
		expect(error?.message).toMatch(/rejected the API key/);
		expect(ctx.sb.requests).toHaveLength(1);
	});

	test('with Continue On Fail, a rejected key fails every user (the reason, never the key), later batches of every ID NOT_SENT', async () => {
		const { outputs, error } = await wrongKey(true);
		expect(error).toBeUndefined();
		expect(ctx.sb.requests).toHaveLength(1);
		expect(outputs[0]).toEqual([]);
		expect(usersOf(outputs[1])).toEqual([...GOOD_USERS, ...DEAD_USERS]);
		expect(codesOf(outputs[1])).toEqual([190, 190, ...Array(6).fill('NOT_SENT')]);
		expect(messageOf(outputs[1][0])).toMatch(/rejected the API key/);
		expect(JSON.stringify(outputs)).not.toContain(WRONG_KEY);
	});
});

describe('Unblock: a phone number ID the key may not manage (403) stops only its own batches', () => {
	test.each([true, false])('forbidden ID first: %s', async (deadFirst) => {
		ctx.sb.setBlocklist(GOOD, GOOD_USERS);
		ctx.sb.setBlocklist(OTHER, DEAD_USERS);
		ctx.sb.config.forbidden = { [OTHER]: ['POST', 'DELETE'] };
		const { outputs, error } = await run('unblock', twoItems(OTHER, deadFirst));
		expect(error).toBeUndefined();
		expect(usersOf(outputs[0])).toEqual(GOOD_USERS);
		expect(ctx.sb.blocklist(GOOD)).toEqual([]);
		expect(usersOf(outputs[1])).toEqual(DEAD_USERS);
		expect(codesOf(outputs[1])).toEqual([10, 10, 'NOT_SENT', 'NOT_SENT', 'NOT_SENT']);
		expect(outputs[1][0].json.error).toMatchObject({
			message: expect.stringMatching(/refused access \(HTTP 403\)/),
		});
		expect(ctx.sb.blocklist(OTHER)).toHaveLength(5);
		expect(requestsTo(OTHER)).toHaveLength(1);
	});
});

describe('Retry On Fail (n8n-core runs the node again when it throws) never repeats a write', () => {
	test.each([true, false])(
		'unknown ID first: %s — one POST per batch, the good ID blocked once',
		async (deadFirst) => {
			const { error, outputs, tries } = await run(
				'block',
				twoItems(UNKNOWN, deadFirst).map((item) => ({ ...item, users: item.users.slice(0, 1) })),
				{
					retryOnFail: { maxTries: 3 },
				},
			);
			expect([
				ctx.sb.requests.filter((r) => r.method === 'POST').length,
				requestsTo(GOOD, 'POST').length,
				tries,
			]).toEqual([2, 1, 1]);
			expect(error).toBeUndefined();
			expect(usersOf(outputs[0])).toEqual(GOOD_USERS.slice(0, 1));
		},
	);

	test('a throw comes only when nothing was changed: the tries repeat only refused requests', async () => {
		const { error, tries } = await run('block', [{ users: GOOD_USERS.slice(0, 1), pid: UNKNOWN }], {
			retryOnFail: { maxTries: 3 },
		});
		expect(error?.message).toMatch(/did not find this phone number ID/);
		expect(tries).toBe(3);
		expect(ctx.sb.requests.map((r) => r.status)).toEqual([404, 404, 404]);
	});
});

describe('Sync: the writes of one phone number ID refused (403) do not stop the other', () => {
	test.each([true, false])('refused ID first: %s', async (deadFirst) => {
		ctx.sb.setBlocklist(OTHER, []);
		ctx.sb.config.forbidden = { [OTHER]: ['POST', 'DELETE'] };
		const { outputs, error } = await run('sync', twoItems(OTHER, deadFirst), {
			options: { maxConcurrency: 2 },
		});
		expect(error).toBeUndefined();
		const [changed, unchanged, failed] = outputs;
		expect(usersOf(changed)).toEqual(GOOD_USERS);
		expect(changed.every((i) => i.json.status === 'blocked')).toBe(true);
		expect(unchanged).toEqual([]);
		expect(usersOf(failed)).toEqual(DEAD_USERS);
		expect(codesOf(failed).filter((c) => c === 10).length).toBe(
			requestsTo(OTHER, 'POST').reduce((n, r) => n + (r.users?.length ?? 0), 0),
		);
		expect(ctx.sb.blocklist(GOOD)).toHaveLength(3);
		expect(ctx.sb.blocklist(OTHER)).toEqual([]);
	});
});
