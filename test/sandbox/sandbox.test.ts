/**
 * The sandbox over real HTTP (Node's global fetch).
 */
import { DEFAULT_PHONE_NUMBER_ID } from '../../sandbox/server';
import { useSandbox } from '../helpers/sandbox';

const PHONE = DEFAULT_PHONE_NUMBER_ID;
const PATH = `/api/v25.0/${PHONE}/block_users`;

const ctx = useSandbox({ phoneNumberIds: [PHONE] });

interface Reply {
	status: number;
	headers: Headers;
	json: any;
}

interface CallOptions {
	key?: string | null;
	path?: string;
	rawBody?: string;
	signal?: AbortSignal;
}

async function call(method: string, payload?: unknown, opts: CallOptions = {}): Promise<Reply> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	const key = opts.key === undefined ? ctx.sb.apiKey : opts.key;
	if (key !== null) headers.Authorization = `Bearer ${key}`;
	const body = opts.rawBody ?? (payload === undefined ? undefined : JSON.stringify(payload));
	const res = await fetch(ctx.sb.url + (opts.path ?? PATH), { method, headers, body, signal: opts.signal });
	const text = await res.text();
	return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const batch = (users: string[]) => ({
	messaging_product: 'whatsapp',
	block_users: users.map((user) => ({ user })),
});
const block = (users: string[], opts?: CallOptions) => call('POST', batch(users), opts);
const unblock = (users: string[], opts?: CallOptions) => call('DELETE', batch(users), opts);
const list = (query = '', opts?: CallOptions) => call('GET', undefined, { ...opts, path: `${PATH}${query}` });

/** n distinct E.164 numbers starting at +9170000000 00. */
const numbers = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `+91700000${String(from + i).padStart(4, '0')}`);

async function admin(method: string, route: string, body?: unknown): Promise<Reply> {
	const res = await fetch(`${ctx.sb.url}/__sandbox/${route}`, {
		method,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, headers: res.headers, json: await res.json() };
}

describe('block, unblock, list', () => {
	test('round trip with paging across 3 pages', async () => {
		const users = numbers(7);
		const blocked = await block(users);
		expect(blocked.status).toBe(200);
		expect(blocked.json.messaging_product).toBe('whatsapp');
		expect(blocked.json.block_users.added_users).toEqual(users.map((u) => ({ input: u, wa_id: u.slice(1) })));
		expect(blocked.json.block_users.errors).toEqual([]);

		const page1 = await list('?limit=3');
		expect(page1.json.data).toEqual([
			{ user: '917000000000', block_reason: 'manual' },
			{ user: '917000000001', block_reason: 'manual' },
			{ user: '917000000002', block_reason: 'manual' },
		]);
		expect(typeof page1.json.paging.cursors.after).toBe('string');
		expect(page1.json.paging.next).toContain(`after=${page1.json.paging.cursors.after}`);

		const page2 = await list(`?limit=3&after=${page1.json.paging.cursors.after}`);
		expect(page2.json.data.map((e: { user: string }) => e.user)).toEqual(['917000000003', '917000000004', '917000000005']);

		const page3 = await list(`?limit=3&after=${page2.json.paging.cursors.after}`);
		expect(page3.json.data).toEqual([{ user: '917000000006', block_reason: 'manual' }]);
		expect(page3.json.paging.cursors.after).toBeUndefined();
		expect(page3.json.paging.next).toBeUndefined();

		const back = await list(`?limit=3&before=${page3.json.paging.cursors.before}`);
		expect(back.json.data).toEqual(page2.json.data);

		const next = await fetch(page1.json.paging.next, { headers: { Authorization: `Bearer ${ctx.sb.apiKey}` } });
		expect(((await next.json()) as { data: unknown }).data).toEqual(page2.json.data);

		const removed = await unblock([users[1], users[5]]);
		expect(removed.status).toBe(200);
		expect(removed.json.block_users.removed_users).toEqual([
			{ input: users[1], wa_id: '917000000001' },
			{ input: users[5], wa_id: '917000000005' },
		]);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['917000000000', '917000000002', '917000000003', '917000000004', '917000000006']);
		const all = await list();
		expect(all.json.data).toHaveLength(5);
		expect(all.json.paging.cursors.after).toBeUndefined();
	});

	test('DELETE body is read and recorded', async () => {
		await unblock(['+919999999999']);
		const [req] = ctx.sb.requests;
		expect(req).toMatchObject({ method: 'DELETE', path: PATH, authorized: true, status: 200, behaviour: 'ok' });
		expect(req.users).toEqual(['+919999999999']);
	});

	test('duplicates, already blocked, not blocked', async () => {
		const first = await block(['+919999999999', '+919999999999']);
		expect(first.json.block_users.added_users).toHaveLength(1);
		expect(first.json.block_users.errors).toEqual([
			expect.objectContaining({ input: '+919999999999', wa_id: '919999999999', message: 'User is already blocked' }),
		]);
		const gone = await unblock(['+918888888888']);
		expect(gone.json.block_users.removed_users).toEqual([]);
		expect(gone.json.block_users.errors[0]).toMatchObject({ input: '+918888888888', message: 'User is not blocked' });
	});

	test('invalid numbers fail per user, the rest is processed', async () => {
		const res = await block(['+919999999999', '919888888888', '+0123456789', 'abc']);
		expect(res.status).toBe(200);
		expect(res.json.block_users.added_users).toEqual([{ input: '+919999999999', wa_id: '919999999999' }]);
		const errors = res.json.block_users.errors;
		expect(errors.map((e: { input: string }) => e.input)).toEqual(['919888888888', '+0123456789', 'abc']);
		for (const e of errors) {
			expect(e).toMatchObject({ code: 100, message: '(#100) Invalid phone number' });
			expect(e.wa_id).toBeUndefined();
		}
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);
	});

	test('re-engagement required and blocklist cap', async () => {
		ctx.sb.config.reengagementRequired = ['+14155559876'];
		ctx.sb.config.blocklistCap = 2;
		const res = await block(['+14155559876', '+919000000001', '+919000000002', '+919000000003']);
		const errors = res.json.block_users.errors;
		expect(errors[0]).toEqual({
			input: '+14155559876',
			wa_id: '14155559876',
			code: 131047,
			message: 'Re-engagement required',
			error_data: { details: 'User has not messaged in the last 24 hours' },
		});
		expect(errors[1]).toMatchObject({ input: '+919000000003', code: 139101, message: 'Blocklist limit reached' });
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919000000001', '919000000002']);
	});
});

