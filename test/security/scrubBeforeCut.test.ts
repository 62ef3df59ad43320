/**
 * The API key is scrubbed from an answer before anything shortens it. A server or proxy page
 * that echoes "Authorization: Bearer <key>" is answered with the key at every offset from 0
 * to 260 of a long body, so that some cut (the 200 characters kept of a page that is not
 * JSON) falls inside the key: neither the key nor any 8 characters of it may reach an output
 * item, a thrown error or a log line. Three answers: HTTP 200 with a text page, HTTP 502 with
 * an HTML page, HTTP 400 with Meta's JSON error whose message and details carry the page.
 * First through the transport and `failureError` for every offset, then through the real
 * node (List with Continue On Fail: every offset in one run; List, Block and the trigger
 * without it: offsets around the cut), with n8n-core's HTTP helper and WorkflowExecute.
 */
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';

import type { IDataObject, INode } from 'n8n-workflow';

import { failureError } from '../../nodes/WhatsApp/transport/failureError';
import { buildConnection, type Connection } from '../../nodes/WhatsApp/transport/connection';
import { type RequestContext, requestWithRetries } from '../../nodes/WhatsApp/transport/request';
import { TriggerHarness } from '../harness/pollNode';
import { runNode, type RunOptions, type RunResult } from '../harness/runNode';
import { captureLogs, type LogCapture, searchable } from '../property/support/logs';

const KEY = 'pk_live_scrubcut_7Hq2Vx9Lm4Rt8Zw1Ny6Kb3';
const OFFSETS = Array.from({ length: 261 }, (_, i) => i);
/** Offsets whose key straddles the 200th character, and a few either side. */
const NEAR_THE_CUT = [0, 120, 159, 160, 170, 180, 185, 190, 192, 193, 199, 200, 201, 260];
const MODES = ['text 200', 'html 502', 'json 400'] as const;
type Mode = (typeof MODES)[number];

/** Every 8 characters in a row of the key: a leak of any of them is a leak. */
const KEY_PIECES = Array.from({ length: KEY.length - 7 }, (_, i) => KEY.slice(i, i + 8));

function leakedPieces(text: string): string[] {
	return KEY_PIECES.filter((piece) => text.includes(piece));
}

/** An error as n8n keeps, shows and logs it: every own property (errorResponse, messages...) too. */
function errorText(error: unknown): string {
	if (!(error instanceof Error)) return '';
	const own = Object.getOwnPropertyNames(error).map((name) =>
		searchable((error as unknown as Record<string, unknown>)[name]),
	);
	return [searchable(error), JSON.stringify(error, Object.getOwnPropertyNames(error)), ...own].join(
		'\n',
	);
}

const FILLER = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. ';
const ECHO =
	'<html><head><title>Bad Gateway</title></head><body><pre>GET /api/v25.0 HTTP/1.1\nAuthorization: Bearer ';

/** A long page with the key starting exactly at `offset` (after as much of the echo as fits). */
function pageWithKeyAt(offset: number): string {
	const lead = offset === 0 ? '' : (FILLER.repeat(6) + ECHO).slice(-offset);
	return `${lead}${KEY}\nHost: api.splashifypro.com\n</pre>${FILLER.repeat(8)}</body></html>`;
}

function answer(mode: Mode, offset: number): { status: number; type: string; body: string } {
	const page = pageWithKeyAt(offset);
	if (mode === 'text 200') return { status: 200, type: 'text/plain', body: page };
	if (mode === 'html 502') return { status: 502, type: 'text/html', body: page };
	const error = {
		message: page,
		type: 'OAuthException',
		code: 100,
		error_data: { details: page },
		fbtrace_id: 'A1',
	};
	return { status: 400, type: 'application/json', body: JSON.stringify({ error }) };
}

test('control: the page puts the key at the offset, and a cut at 200 inside it would leak a piece', () => {
	for (const offset of OFFSETS) expect(pageWithKeyAt(offset).indexOf(KEY)).toBe(offset);
	expect(pageWithKeyAt(40)).toContain(`Authorization: Bearer ${KEY}`);
	expect(leakedPieces(pageWithKeyAt(180).slice(0, 200))).not.toEqual([]);
});

