import { normalisePhoneNumber, splitUsersParameter } from '../../nodes/WhatsAppBlockUsers/helpers/phone';
import { checkPhoneNumberId } from '../../nodes/WhatsAppBlockUsers/helpers/phoneNumberId';

describe('normalisePhoneNumber', () => {
	test.each([
		['+919999999999', '+919999999999'],
		['+91 99999-99999', '+919999999999'],
		['+1 (415) 555.9876', '+14155559876'],
		['00919999999999', '+919999999999'],
		['919999999999', '+919999999999'],
		[' +44 20 7946 0958 ', '+442079460958'],
		['+91\u00a099999\u00a099999', '+919999999999'],
	])('%j becomes %s', (input, expected) => {
		const result = normalisePhoneNumber(input);
		expect(result).toEqual({ ok: true, value: { user: expected, waId: expected.slice(1) } });
	});

	test.each(['12', '+0919999999999', '+91999999999999999', 'abc', '+91 99x99', '++919999999999', '0', ''])(
		'%j is refused with a reason',
		(input) => {
			const result = normalisePhoneNumber(input);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.reason).toMatch(input === '' ? /empty/ : /E\.164/);
		},
	);

	test('a very long input is shortened in the message', () => {
		const result = normalisePhoneNumber('9'.repeat(5000));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason.length).toBeLessThan(300);
	});
});

describe('splitUsersParameter', () => {
	test('splits text on commas, semicolons and new lines, dropping empty pieces', () => {
		expect(splitUsersParameter('+911111111111, +912222222222;+913333333333\n+914444444444,')).toEqual([
			{ kind: 'value', input: '+911111111111' },
			{ kind: 'value', input: '+912222222222' },
			{ kind: 'value', input: '+913333333333' },
			{ kind: 'value', input: '+914444444444' },
		]);
	});

	test('accepts arrays of strings, numbers and objects with user', () => {
		expect(splitUsersParameter(['+911111111111', 919999999999, { user: '+912222222222' }, { wa_id: '913333333333' }])).toEqual([
			{ kind: 'value', input: '+911111111111' },
			{ kind: 'value', input: '919999999999' },
			{ kind: 'value', input: '+912222222222' },
			{ kind: 'value', input: '913333333333' },
		]);
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

describe('checkPhoneNumberId', () => {
	test('accepts digits, trimmed, and safe integers', () => {
		expect(checkPhoneNumberId(' 106540352242922 ')).toEqual({ ok: true, value: '106540352242922' });
		expect(checkPhoneNumberId(1234567)).toEqual({ ok: true, value: '1234567' });
	});

	test.each(['12/34', '..', '123?x=1', '123#a', '123%2F456', '12 34', '', 'abc'])('refuses %j', (value) => {
		const result = checkPhoneNumberId(value);
		expect(result.ok).toBe(false);
	});
});
