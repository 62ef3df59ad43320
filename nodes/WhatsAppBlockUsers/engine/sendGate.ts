/**
 * When to stop sending: the rule shared by the concurrent senders of one execution.
 * - After a fatal answer (key rejected, phone number ID not found...), nothing more is sent.
 * - After `maxExhaustedInARow` batches in a row failed through all their retries, the server
 *   is taken to be down: the remaining batches are not sent (their users fail at once, with
 *   the reason) instead of each waiting through its own retries.
 */
import type { Failure } from '../transport/errors';
import { LocalErrorCode, type UserError } from '../types';

/** Three exhausted batches in a row, as the README says. */
export const MAX_CONSECUTIVE_EXHAUSTED_BATCHES = 3;

export class SendGate<B> {
	private fatal: { failure: Failure; batch: B } | undefined;

	private exhaustedInARow = 0;

	private lastExhausted: Failure | undefined;

	constructor(private readonly maxExhaustedInARow = MAX_CONSECUTIVE_EXHAUSTED_BATCHES) {}

	/** Why the next batch must not be sent (its users' error), or undefined when it may be. */
	refusal(): UserError | undefined {
		if (this.fatal) {
			return {
				code: LocalErrorCode.NotSent,
				message: `Not sent, because an earlier request failed: ${this.fatal.failure.error.message}`,
			};
		}
		if (this.exhaustedInARow >= this.maxExhaustedInARow && this.lastExhausted) {
			return {
				code: LocalErrorCode.NotSent,
				message: `Not sent, because the previous ${this.exhaustedInARow} requests failed after all their retries (last error: ${this.lastExhausted.error.message}). Run the node again for these users later`,
			};
		}
		return undefined;
	}

	/** Records how a sent batch ended: `failure` is undefined when it got an answer. */
	record(batch: B, failure: Failure | undefined): void {
		if (failure?.kind === 'fatal' && !this.fatal) this.fatal = { failure, batch };
		if (failure?.exhausted) {
			this.exhaustedInARow++;
			this.lastExhausted = failure;
		} else {
			this.exhaustedInARow = 0;
		}
	}

	/** The first fatal failure and the batch that got it, if any. */
	get fatalFailure(): { failure: Failure; batch: B } | undefined {
		return this.fatal;
	}
}
