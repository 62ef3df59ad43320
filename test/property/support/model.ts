/**
 * What the property tests generate: user lists in every form the node accepts (and many it
 * must refuse), spread over items, and random server behaviour. Each generated entry says
 * what kind it is (a valid user with its canonical form, an E.164 number or a BSUID, an
 * entry the node must refuse, or arbitrary text whose fate is unknown), so the checks know
 * what to expect of it.
 */
import fc from 'fast-check';

import {
	countryCodes,
	type NationalPlan,
	planOf,
} from '../../../nodes/WhatsApp/users/numberingPlan';
import type { Behaviour } from '../../../sandbox/server';
import { PHONE_A, PHONE_B, PHONE_FORBIDDEN, PHONE_UNKNOWN, type Step } from './world';

// ---------------------------------------------------------------------------------------
// Entries

export type EntryKind = 'valid' | 'invalid' | 'unknown';

export interface Entry {
	/** What goes into the item: a text piece, an array element, or the whole field. */
	value: unknown;
	kind: EntryKind;
	/** E.164 or a BSUID, for valid entries. */
	canonical?: string;
	/** A string without list separators or brackets: usable as a piece of a text list. */
	textSafe: boolean;
}

/** One of the values, each drawn with its weight (fast-check's weighted `oneof` of constants). */
export const weighted = <T>(...choices: Array<[number, T]>): fc.Arbitrary<T> =>
	fc.oneof(...choices.map(([weight, value]) => ({ weight, arbitrary: fc.constant(value) })));

const digits = (min: number, max: number) =>
	fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/**
 * A valid number of the numbering plan: a country code in use and a national number of one of
 * its lengths (not starting with the trunk 0 where there is one), 7 to 15 digits in all.
 */
export const validNumber = fc.constantFrom(...countryCodes()).chain((code) => {
	const plan = planOf(code) as NationalPlan;
	const lengths = [...plan.lengths].filter(
		(length) => length + code.length >= 7 && length + code.length <= 15,
	);
	return fc
		.constantFrom(...lengths)
		.chain((length) =>
			fc
				.tuple(fc.integer({ min: plan.trunkZero ? 1 : 0, max: 9 }), digits(length - 1, length - 1))
				.map(([first, rest]) => ({ code, national: `${first}${rest}` })),
		);
});

/** A valid E.164 number: '+', a country code of the numbering plan, a national number that fits it. */
export const canonicalNumber = validNumber.map((n) => `+${n.code}${n.national}`);

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * The ID of a BSUID after its period(s), by Meta's grammar (revision 2026-06-29): 1 to 128
 * letters and digits, case kept. Mostly digits (what WhatsApp hands out today), now and then
 * letters and digits (`aZ09...`), rarely the longest.
 */
const bsuidId = fc.oneof(
	{ weight: 6, arbitrary: digits(1, 20) },
	{
		weight: 2,
		arbitrary: fc.string({ unit: fc.constantFrom(...ALPHANUMERIC), minLength: 1, maxLength: 24 }),
	},
	{
		weight: 1,
		arbitrary: fc.string({
			unit: fc.constantFrom(...ALPHANUMERIC),
			minLength: 100,
			maxLength: 128,
		}),
	},
);

/** A BSUID (two capital letters, a dot, letters and digits) or, now and then, a parent BSUID. */
export const canonicalBsuid = fc
	.tuple(fc.constantFrom('US', 'IN', 'GB', 'BR'), weighted([4, ''], [1, 'ENT.']), bsuidId)
	.map(([country, parent, id]) => `${country}.${parent}${id}`);

/** Meta's grammar of a BSUID or a parent BSUID (what the node may read or, for a non-parent, send). */
export const BSUID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;
/** A parent BSUID: matched against a list, never sent in a block or unblock. */
export const PARENT = /^[A-Z]{2}\.ENT\.[A-Za-z0-9]{1,128}$/;
export const isParentBsuid = (user: string): boolean => PARENT.test(user);

/** A user of a pool: mostly phone numbers, some known only by a BSUID. */
export const canonicalUser = fc.oneof(
	{ weight: 3, arbitrary: canonicalNumber },
	{ weight: 1, arbitrary: canonicalBsuid },
);

export const isBsuidUser = (user: string): boolean => !user.startsWith('+');

