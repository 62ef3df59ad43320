/**
 * Sync through the node's real execution and n8n's HTTP helper, against the sandbox: the
 * whole read before any change, blocks then unblocks in batches, never a desired user
 * unblocked, Dry Run, the refusal to empty the blocklist, a failed read that changes
 * nothing, and users changed by someone else between the read and the write.
 */
import { FAST_RETRIES, numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { codesOf, rows } from '../helpers/items';

const ctx = useSandbox();
const BSUID = 'US.13491208655302741918';
const [A, B, C, D, E] = numbers(5);
const digits = (users: string[]) => users.map((u) => u.replace(/^\+/, ''));

const sync = (
	users: unknown,
	options: Record<string, unknown> = {},
	extra: Record<string, unknown> = {},
) => ctx.run({ operation: 'sync', users: users as string, options }, { ...extra });

test('blocks the missing, keeps the listed, and with Unblock Others unblocks the rest: reads first, then POST, then DELETE', async () => {
	const OTHER_BSUID = 'GB.778899';
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A, B, C]).concat(BSUID));
	// 'nope' is refused; Unblock Others Despite Refused Users lets the others go anyway (test/node/syncGuard.test.ts: the default).
	// The listed BSUID is unblocked: every wanted number (A) is on the list, so it cannot be one of them.
	const { outputs, error } = await sync(`${A}, ${OTHER_BSUID}, nope`, {
		unblockOthers: true,
		unblockDespiteRefused: true,
		batchSize: 1,
	});
	expect(error).toBeUndefined();
	expect(ctx.sb.requests.map((r) => [r.method, r.users])).toEqual([
		['GET', undefined],
		['POST', [OTHER_BSUID]],
		['DELETE', [BSUID]],
	]);
	const [changed, unchanged, failed] = outputs;
	expect(rows(changed, 'user', 'status', 'input', 'pairedItem')).toEqual([
		[OTHER_BSUID, 'blocked', OTHER_BSUID, { item: 0 }],
		[BSUID, 'unblocked', null, { item: 0 }],
	]);
	expect(changed[1].json).toMatchObject({ wa_id: null, user_id: BSUID });
	// B and C are known only by number while the wanted BSUID was not listed: kept, with the reason.
	expect(rows(unchanged, 'user', 'status')).toEqual([
		[A, 'already blocked'],
		[B, 'kept'],
		[C, 'kept'],
	]);
	expect(failed.map((i) => i.json.input)).toEqual(['nope']);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(digits([A, B, C]).concat(OTHER_BSUID));

	ctx.sb.requests.length = 0;
	const numbersOnly = await sync(`${A}, ${D}, 0091 ${E.slice(3)}`, {
		unblockOthers: true,
		batchSize: 1,
	});
	expect(ctx.sb.requests.map((r) => [r.method, r.users])).toEqual([
		['GET', undefined],
		['POST', [D]],
		['POST', [E]],
		['DELETE', [B]],
		['DELETE', [C]],
	]);
	expect(rows(numbersOnly.outputs[0], 'user', 'status', 'input')).toEqual([
		[D, 'blocked', D],
		[E, 'blocked', `0091 ${E.slice(3)}`],
		[B, 'unblocked', null],
		[C, 'unblocked', null],
	]);
	expect(rows(numbersOnly.outputs[1], 'user', 'status')).toEqual([
		[A, 'already blocked'],
		[OTHER_BSUID, 'kept'],
	]);
});

test('without Unblock Others nobody is unblocked; a desired user given in another format is never unblocked', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A, B]).concat(BSUID));
	await sync([{ user: A.slice(1) }, 'us.13491208655302741918']);
	expect(ctx.sb.requests.map((r) => r.method)).toEqual(['GET']);
	await sync([{ wa_id: A.slice(1) }, { user_id: BSUID }], { unblockOthers: true });
	expect(ctx.sb.requests.filter((r) => r.method === 'DELETE').flatMap((r) => r.users)).toEqual([B]);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([A.slice(1), BSUID]);
});

test('Dry Run: the plan as "would block" / "would unblock", nothing but reads sent', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A, B]));
	const { outputs } = await sync(`${A}, ${C}`, { unblockOthers: true, dryRun: true });
	expect(ctx.sb.requests.map((r) => r.method)).toEqual(['GET']);
	expect(rows(outputs[0], 'user', 'status')).toEqual([
		[C, 'would block'],
		[B, 'would unblock'],
	]);
	expect(outputs[1].map((i) => i.json.status)).toEqual(['already blocked']);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(digits([A, B]));
});

test('Unblock Others with no valid user is refused (nothing sent but the read) unless Allow Emptying the Blocklist', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A, B]));
	const emptyExport = { items: [{ users: [] }] };
	const refused = await sync('={{ $json.users }}', { unblockOthers: true }, emptyExport);
	expect(refused.error?.message).toMatch(
		/^Sync would unblock all 2 users of phone number ID .* no valid user was given for it \(item 1\).*Allow Emptying the Blocklist/,
	);
	expect(ctx.sb.requests.map((r) => r.method)).toEqual(['GET']);
	const continued = await sync('not-a-number', { unblockOthers: true }, { continueOnFail: true });
	expect(codesOf(continued.outputs[2])).toEqual(['REFUSED_EMPTY_SYNC']);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(digits([A, B]));
	const emptied = await sync(
		'={{ $json.users }}',
		{ unblockOthers: true, allowEmptyBlocklist: true },
		emptyExport,
	);
	expect(rows(emptied.outputs[0], 'user', 'status')).toEqual([
		[A, 'unblocked'],
		[B, 'unblocked'],
	]);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([]);
});

test('a read that does not finish changes nothing: every desired user on Failed', async () => {
	ctx.sb.setBlocklist(
		PHONE_NUMBER_ID,
		numbers(1500, 100).map((n) => n.slice(1)),
	);
	ctx.sb.behaviour = (req) =>
		req.method === 'GET' && req.query.after !== undefined ? { kind: 'rateLimit' } : undefined;
	const { outputs, error } = await sync(`${A}, ${B}`, { unblockOthers: true, ...FAST_RETRIES });
	expect(error).toBeUndefined();
	expect(ctx.sb.requests.every((r) => r.method === 'GET')).toBe(true);
	expect(rows(outputs[2], 'user', 'code')).toEqual([
		[A, 130429],
		[B, 130429],
	]);
	expect(outputs[0]).toEqual([]);
});

test('blocked or unblocked by someone else between the read and the change: Unchanged, nothing lost', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([B]));
	ctx.sb.behaviour = (req) => {
		if (req.method === 'POST') ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A]));
		return undefined;
	};
	const { outputs } = await sync(A, { unblockOthers: true });
	expect(outputs[0]).toEqual([]);
	expect(rows(outputs[1], 'user', 'status')).toEqual([
		[A, 'already blocked'],
		[B, 'not blocked'],
	]);
	expect(outputs[2]).toEqual([]);
});
