/** The Users parameter: one user parsed (number or BSUID), and the field split into entries. */
import { planOf } from '../../nodes/WhatsApp/users/numberingPlan';
import { parseUser, requestEntry, splitUsersParameter } from '../../nodes/WhatsApp/users/users';

/** A user read: the key it is sent by, its wa_id and its BSUID. */
const parsed = (user: string, waId: string | null, userId: string | null) => ({
	ok: true,
	value: { user, waId, userId },
});
const NUMBER = parsed('+919999999999', '919999999999', null);

describe('parseUser: a phone number or a BSUID', () => {
	test.each([
		['US.13491208655302741918', 'US.13491208655302741918'],
		['US.ENT.11815799212886844830', 'US.ENT.11815799212886844830'],
		[' GB.1 ', 'GB.1'],
		['us.13491208655302741918', 'US.13491208655302741918'],
		['in.ent.42', 'IN.ENT.42'],
		// Meta's grammar: up to 128 letters and digits after the period, their case kept.
		['US.12a', 'US.12a'],
		['us.AbC9xYz', 'US.AbC9xYz'],
		[`US.${'1'.repeat(33)}`, `US.${'1'.repeat(33)}`],
		[`BR.${'aZ'.repeat(64)}`, `BR.${'aZ'.repeat(64)}`],
	])('%j is the BSUID %s, sent as user_id', (input, expected) => {
		expect(parseUser(input)).toEqual(parsed(expected, null, expected));
		expect(requestEntry(expected)).toEqual({ user_id: expected });
	});

	test('a phone number is sent as user, with its wa_id', () => {
		expect(parseUser('+91 99999 99999')).toEqual(NUMBER);
		expect(requestEntry('+919999999999')).toEqual({ user: '+919999999999' });
	});

	test.each([
		'USA.123',
		'U.123',
		'US123',
		'US.',
		'US.ab-c',
		'US.ENT.',
		'US.XYZ.123',
		'US-123',
		'US.1.2',
		`US.${'1'.repeat(129)}`,
		'US.é1',
		'abc',
	])('%j is refused, saying what a BSUID looks like', (input) => {
		const result = parseUser(input);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.error).toContain('BSUID');
			expect(result.error).toContain(
				'two capital letters, a dot and up to 128 letters and digits, such as US.13491208655302741918',
			);
		}
	});

	test('a tel: or whatsapp: link is a phone number, and invisible marks hide neither numbers nor BSUIDs (issue 21)', () => {
		for (const input of ['tel:+919999999999', 'whatsapp:+919999999999', '\u200e+91 99999 99999'])
			expect(parseUser(input)).toEqual(NUMBER);
		const bsuid = 'US.13491208655302741918';
		expect(parseUser(`\u200e${bsuid}\u200f`)).toEqual(parsed(bsuid, null, bsuid));
	});

	test('a Default Country Code reads numbers without one as national numbers', () => {
		expect(parseUser('98765 43210')).toMatchObject({ ok: false });
		expect(parseUser('98765 43210', planOf('91'))).toEqual(
			parsed('+919876543210', '919876543210', null),
		);
	});

	test('something that starts like a number is judged as a phone number', () => {
		const result = parseUser('+91 99x99');
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatch(/E\.164/);
	});
});

describe('splitUsersParameter', () => {
	test('splits text on commas, semicolons and new lines, dropping empty pieces', () => {
		expect(
			splitUsersParameter('+911111111111, +912222222222;+913333333333\n+914444444444,'),
		).toEqual([
			{ kind: 'value', input: '+911111111111' },
			{ kind: 'value', input: '+912222222222' },
			{ kind: 'value', input: '+913333333333' },
			{ kind: 'value', input: '+914444444444' },
		]);
	});

	test('accepts arrays of strings, numbers and objects with user, user_id or wa_id', () => {
		expect(
			splitUsersParameter([
				'+911111111111',
				919999999999,
				{ user: '+912222222222' },
				{ wa_id: '913333333333' },
				{ user_id: 'US.13491208655302741918' },
				{ user: null, user_id: 'US.ENT.11815799212886844830', wa_id: null },
				{ user: '+914444444444', user_id: 'US.1' },
				{ user: '', user_id: 'US.1' },
			]),
		).toEqual([
			{ kind: 'value', input: '+911111111111' },
			{ kind: 'value', input: '919999999999' },
			{ kind: 'value', input: '+912222222222' },
			// A wa_id is an international number without its plus, never read as national.
			{ kind: 'value', input: '913333333333', international: true },
			{ kind: 'value', input: 'US.13491208655302741918' },
			{ kind: 'value', input: 'US.ENT.11815799212886844830' },
			// By its number, the BSUID kept beside it; a blank field names nobody.
			{ kind: 'value', input: '+914444444444', userId: 'US.1' },
			{ kind: 'value', input: 'US.1' },
		]);
	});

	test('a text list may mix numbers and BSUIDs', () => {
		expect(
			splitUsersParameter('+911111111111, US.13491208655302741918\nGB.7').map((e) => e.input),
		).toEqual(['+911111111111', 'US.13491208655302741918', 'GB.7']);
	});

	test('accepts a JSON array written as text', () => {
		expect(splitUsersParameter('["+911111111111", 912222222222]').map((e) => e.input)).toEqual([
			'+911111111111',
			'912222222222',
		]);
	});

	test('keeps empty, null and odd array elements as unusable entries, never drops them', () => {
		const entries = splitUsersParameter(['', null, { name: 'x' }, 1.5, ['+911111111111']]);
		expect(entries).toHaveLength(5);
		expect(entries.every((e) => e.kind === 'unusable')).toBe(true);
	});

	test('an empty field gives no entries', () => {
		expect(splitUsersParameter('')).toEqual([]);
		expect(splitUsersParameter(' , ; ')).toEqual([]);
		expect(splitUsersParameter(undefined)).toEqual([]);
		expect(splitUsersParameter([])).toEqual([]);
	});
});
