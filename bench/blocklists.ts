/**
 * Blocklists for the trigger bench (bench/trigger.ts): realistic phone numbers and BSUIDs,
 * drawn at random from a fixed seed, so every run (and every process of a run) builds the
 * same lists. Numbers are digits only, as the API lists them (`wa_id`); each entry also comes
 * as the List API's entry the sandbox would render for it (sandbox/listing.ts), which is what
 * the trigger reads.
 */
import type { IDataObject } from 'n8n-workflow';

/**
 * `in`:       Indian mobiles, 91 then 6-9 then 9 digits (12 digits), at random;
 * `mixed`:    mobiles of seven countries (India 40%, Indonesia 15%, Brazil 15%, US 10%,
 *             Nigeria 8%, UK 6%, Germany 6%), each in its own format;
 * `bsuids`:   `in`, with one entry in 10 a BSUID (US. then 20 digits) instead;
 * `reasons`:  `in`, with three block reasons (manual 80%, spam 15%, abuse 5%);
 * `both-ids`: `in`, every entry also with a BSUID (`wa_id` and `user_id` both given): the
 *             worst case of the saved state. The sandbox never lists such entries, so this
 *             mix is measured for its size only.
 */
export type BlocklistMix = 'in' | 'mixed' | 'bsuids' | 'reasons' | 'both-ids';

export const MIX_LABELS: Record<BlocklistMix, string> = {
	in: 'Indian mobiles (91[6-9] + 9 random digits)',
	mixed: 'mobiles of 7 countries (IN 40%, ID 15%, BR 15%, US 10%, NG 8%, UK 6%, DE 6%)',
	bsuids: 'Indian mobiles, 1 in 10 a BSUID (US. + 20 digits)',
	reasons: 'Indian mobiles, 3 block reasons (manual 80%, spam 15%, abuse 5%)',
	'both-ids': 'worst case: every entry a number with a BSUID too (wa_id and user_id)',
};

export interface ListedUser {
	/** The sandbox's blocklist key: the number's digits, or the BSUID. */
	key: string;
	/** The entry as the List API gives it: {user, block_reason}, {user_id, block_reason}, or {wa_id, user_id, block_reason}. */
	entry: IDataObject;
}

/** xorshift32: a small deterministic generator, uniform in [0, 1). */
function generator(seed: number): () => number {
	let x = seed >>> 0 || 1;
	return () => {
		x ^= x << 13;
		x >>>= 0;
		x ^= x >>> 17;
		x ^= x << 5;
		x >>>= 0;
		return x / 4294967296;
	};
}

type Random = () => number;

const digit = (random: Random, from = 0, to = 9) =>
	String(from + Math.floor(random() * (to - from + 1)));
const digits = (random: Random, n: number) =>
	Array.from({ length: n }, () => digit(random)).join('');

const indianMobile = (r: Random) => `91${digit(r, 6, 9)}${digits(r, 9)}`;

/** Mobile formats by share: [cumulative share, number]. */
const COUNTRIES: Array<[number, (r: Random) => string]> = [
	[0.4, indianMobile],
	[0.55, (r) => `628${digit(r, 1, 9)}${digits(r, 8)}`],
	[0.7, (r) => `55${digit(r, 1, 9)}${digit(r, 1, 9)}9${digits(r, 8)}`],
	[0.8, (r) => `1${digit(r, 2, 9)}${digits(r, 2)}${digit(r, 2, 9)}${digits(r, 6)}`],
	[0.88, (r) => `234${digit(r, 7, 9)}${digit(r, 0, 1)}${digits(r, 8)}`],
	[0.94, (r) => `447${digits(r, 9)}`],
	[1, (r) => `491${digit(r, 5, 7)}${digits(r, 9)}`],
];

const bsuid = (r: Random) => `US.${digit(r, 1, 9)}${digits(r, 19)}`;

function reasonOf(mix: BlocklistMix, r: Random): string {
	if (mix !== 'reasons') return 'manual';
	const x = r();
	return x < 0.8 ? 'manual' : x < 0.95 ? 'spam' : 'abuse';
}

function drawOne(mix: BlocklistMix, r: Random): ListedUser {
	if (mix === 'mixed') {
		const x = r();
		const number = (COUNTRIES.find(([share]) => x < share) ?? COUNTRIES[0])[1](r);
		return { key: number, entry: { user: number, block_reason: 'manual' } };
	}
	if (mix === 'bsuids' && r() < 0.1) {
		const id = bsuid(r);
		return { key: id, entry: { user_id: id, block_reason: 'manual' } };
	}
	const number = indianMobile(r);
	if (mix === 'both-ids')
		return { key: number, entry: { wa_id: number, user_id: bsuid(r), block_reason: 'manual' } };
	return { key: number, entry: { user: number, block_reason: reasonOf(mix, r) } };
}

/**
 * `count` distinct users of the mix, always the same for the same mix and count (the
 * first users of a longer list are those of a shorter one).
 */
export function blocklistOf(mix: BlocklistMix, count: number): ListedUser[] {
	const random = generator(0x9101 + Object.keys(MIX_LABELS).indexOf(mix));
	const seen = new Set<string>();
	const users: ListedUser[] = [];
	while (users.length < count) {
		const user = drawOne(mix, random);
		if (seen.has(user.key)) continue;
		seen.add(user.key);
		users.push(user);
	}
	return users;
}

/**
 * `changes` changes to a blocklist of `count` users of the mix: `removed`, half of them, taken
 * off (spread over the list; the trigger's "unblocked" events), `added`, the other half, new
 * users of the same mix ("blocked"); `after`, the list without the removed, then the added.
 */
export function changedBlocklist(mix: BlocklistMix, count: number, changes: number) {
	const unblocks = Math.floor(changes / 2);
	const blocks = changes - unblocks;
	const longer = blocklistOf(mix, count + blocks);
	const before = longer.slice(0, count);
	const added = longer.slice(count);
	const step = Math.max(1, Math.floor(count / Math.max(1, unblocks)));
	const removedAt = new Set(Array.from({ length: Math.min(unblocks, count) }, (_, i) => i * step));
	const removed = before.filter((_, i) => removedAt.has(i));
	return { after: [...before.filter((_, i) => !removedAt.has(i)), ...added], added, removed };
}
