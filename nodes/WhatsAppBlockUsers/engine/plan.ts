/**
 * Step 2 of Block and Unblock: the batches to send. Each unique valid user of a phone
 * number is sent once, in first-seen order, in batches of at most the batch size, so N
 * unique users cost exactly ceil(N / batch size) requests per phone number.
 */
import { chunk } from '../helpers/batching';
import type { Occurrence } from '../types';

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
	// Per phone number ID, each user's first item (first-seen order).
	const byNumber = new Map<string, Map<string, number>>();
	for (const { error, user, phoneNumberId, itemIndex } of occurrences) {
		if (error || user === null || phoneNumberId === null) continue;
		let users = byNumber.get(phoneNumberId);
		if (!users) byNumber.set(phoneNumberId, (users = new Map()));
		if (!users.has(user)) users.set(user, itemIndex);
	}
	const batches: Batch[] = [];
	const batchIndex = new Map<string, Map<string, number>>();
	for (const [phoneNumberId, users] of byNumber) {
		const indexOf = new Map<string, number>();
		batchIndex.set(phoneNumberId, indexOf);
		for (const part of chunk([...users.keys()], batchSize)) {
			for (const user of part) indexOf.set(user, batches.length);
			batches.push({ phoneNumberId, users: part, itemIndex: users.get(part[0]) ?? 0 });
		}
	}
	return { batches, batchOf: (phoneNumberId, user) => batchIndex.get(phoneNumberId)?.get(user) };
}
