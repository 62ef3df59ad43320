/**
 * Property (issue 21): normalisation never invents a number. Any valid E.164 number (a
 * country code of the numbering plan and a national number of one of its lengths), written
 * in any of the styles people use, comes out as itself or is refused with a reason, never as
 * another number; with or without a Default Country Code. Pure: no sandbox, fast.
 */
import fc from 'fast-check';

import { countryCodes, planOf } from '../../nodes/WhatsApp/users/numberingPlan';
import { normalisePhoneNumber } from '../../nodes/WhatsApp/users/phone';
import { parseUser } from '../../nodes/WhatsApp/users/users';
import { validNumber } from './support/model';

const SEED = Number(process.env.PROPERTY_SEED ?? 42);
const RUNS = 4000;

const MARKS = [
	'\u200e',
	'\u200f',
	'\u200b',
	'\u200c',
	'\u200d',
	'\u2060',
	'\ufeff',
	'\u202a',
	'\u202b',
	'\u202c',
	'\u202d',
	'\u202e',
	'\u2066',
	'\u2067',
	'\u2068',
	'\u2069',
	'\u00ad',
];
const SPACES = [' ', '\u00a0', '\u202f', '\u2009', '\u2007', '\u3000', '\t'];
const DASHES = ['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212'];

interface Written {
	text: string;
	/** Whether the style drops the country code's `+` and `00` (a WhatsApp ID, a float). */
	bare: boolean;
}

/** Cuts the national number into groups of 1 to 4 digits joined by a separator. */
function grouped(digits: string, sizes: number[], sep: string): string {
	const parts: string[] = [];
	let at = 0;
	for (let i = 0; at < digits.length; i++) {
		const size = sizes[i % sizes.length];
		parts.push(digits.slice(at, at + size));
		at += size;
	}
	return parts.join(sep);
}

/** One way of writing a number `+<code><national>`, as people and upstream nodes do. */
const styled = (code: string, national: string): fc.Arbitrary<Written> =>
	fc
		.record({
			prefix: fc.constantFrom('+', '00', '+ ', '+', ''),
			sep: fc.constantFrom('', ...SPACES, ...DASHES, '.', ' - ', '/'.slice(1)),
			sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
			brackets: fc.constantFrom('none', 'code', 'area', 'trunk'),
			float: fc.constantFrom('', '', '.0', '.00'),
			scheme: fc.constantFrom('', '', 'tel:', 'TEL:', 'whatsapp:', 'WhatsApp:'),
			marks: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...MARKS)), { maxLength: 4 }),
			pad: fc.constantFrom('', ' ', '\u00a0', '\t'),
		})
		.map((s) => {
			const bare = s.prefix === '';
			const prefix = bare ? '' : s.prefix;
			let body: string;
			if (bare)
				body = `${code}${national}${s.float}`; // a WhatsApp ID, or a float's text
			else {
				const rest = grouped(national, s.sizes, s.sep);
				const trunk = s.brackets === 'trunk' && planOf(code)?.trunkZero ? `${s.sep || ' '}(0)` : '';
				const head = s.brackets === 'code' ? `(${prefix}${code})` : `${prefix}${code}`;
				const first = national.slice(0, s.sizes[0]);
				const tail =
					s.brackets === 'area' && first.length > 1
						? `(${first})${s.sep}${grouped(national.slice(first.length), s.sizes, s.sep)}`
						: rest;
				body = `${head}${trunk}${s.sep || ' '}${tail}`;
			}
			let text = `${s.scheme}${body}`;
			for (const [at, mark] of s.marks) {
				const i = at % (text.length + 1);
				text = `${text.slice(0, i)}${mark}${text.slice(i)}`;
			}
			return { text: `${s.pad}${text}${s.pad}`, bare };
		});

const written = validNumber.chain((n) =>
	styled(n.code, n.national).map((w) => ({
		...w,
		number: `+${n.code}${n.national}`,
		code: n.code,
	})),
);

describe('normalisation never invents a number', () => {
	test('every valid number in every style comes out as itself or is refused with a reason', () => {
		let same = 0;
		let refused = 0;
		fc.assert(
			fc.property(
				written,
				fc.option(fc.constantFrom(...countryCodes()), { nil: undefined }),
				(w, homeCode) => {
					const home = homeCode === undefined ? undefined : planOf(homeCode);
					const result = normalisePhoneNumber(w.text, home);
					if (result.ok) {
						// A bare number with another country's default code is a national number of that country, by the option's meaning.
						if (w.bare && home !== undefined && home.code !== w.code) return;
						expect(result.value.user).toBe(w.number);
						same++;
					} else {
						expect(result.error).toMatch(/^".*" .{20,}/s);
						refused++;
					}
					const user = parseUser(w.text, home);
					expect(user.ok ? user.value.user : null).toBe(result.ok ? result.value.user : null);
				},
			),
			{ numRuns: RUNS, seed: SEED },
		);
		if (process.env.PHONE_STATS) console.log({ same, refused });
		// Most styles are read, not refused: the property is not met by refusing everything.
		expect(same).toBeGreaterThan(refused * 4);
	});

	test('without a Default Country Code, a styled number with its + or 00 always comes out as itself', () => {
		fc.assert(
			fc.property(written, (w) => {
				if (w.bare) return;
				expect(normalisePhoneNumber(w.text)).toEqual({
					ok: true,
					value: { user: w.number, waId: w.number.slice(1) },
				});
			}),
			{ numRuns: RUNS, seed: SEED },
		);
	});
});
