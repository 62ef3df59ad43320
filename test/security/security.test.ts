/**
 * Security: what reaches the wire (nothing, for a phone number ID or base URL that could
 * change where a request goes), where the API key may travel (never to another host by a
 * redirect), and what the user is told (what happened, how to fix it, which item).
 * Every assertion is on what the servers recorded.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'http';
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from 'net';

import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { IDataObject } from 'n8n-workflow';

import { SplashifyApi } from '../../credentials/SplashifyApi.credentials';
import { runNode, type RunOptions, type RunResult } from '../harness/runNode';
import { DEFAULT_PHONE_NUMBER_ID } from '../../sandbox/server';
import { useSandbox } from '../helpers/sandbox';
import { codesOf, messageOf } from '../helpers/items';

const PHONE = DEFAULT_PHONE_NUMBER_ID;
const KEY = 'pk_live_security_4f1c2a9be07d3365';

const ctx = useSandbox({ apiKey: KEY, phoneNumberIds: [PHONE] });

const credentials = (overrides: Record<string, unknown> = {}) => ({
	apiKey: KEY,
	phoneNumberId: PHONE,
	baseUrl: ctx.sb.url,
	apiVersion: 'v25.0',
	...overrides,
});

/** Runs the node against the sandbox, the credential changed by `overrides`. */
const run = (
	parameters: IDataObject,
	overrides: Record<string, unknown> = {},
	extra: Partial<RunOptions> = {},
) => runNode({ parameters, credentials: credentials(overrides), ...extra });
/** Block or Unblock with Users and Phone Number ID from each item. */
const perItem = (operation: string) => ({
	operation,
	users: '={{ $json.users }}',
	phoneNumberId: '={{ $json.phone }}',
});
const BLOCK_ONE = { operation: 'block', users: '+919999999991' };
const LIST_ALL = { operation: 'list', returnAll: true };

function errorText(result: RunResult): string {
	return `${result.error?.message ?? ''}\n${result.error?.description ?? ''}`;
}

function assertKeyNowhere(result: RunResult): void {
	const seen = new WeakSet<object>();
	const all = JSON.stringify([result.outputs, result.run.data], (_k, v: unknown) => {
		if (v !== null && typeof v === 'object') {
			if (seen.has(v)) return '[cycle]';
			seen.add(v);
		}
		return v;
	});
	expect(all).not.toContain(KEY);
	expect(errorText(result)).not.toContain(KEY);
}

/** A phone number ID must be digits: anything else could rewrite the request's path. */
const UNSAFE_PHONE_NUMBER_IDS = [
	'12/34',
	'..',
	'../100000000000001',
	'100000000000001/../../admin',
	'1?x=1',
	'100000000000001?limit=1000',
	'1#2',
	'100000000000001#',
	'1%2F2',
	'%2e%2e',
	'12 34',
	'1\t2',
	'1\n2',
	'abc',
	'-1',
	'1e5',
	'\uff11\uff12\uff13',
];

describe('phone number ID: refused before any request', () => {
	/** Two items, the second with the bad phone number ID. */
	const items = (bad: string) => [
		{ users: '+919999999991' },
		{ users: '+919999999992', phone: bad },
	];
	test.each(UNSAFE_PHONE_NUMBER_IDS)(
		'Block with node parameter %j: 0 requests, error names item 2',
		async (bad) => {
			const result = await run(perItem('block'), {}, { items: items(bad) });
			expect(ctx.sb.requests).toHaveLength(0);
			expect(result.error).toBeDefined();
			expect(errorText(result)).toMatch(/phone number ID/);
			expect(errorText(result)).toMatch(/\bItem 2\b/);
			expect(errorText(result)).toMatch(/digits only/);
			assertKeyNowhere(result);
		},
	);

	test.each(UNSAFE_PHONE_NUMBER_IDS)(
		'Unblock with continueOnFail, node parameter %j: only the good item is sent',
		async (bad) => {
			ctx.sb.setBlocklist(PHONE, ['919999999991', '919999999992']);
			const result = await run(perItem('unblock'), {}, { items: items(bad), continueOnFail: true });
			expect(ctx.sb.requests.map((r) => [r.path, r.users])).toEqual([
				[`/api/v25.0/${PHONE}/block_users`, ['+919999999991']],
			]);
			expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999992']);
			const [failed] = result.outputs[1];
			expect(failed.json.error).toMatchObject({ code: 'INVALID_PHONE_NUMBER_ID' });
			expect(messageOf(failed)).toMatch(/\bitem 2\b/);
		},
	);

	test.each(UNSAFE_PHONE_NUMBER_IDS)(
		'List with node parameter %j: 0 requests, error names the item',
		async (bad) => {
			const result = await run({ ...LIST_ALL, phoneNumberId: bad });
			expect(ctx.sb.requests).toHaveLength(0);
			expect(errorText(result)).toMatch(/phone number ID/);
			expect(errorText(result)).toMatch(/\bItem 1\b/);
		},
	);

	test.each(UNSAFE_PHONE_NUMBER_IDS)(
		'credential phone number ID %j: 0 requests for Block and List',
		async (bad) => {
			const blocked = await run(BLOCK_ONE, { phoneNumberId: bad });
			const listed = await run(LIST_ALL, { phoneNumberId: bad });
			expect(ctx.sb.requests).toHaveLength(0);
			expect(errorText(blocked)).toMatch(/\bItem 1\b.*digits only/s);
			expect(errorText(listed)).toMatch(/\bItem 1\b.*digits only/s);
		},
	);

	test('a phone number ID with spaces around it is trimmed, not refused (control: the same check lets good IDs through)', async () => {
		const result = await run({ ...BLOCK_ONE, phoneNumberId: `  ${PHONE} ` });
		expect(result.error).toBeUndefined();
		expect(ctx.sb.requests.map((r) => r.path)).toEqual([`/api/v25.0/${PHONE}/block_users`]);
	});
});

