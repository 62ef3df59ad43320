/**
 * The wait before a retry, and the decision to wait at all: a `Retry-After` is compared with
 * the bound (120 s) as the server asked it, before any jitter, and the jitter never carries
 * the wait past the bound.
 */
import { DEFAULT_RETRY_POLICY, retryDelayMs, waitFor } from '../../nodes/WhatsApp/transport/retry';

const MAX_S = DEFAULT_RETRY_POLICY.maxRetryAfterMs / 1000;

describe('waitFor', () => {
	test.each([0, 1, 110, 119.5, 120])(
		'Retry-After %s s (at most the bound) is waited for, with any jitter',
		(seconds) => {
			for (const random of [() => 0, () => 0.5, () => 0.999999, () => 1]) {
				const decision = waitFor(DEFAULT_RETRY_POLICY, 0, seconds, random);
				expect(decision).toEqual({ waitMs: expect.any(Number) });
				const { waitMs } = decision as { waitMs: number };
				expect(waitMs).toBeGreaterThanOrEqual(seconds * 1000);
				expect(waitMs).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
			}
		},
	);

	test.each([120.001, 121, 3600])(
		'Retry-After %s s (over the bound) is refused at once, whatever the jitter',
		(seconds) => {
			for (const random of [() => 0, () => 1]) {
				expect(waitFor(DEFAULT_RETRY_POLICY, 2, seconds, random)).toEqual({ tooLong: true });
			}
		},
	);

	test("the bound is the policy's, not a constant", () => {
		const policy = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 5000 };
		expect(waitFor(policy, 0, 5, () => 1)).toEqual({ waitMs: 5000 });
		expect(waitFor(policy, 0, 6, () => 0)).toEqual({ tooLong: true });
	});

	test('without Retry-After it is the backoff, never refused', () => {
		const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 5000 };
		expect(waitFor(policy, 1, undefined, () => 1)).toEqual({ waitMs: 2000 });
		expect(waitFor(policy, 30, undefined, () => 1)).toEqual({ waitMs: 5000 });
	});
});

describe('retryDelayMs with a Retry-After near the bound', () => {
	test(`the jitter is capped at the bound (${MAX_S} s)`, () => {
		expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, 110, () => 1)).toBe(
			DEFAULT_RETRY_POLICY.maxRetryAfterMs,
		);
		expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, 110, () => 0)).toBe(110_000);
		expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, 100, () => 0.1)).toBe(101_000);
	});
});
