/**
 * A `Retry-After` at the bound (120 s) is waited for, one over it is not: through the real
 * node and n8n-core's HTTP helper, with n8n's `sleep` stood in for (it records the wait and
 * returns at once), so the test does not wait two minutes.
 */
import { useSandbox } from '../helpers/sandbox';
import { messageOf } from '../helpers/items';

const waits: number[] = [];
jest.mock('n8n-workflow', () => ({
	...jest.requireActual<object>('n8n-workflow'),
	sleep: async (ms: number) => {
		waits.push(ms);
	},
}));

const ctx = useSandbox();

beforeEach(() => {
	waits.length = 0;
});

test('Retry-After: 120 (the bound) is waited for, not refused: the retry is sent and the user is blocked', async () => {
	ctx.sb.enqueue({ kind: 'rateLimit', retryAfter: 120 });
	const { outputs, error } = await ctx.run({
		operation: 'block',
		users: '+919999999999',
		options: { maxRetries: 3 },
	});
	expect(error).toBeUndefined();
	expect(ctx.sb.requests.map((r) => r.status)).toEqual([429, 200]);
	expect(waits).toEqual([120_000]);
	expect(outputs[0].map((i) => i.json.status)).toEqual(['blocked']);
});

test('Retry-After: 110 is waited for between 110 s and the bound', async () => {
	ctx.sb.enqueue({ kind: 'rateLimit', retryAfter: 110 });
	const { outputs } = await ctx.run({
		operation: 'block',
		users: '+919999999999',
		options: { maxRetries: 3 },
	});
	expect(ctx.sb.requests).toHaveLength(2);
	expect(waits).toHaveLength(1);
	expect(waits[0]).toBeGreaterThanOrEqual(110_000);
	expect(waits[0]).toBeLessThanOrEqual(120_000);
	expect(outputs[0]).toHaveLength(1);
});

test('Retry-After: 121 is refused at once, saying how long the server asked and how long the node waits', async () => {
	ctx.sb.enqueue({ kind: 'rateLimit', retryAfter: 121 });
	const { outputs } = await ctx.run({
		operation: 'block',
		users: '+919999999999',
		options: { maxRetries: 3 },
	});
	expect(ctx.sb.requests).toHaveLength(1);
	expect(waits).toEqual([]);
	expect(messageOf(outputs[1][0])).toMatch(/asked to wait 121 s, longer than the node waits/);
});
