/**
 * The sandbox over real HTTP (Node's global fetch).
 */
import { DEFAULT_PHONE_NUMBER_ID, type AnswerShape } from '../../sandbox/server';
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
	const res = await fetch(ctx.sb.url + (opts.path ?? PATH), {
		method,
		headers,
		body,
		signal: opts.signal,
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const batch = (users: string[]) => ({
	messaging_product: 'whatsapp',
	block_users: users.map((user) => ({ user })),
});
const block = (users: string[], opts?: CallOptions) => call('POST', batch(users), opts);
const unblock = (users: string[], opts?: CallOptions) => call('DELETE', batch(users), opts);
/** A batch of raw entries ({user}, {user_id}, both, or anything else). */
const send = (method: 'POST' | 'DELETE', entries: unknown[], opts?: CallOptions) =>
	call(method, { messaging_product: 'whatsapp', block_users: entries }, opts);
const list = (query = '', opts?: CallOptions) =>
	call('GET', undefined, { ...opts, path: `${PATH}${query}` });

/** n distinct E.164 numbers starting at +9170000000 00. */
const numbers = (n: number, from = 0) =>
	Array.from({ length: n }, (_, i) => `+91700000${String(from + i).padStart(4, '0')}`);

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
		expect(blocked.json.block_users.added_users).toEqual(
			users.map((u) => ({ input: u, wa_id: u.slice(1) })),
		);
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
		expect(page2.json.data.map((e: { user: string }) => e.user)).toEqual([
			'917000000003',
			'917000000004',
			'917000000005',
		]);

		const page3 = await list(`?limit=3&after=${page2.json.paging.cursors.after}`);
		expect(page3.json.data).toEqual([{ user: '917000000006', block_reason: 'manual' }]);
		expect(page3.json.paging.cursors.after).toBeUndefined();
		expect(page3.json.paging.next).toBeUndefined();

		const back = await list(`?limit=3&before=${page3.json.paging.cursors.before}`);
		expect(back.json.data).toEqual(page2.json.data);

		const next = await fetch(page1.json.paging.next, {
			headers: { Authorization: `Bearer ${ctx.sb.apiKey}` },
		});
		expect(((await next.json()) as { data: unknown }).data).toEqual(page2.json.data);

		const removed = await unblock([users[1], users[5]]);
		expect(removed.status).toBe(200);
		expect(removed.json.block_users.removed_users).toEqual([
			{ input: users[1], wa_id: '917000000001' },
			{ input: users[5], wa_id: '917000000005' },
		]);
		expect(ctx.sb.blocklist(PHONE)).toEqual([
			'917000000000',
			'917000000002',
			'917000000003',
			'917000000004',
			'917000000006',
		]);
		const all = await list();
		expect(all.json.data).toHaveLength(5);
		expect(all.json.paging.cursors.after).toBeUndefined();
	});

	test('DELETE body is read and recorded', async () => {
		await unblock(['+919999999999']);
		const [req] = ctx.sb.requests;
		expect(req).toMatchObject({
			method: 'DELETE',
			path: PATH,
			authorized: true,
			status: 200,
			behaviour: 'ok',
		});
		expect(req.users).toEqual(['+919999999999']);
	});

	test('duplicates, already blocked, not blocked', async () => {
		const first = await block(['+919999999999', '+919999999999']);
		expect(first.json.block_users.added_users).toHaveLength(1);
		expect(first.json.block_users.errors).toEqual([
			expect.objectContaining({
				input: '+919999999999',
				wa_id: '919999999999',
				message: 'User is already blocked',
			}),
		]);
		const gone = await unblock(['+918888888888']);
		expect(gone.json.block_users.removed_users).toEqual([]);
		expect(gone.json.block_users.errors[0]).toMatchObject({
			input: '+918888888888',
			message: 'User is not blocked',
		});
	});

	test('invalid numbers fail per user, the rest is processed', async () => {
		const res = await block(['+919999999999', '919888888888', '+0123456789', 'abc']);
		expect(res.status).toBe(200);
		expect(res.json.block_users.added_users).toEqual([
			{ input: '+919999999999', wa_id: '919999999999' },
		]);
		const errors = res.json.block_users.errors;
		expect(errors.map((e: { input: string }) => e.input)).toEqual([
			'919888888888',
			'+0123456789',
			'abc',
		]);
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
		expect(errors[1]).toMatchObject({
			input: '+919000000003',
			code: 139101,
			message: 'Blocklist limit reached',
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919000000001', '919000000002']);
	});
	test('blockReasons gives listed keys their own reason; maxPageSize pages smaller than asked', async () => {
		ctx.sb.setBlocklist(PHONE, ['917000000000', '917000000001', 'US.13491208655302741918']);
		ctx.sb.config.blockReasons = { '917000000001': 'spam', 'US.13491208655302741918': 'abuse' };
		ctx.sb.config.maxPageSize = 2;
		const page1 = await list('?limit=1000');
		expect(page1.json.data).toEqual([
			{ user: '917000000000', block_reason: 'manual' },
			{ user: '917000000001', block_reason: 'spam' },
		]);
		const page2 = await list(`?limit=1000&after=${page1.json.paging.cursors.after}`);
		expect(page2.json.data).toEqual([
			{ user_id: 'US.13491208655302741918', block_reason: 'abuse' },
		]);
		expect(page2.json.paging.cursors.after).toBeUndefined();
	});
});

