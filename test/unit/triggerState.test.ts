/**
 * The Blocklist Trigger's saved state (exactly the users encoded come back, in little space)
 * and its comparison of two reads (who was blocked, who unblocked, the same user under
 * another ID is no change).
 */
import fc from 'fast-check';

import { compareBlocklists, eventItems } from '../../nodes/WhatsApp/trigger/events';
import { decodeState, encodeState, type KnownUser } from '../../nodes/WhatsApp/trigger/state';

const PN = '100000000000001';
const byUser = (users: KnownUser[]) =>
	[...users].sort((x, y) => (x.user < y.user ? -1 : x.user > y.user ? 1 : 0));
type Reason = string | null;
/** A listed user: its key, wa_id, BSUID and block reason. */
function known(user: string, waId: string | null, userId: string | null, blockReason: Reason) {
	return { user, waId, userId, blockReason } satisfies KnownUser;
}
const number = (user: string, reason: Reason = 'manual') => known(user, user, null, reason);
const bsuid = (user: string, reason: Reason = 'manual') => known(user, null, user, reason);
/** A user listed by number with a BSUID beside it. */
const both = (waId: string, userId: string, reason: Reason = 'manual') =>
	known(waId, waId, userId, reason);
/** The users that come back from their saved state. */
const roundTrip = (users: KnownUser[]) => byUser(decodeState(encodeState(PN, users), PN) ?? []);

test('numbers, BSUIDs, parent BSUIDs, odd IDs, users with both IDs and any reasons come back exactly', () => {
	const users: KnownUser[] = [
		number('919999999999'),
		number('14155550100', 'spam'),
		number('10', null),
		bsuid('US.13491208655302741918', ''),
		bsuid('US.ENT.11815799212886844830'),
		bsuid('BR.1'),
		both('447700900123', 'GB.555', '__proto__'),
		bsuid('US.007', 'x'),
		number('0'),
		number('abc'),
		number('__proto__1', '{"v":1}'),
		number('123456789012345678901234567890123456789'),
		both('919999999990', 'US.13491208655302741918'),
		both('919999999991', 'US.ENT.11815799212886844830'),
		both('919999999992', 'IN.5'),
		both('919999999993', 'US.0123'),
		both('abc1x', 'US.77'),
		known('919999999994', null, 'US.88', 'manual'),
	];
	const saved = encodeState(PN, users);
	expect(typeof saved).toBe('string');
	expect(byUser(decodeState(saved, PN) ?? [])).toEqual(byUser(users));
});

test("alphanumeric BSUIDs of up to 128 characters (Meta's grammar), alone or beside a number, come back exactly, case kept", () => {
	const long = `BR.${'aZ09'.repeat(32)}`;
	const users: KnownUser[] = [
		bsuid(long),
		bsuid('US.abcDEF123'),
		bsuid('US.ENT.x9Y8z7'),
		bsuid('IN.0abc'),
		bsuid('GB.123abc'),
		both('919999999995', 'US.Q1w2E3', 'spam'),
		both('919999999996', long, null),
		both('919999999997', 'US.12345'),
	];
	expect(roundTrip(users)).toEqual(byUser(users));
});

test('an empty blocklist is a state too (not "no state")', () => {
	expect(decodeState(encodeState(PN, []), PN)).toEqual([]);
});

test('no state, the state of another phone number ID, or a text that is not a whole state: nothing', () => {
	const saved = encodeState(PN, [number('919999999999'), number('919999999998')]);
	expect(decodeState(undefined, PN)).toBeUndefined();
	expect(decodeState(saved, '200000000000002')).toBeUndefined();
	expect(decodeState('not json', PN)).toBeUndefined();
	expect(decodeState({ v: 1 }, PN)).toBeUndefined();
	expect(decodeState(saved.replace('"count":2', '"count":3'), PN)).toBeUndefined();
	expect(decodeState(saved.replace('"v":1', '"v":2'), PN)).toBeUndefined();
	expect(decodeState(saved.replace(/"(\w+),(\w+)"/, '"$1,!"'), PN)).toBeUndefined();
});

