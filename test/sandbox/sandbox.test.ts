/**
 * The sandbox over real HTTP (Node's global fetch): that it answers like the real server
 * (../shared/spec/api-notes.md: shapes, codes, paging) and that its faults do what the node and
 * property tests take them to do (a failing fault never changes the blocklist).
 */
import {
	DEFAULT_PHONE_NUMBER_ID,
	type AnswerShape,
	type Behaviour,
	type SandboxConfig,
} from '../../sandbox/server';
import { useSandbox } from '../helpers/sandbox';

const PHONE = DEFAULT_PHONE_NUMBER_ID;
const PATH = `/api/v25.0/${PHONE}/block_users`;
const A = 'US.13491208655302741918';
const A_PARENT = 'US.ENT.13491208655302741918';
const B = 'BR.42';
const B_PARENT = 'BR.ENT.42';
const PARENT = 'US.ENT.11815799212886844830';
const N1 = '+919999999999';
const N2 = '+918888888888';

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
interface Entry {
	user?: string;
	user_id?: string;
}
/** A batch of raw entries ({user}, {user_id}, both, or anything else). */
const send = (method: 'POST' | 'DELETE', entries: unknown[]) =>
	call(method, { messaging_product: 'whatsapp', block_users: entries });
const list = (query = '') => call('GET', undefined, { path: `${PATH}${query}` });
const auth = () => ({ Authorization: `Bearer ${ctx.sb.apiKey}` });
const decoded = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/** n distinct E.164 numbers starting at +9170000000 00. */
const numbers = (n: number, from = 0) =>
	Array.from({ length: n }, (_, i) => `+91700000${String(from + i).padStart(4, '0')}`);