describe('through the transport, every offset from 0 to 260', () => {
	const node = { name: 'WhatsApp Block Users', type: 'n8n-nodes-splashify.whatsAppBlockUsers' };
	const built = buildConnection(
		{ apiKey: KEY, baseUrl: 'http://127.0.0.1:9', apiVersion: 'v25.0' },
		{ maxRetries: 0 },
	);
	if (!built.ok) throw new Error(built.error);
	const connection: Connection = { ...built.value, phoneNumberId: '100000000000001' };

	test.each(MODES)(
		'%s: the failure and the error thrown from it hold no piece of the key',
		async (mode) => {
			for (const offset of OFFSETS) {
				const { status, type, body } = answer(mode, offset);
				const ctx = {
					getNode: () => node as INode,
					helpers: {
						httpRequestWithAuthentication: async () => ({
							statusCode: status,
							headers: { 'content-type': type },
							body,
						}),
					},
				} as unknown as RequestContext;
				const result = await requestWithRetries(ctx, connection, 'GET', {});
				expect(result.ok).toBe(false);
				if (result.ok) continue;
				// Not vacuous: the page's text is kept as details, with the key's place marked.
				if (mode === 'text 200' && offset <= 150)
					expect(result.error.error.details).toContain('***');
				const error = failureError(ctx, result.error, {
					itemIndex: 0,
					where: 'Item 1',
					secrets: connection.secrets,
				});
				expect({
					offset,
					leaked: leakedPieces(JSON.stringify(result.error) + errorText(error)),
				}).toEqual({ offset, leaked: [] });
			}
		},
	);
});

test('failureError scrubs all of the failure it is given: message, description, and the errorResponse and messages n8n keeps', () => {
	const ctx = {
		getNode: () => ({ name: 'WhatsApp Block Users', type: 't' }) as INode,
	} as unknown as RequestContext;
	const page = pageWithKeyAt(190);
	const error = failureError(
		ctx,
		{ kind: 'batch', httpCode: 400, error: { code: 100, message: page, details: page } },
		{ where: 'Item 1', secrets: [KEY] },
	);
	expect(error.message).toContain('***');
	expect(leakedPieces(errorText(error))).toEqual([]);
});

describe('through the real node and trigger', () => {
	let server: Server;
	let baseUrl: string;
	let mode: Mode = 'text 200';
	let logs: LogCapture;
	let requests = 0;

	beforeAll(async () => {
		logs = captureLogs();
		// The offset is the phone number ID in the path, less 100000.
		server = createServer((req, res) => {
			requests++;
			const offset = Number(/\/(\d+)\/block_users/.exec(req.url ?? '')?.[1] ?? 100000) - 100000;
			const { status, type, body } = answer(mode, offset);
			req.resume();
			res.writeHead(status, { 'Content-Type': type });
			res.end(body);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		logs.restore();
		await new Promise((resolve) => server.close(resolve));
	});
	beforeEach(() => {
		logs.clear();
		requests = 0;
	});

	const credentials = () => ({
		apiKey: KEY,
		baseUrl,
		phoneNumberId: '100000',
		apiVersion: 'v25.0',
	});
	const pid = (offset: number) => String(100000 + offset);
	/** The node against the echoing server, no retries. */
	const run = (parameters: IDataObject, extra: Partial<RunOptions> = {}) =>
		runNode({
			parameters: { ...parameters, options: { maxRetries: 0 } },
			credentials: credentials(),
			...extra,
		});

	function assertNoPiece(
		result: Pick<RunResult, 'outputs' | 'error'> & { run?: RunResult['run'] },
		label: string,
	): void {
		logs.assertStillCapturing();
		const seen = [
			searchable(result.outputs),
			searchable(result.run?.data ?? null),
			errorText(result.error),
			...logs.lines,
		];
		expect({ label, leaked: leakedPieces(seen.join('\n')) }).toEqual({ label, leaked: [] });
	}

	test.each(MODES)(
		'%s, List with Continue On Fail: one error item per offset, none with a piece of the key',
		async (m) => {
			mode = m;
			const items = OFFSETS.map((offset) => ({ pid: pid(offset) }));
			const parameters = { operation: 'list', returnAll: true, phoneNumberId: '={{ $json.pid }}' };
			const result = await run(parameters, { items, continueOnFail: true });
			expect(requests).toBe(OFFSETS.length);
			expect(result.outputs[0]).toHaveLength(OFFSETS.length);
			expect(result.outputs[0].every((item) => item.json.error !== undefined)).toBe(true);
			assertNoPiece(result, m);
		},
	);

	test.each(MODES)(
		'%s, List, Block (with and without Continue On Fail) and the trigger near the cut',
		async (m) => {
			mode = m;
			for (const offset of NEAR_THE_CUT) {
				const list = await run({ operation: 'list', returnAll: true, phoneNumberId: pid(offset) });
				expect(list.error).toBeDefined();
				assertNoPiece(list, `list ${offset}`);
				for (const continueOnFail of [false, true]) {
					const parameters = {
						operation: 'block',
						users: '+919999999991',
						phoneNumberId: pid(offset),
					};
					const block = await run(parameters, { continueOnFail });
					expect(block.outputs[1]?.[0]?.json.error).toBeDefined();
					assertNoPiece(block, `block ${offset} continueOnFail=${continueOnFail}`);
				}
				const poll = await new TriggerHarness(
					{ events: ['blocked'], options: { maxRetries: 0 } },
					{ ...credentials(), phoneNumberId: pid(offset) },
				).poll();
				expect(poll.error).toBeDefined();
				assertNoPiece({ outputs: [], error: poll.error }, `trigger ${offset}`);
			}
		},
	);
});
