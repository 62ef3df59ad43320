import { planOf } from '../../nodes/WhatsApp/users/numberingPlan';
import {
	normalisePhoneNumber,
	quoteInput,
	readDefaultCountryCode,
} from '../../nodes/WhatsApp/users/phone';
import { checkPhoneNumberId } from '../../nodes/WhatsApp/users/phoneNumberId';

describe('normalisePhoneNumber', () => {
	test.each([
		'12',
		'+0919999999999',
		'+91999999999999999',
		'abc',
		'+91 99x99',
		'++919999999999',
		'0',
		'',
	])('%j is refused with a reason', (input) => {
		const result = normalisePhoneNumber(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatch(input === '' ? /empty/ : /E\.164|country code/);
	});

	test('a very long input is shortened in the message', () => {
		const result = normalisePhoneNumber('9'.repeat(5000));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error.length).toBeLessThan(300);
	});
});

describe('normalisePhoneNumber: the number itself, in every style people write it (issue 21)', () => {
	test.each([
		['+919999999999', '+919999999999'],
		['+91 99999-99999', '+919999999999'],
		['+1 (415) 555.9876', '+14155559876'],
		['00919999999999', '+919999999999'],
		['919999999999', '+919999999999'],
		[' +44 20 7946 0958 ', '+442079460958'],
		['+91\u00a099999\u00a099999', '+919999999999'],
		['+44 (0)20 7946 0958', '+442079460958'],
		['+44(0)2079460958', '+442079460958'],
		['0044 (0) 20 7946 0958', '+442079460958'],
		['+49 (0)30 1234567', '+49301234567'],
		['+41 (0)44 668 18 00', '+41446681800'],
		['919999999999.0', '+919999999999'],
		['919999999999.00', '+919999999999'],
		['\u200e+91 99999 99999\u200e', '+919999999999'],
		['\u202a+91 99999 99999\u202c', '+919999999999'],
		['\u2066+91\u200b99999\u200d99999\u2069', '+919999999999'],
		['\ufeff919999999999', '+919999999999'],
		['+91\u202f99999\u200999999', '+919999999999'],
		['tel:+919999999999', '+919999999999'],
		['TEL:+91-99999-99999', '+919999999999'],
		['whatsapp:+14155559876', '+14155559876'],
		['WhatsApp:+1 415 555 9876', '+14155559876'],
		['+1\u2212415\u2212555\u22129876', '+14155559876'],
	])('%j is %s', (input, expected) => {
		const value = { user: expected, waId: expected.slice(1) };
		expect(normalisePhoneNumber(input)).toEqual({ ok: true, value });
	});

	test.each([
		['+4402079460958', /0 after the country code \+44.*Leave it out \(\+44 2079460958\)/],
		[
			'+9876543210',
			/country code \+98 have 6, 7 or 10 digits after the country code, this one has 8/,
		],
		[
			'9812300001',
			/a complete international number, and it is not one. Write it with its country code.*Default Country Code/,
		],
		[
			'9876543210',
			/not a valid phone number: without a \+ it must be a complete international number.*Default Country Code/,
		],
		[
			'98765 43210',
			/not a valid phone number: without a \+ it must be a complete international number.*Default Country Code/,
		],
		['09876543210', /\(it starts with 0\).*Default Country Code/],
		['919999999999.5', /decimal number/],
		['9.19999999999E+11', /scientific notation/],
		['+44 20 (0)7946 0958', /"\(0\)" that does not follow the country code/],
		['+2121234567', /no country code in use|country code \+212/],
		['+39 (0)6 6981 2345', /"\(0\)" after the country code \+39, whose numbers have no trunk 0/],
	])('%j is refused: %s', (input, reason) => {
		const result = normalisePhoneNumber(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatch(reason);
	});

	test('a refusal quotes the input with its invisible characters shown', () => {
		const result = normalisePhoneNumber('\u200e+98 7654 3210');
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error.startsWith('"\\u200e+98 7654 3210" ')).toBe(true);
		expect(quoteInput('a\u00a0b\u200bc d')).toBe('"a\\u00a0b\\u200bc d"');
	});
});

describe('normalisePhoneNumber with a Default Country Code', () => {
	test.each([
		['98765 43210', '91', '+919876543210'],
		['09876543210', '91', '+919876543210'],
		['9812300001', '91', '+919812300001'],
		['919999999999', '91', '+919999999999'],
		['+44 20 7946 0958', '91', '+442079460958'],
		['0044 20 7946 0958', '91', '+442079460958'],
		['020 7946 0958', '44', '+442079460958'],
		['(0)20 7946 0958', '44', '+442079460958'],
		['06 12 34 56 78', '33', '+33612345678'],
		['4155559876', '1', '+14155559876'],
		['06 698 12345', '39', '+390669812345'],
	])('%j with %s is %s', (input, code, expected) => {
		const value = { user: expected, waId: expected.slice(1) };
		expect(normalisePhoneNumber(input, planOf(code))).toEqual({ ok: true, value });
	});

	test.each([
		['12345', '91', /not a national number of \+91 \(10 digits, after a leading 0\)/],
		[
			'4930123456',
			'49',
			/could be \+494930123456 \(a national number\) or \+4930123456 \(with its country code\)/,
		],
	])('%j with %s is refused: %s', (input, code, reason) => {
		const result = normalisePhoneNumber(input, planOf(code));
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error).toMatch(reason);
	});
});

describe('readDefaultCountryCode', () => {
	test.each([undefined, null, '', '  '])('%j is not set', (value) => {
		expect(readDefaultCountryCode(value)).toEqual({ ok: true, value: undefined });
	});

	test.each([['91'], [' +91 '], ['0091'], [91]])('%j is India', (value) => {
		const read = readDefaultCountryCode(value);
		expect(read.ok && read.value?.code).toBe('91');
	});

	test.each(['0', '999', 'India', '+', 91.5, '1234', true])(
		'%j is refused, naming the option',
		(value) => {
			expect(readDefaultCountryCode(value)).toEqual({
				ok: false,
				error: expect.stringMatching(
					/^Default Country Code must be a country calling code in use, such as 91/,
				),
			});
		},
	);
});

describe('checkPhoneNumberId', () => {
	test('accepts digits, trimmed, and safe integers', () => {
		expect(checkPhoneNumberId(' 106540352242922 ')).toEqual({ ok: true, value: '106540352242922' });
		expect(checkPhoneNumberId(1234567)).toEqual({ ok: true, value: '1234567' });
	});

	test.each(['12/34', '..', '123?x=1', '123#a', '123%2F456', '12 34', '', 'abc'])(
		'refuses %j',
		(value) => {
			expect(checkPhoneNumberId(value).ok).toBe(false);
		},
	);
});