describe('request checks', () => {
	test('auth failure: missing or wrong key, nothing processed', async () => {
		for (const key of [null, 'pk_live_wrong']) {
			const res = await block(['+919999999999'], { key });
			expect(res.status).toBe(401);
			expect(res.json.error).toMatchObject({ code: 190, message: '(#190) Invalid OAuth access token', type: 'OAuthException' });
			expect(typeof res.json.error.fbtrace_id).toBe('string');
		}
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
		expect(ctx.sb.requests.map((r) => [r.authorized, r.status])).toEqual([
			[false, 401],
			[false, 401],
		]);
	});

	test('unknown phone number ID and unknown route answer 404', async () => {
		const phone = await block(['+919999999999'], { path: '/api/v25.0/999/block_users' });
		expect(phone.status).toBe(404);
		expect(phone.json.error.code).toBe(100);
		expect(phone.json.error.message).toContain("Object with ID '999' does not exist");
		const route = await call('GET', undefined, { path: `/api/v25.0/${PHONE}/messages` });
		expect(route.status).toBe(404);
		expect((await call('GET', undefined, { path: `/api/v19.3/${PHONE}/block_users` })).status).toBe(200);
	});

	test('bad bodies answer 400 code 100', async () => {
		const bodies = ['not json', '{"messaging_product":"whatsapp"}', '{"messaging_product":"whatsapp","block_users":{}}'];
		for (const rawBody of bodies) {
			const res = await call('POST', undefined, { rawBody });
			expect([res.status, res.json.error.code]).toEqual([400, 100]);
		}
		const empty = await block([]);
		expect([empty.status, empty.json.error.code]).toEqual([400, 100]);
	});

	test('more than 500 users: 400 and nobody processed; 500 is fine', async () => {
		const over = await block(numbers(501));
		expect(over.status).toBe(400);
		expect(over.json.error).toMatchObject({ code: 100, message: '(#100) Cannot block more than 500 users in one request' });
		expect(ctx.sb.blocklist(PHONE)).toHaveLength(0);
		const ok = await block(numbers(500));
		expect(ok.json.block_users.added_users).toHaveLength(500);
		expect(ctx.sb.blocklist(PHONE)).toHaveLength(500);
	});

	test('list limit out of range and bad cursor answer 400', async () => {
		for (const q of ['?limit=0', '?limit=1001', '?limit=abc', '?after=garbage']) {
			const res = await list(q);
			expect([q, res.status, res.json.error.code]).toEqual([q, 400, 100]);
		}
		expect((await list('?limit=1000')).status).toBe(200);
	});
});

