/**
 * Out-of-range options through n8n-core's real execution: the node stops with an error that
 * names the option, its range and the item, and sends nothing.
 */
import { useSandbox } from '../helpers/sandbox';

const ctx = useSandbox();

test.each([
	['block', { batchSize: 501 }, /Batch Size must be a whole number from 1 to 500, not 501/],
	[
		'unblock',
		{ maxConcurrency: 0 },
		/Max Concurrent Requests must be a whole number from 1 to 10, not 0/,
	],
	[
		'block',
		{ retryDelay: 120_000 },
		/Retry Delay \(Ms\) must be a whole number from 0 to 60000, not 120000/,
	],
	['block', { timeout: 10_000_000 }, /Timeout \(Ms\) must be a whole number from 1 to 600000/],
	['list', { pageSize: 5000 }, /Page Size must be a whole number from 1 to 1000, not 5000/],
	['list', { maxRetries: 11 }, /Max Retries must be a whole number from 0 to 10, not 11/],
] as const)(
	'%s with %j stops before any request, naming the option and its range',
	async (operation, options, message) => {
		const { error, outputs } = await ctx.run({
			operation,
			users: '+919999999999',
			returnAll: true,
			options,
		});
		expect(error?.message).toMatch(message);
		expect(outputs.flat()).toHaveLength(0);
		expect(ctx.sb.requests).toHaveLength(0);
	},
);

test("List's Limit above 64,000 is refused for the item, nothing is sent", async () => {
	const { error } = await ctx.run(
		{ operation: 'list', returnAll: false, limit: 100_000 },
		{ items: [{}, {}] },
	);
	expect(error?.message).toMatch(/Limit must be a whole number from 1 to 64000, not 100000/);
	expect(error?.description).toMatch(/Item 1: nothing was sent/);
	expect(ctx.sb.requests).toHaveLength(0);
});

test('an option mapped by an expression is checked too', async () => {
	const { error } = await ctx.run(
		{ operation: 'block', users: '+919999999999', options: { batchSize: '={{ $json.size }}' } },
		{ items: [{ size: 1000 }] },
	);
	expect(error?.message).toMatch(/Batch Size must be a whole number from 1 to 500, not 1000/);
	expect(ctx.sb.requests).toHaveLength(0);
});
