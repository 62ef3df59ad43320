/**
 * Retry policy: whether and how long to wait before the next attempt. Exponential backoff
 * with full jitter, and the server's Retry-After honoured when it sends one (up to a bound).
 * Pure functions.
 */
import { NUMBER_OPTIONS } from '../options';

export interface RetryPolicy {
	/** Retries after the first attempt (0 = try once). */
	maxRetries: number;
	/** Base of the exponential backoff, in milliseconds. */
	baseDelayMs: number;
	/** No single backoff wait is longer than this. */
	maxDelayMs: number;
	/**
	 * A Retry-After longer than this is not waited for: the batch fails instead. Compared with
	 * what the server asked, before jitter; the jittered wait never exceeds it either.
	 */
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
 * many seconds plus up to 10% jitter, so parallel batches do not all return at once, the
 * jitter capped so that a wait the node accepts stays within `maxRetryAfterMs`; otherwise a
 * random wait between half and all of base * 2^retry, capped.
 */
export function retryDelayMs(
	policy: RetryPolicy,
	retry: number,
	retryAfterSeconds: number | undefined,
	random: () => number = Math.random,
): number {
	if (retryAfterSeconds !== undefined) {
		const asked = retryAfterSeconds * 1000;
		const jittered = Math.ceil(asked + asked * 0.1 * random());
		return asked <= policy.maxRetryAfterMs ? Math.min(jittered, policy.maxRetryAfterMs) : jittered;
	}
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	return Math.ceil(ceiling / 2 + (ceiling / 2) * random());
}

/** What to do before retry number `retry`: wait this long, or give up because the server asked too long. */
export type WaitDecision = { waitMs: number } | { tooLong: true };

/**
 * The decision before a retry. A Retry-After is compared with `maxRetryAfterMs` as the server
 * asked it, before any jitter: exactly the bound (120 s) is waited for, anything over it is
 * refused at once.
 */
export function waitFor(
	policy: RetryPolicy,
	retry: number,
	retryAfterSeconds: number | undefined,
	random: () => number = Math.random,
): WaitDecision {
	if (retryAfterSeconds !== undefined && retryAfterSeconds * 1000 > policy.maxRetryAfterMs)
		return { tooLong: true };
	return { waitMs: retryDelayMs(policy, retry, retryAfterSeconds, random) };
}
