/**
 * Transient faults (retried: 429 with Retry-After, drops, malformed JSON, timeouts, 5xx),
 * whole-call failures (a rejected key, an unknown phone number ID) and the send gate that stops
 * after 3 batches in a row fail, through n8n-core's engine against the sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { FAST_RETRIES, numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { messageOf, rows, usersOf } from '../helpers/items';

const ctx = useSandbox();
const WRONG_KEY = 'pk_live_WRONG_KEY_0123456789';
const wrongKey = () => ({ ...ctx.credentials, apiKey: WRONG_KEY });

const BLOCK_ONE = { operation: 'block', users: '+919999999999' };
const blockOne = (options: IDataObject) => ctx.run({ ...BLOCK_ONE, options });

function errorText(error: unknown): string {
	return (
		JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})) +
		String((error as Error)?.message)
	);
}

describe('retries', () => {
	test('429 then success honours Retry-After', async () => {
		const seen: number[] = [];
		ctx.sb.behaviour = () => {
			seen.push(Date.now());
			return undefined;
		};
		ctx.sb.enqueue({ kind: 'rateLimit', retryAfter: 1 });
		const { outputs } = await blockOne(FAST_RETRIES);
		expect(ctx.sb.requests.map((r) => r.status)).toEqual([429, 200]);
		expect(seen[1] - seen[0]).toBeGreaterThanOrEqual(1000);
		expect(outputs[0].map((i) => i.json.status)).toEqual(['blocked']);
	});

	test.each([
		['a dropped connection', { kind: 'drop' as const }],
		['malformed JSON', { kind: 'malformed' as const }],
		[
			'a rate-limit code in a 400',
			{ kind: 'rateLimit' as const, status: 400, code: 80007 as const },
		],
		['a timeout', { kind: 'hang' as const, ms: 1500 }],
	])('%s is retried', async (_name, fault) => {
		ctx.sb.enqueue(fault);
		const { outputs } = await blockOne({ ...FAST_RETRIES, timeout: 500 });
		expect(ctx.sb.requests).toHaveLength(2);
		expect(usersOf(outputs[0])).toEqual(['+919999999999']);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(['919999999999']);
	});

	test('a batch that keeps failing fails only its own users; the other batches are kept', async () => {
		ctx.sb.behaviour = (req) =>
			req.users?.includes(numbers(10)[5]) ? { kind: 'serverError', status: 503 } : undefined;
		const { outputs, error } = await ctx.run({
			operation: 'block',
			users: numbers(10).join(','),
			options: { ...FAST_RETRIES, batchSize: 4 },
		});
		expect(error).toBeUndefined();
		// Batches [0-3], [4-7] (fails: 1 try + 3 retries), [8-9].
		expect(ctx.sb.requests.map((r) => r.status)).toEqual([200, 503, 503, 503, 503, 200]);
		const [succeeded, failed] = outputs;
		expect(usersOf(succeeded)).toEqual([...numbers(4), ...numbers(10).slice(8)]);
		expect(usersOf(failed)).toEqual(numbers(10).slice(4, 8));
		expect(failed[0].json.error).toMatchObject({
			code: 2,
			message: expect.stringMatching(/HTTP 503.*gave up after 4 attempts/),
		});
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toHaveLength(6);
	});

	test('a Retry-After longer than the node waits fails the batch at once', async () => {
		ctx.sb.config.fault = { kind: 'rateLimit', retryAfter: 3600 };
		const { outputs } = await blockOne(FAST_RETRIES);
		expect(ctx.sb.requests).toHaveLength(1);
		expect(messageOf(outputs[1][0])).toMatch(/asked to wait 3600 s/);
	});
});

describe('whole-call failures', () => {
	test('a rejected key throws a clear, item-numbered error that does not contain the key', async () => {
		const { error, outputs } = await ctx.run(
			{ operation: 'block', users: '+919999999999, +919888888888' },
			{ credentials: wrongKey() },
		);
		expect(outputs).toEqual([]);
		expect(error?.message).toMatch(/rejected the API key/);
		expect(error?.description).toMatch(/Item 1/);
		expect(errorText(error)).not.toContain(WRONG_KEY);
		expect(ctx.sb.requests).toHaveLength(1);
	});

	test('an unknown phone number ID throws "not found" naming the item', async () => {
		const { error } = await ctx.run({ ...BLOCK_ONE, phoneNumberId: '999' });
		expect(error?.message).toMatch(/did not find this phone number ID/);
		expect(error?.description).toMatch(/Item 1, phone number ID 999/);
	});

	test('with Continue On Fail a bad phone number ID fails only the users of its item', async () => {
		const { outputs } = await ctx.run(
			{ operation: 'block', users: '={{ $json.phone }}', phoneNumberId: '={{ $json.pid }}' },
			{
				items: [
					{ phone: '+919999999999', pid: '' },
					{ phone: '+919888888888', pid: '1/2' },
				],
				continueOnFail: true,
			},
		);
		expect(usersOf(outputs[0])).toEqual(['+919999999999']);
		expect(rows(outputs[1], 'input', 'code', 'pairedItem')).toEqual([
			['+919888888888', 'INVALID_PHONE_NUMBER_ID', { item: 1 }],
		]);
	});
});

test('after 3 batches in a row fail through all their retries, the rest are not sent but reported', async () => {
	ctx.sb.config.fault = { kind: 'serverError', status: 503 };
	const { outputs, error } = await ctx.run({
		operation: 'block',
		users: numbers(10).join(','),
		options: { retryDelay: 1, maxRetries: 1, batchSize: 2 },
	});
	expect(error).toBeUndefined();
	expect(ctx.sb.requests).toHaveLength(6);
	const [succeeded, failed] = outputs;
	expect(succeeded).toHaveLength(0);
	expect(usersOf(failed)).toEqual(numbers(10));
	expect(failed.slice(0, 6).every((i) => (i.json.error as { code: number }).code === 2)).toBe(true);
	expect(failed[6].json.error).toMatchObject({
		code: 'NOT_SENT',
		message: expect.stringMatching(/previous 3 requests failed/),
	});
});