/** How the sandbox's blocklist holds a user: a number without its plus, a BSUID as it is. */
export const listKey = (user: string): string => (isBsuidUser(user) ? user : user.slice(1));

function groups(d: string, sep: string): string {
	return d.replace(/(\d{3})(?=\d)/g, `$1${sep}`);
}

/** Ways people (and upstream nodes) write a valid number. */
const TEXT_FORMATS: Array<(c: string) => string> = [
	(c) => c,
	(c) => c.slice(1), // wa_id form
	(c) => `00${c.slice(1)}`,
	(c) => `+${groups(c.slice(1), ' ')}`,
	(c) => `+${groups(c.slice(1), '-')}`,
	(c) => `+${groups(c.slice(1), '.')}`,
	(c) => `(${c.slice(0, 3)}) ${c.slice(3)}`,
	(c) => `  ${c}\t `,
	(c) => `+${groups(c.slice(1), '\u00a0')}`,
	(c) => `${c.slice(0, 3)}\u2013${c.slice(3)}`,
];
const OTHER_FORMATS: Array<(c: string) => unknown> = [
	(c) => Number(c.slice(1)), // a JS number (15 digits at most: always a safe integer)
	(c) => ({ user: c }),
	(c) => ({ wa_id: c.slice(1) }),
	(c) => ({ user: Number(c.slice(1)), name: 'from an upstream node' }),
];

/** Ways to write a BSUID: as text (the country letters in either case), or in an object. */
const BSUID_TEXT_FORMATS: Array<(c: string) => string> = [
	(c) => c,
	(c) => ` ${c}\t`,
	(c) => c.replace(/^[A-Z]{2}/, (cc) => cc.toLowerCase()),
];
const BSUID_OTHER_FORMATS: Array<(c: string) => unknown> = [
	(c) => ({ user_id: c }),
	(c) => ({ user: c }),
	(c) => ({ user: null, user_id: c, wa_id: null, status: 'blocked' }),
	(c) => ({ user: '', user_id: c }), // a blank field names nobody: the BSUID is the user
];

/** One way of writing a canonical user, picked by a random number: text (text-safe) or another value. */
function formatOf(c: string, pick: number, asText: boolean): unknown {
	const formats = asText
		? isBsuidUser(c)
			? BSUID_TEXT_FORMATS
			: TEXT_FORMATS
		: isBsuidUser(c)
			? BSUID_OTHER_FORMATS
			: OTHER_FORMATS;
	return formats[pick % formats.length](c);
}

export function validEntry(pool: readonly string[]): fc.Arbitrary<Entry> {
	const written = (asText: boolean) =>
		fc.tuple(fc.constantFrom(...pool), fc.nat()).map(([c, pick]) => ({
			value: formatOf(c, pick, asText),
			kind: 'valid' as const,
			canonical: c,
			textSafe: asText,
		}));
	return fc.oneof(
		{ weight: 3, arbitrary: written(true) },
		{ weight: 1, arbitrary: written(false) },
	);
}

/** Text the node must refuse, safe to put in a text list. */
const invalidText: fc.Arbitrary<string> = fc.oneof(
	fc.tuple(fc.integer({ min: 1, max: 9 }), digits(0, 5)).map(([a, b]) => `+${a}${b}`), // too short
	fc.tuple(fc.integer({ min: 1, max: 9 }), digits(15, 19)).map(([a, b]) => `+${a}${b}`), // too long
	digits(6, 12).map((d) => `+0${d}`), // leading zero
	fc.constantFrom(
		'abc',
		'n/a',
		'unknown',
		'+91abc4567890',
		'tel:+91abc',
		'+',
		'++919999999999',
		'#',
		'null',
		'+91 99999 9999x',
		'\u0661\u0662\u0663\u0664\u0665\u0666\u0667',
	),
	// Almost BSUIDs.
	// (`US.1349x` and `US.` + 33 digits are BSUIDs by Meta's grammar of 2026-06-29.)
	fc.constantFrom(
		'US.',
		'USA.1349120865',
		'USA.1',
		'U.1349',
		'US-13491208655302741918',
		'US.13-49',
		'US.ENT.',
		'US.XYZ.1',
		'US..1',
		'US.ENT..1',
		`US.${'1'.repeat(129)}`,
		`US.ENT.${'a'.repeat(129)}`,
		'US.1349_x',
		'US 13491208655302741918',
	),
	fc.integer({ min: 500, max: 20_000 }).map((n) => 'x'.repeat(n)), // very long
	fc.integer({ min: 16, max: 5_000 }).map((n) => '9'.repeat(n)), // very long digits
);

