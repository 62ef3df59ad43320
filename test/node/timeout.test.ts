/**
 * Timeout (Ms) bounds a whole attempt, headers and body, not only an idle socket: a server
 * that sends its headers at once and then one byte every 100 ms (never idle for long) is cut
 * off at the Timeout and the attempt is retried as a timeout, through the real node and
 * n8n-core's HTTP helper. And what ends an attempt is told apart: the node's own deadline is
 * a timeout (retried), the execution's cancellation is `ERR_CANCELED` (not retried).
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { buildConnection, type Connection } from '../../nodes/WhatsApp/transport/connection';
import { type RequestContext, requestWithRetries } from '../../nodes/WhatsApp/transport/request';
import { TriggerHarness } from '../harness/pollNode';
import { runNode, type RunOptions } from '../harness/runNode';

const KEY = 'pk_live_timeout_0123456789';
const PN = '100000000000001';
const TIMED_OUT = 'The request to Splashify timed out (gave up after 2 attempts)';

async function until(done: () => boolean): Promise<void> {
	for (let waited = 0; !done() && waited < 6000; waited += 20)
		await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('a body that trickles in', () => {
	let server: Server;
	let baseUrl: string;
	let requests = 0;
	/** When each request's connection closed, in ms after the test started it. */
	let closedAt: number[] = [];
	let testStarted = 0;
	/** How long the server goes on trickling before it ends the body (if the client stays). */
	const TRICKLE_MS = 5000;

	beforeAll(async () => {
		server = createServer((req, res) => {
			requests++;
			req.resume();
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.flushHeaders();
			const started = Date.now();
			const timer = setInterval(() => {
				if (Date.now() - started >= TRICKLE_MS) {
					clearInterval(timer);
					res.end();
				} else res.write(' ');
			}, 100);
			res.on('close', () => {
				clearInterval(timer);
				closedAt.push(Date.now() - testStarted);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});
	beforeEach(() => {
		requests = 0;
		closedAt = [];
		testStarted = Date.now();
	});

	const credentials = () => ({ apiKey: KEY, baseUrl, phoneNumberId: PN, apiVersion: 'v25.0' });
	const options = { timeout: 500, maxRetries: 1, retryDelay: 1 };
	const run = (parameters: IDataObject, extra: Partial<RunOptions> = {}) =>
		runNode({ parameters, credentials: credentials(), ...extra });

	test('Block: each attempt ends at the Timeout (500 ms), not when the body ends (5 s); the batch fails as a timeout after 2 attempts', async () => {
		const started = Date.now();
		const { outputs, error } = await run({ operation: 'block', users: '+919999999999', options });
		const elapsed = Date.now() - started;
		expect(error).toBeUndefined();
		expect(requests).toBe(2);
		expect(outputs[1].map((i) => i.json.error)).toEqual([
			expect.objectContaining({ code: 'ECONNABORTED', message: TIMED_OUT }),
		]);
		expect(elapsed).toBeLessThan(3000);
	});

	test("cancelling the execution ends the request in flight at once (n8n's cancel signal is kept beside the deadline)", async () => {
		const started = Date.now();
		const parameters = {
			operation: 'block',
			users: '+919999999999',
			options: { ...options, timeout: 60_000 },
		};
		await run(parameters, { cancelAfterMs: 300 });
		expect(requests).toBe(1);
		await until(() => closedAt.length === 1);
		expect(closedAt[0]).toBeLessThan(2000);
		expect(Date.now() - started).toBeLessThan(3000);
	});

	test('List: the same for a page, and the error names the item', async () => {
		const started = Date.now();
		const { error } = await run({ operation: 'list', returnAll: true, options });
		expect(requests).toBe(2);
		expect(error?.message).toBe(TIMED_OUT);
		expect(error?.description).toMatch(/Item 1/);
		expect(Date.now() - started).toBeLessThan(3000);
	});

	test('the trigger (a poll, which has no cancel signal): the same', async () => {
		const started = Date.now();
		const { error } = await new TriggerHarness(
			{ events: ['blocked'], options },
			credentials(),
		).poll();
		expect(requests).toBe(2);
		expect(error?.message).toBe(TIMED_OUT);
		expect(Date.now() - started).toBeLessThan(3000);
	});
});

/**
 * n8n-core's helper as far as the abort goes (2.41): it sets `abortSignal` to the execution's
 * cancel signal, then the request ends when that signal aborts, with axios's ERR_CANCELED.
 */
function helperLike(cancel: AbortSignal | undefined, seen: { count: number }) {
	return async (_type: string, request: IHttpRequestOptions) => {
		seen.count++;
		request.abortSignal = cancel;
		const signal = request.abortSignal as AbortSignal | undefined;
		await new Promise<void>((_resolve, reject) => {
			signal?.addEventListener('abort', () =>
				reject(
					Object.assign(new Error('canceled'), { code: 'ERR_CANCELED', name: 'CanceledError' }),
				),
			);
		});
	};
}

describe("what ended the attempt: the node's deadline or the execution's cancellation", () => {
	const built = buildConnection(
		{ apiKey: KEY, baseUrl: 'http://127.0.0.1:9', apiVersion: 'v25.0' },
		{ timeout: 200, maxRetries: 1, retryDelay: 1 },
	);
	if (!built.ok) throw new Error(built.error);
	const connection: Connection = { ...built.value, phoneNumberId: PN };

	const contextWith = (cancel: AbortSignal | undefined, seen: { count: number }) =>
		({
			getExecutionCancelSignal: () => cancel,
			helpers: { httpRequestWithAuthentication: helperLike(cancel, seen) },
		}) as unknown as RequestContext;

	test.each([
		['even when n8n sets its cancel signal over it', new AbortController().signal],
		['with no cancel signal at all (a trigger poll)', undefined],
	])(
		'the deadline, %s: a timeout, retried, then given up',
		async (_name, cancel) => {
			const seen = { count: 0 };
			const result = await requestWithRetries(contextWith(cancel, seen), connection, 'GET', {});
			expect(seen.count).toBe(2);
			expect(result).toEqual({
				ok: false,
				error: expect.objectContaining({
					kind: 'batch',
					exhausted: true,
					error: expect.objectContaining({ code: 'ECONNABORTED', message: TIMED_OUT }),
				}),
			});
		},
		5000,
	);

	test('the execution cancelled before the deadline: ERR_CANCELED, not retried', async () => {
		const seen = { count: 0 };
		const cancel = new AbortController();
		const started = Date.now();
		const pending = requestWithRetries(
			contextWith(cancel.signal, seen),
			{ ...connection, timeoutMs: 10_000 },
			'GET',
			{},
		);
		cancel.abort();
		const result = await pending;
		expect(Date.now() - started).toBeLessThan(2000);
		expect(seen.count).toBe(1);
		expect(result).toEqual({
			ok: false,
			error: {
				kind: 'fatal',
				error: { code: 'ERR_CANCELED', message: 'The execution was cancelled' },
			},
		});
	}, 5000);
});