/** Follows `after` from the first page for `pages` pages; the data and the after cursors. */
async function follow(pages: number, query = '?limit=2') {
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
const ALREADY_BLOCKED = {
	code: 139100,
	message: 'User is already blocked',
	error_data: { details: 'The user is already on the blocklist of this phone number' },
};
const NOT_BLOCKED = {
	code: 139100,
	message: 'User is not blocked',
	error_data: { details: 'The user is not on the blocklist of this phone number' },
};
const REENGAGEMENT = {
	code: 131047,
	message: 'Re-engagement required',
	error_data: { details: 'User has not messaged in the last 24 hours' },
};

describe('block, unblock, list', () => {
	test('round trip with paging across 3 pages; the DELETE body is read and recorded', async () => {
		const users = numbers(7);
		const blocked = await block(users);
		expect(blocked.status).toBe(200);
		expect(blocked.json).toEqual({
			messaging_product: 'whatsapp',
			block_users: { added_users: users.map((u) => ({ input: u, wa_id: u.slice(1) })), errors: [] },
		});

		const page1 = await list('?limit=3');
		expect(page1.json.data).toEqual([
			{ user: '917000000000', block_reason: 'manual' },
			{ user: '917000000001', block_reason: 'manual' },
			{ user: '917000000002', block_reason: 'manual' },
		]);
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
		const next = await fetch(page1.json.paging.next, { headers: auth() });
		expect(((await next.json()) as { data: unknown }).data).toEqual(page2.json.data);

		const removed = await unblock([users[1], users[5]]);
		expect(removed.json.block_users.removed_users).toEqual([
			{ input: users[1], wa_id: '917000000001' },
			{ input: users[5], wa_id: '917000000005' },
		]);
		expect(ctx.sb.requests.at(-1)).toMatchObject({
			method: 'DELETE',
			path: PATH,
			authorized: true,
			status: 200,
			behaviour: 'ok',
			users: [users[1], users[5]],
		});
		expect(ctx.sb.blocklist(PHONE)).toHaveLength(5);
	});

	test('numbers and BSUIDs mixed in one batch block, list (paged) and unblock', async () => {
		const C = 'GB.aZ09xY';
		const blocked = await send('POST', [
			{ user: N1 },
			{ user_id: A },
			{ user_id: C },
			{ user: N2 },
		]);
		expect(blocked.json.block_users).toEqual({
			added_users: [
				{ input: N1, wa_id: '919999999999' },
				{ input: A, user_id: A },
				{ input: C, user_id: C },
				{ input: N2, wa_id: '918888888888' },
			],
			errors: [],
		});
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
		const removed = await send('DELETE', [{ user_id: A }, { user: N2 }]);
		expect(removed.json.block_users.removed_users).toEqual([
			{ input: A, user_id: A },
			{ input: N2, wa_id: '918888888888' },
		]);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999', C]);
	});

	const CAP = {
		code: 139101,
		message: 'Blocklist limit reached',
		error_data: { details: 'The blocklist already holds 2 users' },
	};
	type PerUser = [
		string,
		string[],
		Partial<SandboxConfig>,
		'POST' | 'DELETE',
		Entry[],
		object[],
		object[],
		string[],
	];
	/** [name, before, config, method, entries, succeeded, errors (provider shape), blocklist after]. */
	test.each<PerUser>([
		[
			'a user twice in one batch is already blocked the second time',
			[],
			{},
			'POST',
			[{ user: N1 }, { user: N1 }],
			[{ input: N1, wa_id: '919999999999' }],
			[{ input: N1, wa_id: '919999999999', ...ALREADY_BLOCKED }],
			['919999999999'],
		],
		[
			'unblocking users not on the list: not blocked',
			[],
			{},
			'DELETE',
			[{ user: N2 }, { user_id: B }],
			[],
			[
				{ input: N2, wa_id: '918888888888', ...NOT_BLOCKED },
				{ input: B, user_id: B, ...NOT_BLOCKED },
			],
			[],
		],
		[
			'invalid numbers (a BSUID under "user" too) fail per user, without wa_id; the rest is processed',
			[A],
			{},
			'POST',
			['919888888888', '+0123456789', 'abc', A, PARENT, N1].map((user) => ({ user })),
			[{ input: N1, wa_id: '919999999999' }],
			['919888888888', '+0123456789', 'abc', A, PARENT].map((input) => ({
				input,
				...INVALID_NUMBER,
			})),
			[A, '919999999999'],
		],
		[
			're-engagement required and the blocklist cap, for numbers and BSUIDs',
			[],
			{ reengagementRequired: ['+14155559876', A], blocklistCap: 2 },
			'POST',
			[
				{ user: '+14155559876' },
				{ user_id: A },
				{ user: '+919000000001' },
				{ user_id: B },
				{ user: '+919000000003' },
				{ user_id: 'IN.7' },
			],
			[
				{ input: '+919000000001', wa_id: '919000000001' },
				{ input: B, user_id: B },
			],
			[
				{ input: '+14155559876', wa_id: '14155559876', ...REENGAGEMENT },
				{ input: A, user_id: A, ...REENGAGEMENT },
				{ input: '+919000000003', wa_id: '919000000003', ...CAP },
				{ input: 'IN.7', user_id: 'IN.7', ...CAP },
			],
			['919000000001', B],
		],
		[
			'user wins over user_id in the same entry (Meta: it takes precedence)',
			[],
			{},
			'POST',
			[{ user: N1, user_id: A }, { user_id: B }, { user: 'junk', user_id: 'junk' }],
			[
				{ input: N1, wa_id: '919999999999' },
				{ input: B, user_id: B },
			],
			[{ input: 'junk', ...INVALID_NUMBER }],
			['919999999999', B],
		],
	])('%s', async (_name, before, config, method, entries, ok, errors, after) => {
		ctx.sb.setBlocklist(PHONE, before);
		Object.assign(ctx.sb.config, config);
		const res = await send(method, entries);
		expect(res.status).toBe(200);
		const key = method === 'POST' ? 'added_users' : 'removed_users';
		expect(res.json.block_users).toEqual({ [key]: ok, errors });
		expect(ctx.sb.blocklist(PHONE)).toEqual(after);
		expect(ctx.sb.requests[0].users).toEqual(entries.map((e) => e.user ?? e.user_id));
	});

	test('a user_id that is not a BSUID fails per user with "Invalid user ID" (Meta grammar, 2026-06-29)', async () => {
		const long = `BR.${'aZ09'.repeat(32)}`;
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
			`${long}x`,
			`US.ENT.${'1'.repeat(129)}`,
			N1,
			'919999999999',
			'',
			42,
			null,
			{ id: A },
		];
		const good = ['US.1', 'US.12a', 'US.1349x', long, long.toUpperCase()];
		const res = await send(
			'POST',
			[...bad, ...good].map((user_id) => ({ user_id })),
		);
		expect(res.status).toBe(200);
		expect(res.json.block_users.added_users).toEqual(good.map((g) => ({ input: g, user_id: g })));
		expect(res.json.block_users.errors).toEqual(
			bad.map((input) => ({ input, ...INVALID_USER_ID })),
		);
		expect(ctx.sb.blocklist(PHONE)).toEqual(good);
	});

	test('blockReasons gives listed keys their own reason; maxPageSize pages smaller than asked', async () => {
		ctx.sb.setBlocklist(PHONE, ['917000000000', '917000000001', A]);
		ctx.sb.config.blockReasons = { '917000000001': 'spam', [A]: 'abuse' };
		ctx.sb.config.maxPageSize = 2;
		const page1 = await list('?limit=1000');
		expect(page1.json.data).toEqual([
			{ user: '917000000000', block_reason: 'manual' },
			{ user: '917000000001', block_reason: 'spam' },
		]);
		const page2 = await list(`?limit=1000&after=${page1.json.paging.cursors.after}`);
		expect(page2.json.data).toEqual([{ user_id: A, block_reason: 'abuse' }]);
		expect(page2.json.paging.cursors.after).toBeUndefined();
	});
});