/** Values the node must refuse that only make sense as array elements (or the whole field). */
const invalidOther: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
	null,
	true,
	false,
	'',
	'   ',
	'\t\n',
	{},
	{ name: 'no number here' },
	{ user: null },
	{ user: '' },
	{ user_id: 'US-1' },
	{ user_id: null, wa_id: null },
	['+919999999999'],
	1.5,
	-2.25,
	1e20,
	0,
	123_456,
	Number.MAX_SAFE_INTEGER + 2,
	-919_999_999_999, // a negative number is not a phone number (the minus is not a dash)
	'+919999999999, +919888888888', // one array element with a separator is one (bad) entry
	'+919999999999;+919888888888',
);

export const invalidEntry: fc.Arbitrary<Entry> = fc.oneof(
	{
		weight: 3,
		arbitrary: invalidText.map((value) => ({ value, kind: 'invalid' as const, textSafe: true })),
	},
	{
		weight: 2,
		arbitrary: invalidOther.map((value) => ({ value, kind: 'invalid' as const, textSafe: false })),
	},
);

const SEPARATOR_OR_BRACKET = /[,;\r\n[\]]/;

/** Arbitrary text or values, whose fate the test does not predict (only that it comes out once). */
export const unknownEntry: fc.Arbitrary<Entry> = fc.oneof(
	fc
		.string({ maxLength: 24 })
		.filter((s) => s.trim() !== '' && !SEPARATOR_OR_BRACKET.test(s))
		.map((value) => ({ value, kind: 'unknown' as const, textSafe: true })),
	fc
		.string({ unit: 'grapheme', maxLength: 16 })
		.map((value) => ({ value, kind: 'unknown' as const, textSafe: false })),
	fc.integer().map((value) => ({ value, kind: 'unknown' as const, textSafe: false })),
	fc
		.double({ noNaN: true, noDefaultInfinity: true })
		.map((value) => ({ value, kind: 'unknown' as const, textSafe: false })),
);

export function anyEntry(pool: readonly string[]): fc.Arbitrary<Entry> {
	return fc.oneof(
		{ weight: 6, arbitrary: validEntry(pool) },
		{ weight: 3, arbitrary: invalidEntry },
		{ weight: 1, arbitrary: unknownEntry },
	);
}

// ---------------------------------------------------------------------------------------
// The Users field of one item

export type UsersMode = 'text' | 'array' | 'jsonText' | 'single' | 'none';

export interface UsersField {
	mode: UsersMode;
	/** The item's `users` value; `undefined` means the key is absent. */
	value: unknown;
	/** The entries the node should see, in order (empty: the item has no users). */
	entries: Entry[];
}

const SEPARATORS = [',', ';', '\n', ', ', ' ; ', '\r\n', ',,', ',\n', ', ,', ';; \t;'];

function textField(entries: Entry[]): fc.Arbitrary<UsersField> {
	return fc
		.tuple(
			fc.array(fc.constantFrom(...SEPARATORS), {
				minLength: entries.length,
				maxLength: entries.length,
			}),
			fc.constantFrom('', ', ', ' ;', '\n'),
			fc.constantFrom('', ',', ';\n', ' , '),
		)
		.map(([seps, lead, trail]) => {
			const text = entries.map((e, i) => (i === 0 ? '' : seps[i]) + String(e.value)).join('');
			return { mode: 'text' as const, value: `${lead}${text}${trail}`, entries };
		});
}

