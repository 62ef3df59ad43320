/**
 * One phone number's blocklist: keys in insertion order (wa_ids, i.e. phone numbers as
 * digits without '+', and BSUIDs as given; see users.ts).
 * Membership is a Set (O(1) add/has/delete, insertion-ordered); an ordered array snapshot
 * for paging is built at most once per change that removes users (adds append to it), so
 * listing n entries page by page costs O(n) overall.
 */
export class Blocklist {
	private readonly members = new Set<string>();
	private ordered: string[] | undefined = [];
	/** Bumped on every change; cursors carry it. */
	version = 0;

	constructor(keys: Iterable<string> = []) {
		for (const key of keys) this.add(key);
		this.version = 0;
	}

	get size(): number {
		return this.members.size;
	}

	has(key: string): boolean {
		return this.members.has(key);
	}

	add(key: string): boolean {
		if (this.members.has(key)) return false;
		this.members.add(key);
		this.ordered?.push(key);
		this.version++;
		return true;
	}

	remove(key: string): boolean {
		if (!this.members.delete(key)) return false;
		this.ordered = undefined;
		this.version++;
		return true;
	}

	/** The keys in insertion order (shared array: do not mutate). */
	entries(): readonly string[] {
		this.ordered ??= Array.from(this.members);
		return this.ordered;
	}
}

/**
 * An opaque paging cursor: base64url of "sbx:<offset>:<version>", or
 * "sbx:<offset>:<version>:<serial>" when it carries a serial (cursors minted under
 * `cursorFault: 'freshCycle'`, so that no two are the same text). Both decode.
 */
export interface Cursor {
	offset: number;
	version: number;
	serial?: number;
}

export function encodeCursor(cursor: Cursor): string {
	const serial = cursor.serial === undefined ? '' : `:${cursor.serial}`;
	return Buffer.from(`sbx:${cursor.offset}:${cursor.version}${serial}`).toString('base64url');
}

export function decodeCursor(raw: string): Cursor | undefined {
	const match = /^sbx:(\d+):(\d+)(?::(\d+))?$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
	if (!match) return undefined;
	const cursor: Cursor = { offset: Number(match[1]), version: Number(match[2]) };
	if (match[3] !== undefined) cursor.serial = Number(match[3]);
	return cursor;
}