describe('answer shapes', () => {
	const mixed = ['+919999999999', 'bad'];

	test('meta: failed_users with nested errors, wa_id omitted for invalid numbers', async () => {
		ctx.sb.config.shape = 'meta';
		ctx.sb.config.reengagementRequired = ['14155559876'];
		const res = await block([...mixed, '+14155559876']);
		expect(res.status).toBe(200);
		expect(res.json).toEqual({
			messaging_product: 'whatsapp',
			block_users: {
				added_users: [{ input: '+919999999999', wa_id: '919999999999' }],
				failed_users: [
					{
						input: 'bad',
						errors: [{ message: '(#100) Invalid phone number', code: 100, error_data: { details: expect.any(String) } }],
					},
					{
						input: '+14155559876',
						wa_id: '14155559876',
						errors: [
							{
								message: 'Re-engagement required',
								code: 131047,
								error_data: { details: 'User has not messaged in the last 24 hours' },
							},
						],
					},
				],
			},
		});
	});

	test('mixed400: HTTP 400 with error beside block_users when someone failed', async () => {
		ctx.sb.config.shape = 'mixed400';
		const res = await block(mixed);
		expect(res.status).toBe(400);
		expect(res.json.error).toMatchObject({ code: 139100, message: '(#139100) Failed to block/unblock users' });
		expect(res.json.block_users.added_users).toEqual([{ input: '+919999999999', wa_id: '919999999999' }]);
		expect(res.json.block_users.failed_users).toHaveLength(1);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);

		const clean = await unblock(['+919999999999']);
		expect(clean.status).toBe(200);
		expect(clean.json).toEqual({
			messaging_product: 'whatsapp',
			block_users: { removed_users: [{ input: '+919999999999', wa_id: '919999999999' }] },
		});
	});

	test('list shape meta', async () => {
		ctx.sb.setBlocklist(PHONE, ['919999999999']);
		ctx.sb.config.listShape = 'meta';
		const res = await list();
		expect(res.json.data).toEqual([{ messaging_product: 'whatsapp', wa_id: '919999999999' }]);
	});
});

describe('faults', () => {
	test('429 with Retry-After, no state change, then normal', async () => {
		ctx.sb.enqueue({ kind: 'rateLimit', retryAfter: 7 });
		const limited = await block(['+919999999999']);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(limited.json.error.code).toBe(130429);
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
		expect((await block(['+919999999999'])).status).toBe(200);
		expect(ctx.sb.requests.map((r) => r.behaviour)).toEqual(['rateLimit', 'ok']);
	});

	test('drop: the connection closes without an answer and nothing changes', async () => {
		ctx.sb.enqueue({ kind: 'drop' });
		await expect(block(['+919999999999'])).rejects.toThrow();
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
		expect(ctx.sb.requests[0].status).toBe(0);
	});

	test('malformed: 200 with invalid JSON', async () => {
		ctx.sb.enqueue({ kind: 'malformed' });
		const res = await fetch(ctx.sb.url + PATH, {
			method: 'POST',
			headers: { Authorization: `Bearer ${ctx.sb.apiKey}` },
			body: JSON.stringify(batch(['+919999999999'])),
		});
		expect(res.status).toBe(200);
		await expect(res.json()).rejects.toThrow();
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
	});

	test('omitUsers: state changes but the last users are missing from the answer', async () => {
		ctx.sb.enqueue({ kind: 'omitUsers', count: 2 });
		const users = numbers(3);
		const res = await block(users);
		expect(res.json.block_users.added_users).toEqual([{ input: users[0], wa_id: users[0].slice(1) }]);
		expect(ctx.sb.blocklist(PHONE)).toEqual(users.map((u) => u.slice(1)));
	});

	test('extraUsers: the answer lists users that were not sent', async () => {
		ctx.sb.enqueue({ kind: 'extraUsers' });
		const res = await unblock(['+919999999999']);
		expect(res.json.block_users.errors).toHaveLength(1);
		expect(res.json.block_users.removed_users).toHaveLength(1);
		expect(res.json.block_users.removed_users[0].input).not.toBe('+919999999999');
	});

	test('listChanged: applies to the next GET only, skipping a POST', async () => {
		ctx.sb.enqueue({ kind: 'listChanged' });
		expect((await block(['+919999999999'])).status).toBe(200);
		const res = await list();
		expect(res.status).toBe(400);
		expect(res.json.error.code).toBe(139102);
		expect((await list()).json.data).toHaveLength(1);
	});

	test('strict cursors: a cursor from before a change answers 139102', async () => {
		ctx.sb.config.strictCursors = true;
		await block(numbers(3));
		const first = await list('?limit=2');
		await block(numbers(1, 10));
		const stale = await list(`?limit=2&after=${first.json.paging.cursors.after}`);
		expect([stale.status, stale.json.error.code]).toEqual([400, 139102]);
	});

	test('internal, 5xx and match', async () => {
		ctx.sb.enqueue({ kind: 'internal', match: 'DELETE' }, { kind: 'serverError', status: 502 });
		const bad = await fetch(ctx.sb.url + PATH, { method: 'GET', headers: { Authorization: `Bearer ${ctx.sb.apiKey}` } });
		expect(bad.status).toBe(502);
		expect(bad.headers.get('content-type')).toContain('text/html');
		const internal = await unblock(['+919999999999']);
		expect([internal.status, internal.json.error.code]).toEqual([500, 139103]);
	});

	test('hang: a client timeout leaves the state untouched; process: true changes it anyway', async () => {
		ctx.sb.enqueue({ kind: 'hang', ms: 300 });
		await expect(block(['+919999999999'], { signal: AbortSignal.timeout(80) })).rejects.toThrow();
		await new Promise((r) => setTimeout(r, 400));
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);

		ctx.sb.enqueue({ kind: 'hang', ms: 200, process: true });
		await expect(block(['+919999999999'], { signal: AbortSignal.timeout(50) })).rejects.toThrow();
		await new Promise((r) => setTimeout(r, 300));
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);

		ctx.sb.enqueue({ kind: 'hang', ms: 50 });
		const started = Date.now();
		expect((await list()).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(45);
	});

	test('hook decides per request and beats the queue; standing fault', async () => {
		ctx.sb.enqueue({ kind: 'internal' });
		ctx.sb.behaviour = (req, n) => (n === 0 && req.users?.[0] === '+911111111111' ? { kind: 'rateLimit', code: 4 } : undefined);
		const first = await block(['+911111111111']);
		expect([first.status, first.json.error.code]).toEqual([429, 4]);
		expect((await block(['+911111111111'])).status).toBe(500);
		ctx.sb.behaviour = undefined;
		ctx.sb.config.fault = { kind: 'serverError', status: 503 };
		expect((await list()).status).toBe(503);
		expect((await list()).status).toBe(503);
	});
});

