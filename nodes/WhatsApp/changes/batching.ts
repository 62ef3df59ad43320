/**
 * Batching: cutting users into requests of at most a batch size, and running requests with
 * a bounded number in flight. Pure functions, no n8n types.
 */

/** Splits `values` into consecutive chunks of at most `size` elements. */
export function chunk<T>(values: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1)
		throw new RangeError(`Batch size must be a positive integer, got ${size}`);
	const chunks: T[][] = [];
	for (let start = 0; start < values.length; start += size) {
		chunks.push(values.slice(start, start + size));
	}
	return chunks;
}

/**
 * Runs `task` over `count` jobs with at most `concurrency` running at once, and returns
 * the results in job order, whatever order they finish in.
 */
export async function runPool<R>(
	count: number,
	concurrency: number,
	task: (index: number) => Promise<R>,
): Promise<R[]> {
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