test('any set of users round-trips (random IDs and reasons)', () => {
	const user = fc.oneof(
		fc.bigInt({ min: 1n, max: 10n ** 15n }).map((n) => number(String(n))),
		fc
			.tuple(fc.constantFrom('US.', 'US.ENT.', 'IN.'), fc.bigInt({ min: 0n, max: 10n ** 32n - 1n }))
			.map(([p, n]) => bsuid(`${p}${n}`)),
		fc.string({ minLength: 1, maxLength: 8 }).map((s) => number(s)),
	);
	const paired = fc.option(
		fc
			.tuple(fc.constantFrom('US.', 'US.ENT.', 'BR.'), fc.bigInt({ min: 0n, max: 10n ** 20n }))
			.map(([p, n]) => `${p}${n}`),
		{ nil: undefined },
	);
	const withReason = fc
		.tuple(user, fc.constantFrom<string | null>('manual', 'spam', null, ''), paired)
		.map(([u, blockReason, userId]) =>
			userId !== undefined && u.waId !== null
				? { ...u, userId, blockReason }
				: { ...u, blockReason },
		);
	fc.assert(
		fc.property(fc.uniqueArray(withReason, { selector: (u) => u.user, maxLength: 40 }), (users) => {
			expect(roundTrip(users)).toEqual(byUser(users));
		}),
		{ numRuns: 300, seed: 20_261_202 },
	);
});

test('64,000 phone numbers are saved in well under 1 MB', () => {
	let seed = 1;
	const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
	const users = new Map<string, KnownUser>();
	while (users.size < 64_000) {
		const user = `91${6 + Math.floor(random() * 4)}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
		users.set(user, number(user));
	}
	const saved = encodeState(PN, [...users.values()]);
	expect(saved.length).toBeLessThan(400_000);
	expect(decodeState(saved, PN)).toHaveLength(64_000);

	// Every number listed with a BSUID too: the BSUIDs' random digits cost about 14 bytes each.
	let n = 0;
	const paired = [...users.values()].map((u) => ({
		...u,
		userId: `US.${13491208655302741918n + BigInt(n++) * 7919n * 104729n * 1000003n}`,
	}));
	const both = encodeState(PN, paired);
	expect(both.length).toBeLessThan(1_300_000);
	expect(byUser(decodeState(both, PN) ?? [])).toEqual(byUser(paired));
});

test('compare: blocked are the new ones, unblocked the gone ones, in list order', () => {
	const previous = [number('1'), number('2'), bsuid('US.3')];
	const current = [number('2'), number('4'), bsuid('US.5')];
	expect(compareBlocklists(previous, current)).toEqual({
		blocked: [number('4'), bsuid('US.5')],
		unblocked: [number('1'), bsuid('US.3')],
	});
});

test('compare: a user listed by BSUID, then by number and BSUID (or the reverse), has not changed', () => {
	const listedTwice = both('447700900123', 'GB.555');
	const noChange = { blocked: [], unblocked: [] };
	expect(compareBlocklists([bsuid('GB.555')], [listedTwice])).toEqual(noChange);
	expect(compareBlocklists([listedTwice], [number('447700900123')])).toEqual(noChange);
});

test('event items: the chosen kinds only, blocked first, one shape', () => {
	const changes = { blocked: [number('4')], unblocked: [bsuid('US.3', 'spam')] };
	const at = '2026-12-02T00:00:00.000Z';
	const where = { phoneNumberId: PN, detectedAt: at };
	expect(eventItems(changes, ['unblocked', 'blocked'], PN, at)).toEqual([
		{ event: 'blocked', user: '4', wa_id: '4', user_id: null, block_reason: 'manual', ...where },
		{
			event: 'unblocked',
			user: 'US.3',
			wa_id: null,
			user_id: 'US.3',
			block_reason: 'spam',
			...where,
		},
	]);
	expect(eventItems(changes, ['unblocked'], PN, at).map((i) => i.event)).toEqual(['unblocked']);
});