describe('request checks', () => {
	test('a missing or wrong key answers 401 (code 190); nothing processed', async () => {
		for (const key of [null, 'pk_live_wrong']) {
			const res = await block([N1], { key });
			expect(res.status).toBe(401);
			expect(res.json.error).toMatchObject({
				code: 190,
				message: '(#190) Invalid OAuth access token',
				type: 'OAuthException',
				fbtrace_id: expect.any(String),
			});
		}
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
		expect(ctx.sb.requests.map((r) => [r.authorized, r.status])).toEqual([
			[false, 401],
			[false, 401],
		]);
	});

	test('an unknown phone number ID or route answers 404; any API version is routed', async () => {
		const phone = await block([N1], { path: '/api/v25.0/999/block_users' });
		expect(phone.status).toBe(404);
		expect(phone.json.error.code).toBe(100);
		expect(phone.json.error.message).toContain("Object with ID '999' does not exist");
		expect((await call('GET', undefined, { path: `/api/v25.0/${PHONE}/messages` })).status).toBe(
			404,
		);
		expect((await call('GET', undefined, { path: `/api/v19.3/${PHONE}/block_users` })).status).toBe(
			200,
		);
	});

	test('a phone number ID the key may not manage answers 403 (code 10) for the refused methods only, unprocessed', async () => {
		ctx.sb.setBlocklist(PHONE, ['919999999999']);
		ctx.sb.config.forbidden = { [PHONE]: ['POST', 'DELETE'] };
		const refused = await block([N2]);
		expect(refused.status).toBe(403);
		expect(refused.json.error).toMatchObject({
			code: 10,
			type: 'OAuthException',
			message: expect.stringContaining('(#10)'),
		});
		expect(refused.json.error.error_data.details).toContain(PHONE);
		expect((await unblock([N1])).status).toBe(403);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);
		expect((await list()).status).toBe(200);
		// The key is checked first: a wrong key is a 401 even there; an unknown ID stays a 404.
		expect((await block([N2], { key: 'pk_live_wrong' })).status).toBe(401);
		ctx.sb.config.forbidden = { '999': ['POST'] };
		expect((await block([N2], { path: '/api/v25.0/999/block_users' })).status).toBe(404);
	});

	test.each([
		['not json', 'not json'],
		['no block_users', '{"messaging_product":"whatsapp"}'],
		['block_users not an array', '{"messaging_product":"whatsapp","block_users":{}}'],
		['an empty block_users', '{"messaging_product":"whatsapp","block_users":[]}'],
		[
			'another messaging_product',
			'{"messaging_product":"sms","block_users":[{"user":"+919999999999"}]}',
		],
	])('a body with %s answers 400 code 100', async (_name, rawBody) => {
		const res = await call('POST', undefined, { rawBody });
		expect([res.status, res.json.error.code]).toEqual([400, 100]);
	});

	test('more than 500 users (numbers and BSUIDs together): 400 and nobody processed; 500 is fine', async () => {
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
	});

	test.each(['?limit=0', '?limit=1001', '?limit=abc', '?after=garbage'])(
		'list %s answers 400 code 100',
		async (query) => {
			const res = await list(query);
			expect([res.status, res.json.error.code]).toEqual([400, 100]);
		},
	);

	test.each(['POST', 'DELETE'] as const)(
		'a %s holding a parent BSUID is refused whole: HTTP 400, code 100, nothing changed',
		async (method) => {
			ctx.sb.setBlocklist(PHONE, [A, '918888888888']);
			for (const shape of ['provider', 'meta', 'mixed400'] as const) {
				ctx.sb.config.shape = shape;
				const res = await send(method, [{ user: N1 }, { user_id: PARENT }, { user_id: A }]);
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
				expect(ctx.sb.blocklist(PHONE)).toEqual([A, '918888888888']);
			}
			// A lower-case "parent" is only an invalid user of its own, and a parent under `user`
			// (which wins) only an invalid phone number: the rest is processed.
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
});

describe("answer shapes (Meta's beside the provider's)", () => {
	test('meta: failed_users with nested errors, wa_id omitted for invalid numbers; list entries', async () => {
		ctx.sb.config.shape = 'meta';
		ctx.sb.config.listShape = 'meta';
		ctx.sb.config.reengagementRequired = ['14155559876'];
		const res = await send('POST', [
			{ user: N1 },
			{ user: 'bad' },
			{ user: '+14155559876' },
			{ user_id: A },
		]);
		expect(res.status).toBe(200);
		const nested = ({ code, message, error_data }: typeof INVALID_NUMBER) => ({
			errors: [{ message, code, error_data }],
		});
		expect(res.json).toEqual({
			messaging_product: 'whatsapp',
			block_users: {
				added_users: [
					{ input: N1, wa_id: '919999999999' },
					{ input: A, user_id: A },
				],
				failed_users: [
					{ input: 'bad', ...nested(INVALID_NUMBER) },
					{ input: '+14155559876', wa_id: '14155559876', ...nested(REENGAGEMENT) },
				],
			},
		});
		expect((await list()).json.data).toEqual([
			{ messaging_product: 'whatsapp', wa_id: '919999999999' },
			{ messaging_product: 'whatsapp', user_id: A },
		]);
		// No failure: no failed_users key at all.
		expect((await send('DELETE', [{ user_id: A }])).json).toEqual({
			messaging_product: 'whatsapp',
			block_users: { removed_users: [{ input: A, user_id: A }] },
		});
	});

	test('mixed400: HTTP 400 with the error envelope beside block_users when someone failed, else 200', async () => {
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
		const clean = await unblock([N1]);
		expect([clean.status, clean.json.error]).toEqual([200, undefined]);
	});

	test('parentUserIds on: answer and list entries of non-parent BSUIDs carry parent_user_id', async () => {
		ctx.sb.config.parentUserIds = true;
		// A parent BSUID cannot be sent (the whole request is refused), but a list may hold one.
		ctx.sb.setBlocklist(PHONE, [PARENT]);
		const blocked = await send('POST', [{ user_id: A }, { user: N1 }, { user_id: B }]);
		expect(blocked.json.block_users.added_users).toEqual([
			{ input: A, user_id: A, parent_user_id: A_PARENT },
			{ input: N1, wa_id: '919999999999' },
			{ input: B, user_id: B, parent_user_id: B_PARENT },
		]);
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
			const { code, message, error_data } = NOT_BLOCKED;
			expect(
				shape === 'provider' ? res.json.block_users.errors : res.json.block_users.failed_users,
			).toEqual(
				shape === 'provider'
					? failed.map((f) => ({ ...f, ...NOT_BLOCKED }))
					: failed.map((f) => ({ ...f, errors: [{ message, code, error_data }] })),
			);
			expect(res.status).toBe(shape === 'mixed400' ? 400 : 200);
		},
	);
});

describe('"already blocked" / "not blocked" codes', () => {
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
});

describe('faults', () => {
	/** The status, Content-Type and text of an answer, whatever it holds. */
	async function raw(method: string, body?: unknown) {
		const init = {
			method,
			headers: auth(),
			body: body === undefined ? undefined : JSON.stringify(body),
		};
		const res = await fetch(ctx.sb.url + PATH, init);
		return {
			status: res.status,
			headers: res.headers,
			type: res.headers.get('content-type') ?? '',
			text: await res.text(),
		};
	}
	const code = (text: string) => (JSON.parse(text) as { error: { code: number } }).error.code;
	const html = expect.stringMatching(/^<(!DOCTYPE )?html>/);

	/** [behaviour, status, Content-Type, body (error code or text)]: answered, never processed. */
	test.each([
		[{ kind: 'rateLimit', retryAfter: 7 }, 429, 'application/json', 130429],
		[{ kind: 'rateLimit', code: 4 }, 429, 'application/json', 4],
		[{ kind: 'rateLimit', status: 403, code: 80007 }, 403, 'application/json', 80007],
		[{ kind: 'serverError' }, 500, 'application/json', 2],
		[{ kind: 'serverError', status: 503 }, 503, 'application/json', 2],
		[{ kind: 'serverError', status: 502 }, 502, 'text/html', html],
		[{ kind: 'internal' }, 500, 'application/json', 139103],
		[{ kind: 'errorIn200' }, 200, 'application/json', 130429],
		[{ kind: 'malformed' }, 200, 'application/json', 'invalid JSON'],
		[{ kind: 'bogus200', body: 'object' }, 200, 'application/json', '{}'],
		[{ kind: 'bogus200', body: 'array' }, 200, 'application/json', '[]'],
		[{ kind: 'bogus200', body: 'html' }, 200, 'text/html', html],
	] as [Behaviour, number, string, unknown][])(
		'%j on POST, DELETE and GET: HTTP %i %s, nothing processed',
		async (behaviour, status, type, body) => {
			ctx.sb.setBlocklist(PHONE, ['918888888888']);
			ctx.sb.config.fault = behaviour;
			for (const [method, payload] of [['POST', batch([N1])], ['DELETE', batch([N2])], ['GET']]) {
				const res = await raw(method as string, payload);
				expect([res.status, res.type]).toEqual([status, expect.stringContaining(type)]);
				if (typeof body === 'number') expect(code(res.text)).toBe(body);
				else if (body === 'invalid JSON') expect(() => JSON.parse(res.text)).toThrow();
				else expect(res.text).toEqual(body);
				if (behaviour.kind === 'rateLimit')
					expect(res.headers.get('retry-after')).toBe(behaviour.retryAfter ? '7' : null);
			}
			expect(ctx.sb.blocklist(PHONE)).toEqual(['918888888888']);
			expect(ctx.sb.requests.map((r) => [r.behaviour, r.status])).toEqual(
				Array(3).fill([behaviour.kind, status]),
			);
		},
	);

	test('bogus200 noData: a page with paging and no data', async () => {
		ctx.sb.enqueue({ kind: 'bogus200', body: 'noData' });
		expect((await list()).json).toEqual({
			paging: { cursors: { after: Buffer.from('sbx:0:0').toString('base64url') } },
		});
	});

	test('errorIn200 takes a code and a message, "(#code) " put before a message without it', async () => {
		ctx.sb.enqueue(
			{ kind: 'errorIn200', code: 80007 },
			{ kind: 'errorIn200', code: 131000, message: 'Something went wrong' },
		);
		expect((await block([N1])).json.error.message).toBe('(#80007) Rate limit issues');
		expect((await list()).json).toEqual({
			error: {
				message: '(#131000) Something went wrong',
				type: 'OAuthException',
				code: 131000,
				fbtrace_id: expect.any(String),
			},
		});
	});

	test('drop: the connection closes without an answer and nothing changes', async () => {
		ctx.sb.enqueue({ kind: 'drop' });
		await expect(block([N1])).rejects.toThrow();
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
		expect(ctx.sb.requests[0].status).toBe(0);
	});

	test('hang: a client timeout leaves the state untouched; process: true changes it anyway', async () => {
		ctx.sb.enqueue({ kind: 'hang', ms: 300 });
		await expect(block([N1], { signal: AbortSignal.timeout(80) })).rejects.toThrow();
		await new Promise((r) => setTimeout(r, 400));
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);

		ctx.sb.enqueue({ kind: 'hang', ms: 200, process: true });
		await expect(block([N1], { signal: AbortSignal.timeout(50) })).rejects.toThrow();
		await new Promise((r) => setTimeout(r, 300));
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919999999999']);

		ctx.sb.enqueue({ kind: 'hang', ms: 50 });
		const started = Date.now();
		expect((await list()).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(45);
	});

	test('omitUsers: the state changes but the last users are missing from the answer', async () => {
		ctx.sb.enqueue({ kind: 'omitUsers', count: 2 });
		const users = numbers(3);
		const res = await block(users);
		expect(res.json.block_users.added_users).toEqual([
			{ input: users[0], wa_id: users[0].slice(1) },
		]);
		expect(ctx.sb.blocklist(PHONE)).toEqual(users.map((u) => u.slice(1)));
	});

	test('extraUsers: phantoms that were not sent, of the kinds of the entries, never stored', async () => {
		ctx.sb.enqueue({ kind: 'extraUsers', count: 3 }, { kind: 'extraUsers' });
		const res = await send('POST', [{ user_id: A }, { user: N1 }]);
		expect(res.json.block_users.added_users).toEqual([
			{ input: A, user_id: A },
			{ input: N1, wa_id: '919999999999' },
			{ input: 'US.19995550000', user_id: 'US.19995550000' },
			{ input: '+19995550001', wa_id: '19995550001' },
			{ input: 'US.19995550002', user_id: 'US.19995550002' },
		]);
		expect(ctx.sb.blocklist(PHONE)).toEqual([A, '919999999999']);
		const phantom = await send('DELETE', [{ user_id: 'US.19995550000' }]);
		expect(phantom.json.block_users.removed_users).toEqual([
			{ input: 'US.19995550001', user_id: 'US.19995550001' },
		]);
		expect(phantom.json.block_users.errors).toHaveLength(1);
	});

	test('listChanged applies to the next GET only, skipping a POST; strict cursors answer 139102 after a change', async () => {
		ctx.sb.enqueue({ kind: 'listChanged' });
		expect((await block([N1])).status).toBe(200);
		const changed = await list();
		expect([changed.status, changed.json.error.code]).toEqual([400, 139102]);
		expect((await list()).json.data).toHaveLength(1);

		ctx.sb.config.strictCursors = true;
		await block(numbers(2));
		const first = await list('?limit=1');
		await block(numbers(1, 10));
		const stale = await list(`?limit=1&after=${first.json.paging.cursors.after}`);
		expect([stale.status, stale.json.error.code]).toEqual([400, 139102]);
	});

	test('match, the hook beating the queue, and a standing fault', async () => {
		ctx.sb.enqueue({ kind: 'internal', match: 'DELETE' }, { kind: 'serverError', status: 502 });
		expect((await raw('GET')).status).toBe(502);
		expect((await unblock([N1])).status).toBe(500);
		ctx.sb.enqueue({ kind: 'internal' });
		ctx.sb.behaviour = (req, n) =>
			n === 2 && req.users?.[0] === '+911111111111' ? { kind: 'rateLimit', code: 4 } : undefined;
		const first = await block(['+911111111111']);
		expect([first.status, first.json.error.code]).toEqual([429, 4]);
		expect((await block(['+911111111111'])).status).toBe(500);
		ctx.sb.behaviour = undefined;
		ctx.sb.config.fault = { kind: 'serverError', status: 503 };
		expect((await list()).status).toBe(503);
		expect((await list()).status).toBe(503);
	});

	test('unknownEntry: GET only, a normal page with one entry nobody knows appended (grouped too)', async () => {
		ctx.sb.enqueue({ kind: 'unknownEntry' }, { kind: 'unknownEntry' }, { kind: 'unknownEntry' });
		expect((await list()).json).toEqual({ data: [{ id: '123', name: 'x' }] });
		expect((await block([N1, N2])).json.block_users.added_users).toHaveLength(2);
		const page = await list('?limit=1');
		expect(page.json.data).toEqual([
			{ user: '919999999999', block_reason: 'manual' },
			{ id: '123', name: 'x' },
		]);
		expect(page.json.paging.next).toContain('limit=1&after=');
		ctx.sb.config.listShape = 'grouped';
		expect((await list()).json.data).toEqual([
			{
				block_users: [
					{ input: N1, wa_id: '919999999999' },
					{ input: N2, wa_id: '918888888888' },
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
});

describe('lists as other servers and proxies page them', () => {
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

describe('admin API', () => {
	async function admin(method: string, route: string, body?: unknown): Promise<Reply> {
		const res = await fetch(`${ctx.sb.url}/__sandbox/${route}`, {
			method,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: res.status, headers: res.headers, json: await res.json() };
	}

	test('blocklist (numbers, "+" stripped, and BSUIDs), config and state', async () => {
		const set = await admin('POST', `blocklist/${PHONE}`, [B, '+917777777777', PARENT, B]);
		expect(set.json).toEqual({ size: 3 });
		expect(ctx.sb.blocklist(PHONE)).toEqual([B, '917777777777', PARENT]);
		expect((await admin('POST', `blocklist/${PHONE}`, [A, 7])).status).toBe(400);
		expect((await admin('POST', 'config', { latencyMs: 5, shape: 'meta' })).json).toMatchObject({
			latencyMs: 5,
			shape: 'meta',
		});
		expect(ctx.sb.config).toMatchObject({ latencyMs: 5, shape: 'meta' });
		expect((await admin('POST', 'config', [1])).status).toBe(400);
		await block([N1]);
		expect((await admin('GET', 'state')).json).toMatchObject({
			phoneNumberIds: [PHONE],
			blocklists: { [PHONE]: [B, '917777777777', PARENT, '919999999999'] },
			requestCount: 1,
			config: { shape: 'meta' },
		});
		expect((await admin('GET', 'nothing')).status).toBe(404);
	});

	test('setBlocklist makes the ID a known one; the keys list, block and unblock like sent ones', async () => {
		ctx.sb.setBlocklist('300000000000003', [N1, A]);
		const path = '/api/v25.0/300000000000003/block_users';
		expect((await call('GET', undefined, { path })).json.data).toEqual([
			{ user: '919999999999', block_reason: 'manual' },
			{ user_id: A, block_reason: 'manual' },
		]);
		const again = await call(
			'POST',
			{ messaging_product: 'whatsapp', block_users: [{ user_id: A }] },
			{ path },
		);
		expect(again.json.block_users.errors).toEqual([{ input: A, user_id: A, ...ALREADY_BLOCKED }]);
	});
});
