/**
 * The national numbering plans of the ITU-T E.164 country codes, compactly: for each country
 * code, the lengths a national significant number (the digits after the country code) of a
 * subscriber can have, and whether the country dials national numbers with a trunk prefix 0
 * (which is never part of the number: `020 7946 0958` is +44 20 7946 0958).
 *
 * Written for this package from the public metadata of Google's libphonenumber (as packaged
 * by libphonenumber-js 1.13.18): the lengths are the union of the fixed-line, mobile,
 * personal and VoIP number lengths of every territory that shares the code (toll-free,
 * premium and short numbers are no user's WhatsApp number). Exact sets, not ranges: Iran
 * (98) has 6, 7 and 10 digits, so an 8-digit `+98 7654 3210` is not a number. The trunk flag
 * is set only where the trunk prefix is 0 and no national number starts with 0. Codes used by
 * no subscriber (800, 808, 888, 979) are left out. Pure data and lookups, no dependencies.
 *
 * Entry syntax: `code:lengths[/0]`, lengths as `a-b` ranges and single values, comma-separated.
 */

const PLAN_TEXT =
	'1:10 7:10 20:8-10/0 27:5-9/0 30:10 31:9,11/0 32:8-9/0 33:9/0 34:9 36:8-9 39:6-12 40:6,9/0 41:9/0 ' +
	'43:4-13/0 44:9-10/0 45:8 46:7-9/0 47:8 48:7,9 49:5-15/0 51:8-9/0 52:10 53:6-8,10/0 54:10-11/0 ' +
	'55:10-11/0 56:9 57:8,10/0 58:10/0 60:8-10/0 61:9/0 62:7-12/0 63:6,8-10/0 64:8-10/0 65:8 66:8-9/0 ' +
	'81:9-10/0 82:5-6,8-11/0 84:9-10/0 86:7-11/0 90:10/0 91:10/0 92:9-10/0 93:9/0 94:9/0 95:6-10/0 ' +
	'98:6-7,10/0 211:9/0 212:9/0 213:8-9/0 216:8 218:9/0 220:7,9 221:9 222:8 223:8 224:8-9 225:10 ' +
	'226:8 227:8 228:8 229:10 230:7-8 231:7-9/0 232:8/0 233:9/0 234:10/0 235:8 236:8 237:9 238:7 ' +
	'239:7 240:9 241:7-8 242:9 243:7-10/0 244:9 245:7,9 246:7 247:5 248:7 249:9/0 250:8-9 251:9/0 ' +
	'252:6-9/0 253:8 254:7-9/0 255:9/0 256:9/0 257:8 258:8-9 260:9/0 261:9/0 262:9/0 263:9-10/0 ' +
	'264:8-9/0 265:7,9/0 266:8 267:7-8 268:8 269:7 290:4-5 291:7/0 297:7 298:6 299:6 350:8 351:9 ' +
	'352:4-11 353:7-10/0 354:7,9 355:8-9/0 356:8 357:8 358:5-10/0 359:6-9/0 370:8/0 371:8 372:7-8 ' +
	'373:8/0 374:8/0 375:9 376:6,9 377:8-9/0 378:8,10 380:9/0 381:7-12/0 382:8/0 383:8-12/0 385:8-9/0 ' +
	'386:8/0 387:8-9/0 389:8/0 420:9 421:6-7,9/0 423:7,9/0 500:5 501:7 502:8 503:8 504:8 505:8 506:8 ' +
	'507:7-8 508:6,9/0 509:8 590:9/0 591:8/0 592:7 593:8-9/0 594:9/0 595:7-9/0 596:9/0 597:6-7 ' +
	'598:8/0 599:7-8 670:7-8 672:6 673:7 674:7 675:7-8 676:5,7 677:5,7 678:5,7 679:7 680:7 681:6 ' +
	'682:5 683:4,7 685:5-7,10 686:5,8/0 687:6 688:5-7 689:8 690:4-7 691:7 692:7 ' +
	'850:8,10/0 852:8 853:8 855:8-9/0 856:8-10/0 870:9,12 878:12 880:6-10/0 881:9-10 882:7-12 ' +
	'883:8-12 886:8-11/0 960:7 961:7-8/0 962:8-9/0 963:8-9/0 964:8-10/0 965:8 966:9/0 967:7-9/0 ' +
	'968:8 970:8-9/0 971:8-9/0 972:8-9,11-12/0 973:8 974:8 975:7-8 976:8-10/0 977:8,10/0 992:9 ' +
	'993:8 994:9/0 995:9/0 996:9/0 998:9';

export interface NationalPlan {
	/** The country code, 1 to 3 digits. */
	code: string;
	/** The lengths of a national significant number. */
	lengths: ReadonlySet<number>;
	/** Whether national numbers are dialled with a trunk prefix 0 that is not part of them. */
	trunkZero: boolean;
}

function lengthsOf(text: string): Set<number> {
	const lengths = new Set<number>();
	for (const part of text.split(',')) {
		const [from, to = from] = part.split('-').map(Number);
		for (let length = from; length <= to; length++) lengths.add(length);
	}
	return lengths;
}

function parsePlan(text: string): Map<string, NationalPlan> {
	const plans = new Map<string, NationalPlan>();
	for (const entry of text.trim().split(/\s+/)) {
		const [code, rest] = entry.split(':');
		const [lengths, trunk] = rest.split('/');
		plans.set(code, { code, lengths: lengthsOf(lengths), trunkZero: trunk === '0' });
	}
	return plans;
}

const PLANS = parsePlan(PLAN_TEXT);

/** The plan of a country code (`'44'`), if the code is assigned to subscribers. */
export function planOf(code: string): NationalPlan | undefined {
	return PLANS.get(code);
}

/** Every country code in the table, for tests. */
export function countryCodes(): string[] {
	return [...PLANS.keys()];
}

/**
 * The country code an international number (digits after the `+`) starts with. Country codes
 * are prefix-free, so at most one of the first 1, 2 or 3 digits is one.
 */
export function countryCodeOf(digits: string): NationalPlan | undefined {
	for (let length = 1; length <= 3; length++) {
		const plan = PLANS.get(digits.slice(0, length));
		if (plan !== undefined) return plan;
	}
	return undefined;
}

/** Whether a national significant number has a length the country's plan has. */
export function fitsPlan(plan: NationalPlan, national: string): boolean {
	return plan.lengths.has(national.length) && !(plan.trunkZero && national.startsWith('0'));
}

/** The lengths of a plan as people read them: "10", "9 or 10", "5 to 15". */
export function describeLengths(plan: NationalPlan): string {
	const sorted = [...plan.lengths].sort((a, b) => a - b);
	const contiguous = sorted[sorted.length - 1] - sorted[0] === sorted.length - 1;
	if (sorted.length === 1) return String(sorted[0]);
	if (contiguous && sorted.length > 2) return `${sorted[0]} to ${sorted[sorted.length - 1]}`;
	return `${sorted.slice(0, -1).join(', ')} or ${sorted[sorted.length - 1]}`;
}