/** Counts every TCP connection, so a refused URL is proven to have sent nothing at all. */
async function tripwire(): Promise<{ server: TcpServer; port: number; connections: () => number }> {
	let count = 0;
	const server = createTcpServer((socket) => {
		count++;
		socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, port: (server.address() as AddressInfo).port, connections: () => count };
}

describe('base URL and API version: only http(s), refused before any connection', () => {
	let wire: Awaited<ReturnType<typeof tripwire>>;
	beforeAll(async () => {
		wire = await tripwire();
	});
	afterAll(async () => {
		await new Promise((resolve) => wire.server.close(resolve));
	});

	const badBaseUrls = () => [
		`ftp://127.0.0.1:${wire.port}`,
		`ws://127.0.0.1:${wire.port}`,
		`gopher://127.0.0.1:${wire.port}/_POST`,
		'file:///etc/passwd',
		'javascript:alert(1)',
		'data:text/plain,hello',
		`127.0.0.1:${wire.port}`,
		`//127.0.0.1:${wire.port}`,
		`http://user:pass@127.0.0.1:${wire.port}`,
		`http://127.0.0.1:${wire.port}/?x=1`,
		`http://127.0.0.1:${wire.port}/#frag`,
		'',
		'   ',
	];

	test('Block, Unblock and List refuse each one with a message saying what to fix', async () => {
		for (const baseUrl of badBaseUrls()) {
			for (const operation of ['block', 'unblock', 'list']) {
				const parameters = operation === 'list' ? LIST_ALL : { operation, users: '+919999999991' };
				const result = await run(parameters, { baseUrl });
				expect(result.error).toBeDefined();
				expect(errorText(result)).toMatch(/Base URL/);
				assertKeyNowhere(result);
			}
		}
		expect(wire.connections()).toBe(0);
		expect(ctx.sb.requests).toHaveLength(0);
	});

	test('an API version that would change the path is refused', async () => {
		for (const apiVersion of [
			'v25.0/../../x',
			'../v25.0',
			'v25.0?x=1',
			'v25.0#',
			'v25/0',
			' v25.0/',
		]) {
			const result = await run(BLOCK_ONE, { apiVersion });
			expect(errorText(result)).toMatch(/API version/);
		}
		expect(ctx.sb.requests).toHaveLength(0);
	});

	test('control: the tripwire does count a connection', async () => {
		const baseUrl = `http://127.0.0.1:${wire.port}`;
		await run({ ...LIST_ALL, options: { maxRetries: 0 } }, { baseUrl }, { continueOnFail: true });
		expect(wire.connections()).toBeGreaterThan(0);
	});
});

interface Seen {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
}

async function listen(
	handler: (seen: Seen, res: import('http').ServerResponse) => void,
): Promise<{ server: Server; url: string; seen: Seen[] }> {
	const seen: Seen[] = [];
	const server = createHttpServer((req, res) => {
		req.resume();
		req.on('end', () => {
			const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
			seen.push(entry);
			handler(entry, res);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('a redirect never carries the API key to another host', () => {
	let elsewhere: Awaited<ReturnType<typeof listen>>;
	let redirector: Awaited<ReturnType<typeof listen>>;
	let status = 307;

	beforeAll(async () => {
		// "Another host": a second loopback server, reached as localhost (another origin).
		elsewhere = await listen((_seen, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			const block_users = { added_users: [], errors: [] };
			res.end(JSON.stringify({ messaging_product: 'whatsapp', block_users, data: [] }));
		});
		const target = elsewhere.url.replace('127.0.0.1', 'localhost');
		redirector = await listen((seen, res) => {
			res.writeHead(status, { Location: `${target}${seen.url}` });
			res.end();
		});
	});
	afterAll(async () => {
		await new Promise((resolve) => elsewhere.server.close(resolve));
		await new Promise((resolve) => redirector.server.close(resolve));
	});
	beforeEach(() => {
		elsewhere.seen.length = 0;
		redirector.seen.length = 0;
	});

	const carriesKey = (s: Seen) => JSON.stringify(s.headers).includes(KEY);

	test.each([301, 302, 303, 307, 308])(
		'HTTP %i on Block: the other host sees nothing, the user gets a clear error naming the item',
		async (code) => {
			status = code;
			const result = await run(
				{
					...BLOCK_ONE,
					users: '+919999999991, +919999999992',
					options: { maxRetries: 2, retryDelay: 1 },
				},
				{ baseUrl: redirector.url },
			);
			// The key really was in play: the API host got it.
			expect(redirector.seen).toHaveLength(1);
			expect(redirector.seen[0].headers.authorization).toBe(`Bearer ${KEY}`);
			// Nothing reached the other host, with or without the key; no retries either.
			expect(elsewhere.seen).toHaveLength(0);
			expect(result.error).toBeDefined();
			expect(result.error?.message).toMatch(new RegExp(`redirect \\(HTTP ${code}\\).*Base URL`));
			expect(errorText(result)).toMatch(/\bItem 1\b/);
			assertKeyNowhere(result);
		},
	);

	test.each([302, 307])(
		'HTTP %i on Unblock with continueOnFail: every user fails with the reason, the other host sees nothing',
		async (code) => {
			status = code;
			const users = '+919999999991, +919999999992, +919999999993';
			const result = await run(
				{ operation: 'unblock', users, options: { batchSize: 1 } },
				{ baseUrl: redirector.url },
				{ continueOnFail: true },
			);
			expect(elsewhere.seen).toHaveLength(0);
			expect(redirector.seen).toHaveLength(1); // a redirect is a whole-call failure: the rest is not sent
			expect(result.outputs[0]).toHaveLength(0);
			const codes = codesOf(result.outputs[1]);
			expect(codes).toEqual([code, 'NOT_SENT', 'NOT_SENT']);
			expect(messageOf(result.outputs[1][0])).toMatch(/redirect/);
			assertKeyNowhere(result);
		},
	);

	test('HTTP 302 on List: the other host sees nothing, the error names the item', async () => {
		status = 302;
		const result = await run(LIST_ALL, { baseUrl: redirector.url }, { items: [{}, {}] });
		expect(redirector.seen).toHaveLength(1);
		expect(elsewhere.seen).toHaveLength(0);
		expect(errorText(result)).toMatch(/redirect \(HTTP 302\)/);
		expect(errorText(result)).toMatch(/\bItem 1\b/);
		assertKeyNowhere(result);
	});

	test('the credential test does not follow redirects either', () => {
		expect(new SplashifyApi().test.request.disableFollowRedirect).toBe(true);
	});

	// Controls: the same servers, through n8n's own HTTP client, show that the detector works
	// and why the node's settings matter.
	async function n8nRequest(options: { follow: boolean; forwardKey: boolean }) {
		status = 307;
		return await Container.get(OutboundHttp)
			.requests()
			.request({
				method: 'POST',
				url: `${redirector.url}/api/v25.0/${PHONE}/block_users`,
				headers: { Authorization: `Bearer ${KEY}` },
				body: { messaging_product: 'whatsapp', block_users: [{ user: '+919999999991' }] },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: !options.follow,
				sendCredentialsOnCrossOriginRedirect: options.forwardKey,
			});
	}

	test.each([
		['with its defaults (follow, forward credentials) hands the key to the other host', true],
		[
			"even following, sendCredentialsOnCrossOriginRedirect: false keeps the key home (the node's second guard)",
			false,
		],
	])("control: n8n's client %s", async (_name, forwardKey) => {
		await n8nRequest({ follow: true, forwardKey });
		expect(elsewhere.seen).toHaveLength(1);
		expect(carriesKey(elsewhere.seen[0])).toBe(forwardKey);
	});
});
