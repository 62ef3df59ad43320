import {
	countryCodeOf,
	countryCodes,
	describeLengths,
	fitsPlan,
	planOf,
} from '../../nodes/WhatsApp/users/numberingPlan';

describe('the numbering plan table', () => {
	test('holds the assigned country codes, prefix-free, each with lengths that fit E.164', () => {
		const codes = countryCodes();
		expect(codes.length).toBeGreaterThan(200);
		for (const code of codes) {
			expect(code).toMatch(/^[1-9]\d{0,2}$/);
			for (const other of codes) if (other !== code) expect(other.startsWith(code)).toBe(false);
			const plan = planOf(code)!;
			expect(plan.lengths.size).toBeGreaterThan(0);
			expect(
				[...plan.lengths].some((length) => length + code.length >= 7 && length + code.length <= 15),
			).toBe(true);
		}
	});

	test.each([
		['98', '6, 7 or 10', true],
		['91', '10', true],
		['44', '9 or 10', true],
		['1', '10', false],
		['39', '6 to 12', false],
		['49', '5 to 15', true],
	])('%s: %s digits, trunk 0 %s', (code, lengths, trunk) => {
		const plan = planOf(code)!;
		expect(describeLengths(plan)).toBe(lengths);
		expect(plan.trunkZero).toBe(trunk);
	});

	test('finds the country code a number starts with, and checks the national number', () => {
		expect(countryCodeOf('9876543210')?.code).toBe('98');
		expect(countryCodeOf('14155559876')?.code).toBe('1');
		expect(countryCodeOf('2125551234')?.code).toBe('212');
		expect(countryCodeOf('8001234')).toBeUndefined();
		expect(fitsPlan(planOf('98')!, '76543210')).toBe(false);
		expect(fitsPlan(planOf('98')!, '9123456789')).toBe(true);
		expect(fitsPlan(planOf('44')!, '02079460958')).toBe(false);
		expect(fitsPlan(planOf('39')!, '0669812345')).toBe(true);
	});
});
