/**
 * One phone number's blocklist: wa_ids in insertion order.
 * Membership is a Set (O(1) add/has/delete, insertion-ordered); an ordered array snapshot
 * for paging is built at most once per change that removes users (adds append to it), so
 * listing n entries page by page costs O(n) overall.
 */
export class Blocklist {
	private readonly members = new Set<string>();
	private ordered: string[] | undefined = [];
	/** Bumped on every change; cursors carry it. */
	version = 0;

	constructor(waIds: Iterable<string> = []) {
		for (const waId of waIds) this.add(waId);
		this.version = 0;
	}

	get size(): number {
		return this.members.size;
	}

	has(waId: string): boolean {
		return this.members.has(waId);
	}

	add(waId: string): boolean {
		if (this.members.has(waId)) return false;
		this.members.add(waId);
		this.ordered?.push(waId);
		this.version++;
		return true;
	}

	remove(waId: string): boolean {
		if (!this.members.delete(waId)) return false;
		this.ordered = undefined;
		this.version++;
		return true;
	}

	/** The wa_ids in insertion order (shared array: do not mutate). */
	entries(): readonly string[] {
		this.ordered ??= Array.from(this.members);
		return this.ordered;
	}
}

/** An opaque paging cursor: base64url of "sbx:<offset>:<version>". */
export interface Cursor {
	offset: number;
	version: number;
}

export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(`sbx:${cursor.offset}:${cursor.version}`).toString('base64url');
}

export function decodeCursor(raw: string): Cursor | undefined {
	const match = /^sbx:(\d+):(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
	if (!match) return undefined;
	return { offset: Number(match[1]), version: Number(match[2]) };
}