describe('admin API', () => {
	test('config, enqueue, blocklist, state, requests, reset', async () => {
		expect((await admin('POST', 'config', { shape: 'meta' })).json.shape).toBe('meta');
		expect(ctx.sb.config.shape).toBe('meta');
		expect((await admin('POST', `blocklist/${PHONE}`, ['+919999999999', '918888888888'])).json.size).toBe(2);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999', '918888888888']);
		expect((await admin('POST', 'enqueue', [{ kind: 'rateLimit', retryAfter: 1 }])).json.queued).toBe(1);
		expect((await admin('POST', 'enqueue', [{ kind: 'nope' }])).status).toBe(400);

		expect((await block(['+917777777777'])).status).toBe(429);
		const again = await block(['+919999999999', '+917777777777']);
		expect(again.json.block_users.failed_users[0].input).toBe('+919999999999');

		const state = await admin('GET', 'state');
		expect(state.json.blocklists[PHONE]).toEqual(['919999999999', '918888888888', '917777777777']);
		expect(state.json.requestCount).toBe(2);
		expect(state.json.queued).toBe(0);
		const requests = await admin('GET', 'requests');
		expect(requests.json.map((r: { status: number }) => r.status)).toEqual([429, 200]);

		expect((await admin('POST', 'reset')).status).toBe(200);
		expect(ctx.sb.config.shape).toBe('provider');
		expect(ctx.sb.requests).toHaveLength(0);
		expect((await admin('GET', `blocklist/${PHONE}`)).json).toEqual([]);
		expect((await admin('GET', 'nothing')).status).toBe(404);
	});
});

describe('scale', () => {
	test('64,000 blocked users list in 64 pages of 1000; 20,000 blocked in 500-user batches', async () => {
		ctx.sb.setBlocklist(PHONE, Array.from({ length: 64_000 }, (_, i) => String(919000000000 + i)));
		let after = '';
		let pages = 0;
		let count = 0;
		let last = '';
		do {
			const res = await list(`?limit=1000${after ? `&after=${after}` : ''}`);
			pages++;
			count += res.json.data.length;
			last = res.json.data[res.json.data.length - 1].user;
			after = res.json.paging.cursors.after ?? '';
		} while (after);
		expect([pages, count, last]).toEqual([64, 64_000, '919000063999']);

		const full = await block(['+917000000000']);
		expect(full.json.block_users.errors[0].code).toBe(139101);

		ctx.sb.setBlocklist(PHONE, []);
		for (let i = 0; i < 40; i++) await block(numbers(500, i * 500));
		expect(ctx.sb.blocklist(PHONE)).toHaveLength(20_000);
	}, 30_000);
});
