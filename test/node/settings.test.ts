/**
 * What n8n's node settings do with this node, measured in n8n-core's WorkflowExecute with a
 * recording node after every output (each test backs a line of the settings table in
 * docs/errors.md): On Error (stop, or either Continue) on a whole-call failure from the server,
 * Retry On Fail, Always Output Data and Execute Once.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import type { RunOptions } from '../harness/runNode';
import { useSandbox } from '../helpers/sandbox';
import { usersOf } from '../helpers/items';

const ctx = useSandbox();

const ITEMS: IDataObject[] = [{ users: '+919999999999, +447700900123' }, { users: '+14155550123' }];

function run(operation: string, extra: Partial<RunOptions> = {}) {
	return ctx.run(
		{
			operation,
			users: '={{ $json.users }}',
			returnAll: true,
			options: { retryDelay: 1, maxRetries: 0 },
		},
		{ items: ITEMS, downstream: true, ...extra },
	);
}

const rejectedKey = () =>
	({ ...ctx.credentials, apiKey: 'wrong-key' }) as ICredentialDataDecryptedObject;
const codes = (items: { json: IDataObject }[]) =>
	items.map((item) => (item.json.error as IDataObject | undefined)?.code ?? item.json.error);

describe('On Error, on a whole-call failure from the server (API key rejected)', () => {
	test('Stop Workflow (the default): the node stops with the reason, nothing reaches any output', async () => {
		const { error, received } = await run('block', { credentials: rejectedKey() });
		expect(error?.message).toMatch(/rejected the API key/);
		expect(received.flat()).toEqual([]);
	});

	test.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'%s: Block puts every user on Failed (190), nothing on Succeeded nor on the error output',
		async (onError) => {
			const { error, received } = await run('block', { credentials: rejectedKey(), onError });
			expect(error).toBeUndefined();
			expect(received[0]).toEqual([]);
			expect(codes(received[1])).toEqual([190, 190, 190]);
			if (onError === 'continueErrorOutput') expect(received[2]).toEqual([]);
		},
	);

	test.each([
		['check', 2],
		['sync', 2],
	] as const)(
		'continueErrorOutput: %s puts every user on Failed, nothing elsewhere',
		async (operation, failed) => {
			const { received } = await run(operation, {
				credentials: rejectedKey(),
				onError: 'continueErrorOutput',
			});
			received.forEach((items, index) =>
				index === failed
					? expect(codes(items)).toEqual([190, 190, 190])
					: expect(items).toEqual([]),
			);
		},
	);

	test('continueErrorOutput: List gives one error item per input item, on the error output', async () => {
		const { received } = await run('list', {
			credentials: rejectedKey(),
			onError: 'continueErrorOutput',
		});
		expect(received[0]).toEqual([]);
		expect(received[1].map((item) => String(item.json.error))).toEqual([
			expect.stringMatching(/rejected the API key/),
			expect.stringMatching(/rejected the API key/),
		]);
	});
});

describe('Retry On Fail (2 tries, no wait)', () => {
	const retry = { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 };

	test('re-runs the whole node when it stops: a key rejected once, then accepted, blocks every user on the second run', async () => {
		ctx.sb.enqueue({ kind: 'errorIn200', code: 190 });
		const { error, received } = await run('block', { settings: retry });
		expect(error).toBeUndefined();
		expect(received[0].map((item) => item.json.status)).toEqual(['blocked', 'blocked', 'blocked']);
		expect(received[1]).toEqual([]);
		expect(ctx.sb.requests).toHaveLength(2);
	});

	test('each try sends again: a key always rejected costs one request per try, then the node stops', async () => {
		const { error } = await run('block', { credentials: rejectedKey(), settings: retry });
		expect(error?.message).toMatch(/rejected the API key/);
		expect(ctx.sb.requests).toHaveLength(2);
		ctx.sb.reset();
		await run('block', { credentials: rejectedKey() });
		expect(ctx.sb.requests).toHaveLength(1);
	});

	test('under Continue the node does not stop, so it is not re-run (Block: one request, users on Failed)', async () => {
		const { received } = await run('block', {
			credentials: rejectedKey(),
			settings: retry,
			onError: 'continueRegularOutput',
		});
		expect(codes(received[1])).toEqual([190, 190, 190]);
		expect(ctx.sb.requests).toHaveLength(1);
	});

	test('under Continue, a List whose first item is an error is re-run (n8n re-runs a node whose first item has `error`)', async () => {
		const { received } = await run('list', {
			credentials: rejectedKey(),
			settings: retry,
			onError: 'continueRegularOutput',
		});
		expect(received[0]).toHaveLength(2);
		// Two items, one read each, twice.
		expect(ctx.sb.requests).toHaveLength(4);
	});
});

describe('Always Output Data', () => {
	test('puts one empty item on the first output when it has none: Block with every user failed sends {} to Succeeded', async () => {
		const { received, outputs } = await run('block', {
			items: [{ users: 'not a number' }],
			settings: { alwaysOutputData: true },
		});
		expect(received[0].map((item) => item.json)).toEqual([{}]);
		expect(received[1].map((item) => item.json.status)).toEqual(['failed']);
		expect(outputs[0]).toEqual([expect.objectContaining({ json: {} })]);
	});

	test('Check with nobody blocked sends {} to Blocked', async () => {
		const { received } = await run('check', { settings: { alwaysOutputData: true } });
		expect(received[0].map((item) => item.json)).toEqual([{}]);
		expect(received[1]).toHaveLength(3);
	});

	test('off (the default): an output with nothing on it runs nothing after it', async () => {
		const { received } = await run('block', { items: [{ users: 'not a number' }] });
		expect(received[0]).toEqual([]);
	});
});

describe('Execute Once', () => {
	test('only the first input item is run: the users of the others are neither sent nor output', async () => {
		const { received } = await run('block', { settings: { executeOnce: true } });
		expect(usersOf(received[0])).toEqual(['+919999999999', '+447700900123']);
		expect(received[1]).toEqual([]);
		expect(ctx.sb.requests.flatMap((request) => request.users ?? [])).toEqual([
			'+919999999999',
			'+447700900123',
		]);
	});
});