export function usersField(
	pool: readonly string[],
	maxEntries: number,
	minEntries = 0,
	large = false,
): fc.Arbitrary<UsersField> {
	const entries = (textOnly: boolean, min: number) =>
		fc.array(textOnly ? anyEntry(pool).filter((e) => e.textSafe) : anyEntry(pool), {
			minLength: Math.max(min, minEntries),
			maxLength: maxEntries,
			...(large ? { size: 'max' as const } : {}),
		});
	return fc.oneof(
		{ weight: 7, arbitrary: entries(true, 1).chain(textField) },
		{
			weight: 7,
			arbitrary: entries(false, 0).map((es) => ({
				mode: 'array' as const,
				value: es.map((e) => e.value),
				entries: es,
			})),
		},
		{
			weight: 2,
			arbitrary: fc.tuple(entries(false, 0), fc.constantFrom('', '  ', '\n')).map(([es, pad]) => ({
				mode: 'jsonText' as const,
				value: `${pad}${JSON.stringify(es.map((e) => e.value))}${pad}`,
				entries: es,
			})),
		},
		{
			weight: 2,
			arbitrary: anyEntry(pool)
				.filter(
					(e) =>
						e.value !== null &&
						!Array.isArray(e.value) &&
						(typeof e.value !== 'string' || e.textSafe),
				)
				.map((e) => ({ mode: 'single' as const, value: e.value, entries: [e] })),
		},
		{
			weight: 1,
			arbitrary: fc
				.constantFrom<unknown>(undefined, null, '', '   ', ' , ;\n ', [], '[]', ' [ ] ')
				.map((value) => ({ mode: 'none' as const, value, entries: [] as Entry[] })),
		},
	);
}

/**
 * How many occurrences the node must output for a Users value, by the node's documented
 * rules, written independently of its code: a text list splits on commas, semicolons and
 * new lines and drops empty pieces; a JSON array written as text and a real array keep every
 * element; anything else is one entry; no entries at all is one failed item.
 */
export function occurrencesByRules(value: unknown): number {
	let entries: number;
	if (value === undefined || value === null) entries = 0;
	else if (Array.isArray(value)) entries = value.length;
	else if (typeof value === 'string') {
		const text = value.trim();
		let parsed: unknown;
		if (text.startsWith('[') && text.endsWith(']')) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = undefined;
			}
		}
		entries = Array.isArray(parsed)
			? parsed.length
			: text
					.split(/[,;\r\n]+/)
					.map((piece) => piece.trim())
					.filter((piece) => piece !== '').length;
	} else entries = 1;
	return Math.max(1, entries);
}

/**
 * The `input` the node echoes for an entry, where it is the user's own text or number
 * (undefined for values it describes instead, such as null or an object without a number).
 */
