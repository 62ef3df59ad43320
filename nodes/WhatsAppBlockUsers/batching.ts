/**
 * Batching: deduplicating the users of one execution and cutting them into requests of at
 * most `batchSize` users. Pure functions, no n8n types.
 */

/** The Block Users endpoint accepts at most this many users in one request. */
export const MAX_BATCH_SIZE = 500;

/** Splits `values` into consecutive chunks of at most `size` elements. */
export function chunk<T>(values: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`Batch size must be a positive integer, got ${size}`);
	const chunks: T[][] = [];
	for (let start = 0; start < values.length; start += size) {
		chunks.push(values.slice(start, start + size));
	}
	return chunks;
}

/** Clamps the user's batch size into 1..500. */
export function effectiveBatchSize(requested: unknown): number {
	const size = typeof requested === 'number' && Number.isFinite(requested) ? Math.floor(requested) : MAX_BATCH_SIZE;
	return Math.min(MAX_BATCH_SIZE, Math.max(1, size));
}

/**
 * Groups occurrences by key, keeping the order in which each key first appeared.
 * Returns the unique keys in that order and, for each key, the indexes of its occurrences.
 */
export function groupOccurrences<T>(values: readonly T[], keyOf: (value: T) => string): Map<string, number[]> {
	const groups = new Map<string, number[]>();
	values.forEach((value, index) => {
		const key = keyOf(value);
		const indexes = groups.get(key);
		if (indexes) indexes.push(index);
		else groups.set(key, [index]);
	});
	return groups;
}

/**
 * Runs `task` over `count` jobs with at most `concurrency` running at once, and returns
 * the results in job order, whatever order they finish in.
 */
export async function runPool<R>(count: number, concurrency: number, task: (index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(count);
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const index = next++;
			results[index] = await task(index);
		}
	};
	const workers = Array.from({ length: Math.min(Math.max(1, concurrency), count) }, worker);
	await Promise.all(workers);
	return results;
}