describe('request checks', () => {
	test('auth failure: missing or wrong key, nothing processed', async () => {
		for (const key of [null, 'pk_live_wrong']) {
			const res = await block(['+919999999999'], { key });
			expect(res.status).toBe(401);
			expect(res.json.error).toMatchObject({
				code: 190,
				message: '(#190) Invalid OAuth access token',
				type: 'OAuthException',
			});
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
		expect((await call('GET', undefined, { path: `/api/v19.3/${PHONE}/block_users` })).status).toBe(
			200,
		);
	});

	test('a phone number ID the key may not manage answers 403 (code 10) for the refused methods only, unprocessed', async () => {
		ctx.sb.setBlocklist(PHONE, ['919999999999']);
		ctx.sb.config.forbidden = { [PHONE]: ['POST', 'DELETE'] };
		const refused = await block(['+918888888888']);
		expect(refused.status).toBe(403);
		expect(refused.json.error).toMatchObject({
			code: 10,
			type: 'OAuthException',
			message: expect.stringContaining('(#10)'),
		});
		expect(refused.json.error.error_data.details).toContain(PHONE);
		expect((await unblock(['+919999999999'])).status).toBe(403);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);
		expect((await list()).status).toBe(200);
		// Over the admin API: checked, and every method when the list says so.
		expect((await admin('POST', 'config', { forbidden: { [PHONE]: ['PUT'] } })).status).toBe(400);
		expect((await admin('POST', 'config', { forbidden: [PHONE] })).status).toBe(400);
		expect(
			(await admin('POST', 'config', { forbidden: { [PHONE]: ['GET', 'POST', 'DELETE'] } })).status,
		).toBe(200);
		expect((await list()).status).toBe(403);
		// The key is checked first: a wrong key is a 401 even there; an unknown ID stays a 404.
		expect((await block(['+918888888888'], { key: 'pk_live_wrong' })).status).toBe(401);
		ctx.sb.config.forbidden = { '999': ['POST'] };
		expect((await block(['+918888888888'], { path: '/api/v25.0/999/block_users' })).status).toBe(
			404,
		);
		expect((await block(['+918888888888'])).status).toBe(200);
	});

	test('bad bodies answer 400 code 100', async () => {
		const bodies = [
			'not json',
			'{"messaging_product":"whatsapp"}',
			'{"messaging_product":"whatsapp","block_users":{}}',
		];
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
		expect(over.json.error).toMatchObject({
			code: 100,
			message: '(#100) Cannot block more than 500 users in one request',
		});
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
						errors: [
							{
								message: '(#100) Invalid phone number',
								code: 100,
								error_data: { details: expect.any(String) },
							},
						],
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
		expect(res.json.error).toMatchObject({
			code: 139100,
			message: '(#139100) Failed to block/unblock users',
		});
		expect(res.json.block_users.added_users).toEqual([
			{ input: '+919999999999', wa_id: '919999999999' },
		]);
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
		expect(res.json.block_users.added_users).toEqual([
			{ input: users[0], wa_id: users[0].slice(1) },
		]);
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
		const bad = await fetch(ctx.sb.url + PATH, {
			method: 'GET',
			headers: { Authorization: `Bearer ${ctx.sb.apiKey}` },
		});
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
		ctx.sb.behaviour = (req, n) =>
			n === 0 && req.users?.[0] === '+911111111111' ? { kind: 'rateLimit', code: 4 } : undefined;
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
		expect(
			(await admin('POST', `blocklist/${PHONE}`, ['+919999999999', '918888888888'])).json.size,
		).toBe(2);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999', '918888888888']);
		expect(
			(await admin('POST', 'enqueue', [{ kind: 'rateLimit', retryAfter: 1 }])).json.queued,
		).toBe(1);
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

describe('BSUIDs', () => {
	const A = 'US.13491208655302741918';
	const B = 'BR.42';
	const PARENT = 'US.ENT.11815799212886844830';
	const A_PARENT = 'US.ENT.13491208655302741918';
	const B_PARENT = 'BR.ENT.42';
	/** Meta's grammar (2026-06-29): letters and digits after the period, case kept. */
	const C = 'GB.aZ09xY';
	const N1 = '+919999999999';
	const N2 = '+918888888888';
	const INVALID_NUMBER = {
		code: 100,
		message: '(#100) Invalid phone number',
		error_data: { details: 'The user must be a phone number in E.164 format, e.g. +919999999999' },
	};
	const INVALID_USER_ID = {
		code: 100,
		message: '(#100) Invalid user ID',
		error_data: {
			details:
				'The user_id must be a business-scoped user ID (BSUID) such as US.13491208655302741918 ' +
				'or a parent BSUID such as US.ENT.11815799212886844830',
		},
	};
	const NOT_BLOCKED = {
		code: 139100,
		message: 'User is not blocked',
		error_data: { details: 'The user is not on the blocklist of this phone number' },
	};

	test('provider: numbers and BSUIDs mixed in one batch block, list (paged) and unblock', async () => {
		const blocked = await send('POST', [
			{ user: N1 },
			{ user_id: A },
			{ user_id: C },
			{ user: N2 },
		]);
		expect(blocked.status).toBe(200);
		expect(blocked.json).toEqual({
			messaging_product: 'whatsapp',
			block_users: {
				added_users: [
					{ input: N1, wa_id: '919999999999' },
					{ input: A, user_id: A },
					{ input: C, user_id: C },
					{ input: N2, wa_id: '918888888888' },
				],
				errors: [],
			},
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999', A, C, '918888888888']);

		const page1 = await list('?limit=2');
		expect(page1.json.data).toEqual([
			{ user: '919999999999', block_reason: 'manual' },
			{ user_id: A, block_reason: 'manual' },
		]);
		const page2 = await list(`?limit=2&after=${page1.json.paging.cursors.after}`);
		expect(page2.json.data).toEqual([
			{ user_id: C, block_reason: 'manual' },
			{ user: '918888888888', block_reason: 'manual' },
		]);
		expect(page2.json.paging.next).toBeUndefined();

		const removed = await send('DELETE', [{ user_id: A }, { user: N2 }, { user_id: B }]);
		expect(removed.status).toBe(200);
		expect(removed.json).toEqual({
			messaging_product: 'whatsapp',
			block_users: {
				removed_users: [
					{ input: A, user_id: A },
					{ input: N2, wa_id: '918888888888' },
				],
				errors: [{ input: B, user_id: B, ...NOT_BLOCKED }],
			},
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999', C]);
	});

	test('meta: failed BSUIDs carry user_id and nested errors; list entries carry user_id', async () => {
		ctx.sb.config.shape = 'meta';
		ctx.sb.config.listShape = 'meta';
		const blocked = await send('POST', [{ user_id: A }, { user: N1 }, { user_id: A }]);
		expect(blocked.status).toBe(200);
		expect(blocked.json).toEqual({
			messaging_product: 'whatsapp',
			block_users: {
				added_users: [
					{ input: A, user_id: A },
					{ input: N1, wa_id: '919999999999' },
				],
				failed_users: [
					{
						input: A,
						user_id: A,
						errors: [
							{
								message: 'User is already blocked',
								code: 139100,
								error_data: {
									details: 'The user is already on the blocklist of this phone number',
								},
							},
						],
					},
				],
			},
		});
		expect((await list()).json.data).toEqual([
			{ messaging_product: 'whatsapp', user_id: A },
			{ messaging_product: 'whatsapp', wa_id: '919999999999' },
		]);
		const removed = await send('DELETE', [{ user_id: A }]);
		expect(removed.json).toEqual({
			messaging_product: 'whatsapp',
			block_users: { removed_users: [{ input: A, user_id: A }] },
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);
	});

	test('mixed400: HTTP 400 with BSUIDs in added_users and failed_users', async () => {
		ctx.sb.config.shape = 'mixed400';
		const res = await send('POST', [{ user_id: A }, { user_id: 'us.1' }, { user: N1 }]);
		expect(res.status).toBe(400);
		expect(res.json).toEqual({
			error: {
				message: '(#139100) Failed to block/unblock users',
				type: 'OAuthException',
				code: 139100,
				error_data: { details: 'Failed to block 1 of 3 users; see block_users.failed_users' },
				fbtrace_id: expect.any(String),
			},
			messaging_product: 'whatsapp',
			block_users: {
				added_users: [
					{ input: A, user_id: A },
					{ input: N1, wa_id: '919999999999' },
				],
				failed_users: [
					{
						input: 'us.1',
						errors: [
							{
								message: INVALID_USER_ID.message,
								code: 100,
								error_data: INVALID_USER_ID.error_data,
							},
						],
					},
				],
			},
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual([A, '919999999999']);
	});

	test('parentUserIds is off by default: no parent_user_id anywhere', async () => {
		expect(ctx.sb.config.parentUserIds).toBe(false);
		const res = await send('POST', [{ user_id: A }, { user_id: A }]);
		expect(res.json.block_users.added_users).toEqual([{ input: A, user_id: A }]);
		expect(res.json.block_users.errors[0]).not.toHaveProperty('parent_user_id');
		expect((await list()).json.data).toEqual([{ user_id: A, block_reason: 'manual' }]);
	});

	test('parentUserIds on: added/removed and list entries of non-parent BSUIDs carry parent_user_id', async () => {
		ctx.sb.config.parentUserIds = true;
		// A parent BSUID cannot be sent (the whole request is refused), but a list may hold one.
		ctx.sb.setBlocklist(PHONE, [PARENT]);
		const blocked = await send('POST', [{ user_id: A }, { user: N1 }, { user_id: B }]);
		expect(blocked.json.block_users).toEqual({
			added_users: [
				{ input: A, user_id: A, parent_user_id: A_PARENT },
				{ input: N1, wa_id: '919999999999' },
				{ input: B, user_id: B, parent_user_id: B_PARENT },
			],
			errors: [],
		});
		expect((await list()).json.data).toEqual([
			{ user_id: PARENT, block_reason: 'manual' },
			{ user_id: A, parent_user_id: A_PARENT, block_reason: 'manual' },
			{ user: '919999999999', block_reason: 'manual' },
			{ user_id: B, parent_user_id: B_PARENT, block_reason: 'manual' },
		]);
		ctx.sb.config.listShape = 'meta';
		expect((await list('?limit=2')).json.data).toEqual([
			{ messaging_product: 'whatsapp', user_id: PARENT },
			{ messaging_product: 'whatsapp', user_id: A, parent_user_id: A_PARENT },
		]);
		const removed = await send('DELETE', [{ user_id: B }]);
		expect(removed.json.block_users.removed_users).toEqual([
			{ input: B, user_id: B, parent_user_id: B_PARENT },
		]);
		ctx.sb.config.parentUserIds = false;
		expect((await list()).json.data).toEqual([
			{ messaging_product: 'whatsapp', user_id: PARENT },
			{ messaging_product: 'whatsapp', user_id: A },
			{ messaging_product: 'whatsapp', wa_id: '919999999999' },
		]);
	});

	test.each(['provider', 'meta', 'mixed400'] as const)(
		'parentUserIds on, %s shape: failed BSUIDs carry parent_user_id too',
		async (shape) => {
			ctx.sb.config.parentUserIds = true;
			ctx.sb.config.shape = shape;
			const res = await send('DELETE', [{ user_id: A }, { user_id: B }]);
			const failed = [
				{ input: A, user_id: A, parent_user_id: A_PARENT },
				{ input: B, user_id: B, parent_user_id: B_PARENT },
			];
			if (shape === 'provider') {
				expect(res.json.block_users.errors).toEqual(failed.map((f) => ({ ...f, ...NOT_BLOCKED })));
			} else {
				const errors = [
					{
						message: NOT_BLOCKED.message,
						code: NOT_BLOCKED.code,
						error_data: NOT_BLOCKED.error_data,
					},
				];
				expect(res.json.block_users.failed_users).toEqual(failed.map((f) => ({ ...f, errors })));
			}
			expect(res.status).toBe(shape === 'mixed400' ? 400 : 200);
		},
	);

	test('an invalid user_id fails per user with code 100 "Invalid user ID"; the rest is processed', async () => {
		const bad: unknown[] = [
			'us.123',
			'US.',
			'USA.123',
			'U.123',
			'US-123',
			'US.13-49',
			'US..1',
			'US.ENT.',
			'US.ent.123',
			'US.ENT.ENT.1',
			` ${A}`,
			`US.${'1'.repeat(129)}`,
			`US.ENT.${'1'.repeat(129)}`,
			N1,
			'919999999999',
			'',
			42,
			null,
			{ id: A },
		];
		// Meta's grammar (2026-06-29): letters and digits after the period, case kept, up to 128.
		const good = ['US.1', 'US.12a', 'US.1349x', `US.${'9'.repeat(33)}`, `US.${'9'.repeat(128)}`];
		const res = await send('POST', [
			...bad.map((user_id) => ({ user_id })),
			...good.map((user_id) => ({ user_id })),
		]);
		expect(res.status).toBe(200);
		expect(res.json.block_users.added_users).toEqual(good.map((g) => ({ input: g, user_id: g })));
		expect(res.json.block_users.errors).toEqual(
			bad.map((input) => ({ input, ...INVALID_USER_ID })),
		);
		expect(ctx.sb.blocklist(PHONE)).toEqual(good);

		const unblocked = await send('DELETE', [{ user_id: 'US.' }, { user_id: 'US.1' }]);
		expect(unblocked.json.block_users.errors).toEqual([{ input: 'US.', ...INVALID_USER_ID }]);
		expect(unblocked.json.block_users.removed_users).toEqual([{ input: 'US.1', user_id: 'US.1' }]);
	});

	test('a BSUID sent under "user" is an invalid phone number', async () => {
		const res = await block([A, PARENT, N1]);
		expect(res.json.block_users).toEqual({
			added_users: [{ input: N1, wa_id: '919999999999' }],
			errors: [
				{ input: A, ...INVALID_NUMBER },
				{ input: PARENT, ...INVALID_NUMBER },
			],
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);

		ctx.sb.setBlocklist(PHONE, [A]);
		const unblocked = await unblock([A]);
		expect(unblocked.json.block_users.errors).toEqual([{ input: A, ...INVALID_NUMBER }]);
		expect(ctx.sb.blocklist(PHONE)).toEqual([A]);
	});

	test('user wins over user_id in the same entry (Meta: it takes precedence); recorded users are user, else user_id', async () => {
		const entries = [
			{ user: N1, user_id: A },
			{ user_id: B },
			{ user: N2 },
			{ user: 'junk', user_id: 'junk' },
			{ user: N1, user_id: PARENT },
		];
		const res = await send('POST', entries);
		expect(res.status).toBe(200);
		expect(res.json.block_users).toEqual({
			added_users: [
				{ input: N1, wa_id: '919999999999' },
				{ input: B, user_id: B },
				{ input: N2, wa_id: '918888888888' },
			],
			errors: [
				{ input: 'junk', ...INVALID_NUMBER },
				{
					input: N1,
					wa_id: '919999999999',
					code: 139100,
					message: 'User is already blocked',
					error_data: { details: 'The user is already on the blocklist of this phone number' },
				},
			],
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999', B, '918888888888']);
		expect(ctx.sb.requests[0].users).toEqual([N1, B, N2, 'junk', N1]);

		await send('DELETE', [{ user_id: A }, { user_id: 7 }, { user: N2 }]);
		expect(ctx.sb.requests[1].users).toEqual([A, '7', N2]);
		const state = await admin('GET', 'state');
		expect(state.json.blocklists[PHONE]).toEqual(['919999999999', B]);
		const requests = await admin('GET', 'requests');
		expect(requests.json.map((r: { users: string[] }) => r.users)).toEqual([
			[N1, B, N2, 'junk', N1],
			[A, '7', N2],
		]);
	});

	test.each(['POST', 'DELETE'] as const)(
		'a %s holding a parent BSUID is refused whole: HTTP 400, code 100, nothing changed',
		async (method) => {
			ctx.sb.setBlocklist(PHONE, [A, '918888888888']);
			for (const shape of ['provider', 'meta', 'mixed400'] as const) {
				ctx.sb.config.shape = shape;
				const res = await send(method, [
					{ user: N1 },
					{ user_id: B },
					{ user_id: PARENT },
					{ user_id: A },
					{ user: N2 },
				]);
				expect(res.status).toBe(400);
				expect(res.json).toEqual({
					error: {
						message: '(#100) Parent BSUIDs are not supported for blocking or unblocking users',
						type: 'OAuthException',
						code: 100,
						error_data: { details: "Give the user's own BSUID (user_id) or phone number" },
						fbtrace_id: expect.any(String),
					},
				});
				expect(res.json).not.toHaveProperty('block_users');
				expect(ctx.sb.blocklist(PHONE)).toEqual([A, '918888888888']);
			}
			// A lower-case or malformed "parent" is only an invalid user of its own, and a parent
			// under `user` (which wins) is only an invalid phone number: the rest is processed.
			ctx.sb.config.shape = 'provider';
			const res = await send(method, [{ user_id: 'US.ent.1' }, { user: PARENT }, { user_id: A }]);
			expect(res.status).toBe(200);
			expect(res.json.block_users.errors).toEqual(
				expect.arrayContaining([
					{ input: 'US.ent.1', ...INVALID_USER_ID },
					{ input: PARENT, ...INVALID_NUMBER },
				]),
			);
		},
	);

	test('a BSUID of 128 letters and digits, case kept, is blocked, listed and unblocked as given', async () => {
		const long = `BR.${'aZ09'.repeat(32)}`;
		expect(long).toHaveLength(131);
		const res = await send('POST', [
			{ user_id: long },
			{ user_id: `${long}x` },
			{ user_id: long.toUpperCase() },
		]);
		expect(res.status).toBe(200);
		expect(res.json.block_users).toEqual({
			added_users: [
				{ input: long, user_id: long },
				{ input: long.toUpperCase(), user_id: long.toUpperCase() },
			],
			errors: [{ input: `${long}x`, ...INVALID_USER_ID }],
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual([long, long.toUpperCase()]);
		expect((await list()).json.data).toEqual([
			{ user_id: long, block_reason: 'manual' },
			{ user_id: long.toUpperCase(), block_reason: 'manual' },
		]);
		const removed = await send('DELETE', [{ user_id: long }]);
		expect(removed.json.block_users.removed_users).toEqual([{ input: long, user_id: long }]);
		expect(ctx.sb.blocklist(PHONE)).toEqual([long.toUpperCase()]);
	});

	test('the 500-user limit counts numbers and BSUIDs together', async () => {
		const bsuids = (n: number) =>
			Array.from({ length: n }, (_, i) => ({ user_id: `IN.${1000 + i}` }));
		const phones = numbers(250).map((user) => ({ user }));
		const over = await send('POST', [...phones, ...bsuids(251)]);
		expect(over.status).toBe(400);
		expect(over.json.error).toMatchObject({
			code: 100,
			message: '(#100) Cannot block more than 500 users in one request',
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
		const ok = await send('POST', [...phones, ...bsuids(250)]);
		expect(ok.json.block_users.added_users).toHaveLength(500);
		expect(ctx.sb.blocklist(PHONE)).toHaveLength(500);
		expect(ctx.sb.blocklist(PHONE)[250]).toBe('IN.1000');
	});

	test('re-engagement required and the blocklist cap apply to BSUIDs', async () => {
		ctx.sb.config.reengagementRequired = [A];
		ctx.sb.config.blocklistCap = 1;
		const res = await send('POST', [{ user_id: A }, { user_id: B }, { user_id: C }]);
		expect(res.json.block_users).toEqual({
			added_users: [{ input: B, user_id: B }],
			errors: [
				{
					input: A,
					user_id: A,
					code: 131047,
					message: 'Re-engagement required',
					error_data: { details: 'User has not messaged in the last 24 hours' },
				},
				{
					input: C,
					user_id: C,
					code: 139101,
					message: 'Blocklist limit reached',
					error_data: { details: 'The blocklist already holds 1 users' },
				},
			],
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual([B]);
	});

	test('extraUsers: phantoms follow the kinds of the entries; omitUsers drops the last BSUID', async () => {
		ctx.sb.enqueue({ kind: 'extraUsers', count: 3 });
		const res = await send('POST', [{ user_id: A }, { user: N1 }]);
		expect(res.json.block_users.added_users).toEqual([
			{ input: A, user_id: A },
			{ input: N1, wa_id: '919999999999' },
			{ input: 'US.19995550000', user_id: 'US.19995550000' },
			{ input: '+19995550001', wa_id: '19995550001' },
			{ input: 'US.19995550002', user_id: 'US.19995550002' },
		]);
		expect(ctx.sb.blocklist(PHONE)).toEqual([A, '919999999999']);

		ctx.sb.enqueue({ kind: 'extraUsers' });
		const phantom = await send('DELETE', [{ user_id: 'US.19995550000' }]);
		expect(phantom.json.block_users.removed_users).toEqual([
			{ input: 'US.19995550001', user_id: 'US.19995550001' },
		]);

		ctx.sb.enqueue({ kind: 'omitUsers' });
		const omitted = await send('DELETE', [{ user: N1 }, { user_id: A }]);
		expect(omitted.json.block_users).toEqual({
			removed_users: [{ input: N1, wa_id: '919999999999' }],
			errors: [],
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
	});

	test('setBlocklist and the admin blocklist route take BSUIDs ("+" stripped from numbers only)', async () => {
		ctx.sb.setBlocklist(PHONE, [N1, A, '918888888888', PARENT]);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999', A, '918888888888', PARENT]);

		const set = await admin('POST', `blocklist/${PHONE}`, [B, '+917777777777', PARENT, B]);
		expect(set.json).toEqual({ phoneNumberId: PHONE, size: 3 });
		expect((await admin('GET', `blocklist/${PHONE}`)).json).toEqual([B, '917777777777', PARENT]);
		expect((await admin('POST', `blocklist/${PHONE}`, { waIds: [A] })).json.size).toBe(1);
		expect((await admin('GET', 'state')).json.blocklists[PHONE]).toEqual([A]);
		expect((await admin('POST', `blocklist/${PHONE}`, [A, 7])).status).toBe(400);

		ctx.sb.setBlocklist(PHONE, [A, N1]);
		expect((await list()).json.data).toEqual([
			{ user_id: A, block_reason: 'manual' },
			{ user: '919999999999', block_reason: 'manual' },
		]);
		const again = await send('POST', [{ user_id: A }]);
		expect(again.json.block_users.errors).toEqual([
			{
				input: A,
				user_id: A,
				code: 139100,
				message: 'User is already blocked',
				error_data: { details: 'The user is already on the blocklist of this phone number' },
			},
		]);
		const removed = await send('DELETE', [{ user_id: A }]);
		expect(removed.json.block_users.removed_users).toEqual([{ input: A, user_id: A }]);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);
	});

	test('admin config takes parentUserIds and checks it is a boolean', async () => {
		expect((await admin('POST', 'config', { parentUserIds: true })).json.parentUserIds).toBe(true);
		expect(ctx.sb.config.parentUserIds).toBe(true);
		for (const parentUserIds of ['yes', 1, null]) {
			const res = await admin('POST', 'config', { parentUserIds, shape: 'meta' });
			expect([res.status, res.json.error]).toEqual([400, 'parentUserIds must be true or false']);
		}
		expect(ctx.sb.config).toMatchObject({ parentUserIds: true, shape: 'provider' });
		expect(
			(await admin('POST', 'config', { fault: { kind: 'ok' }, parentUserIds: 'no' })).status,
		).toBe(400);
		const res = await send('POST', [{ user_id: A }]);
		expect(res.json.block_users.added_users).toEqual([
			{ input: A, user_id: A, parent_user_id: A_PARENT },
		]);
		await admin('POST', 'reset');
		expect(ctx.sb.config.parentUserIds).toBe(false);
	});
});

describe('"already blocked" / "not blocked" codes', () => {
	const A = 'US.13491208655302741918';
	const B = 'BR.42';
	const WORDING = {
		139100: { block: 'User is already blocked', unblock: 'User is not blocked' },
		100: { block: '(#100) The user is already blocked', unblock: '(#100) The user is not blocked' },
	};
	const DETAILS = {
		block: 'The user is already on the blocklist of this phone number',
		unblock: 'The user is not on the blocklist of this phone number',
	};
	type Verb = 'block' | 'unblock';

	/** The exact answer of a batch whose `failed` users failed with the no-change error. */
	function expected(
		shape: AnswerShape,
		code: 139100 | 100,
		verb: Verb,
		ok: object[],
		failed: object[],
		total: number,
	) {
		const e = { code, message: WORDING[code][verb], details: DETAILS[verb] };
		const key = verb === 'block' ? 'added_users' : 'removed_users';
		if (shape === 'provider') {
			const errors = failed.map((f) => ({
				...f,
				code: e.code,
				message: e.message,
				error_data: { details: e.details },
			}));
			return {
				status: 200,
				json: { messaging_product: 'whatsapp', block_users: { [key]: ok, errors } },
			};
		}
		const nested = [{ message: e.message, code: e.code, error_data: { details: e.details } }];
		const blockUsers = { [key]: ok, failed_users: failed.map((f) => ({ ...f, errors: nested })) };
		const json = { messaging_product: 'whatsapp', block_users: blockUsers };
		if (shape === 'meta') return { status: 200, json };
		const error = {
			message: '(#139100) Failed to block/unblock users',
			type: 'OAuthException',
			code: 139100,
			error_data: {
				details: `Failed to ${verb} ${failed.length} of ${total} users; see block_users.failed_users`,
			},
			fbtrace_id: expect.any(String),
		};
		return { status: 400, json: { error, ...json } };
	}

	const cases = (['provider', 'meta', 'mixed400'] as const).flatMap((shape) =>
		([139100, 100] as const).map((code) => [shape, code] as const),
	);

	test.each(cases)('%s shape, code %s: numbers and BSUIDs', async (shape, code) => {
		ctx.sb.config.shape = shape;
		if (code === 100) ctx.sb.config.noChangeCode = 100;
		ctx.sb.setBlocklist(PHONE, ['+919999999999', A]);

		const blocked = await send('POST', [
			{ user: '+919999999999' },
			{ user_id: A },
			{ user: '+918888888888' },
		]);
		const blockOk = [{ input: '+918888888888', wa_id: '918888888888' }];
		const blockFailed = [
			{ input: '+919999999999', wa_id: '919999999999' },
			{ input: A, user_id: A },
		];
		expect({ status: blocked.status, json: blocked.json }).toEqual(
			expected(shape, code, 'block', blockOk, blockFailed, 3),
		);

		const unblocked = await send('DELETE', [
			{ user: '+917777777777' },
			{ user_id: B },
			{ user_id: A },
		]);
		const unblockOk = [{ input: A, user_id: A }];
		const unblockFailed = [
			{ input: '+917777777777', wa_id: '917777777777' },
			{ input: B, user_id: B },
		];
		expect({ status: unblocked.status, json: unblocked.json }).toEqual(
			expected(shape, code, 'unblock', unblockOk, unblockFailed, 3),
		);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999', '918888888888']);
	});

	test('139100 is the default; other per-user codes do not change with noChangeCode', async () => {
		expect(ctx.sb.config.noChangeCode).toBe(139100);
		ctx.sb.config.noChangeCode = 100;
		ctx.sb.config.reengagementRequired = ['+14155559876'];
		const res = await block(['+14155559876', 'bad']);
		expect(
			res.json.block_users.errors.map((e: { code: number; message: string }) => [
				e.code,
				e.message,
			]),
		).toEqual([
			[131047, 'Re-engagement required'],
			[100, '(#100) Invalid phone number'],
		]);
	});

	test('admin config takes noChangeCode 100 / 139100 and refuses anything else', async () => {
		expect((await admin('POST', 'config', { noChangeCode: 100 })).json.noChangeCode).toBe(100);
		ctx.sb.setBlocklist(PHONE, ['919999999999']);
		const res = await block(['+919999999999']);
		expect(res.json.block_users.errors[0]).toMatchObject({
			code: 100,
			message: '(#100) The user is already blocked',
		});
		for (const noChangeCode of [139101, '100', 0, null]) {
			const refused = await admin('POST', 'config', { noChangeCode });
			expect([refused.status, refused.json.error]).toEqual([
				400,
				'noChangeCode must be 139100 or 100',
			]);
		}
		expect(ctx.sb.config.noChangeCode).toBe(100);
		expect((await admin('POST', 'config', { noChangeCode: 139100 })).json.noChangeCode).toBe(
			139100,
		);
		const back = await block(['+919999999999']);
		expect(back.json.block_users.errors[0]).toMatchObject({
			code: 139100,
			message: 'User is already blocked',
		});
		expect((await admin('GET', 'state')).json.config).toMatchObject({
			noChangeCode: 139100,
			parentUserIds: false,
		});
	});
});

describe('scale', () => {
	test('64,000 blocked users list in 64 pages of 1000; 20,000 blocked in 500-user batches', async () => {
		ctx.sb.setBlocklist(
			PHONE,
			Array.from({ length: 64_000 }, (_, i) => String(919000000000 + i)),
		);
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

describe('answers real servers and proxies also send', () => {
	const A = 'US.13491208655302741918';
	const auth = () => ({ Authorization: `Bearer ${ctx.sb.apiKey}` });
	/** The status, Content-Type and text of an answer, whatever it holds. */
	async function raw(
		method: string,
		body?: unknown,
	): Promise<{ status: number; type: string; text: string }> {
		const init = {
			method,
			headers: auth(),
			body: body === undefined ? undefined : JSON.stringify(body),
		};
		const res = await fetch(ctx.sb.url + PATH, init);
		return {
			status: res.status,
			type: res.headers.get('content-type') ?? '',
			text: await res.text(),
		};
	}
	const decoded = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');
	/** Follows `after` from the first page for `pages` pages; the data and the after cursors. */
	async function follow(
		pages: number,
		query = '?limit=2',
	): Promise<{ data: unknown[][]; afters: string[] }> {
		const data: unknown[][] = [];
		const afters: string[] = [];
		let after = '';
		for (let i = 0; i < pages; i++) {
			const res = await list(`${query}${after ? `&after=${after}` : ''}`);
			data.push(res.json.data);
			after = res.json.paging.cursors.after;
			afters.push(after);
		}
		return { data, afters };
	}

	test('errorIn200: HTTP 200 with the error envelope on POST, DELETE and GET; nothing processed', async () => {
		ctx.sb.setBlocklist(PHONE, ['918888888888']);
		ctx.sb.enqueue(
			{ kind: 'errorIn200' },
			{ kind: 'errorIn200', code: 80007 },
			{ kind: 'errorIn200', code: 131000, message: 'Something went wrong' },
		);
		const blocked = await block(['+919999999999']);
		expect(blocked.status).toBe(200);
		expect(blocked.json).toEqual({
			error: {
				message: '(#130429) Rate limit hit',
				type: 'OAuthException',
				code: 130429,
				fbtrace_id: expect.any(String),
			},
		});
		const unblocked = await unblock(['+918888888888']);
		expect([unblocked.status, unblocked.json.error.code, unblocked.json.error.message]).toEqual([
			200,
			80007,
			'(#80007) Rate limit issues',
		]);
		const listed = await list();
		expect(listed.status).toBe(200);
		expect(listed.json).toEqual({
			error: {
				message: '(#131000) Something went wrong',
				type: 'OAuthException',
				code: 131000,
				fbtrace_id: expect.any(String),
			},
		});
		expect(ctx.sb.blocklist(PHONE)).toEqual(['918888888888']);
		expect(ctx.sb.requests.map((r) => [r.behaviour, r.status])).toEqual([
			['errorIn200', 200],
			['errorIn200', 200],
			['errorIn200', 200],
		]);
	});

	test.each([
		['object', 'application/json', '{}'],
		['array', 'application/json', '[]'],
		[
			'noData',
			'application/json',
			`{"paging":{"cursors":{"after":"${Buffer.from('sbx:0:0').toString('base64url')}"}}}`,
		],
	] as const)(
		'bogus200 %s: HTTP 200 with %s %s on POST, DELETE and GET; nothing processed',
		async (body, type, text) => {
			ctx.sb.setBlocklist(PHONE, ['918888888888']);
			ctx.sb.config.fault = { kind: 'bogus200', body };
			for (const [method, payload] of [
				['POST', batch(['+919999999999'])],
				['DELETE', batch(['+918888888888'])],
				['GET'],
			]) {
				const res = await raw(method as string, payload);
				expect([method, res.status, res.type, res.text]).toEqual([
					method,
					200,
					expect.stringContaining(type),
					text,
				]);
			}
			expect(ctx.sb.blocklist(PHONE)).toEqual(['918888888888']);
			expect(ctx.sb.requests.map((r) => r.behaviour)).toEqual(['bogus200', 'bogus200', 'bogus200']);
		},
	);

	test('bogus200 html: HTTP 200 with an HTML page (text/html) on every method', async () => {
		ctx.sb.behaviour = () => ({ kind: 'bogus200', body: 'html' });
		for (const [method, payload] of [
			['POST', batch(['+919999999999'])],
			['DELETE', batch(['+919999999999'])],
			['GET'],
		]) {
			const res = await raw(method as string, payload);
			expect([res.status, res.type]).toEqual([200, 'text/html']);
			expect(res.text).toMatch(/^<!DOCTYPE html>/);
		}
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
	});

	test('unknownEntry: GET only, a normal page with one entry nobody knows appended (grouped too)', async () => {
		ctx.sb.enqueue({ kind: 'unknownEntry' }, { kind: 'unknownEntry' }, { kind: 'unknownEntry' });
		const empty = await list();
		expect(empty.json).toEqual({ data: [{ id: '123', name: 'x' }] });
		expect(
			(await block(['+919999999999', '+918888888888'])).json.block_users.added_users,
		).toHaveLength(2);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999', '918888888888']);
		const page = await list('?limit=1');
		expect(page.json.data).toEqual([
			{ user: '919999999999', block_reason: 'manual' },
			{ id: '123', name: 'x' },
		]);
		expect(page.json.paging.next).toContain('limit=1&after=');
		ctx.sb.config.listShape = 'grouped';
		const grouped = await list();
		expect(grouped.json.data).toEqual([
			{
				block_users: [
					{ input: '+919999999999', wa_id: '919999999999' },
					{ input: '+918888888888', wa_id: '918888888888' },
				],
			},
			{ id: '123', name: 'x' },
		]);
		expect((await list()).json.data).toHaveLength(1);
		expect(ctx.sb.requests.map((r) => r.behaviour)).toEqual([
			'unknownEntry',
			'ok',
			'unknownEntry',
			'unknownEntry',
			'ok',
		]);
	});

	test('paging graph: before and after on every page, the last too; next only when there is a next page', async () => {
		ctx.sb.setBlocklist(PHONE, numbers(5));
		ctx.sb.config.paging = 'graph';
		const page1 = await list('?limit=2');
		expect(Object.keys(page1.json.paging.cursors)).toEqual(['before', 'after']);
		expect(page1.json.paging.next).toContain(`after=${page1.json.paging.cursors.after}`);
		const page2 = await list(`?limit=2&after=${page1.json.paging.cursors.after}`);
		const page3 = await list(`?limit=2&after=${page2.json.paging.cursors.after}`);
		expect(page3.json.data).toEqual([{ user: '917000000004', block_reason: 'manual' }]);
		expect(typeof page3.json.paging.cursors.before).toBe('string');
		expect(typeof page3.json.paging.cursors.after).toBe('string');
		expect(page3.json.paging.next).toBeUndefined();
		expect(page3.json.paging.previous).toContain(`before=${page3.json.paging.cursors.before}`);
		const beyond = await list(`?limit=2&after=${page3.json.paging.cursors.after}`);
		expect([beyond.status, beyond.json]).toEqual([200, { data: [] }]);
		ctx.sb.setBlocklist(PHONE, []);
		expect((await list()).json).toEqual({ data: [] });
	});

	test('cursorFault ignoreAfter: every GET is page 1 of pageSize, the same after cursor forever', async () => {
		ctx.sb.setBlocklist(PHONE, numbers(5));
		ctx.sb.config.pageSize = 2;
		ctx.sb.config.cursorFault = 'ignoreAfter';
		const { data, afters } = await follow(3, '?limit=3');
		expect(data).toEqual([data[0], data[0], data[0]]);
		expect(data[0]).toEqual([
			{ user: '917000000000', block_reason: 'manual' },
			{ user: '917000000001', block_reason: 'manual' },
		]);
		expect(new Set(afters).size).toBe(1);
		expect((await list(`?before=${afters[0]}&limit=9999`)).json.data).toEqual(data[0]);
		expect(ctx.sb.requests[1].query).toEqual({ limit: '3', after: afters[0] });
	});

	test('cursorFault cycle: the last page points back to offset 0, so cursors repeat from the second lap', async () => {
		ctx.sb.setBlocklist(PHONE, numbers(5));
		ctx.sb.config.cursorFault = 'cycle';
		const { data, afters } = await follow(6);
		expect(data.map((d) => d.length)).toEqual([2, 2, 1, 2, 2, 1]);
		expect(data.slice(3)).toEqual(data.slice(0, 3));
		expect(afters.slice(3)).toEqual(afters.slice(0, 3));
		const last = await list(`?limit=2&after=${afters[1]}`);
		expect(decoded(last.json.paging.cursors.after)).toMatch(/^sbx:0:\d+$/);
		expect(last.json.paging.next).toContain(`after=${last.json.paging.cursors.after}`);
		ctx.sb.config.paging = 'graph';
		expect((await follow(4)).afters).toEqual(afters.slice(0, 4));
	});

	test('cursorFault freshCycle: the data cycles but no cursor text ever repeats; cursors still decode', async () => {
		ctx.sb.setBlocklist(PHONE, numbers(5));
		const plain = (await list('?limit=2')).json.paging.cursors.after;
		ctx.sb.config.cursorFault = 'freshCycle';
		const { data, afters } = await follow(6);
		expect(data.slice(3)).toEqual(data.slice(0, 3));
		expect(new Set(afters).size).toBe(6);
		expect(decoded(afters[2])).toMatch(/^sbx:0:\d+:\d+$/);
		const again = await list('?limit=2');
		expect(again.json.paging.cursors.after).not.toBe(afters[0]);
		expect((await list(`?limit=2&after=${again.json.paging.cursors.after}`)).json.data).toEqual(
			data[1],
		);
		expect((await list(`?limit=2&after=${plain}`)).json.data).toEqual(data[1]);
		ctx.sb.config.strictCursors = true;
		expect((await list(`?limit=2&after=${afters[0]}`)).status).toBe(200);
	});

	test('listShape grouped: one group of {input, wa_id} / {input, user_id}, only next / previous URLs', async () => {
		ctx.sb.setBlocklist(PHONE, ['+919999999999', A, '918888888888']);
		ctx.sb.config.listShape = 'grouped';
		const page1 = await list('?limit=2');
		expect(page1.json).toEqual({
			data: [
				{
					block_users: [
						{ input: '+919999999999', wa_id: '919999999999' },
						{ input: A, user_id: A },
					],
				},
			],
			paging: { next: expect.stringMatching(/\?limit=2&after=[\w-]+$/) },
		});
		const next = await fetch(page1.json.paging.next, { headers: auth() });
		const page2 = (await next.json()) as any;
		expect(page2).toEqual({
			data: [{ block_users: [{ input: '+918888888888', wa_id: '918888888888' }] }],
			paging: { previous: expect.stringMatching(/\?limit=2&before=[\w-]+$/) },
		});
		const back = await fetch(page2.paging.previous, { headers: auth() });
		expect(((await back.json()) as any).data).toEqual(page1.json.data);
		ctx.sb.config.parentUserIds = true;
		expect((await list('?limit=2')).json.data[0].block_users[1]).toEqual({
			input: A,
			user_id: A,
			parent_user_id: 'US.ENT.13491208655302741918',
		});
		ctx.sb.setBlocklist(PHONE, []);
		expect((await list()).json).toEqual({ data: [] });
	});

	test('maxLimit: a larger limit answers 400 code 100 naming limit; maxPageSize still caps silently', async () => {
		ctx.sb.setBlocklist(PHONE, numbers(5));
		expect(ctx.sb.config.maxLimit).toBe(1000);
		ctx.sb.config.maxLimit = 100;
		const refused = await list('?limit=101');
		expect(refused.status).toBe(400);
		expect(refused.json.error).toEqual({
			message: '(#100) Param limit must be an integer between 1 and 100',
			type: 'OAuthException',
			code: 100,
			fbtrace_id: expect.any(String),
		});
		expect((await list('?limit=100')).json.data).toHaveLength(5);
		expect((await list()).status).toBe(200);
		ctx.sb.config.maxLimit = 2000;
		ctx.sb.config.maxPageSize = 2;
		const capped = await list('?limit=1500');
		expect([capped.status, capped.json.data.length]).toEqual([200, 2]);
		expect((await list('?limit=2001')).json.error.message).toBe(
			'(#100) Param limit must be an integer between 1 and 2000',
		);
	});
});

describe('admin API: the list switches and the new behaviours', () => {
	test('config takes paging, cursorFault, listShape grouped and maxLimit, and they apply', async () => {
		await admin('POST', `blocklist/${PHONE}`, numbers(3));
		const patch = { paging: 'graph', cursorFault: 'cycle', listShape: 'grouped', maxLimit: 2 };
		expect((await admin('POST', 'config', patch)).json).toMatchObject(patch);
		expect(ctx.sb.config).toMatchObject(patch);
		expect((await list('?limit=3')).json.error.message).toBe(
			'(#100) Param limit must be an integer between 1 and 2',
		);
		const page2 = await list('?limit=2&after=' + Buffer.from('sbx:2:1').toString('base64url'));
		expect(page2.json.data).toEqual([
			{ block_users: [{ input: '+917000000002', wa_id: '917000000002' }] },
		]);
		expect(page2.json.paging.next).toContain(
			`after=${Buffer.from('sbx:0:1').toString('base64url')}`,
		);
		await admin('POST', 'config', { cursorFault: 'ignoreAfter', listShape: 'provider' });
		const dropped = await list('?limit=2&after=' + Buffer.from('sbx:2:1').toString('base64url'));
		expect(dropped.json.data.map((e: { user: string }) => e.user)).toEqual([
			'917000000000',
			'917000000001',
			'917000000002',
		]);
		expect((await admin('POST', 'reset')).status).toBe(200);
		expect(ctx.sb.config).toMatchObject({
			paging: 'provider',
			cursorFault: 'none',
			listShape: 'provider',
			maxLimit: 1000,
		});
	});

	test.each([
		[{ paging: 'meta' }, 'paging must be "provider" or "graph"'],
		[{ cursorFault: 'loop' }, 'cursorFault must be "none", "ignoreAfter", "cycle" or "freshCycle"'],
		[{ cursorFault: null }, 'cursorFault must be "none", "ignoreAfter", "cycle" or "freshCycle"'],
		[{ listShape: 'nested' }, 'listShape must be "provider", "meta" or "grouped"'],
		[{ maxLimit: 0 }, 'maxLimit must be an integer of at least 1'],
		[{ maxLimit: 2.5 }, 'maxLimit must be an integer of at least 1'],
		[{ maxLimit: '100' }, 'maxLimit must be an integer of at least 1'],
		[
			{ fault: { kind: 'bogus200' } },
			'"bogus200" needs a "body": "object", "array", "html" or "noData"',
		],
		[{ fault: { kind: 'errorIn200', code: '4' } }, '"errorIn200" takes a positive integer "code"'],
	])('config refuses %j: 400 "%s", nothing merged', async (patch, error) => {
		const res = await admin('POST', 'config', { ...patch, shape: 'meta' });
		expect([res.status, res.json.error]).toEqual([400, error]);
		expect(ctx.sb.config).toMatchObject({
			shape: 'provider',
			paging: 'provider',
			cursorFault: 'none',
			listShape: 'provider',
			maxLimit: 1000,
		});
		expect(ctx.sb.config.fault).toBeUndefined();
	});

	test('enqueue takes errorIn200, bogus200 and unknownEntry and refuses bad fields; a standing errorIn200 fault', async () => {
		const queued = await admin('POST', 'enqueue', [
			{ kind: 'errorIn200', code: 4, message: 'Application request limit reached' },
			{ kind: 'bogus200', body: 'noData', match: 'GET' },
			{ kind: 'unknownEntry' },
		]);
		expect(queued.json.queued).toBe(3);
		for (const bad of [
			{ kind: 'bogus200', body: 'xml' },
			{ kind: 'bogus200' },
			{ kind: 'errorIn200', code: 0 },
			{ kind: 'errorIn200', message: 42 },
		]) {
			expect((await admin('POST', 'enqueue', [bad])).status).toBe(400);
		}
		expect((await admin('GET', 'state')).json.queued).toBe(3);

		const first = await block(['+919999999999']);
		expect([first.status, first.json.error.code, first.json.error.message]).toEqual([
			200,
			4,
			'(#4) Application request limit reached',
		]);
		expect((await block(['+919999999999'])).json.block_users.added_users).toHaveLength(1);
		expect(Object.keys((await list()).json)).toEqual(['paging']);
		expect((await list()).json.data).toEqual([
			{ user: '919999999999', block_reason: 'manual' },
			{ id: '123', name: 'x' },
		]);

		expect((await admin('POST', 'config', { fault: { kind: 'errorIn200' } })).status).toBe(200);
		for (const res of [await list(), await unblock(['+919999999999'])]) {
			expect([res.status, res.json.error.code]).toEqual([200, 130429]);
		}
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);
	});
});
