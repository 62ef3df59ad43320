/**
 * Block, Unblock and Sync's batches to send. Each unique valid user of a phone
 * number is sent once, in first-seen order, in batches of at most the batch size, so N
 * unique users cost exactly ceil(N / batch size) requests per phone number.
 */
import type { Occurrence } from '../types';
import { chunk } from './batching';

export interface Batch {
	phoneNumberId: string;
	users: string[];
	/** The item of the batch's first user, to name in errors. */
	itemIndex: number;
}

export interface BatchPlan {
	batches: Batch[];
	/** The index of the batch a user of a phone number went into (undefined: never sent). */
	batchOf(phoneNumberId: string, user: string): number | undefined;
}

export function planBatches(occurrences: readonly Occurrence[], batchSize: number): BatchPlan {
	// Per phone number ID, its users in first-seen order and each one's first item.
	const byNumber = new Map<string, { users: string[]; slot: Map<string, number> }>();
	for (const { error, user, phoneNumberId, itemIndex } of occurrences) {
		if (error || user === null || phoneNumberId === null) continue;
		let number = byNumber.get(phoneNumberId);
		if (!number) byNumber.set(phoneNumberId, (number = { users: [], slot: new Map() }));
		if (number.slot.has(user)) continue;
		number.slot.set(user, itemIndex);
		number.users.push(user);
	}
	const batches: Batch[] = [];
	for (const [phoneNumberId, { users, slot }] of byNumber) {
		for (const part of chunk(users, batchSize)) {
			const itemIndex = slot.get(part[0]) ?? 0;
			// The slot now holds the user's batch instead of its first item (one map, not two).
			for (const user of part) slot.set(user, batches.length);
			batches.push({ phoneNumberId, users: part, itemIndex });
		}
	}
	return { batches, batchOf: (phoneNumberId, user) => byNumber.get(phoneNumberId)?.slot.get(user) };
}