export function expectedInput(value: unknown, fromText: boolean): string | undefined {
	if (typeof value === 'string') {
		if (fromText) return value.trim();
		return value.trim() === '' ? value : value.trim();
	}
	if (typeof value === 'number') return String(value);
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const record = value as Record<string, unknown>;
		// By number first (`user`, then `wa_id`), then the BSUID; a blank field names nobody.
		const present = (v: unknown) =>
			typeof v === 'number' || (typeof v === 'string' && v.trim() !== '') ? v : undefined;
		const inner = present(record.user) ?? present(record.wa_id) ?? present(record.user_id);
		if (inner !== undefined) return expectedInput(inner, false);
		if (['user', 'wa_id', 'user_id'].some((field) => typeof record[field] === 'string')) return '';
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------
// Items, phone number IDs and the rest of a Block/Unblock run

export type PhoneKind = 'A' | 'B' | 'unknown' | 'forbidden' | 'bad';

export interface Item {
	users: UsersField;
	/** The item's `phone` value (undefined: the key is absent, so the credential's is used). */
	phone: unknown;
	phoneKind: PhoneKind;
}

export const BAD_PHONE_NUMBER_IDS = [
	'12/34',
	'..',
	'../100000000000001',
	'100000000000001/../x',
	'1?x=1',
	'1#2',
	'1%2F2',
	'12 34',
	'abc',
	'\uff11\uff12\uff13',
	'100000000000001\n2',
	'1e5',
	'-100000000000001',
] as const;

export const goodPhone: fc.Arbitrary<{ phone: unknown; phoneKind: PhoneKind }> = fc.oneof(
	{ weight: 10, arbitrary: fc.constant({ phone: undefined, phoneKind: 'A' as const }) },
	{
		weight: 2,
		arbitrary: fc.constantFrom('', '  ').map((phone) => ({ phone, phoneKind: 'A' as const })),
	},
	{
		weight: 3,
		arbitrary: fc
			.constantFrom<unknown>(PHONE_B, Number(PHONE_B), ` ${PHONE_B} `)
			.map((phone) => ({ phone, phoneKind: 'B' as const })),
	},
);

/**
 * What goes wrong with the phone number IDs of a run: nothing; 'unknown': some items, anywhere
 * in the item order, go to a phone number ID the server does not know (404) or that the key may
 * not change (403), beside items on good ones (Block and Unblock; Check and Sync: one item on
 * an unknown ID); one item's ID is unsafe; the key is wrong (401 everywhere).
 */
export type PhoneMode = 'normal' | 'unknown' | 'bad' | 'wrongKey';

export interface ChangeCase {
	operation: 'block' | 'unblock';
	pool: string[];
	items: Item[];
	phoneMode: PhoneMode;
	/** Canonical users already on each blocklist before the run, plus strangers. */
	preseed: { A: string[]; B: string[] };
	reengagementRequired: string[];
	blocklistCap: number;
	/** The code of the sandbox's "already blocked" / "not blocked" answers. */
	noChangeCode: 100 | 139100;
	/** Whether the sandbox's answers give a parent BSUID beside a BSUID. */
	parentUserIds: boolean;
	options: {
		batchSize: number;
		maxConcurrency: number;
		maxRetries: number;
		retryDelay: number;
		timeout: number;
	};
	continueOnFail: boolean;
	/** The node setting Retry On Fail (n8n runs the node up to RETRY_ON_FAIL_TRIES times when it throws). */
	retryOnFail: boolean;
	script: Step[];
	/** The credential's key has spaces around it (the node must still scrub it). */
	paddedKey: boolean;
	/** How Users and Phone Number ID map the item's fields: see `expressionsArb`. */
	expressions: { users: string; phone: string };
}

/** Tries of Retry On Fail in the runs that turn it on (n8n's default is 3). */
export const RETRY_ON_FAIL_TRIES = 3;

/**
 * How Users and Phone Number ID map the item's fields. The node reads a plain
 * `{{ $json.field }}` straight from the item and leaves anything else to n8n's expression
 * engine; both must behave the same.
 */
export const expressionsArb = fc.record({
	users: fc.constantFrom('={{ $json.users }}', '={{ $json["users"] }}', '={{ ($json.users) }}'),
	phone: fc.constantFrom('={{ $json.phone }}', "={{ $json['phone'] }}", '={{ ($json.phone) }}'),
});

/** The node's timeout in the property runs, and how long a hung request waits: well apart, so
 * that a hang always trips the timeout and a loaded machine does not trip it otherwise. */
export const NODE_TIMEOUT_MS = 500;
const HANG_MS = 900;

/**
 * Answers to a GET that are no page (issue 19): a 200 carrying Meta's error envelope (a rate
 * limit the node retries, or a failure), `{}`, `[]`, an HTML page, paging without `data`, and
 * a page with an entry no shape knows. Only GETs take them (`match`), so that Sync's writes
 * keep their own faults.
 */
export const readAnomalies: Array<{ weight: number; arbitrary: fc.Arbitrary<Behaviour> }> = [
	{
		weight: 4,
		arbitrary: fc.constant<Behaviour>({ kind: 'errorIn200', code: 130429, match: 'GET' }),
	},
	{
		weight: 3,
		arbitrary: fc
			.constantFrom(131000, 100)
			.map((code): Behaviour => ({ kind: 'errorIn200', code, match: 'GET' })),
	},
	{
		weight: 4,
		arbitrary: fc
			.constantFrom('object' as const, 'array' as const, 'html' as const, 'noData' as const)
			.map((body): Behaviour => ({ kind: 'bogus200', body, match: 'GET' })),
	},
	{ weight: 3, arbitrary: fc.constant<Behaviour>({ kind: 'unknownEntry', match: 'GET' }) },
];

/** Random per-request server behaviour, with the weights of a bad day. */
export function behaviourArb(forList = false): fc.Arbitrary<Behaviour> {
	const entries: Array<{ weight: number; arbitrary: fc.Arbitrary<Behaviour> }> = [
		{ weight: 80, arbitrary: fc.constant<Behaviour>({ kind: 'ok' }) },
		{ weight: 12, arbitrary: fc.constant<Behaviour>({ kind: 'rateLimit' }) },
		{ weight: 6, arbitrary: fc.constant<Behaviour>({ kind: 'rateLimit', retryAfter: 0 }) },
		{ weight: 2, arbitrary: fc.constant<Behaviour>({ kind: 'rateLimit', retryAfter: 1 }) },
		{ weight: 2, arbitrary: fc.constant<Behaviour>({ kind: 'rateLimit', retryAfter: 3600 }) },
		{
			weight: 4,
			arbitrary: fc
				.constantFrom(4 as const, 80007 as const)
				.map((code): Behaviour => ({ kind: 'rateLimit', status: 400, code })),
		},
		{
			weight: 12,
			arbitrary: fc
				.constantFrom(500 as const, 502 as const, 503 as const)
				.map((status): Behaviour => ({ kind: 'serverError', status })),
		},
		{ weight: 8, arbitrary: fc.constant<Behaviour>({ kind: 'internal' }) },
		{ weight: 8, arbitrary: fc.constant<Behaviour>({ kind: 'drop' }) },
		{ weight: 8, arbitrary: fc.constant<Behaviour>({ kind: 'malformed' }) },
		{
			weight: 1,
			arbitrary: fc.boolean().map((process): Behaviour => ({ kind: 'hang', ms: HANG_MS, process })),
		},
	];
	if (forList) {
		entries.push({ weight: 6, arbitrary: fc.constant<Behaviour>({ kind: 'listChanged' }) });
		entries.push(...readAnomalies);
	} else {
		entries.push({
			weight: 10,
			arbitrary: fc
				.integer({ min: 1, max: 3 })
				.map((count): Behaviour => ({ kind: 'omitUsers', count })),
		});
		entries.push({
			weight: 10,
			arbitrary: fc
				.integer({ min: 1, max: 3 })
				.map((count): Behaviour => ({ kind: 'extraUsers', count })),
		});
	}
	return fc.oneof(...entries);
}

export function scriptArb(forList = false, maxLength = 12): fc.Arbitrary<Step[]> {
	const step = fc.record({
		behaviour: behaviourArb(forList),
		shape: fc.constantFrom('provider' as const, 'meta' as const, 'mixed400' as const),
		echoKey: weighted([9, false], [1, true]),
		refuse: weighted([19, false], [1, true]),
	});
	return fc.oneof(
		{
			weight: 1,
			arbitrary: fc.constantFrom<Step[]>(
				[{ behaviour: { kind: 'ok' }, shape: 'provider' }],
				[{ behaviour: { kind: 'ok' }, shape: 'meta' }],
				[{ behaviour: { kind: 'ok' }, shape: 'mixed400' }],
			),
		},
		{ weight: 4, arbitrary: fc.array(step, { minLength: 1, maxLength }) },
	);
}

export interface ChangeCaseShape {
	maxItems: number;
	maxEntries: number;
	maxPool: number;
	maxBatchSize: number;
	/** Smallest batch size (default 1); large cases use more, so that they stay fast. */
	minBatchSize?: number;
	/** Lower bounds, for large cases (fast-check otherwise keeps arrays small). */
	large?: boolean;
	minItems?: number;
	minEntries?: number;
	minPool?: number;
}

export function changeCaseArb(shape: ChangeCaseShape): fc.Arbitrary<ChangeCase> {
	const poolArb = fc.uniqueArray(canonicalUser, {
		minLength: shape.minPool ?? 1,
		maxLength: shape.maxPool,
		...(shape.large ? { size: 'max' as const } : {}),
	});
	return poolArb.chain((pool) =>
		fc
			.record({
				operation: fc.constantFrom('block' as const, 'unblock' as const),
				phoneMode: weighted<PhoneMode>(
					[76, 'normal'],
					[16, 'unknown'],
					[5, 'bad'],
					[3, 'wrongKey'],
				),
				itemsBase: fc.array(
					fc.record({
						users: usersField(pool, shape.maxEntries, shape.minEntries, shape.large),
						phone: goodPhone,
					}),
					{
						...(shape.large ? { size: 'max' as const } : {}),
						minLength: shape.minItems ?? 1,
						maxLength: shape.maxItems,
					},
				),
				oddItem: fc.nat(),
				deadItems: fc.array(
					fc.record({
						at: fc.nat(),
						kind: fc.constantFrom('unknown' as const, 'forbidden' as const),
					}),
					{ minLength: 1, maxLength: 3 },
				),
				badId: fc.constantFrom(...BAD_PHONE_NUMBER_IDS),
				preA: fc.subarray(pool),
				preB: fc.subarray(pool),
				strangers: fc.integer({ min: 0, max: 4 }),
				reengagementRequired: fc.subarray(pool, { maxLength: Math.min(3, pool.length) }),
				blocklistCap: fc.oneof(
					{ weight: 8, arbitrary: fc.constant(64_000) },
					{ weight: 2, arbitrary: fc.integer({ min: 0, max: 12 }) },
				),
				noChangeCode: fc.constantFrom(100 as const, 139100 as const),
				parentUserIds: fc.boolean(),
				options: fc.record({
					batchSize: fc.oneof(
						fc.integer({ min: shape.minBatchSize ?? 1, max: (shape.minBatchSize ?? 1) + 3 }),
						fc.integer({ min: shape.minBatchSize ?? 1, max: shape.maxBatchSize }),
					),
					maxConcurrency: fc.oneof(
						{ weight: 3, arbitrary: fc.constant(1) },
						{ weight: 2, arbitrary: fc.integer({ min: 2, max: 4 }) },
					),
					maxRetries: fc.integer({ min: 0, max: 3 }),
					retryDelay: fc.constant(1),
					timeout: fc.constant(NODE_TIMEOUT_MS),
				}),
				continueOnFail: fc.boolean(),
				retryOnFail: weighted([2, false], [1, true]),
				script: scriptArb(false),
				paddedKey: weighted([9, false], [1, true]),
				expressions: expressionsArb,
			})
			.map((r): ChangeCase => {
				const items: Item[] = r.itemsBase.map((base) => ({ users: base.users, ...base.phone }));
				const odd = r.oddItem % items.length;
				if (r.phoneMode === 'unknown') {
					for (const { at, kind } of r.deadItems)
						items[at % items.length] = {
							...items[at % items.length],
							phone: PHONE_OF_KIND[kind],
							phoneKind: kind,
						};
				}
				if (r.phoneMode === 'bad') items[odd] = { ...items[odd], phone: r.badId, phoneKind: 'bad' };
				const strangers = Array.from({ length: r.strangers }, (_, i) => `+4470000000${i}`);
				return {
					operation: r.operation,
					pool,
					items,
					phoneMode: r.phoneMode,
					preseed: { A: [...r.preA, ...strangers], B: r.preB },
					reengagementRequired: r.reengagementRequired,
					blocklistCap: r.blocklistCap,
					noChangeCode: r.noChangeCode,
					parentUserIds: r.parentUserIds,
					options: r.options,
					continueOnFail: r.continueOnFail,
					retryOnFail: r.retryOnFail,
					script: r.script,
					paddedKey: r.paddedKey,
					expressions: r.expressions,
				};
			}),
	);
}

/**
 * How the node runs a case of Block, Unblock, Check or Sync: its parameters, and the input
 * items (each item's Users and phone number ID fields, beside an unrelated one).
 */
export function usersNodeRun(c: {
	operation: string;
	items: readonly Item[];
	expressions: { users: string; phone: string };
	options: object;
	continueOnFail: boolean;
}) {
	const items = c.items.map((item) => {
		const json: Record<string, unknown> = { note: 'an unrelated field' };
		if (item.users.value !== undefined) json.users = item.users.value;
		if (item.phone !== undefined) json.phone = item.phone;
		return json;
	});
	const { users, phone } = c.expressions;
	return {
		parameters: { operation: c.operation, users, phoneNumberId: phone, options: { ...c.options } },
		items: items as never,
		continueOnFail: c.continueOnFail,
	};
}

export const PHONE_OF_KIND: Record<Exclude<PhoneKind, 'bad'>, string> = {
	A: PHONE_A,
	B: PHONE_B,
	unknown: PHONE_UNKNOWN,
	forbidden: PHONE_FORBIDDEN,
};

/** The phone number ID an item goes to (undefined for an unsafe one, which is never sent). */
export function phoneOfItem(items: readonly Item[], i: number): string | undefined {
	const kind = items[i].phoneKind;
	return kind === 'bad' ? undefined : PHONE_OF_KIND[kind];
}
