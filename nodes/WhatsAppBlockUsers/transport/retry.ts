/**
 * Retry policy: how long to wait before the next attempt. Exponential backoff with full
 * jitter, and the server's Retry-After honoured when it sends one. Pure functions.
 */
import { NUMBER_OPTIONS } from '../helpers/options';

export interface RetryPolicy {
	/** Retries after the first attempt (0 = try once). */
	maxRetries: number;
	/** Base of the exponential backoff, in milliseconds. */
	baseDelayMs: number;
	/** No single backoff wait is longer than this. */
	maxDelayMs: number;
	/** A Retry-After longer than this is not waited for: the batch fails instead. */
	maxRetryAfterMs: number;
}

/** The node's defaults (Max Retries, Retry Delay), and the caps no option changes. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: NUMBER_OPTIONS.maxRetries.default,
	baseDelayMs: NUMBER_OPTIONS.retryDelay.default,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
};

/**
 * The wait before retry number `retry` (0 for the first retry). With a Retry-After, that
 * many seconds plus up to 10% jitter, so parallel batches do not all return at once;
 * otherwise a random wait between half and all of base * 2^retry, capped.
 */
export function retryDelayMs(
	policy: RetryPolicy,
	retry: number,
	retryAfterSeconds: number | undefined,
	random: () => number = Math.random,
): number {
	if (retryAfterSeconds !== undefined) {
		const asked = retryAfterSeconds * 1000;
		return Math.ceil(asked + asked * 0.1 * random());
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	return Math.ceil(ceiling / 2 + (ceiling / 2) * random());
}
