/** The phone numbers the in-process bench blocks. */

/** The i-th distinct valid number: +9170 followed by 8 digits (E.164, 13 characters). */
export function userNumber(index: number): string {
	return `+9170${String(index).padStart(8, '0')}`;
}

/**
 * `count` entries. Plain: all distinct and valid. Mixed, as real lists are: one entry in 20
 * repeats a number given 150 numbers earlier (in another item), and one in 20 is not a phone
 * number at all.
 */
export function userEntries(count: number, mixed = false): string[] {
	const entries: string[] = [];
	let next = 0;
	for (let i = 0; i < count; i++) {
		if (mixed && i % 20 === 19) entries.push(`not a number ${i}`);
		else if (mixed && i % 10 === 9 && next > 150) entries.push(userNumber(next - 150));
		else entries.push(userNumber(next++));
	}
	return entries;
}

/** What the node must do with those entries. */
export function expectedFor(entries: readonly string[]): { unique: number; valid: number; invalid: number } {
	const valid = entries.filter((e) => e.startsWith('+'));
	return { unique: new Set(valid).size, valid: valid.length, invalid: entries.length - valid.length };
}
