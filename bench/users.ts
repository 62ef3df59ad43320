/** The users (phone numbers and BSUIDs) the in-process bench and the n8n Sync comparison send. */

/**
 * What a block case sends besides distinct valid numbers (none when unset):
 *   `repeats`: duplicates and invalid entries (see userEntries);
 *   `bsuids`:  one entry in 4 is a BSUID instead of a number;
 *   `rerun`:   plain numbers, half of which the blocklist holds before the run (see preblocked).
 */
export type UserMix = 'repeats' | 'bsuids' | 'rerun';

/** The i-th distinct valid number: +9170 followed by 8 digits (E.164, 13 characters). */
export const userNumber = (i: number) => `+9170${String(i).padStart(8, '0')}`;
/** The i-th distinct BSUID: US. followed by 20 digits, such as US.13490000000000000007. */
const userBsuid = (i: number) => `US.1349${String(i).padStart(16, '0')}`;
/** The i-th number that is on a blocklist without being given: +9180 followed by 8 digits. */
const otherNumber = (i: number) => `+9180${String(i).padStart(8, '0')}`;

/**
 * `count` entries. Plain (and `rerun`): all distinct and valid numbers. `repeats`, as real
 * lists are: one entry in 20 repeats a number given 150 numbers earlier (in another item), and
 * one in 20 is not a phone number at all. `bsuids`: entry i is the BSUID i when i % 4 === 3,
 * else the number i (all distinct and valid).
 */
export function userEntries(count: number, mix?: UserMix): string[] {
	const entries: string[] = [];
	let next = 0;
	for (let i = 0; i < count; i++) {
		if (mix === 'bsuids') entries.push(i % 4 === 3 ? userBsuid(i) : userNumber(i));
		else if (mix === 'repeats' && i % 20 === 19) entries.push(`not a number ${i}`);
		else if (mix === 'repeats' && i % 10 === 9 && next > 150) entries.push(userNumber(next - 150));
		else entries.push(userNumber(next++));
	}
	return entries;
}

/**
 * What the blocklist holds before a run of `count` users with this mix: for `rerun` every
 * second of the entries (odd indexes), as sent (the sandbox strips the '+' of numbers); else none.
 */
export function preblocked(count: number, mix?: UserMix): string[] {
	return mix === 'rerun' ? userEntries(count, mix).filter((_, i) => i % 2 === 1) : [];
}

/** What the node must do with those entries: the unique valid ones, the valid and the invalid. */
export function expectedFor(entries: readonly string[]) {
	const valid = entries.filter((entry) => entry.startsWith('+') || entry.startsWith('US.'));
	return {
		unique: new Set(valid).size,
		valid: valid.length,
		invalid: entries.length - valid.length,
	};
}

/**
 * A blocklist of `size` users for Check and Sync over the users 0..`count`-1: every second of
 * them (odd indexes, floor(count / 2) users) and, for the rest of `size`, numbers not given.
 */
export function listedUsers(count: number, size: number): string[] {
	const keys: string[] = [];
	for (let i = 1; i < count && keys.length < size; i += 2) keys.push(userNumber(i));
	for (let i = 0; keys.length < size; i++) keys.push(otherNumber(i));
	return keys;
}

/** How many of the users 0..`count`-1 a blocklist of `size` from listedUsers holds, and how many others. */
export function listedSplit(count: number, size: number): { given: number; others: number } {
	const given = Math.min(Math.floor(count / 2), size);
	return { given, others: size - given };
}
