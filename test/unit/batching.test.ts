import { chunk, runPool } from '../../nodes/WhatsApp/changes/batching';

describe('chunk', () => {
	test('1,201 values in 500s give 500, 500, 201', () => {
		const values = Array.from({ length: 1201 }, (_, i) => i);
		const chunks = chunk(values, 500);
		expect(chunks.map((c) => c.length)).toEqual([500, 500, 201]);
		expect(chunks.flat()).toEqual(values);
	});

	test('refuses a size below 1', () => {
		expect(() => chunk([1], 0)).toThrow(RangeError);
	});
});

describe('runPool', () => {
	test('returns results in job order and never runs more than the limit at once', async () => {
		let running = 0;
		let peak = 0;
		const results = await runPool(12, 3, async (i) => {
			running++;
			peak = Math.max(peak, running);
			await new Promise((resolve) => setImmediate(resolve));
			await new Promise((resolve) => setTimeout(resolve, (12 - i) % 4));
			running--;
			return i * 10;
		});
		expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i * 10));
		expect(peak).toBe(3);
	});

	test('handles zero jobs', async () => {
		await expect(runPool(0, 4, async () => 1)).resolves.toEqual([]);
	});
});
