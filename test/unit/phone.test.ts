import { normalisePhoneNumber } from '../../nodes/WhatsAppBlockUsers/helpers/phone';
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
