/**
 * When to stop sending: the rule shared by the concurrent senders of one execution.
 * - After a fatal answer about the whole call (key rejected, a redirect, host not found, the
 *   execution cancelled), nothing more is sent.
 * - After a fatal answer about one phone number ID (not found, not permitted), nothing more is
 *   sent to that phone number ID; the others go on, whatever the order of the batches.
 * - After `maxExhaustedInARow` batches in a row failed through all their retries, the server
 *   is taken to be down: the remaining batches are not sent (their users fail at once, with
 *   the reason) instead of each waiting through its own retries.
 * It also says whether the node should stop with an error: only when every batch sent met a
 * fatal answer, so nothing was changed and a throw (or n8n's Retry On Fail) hides or repeats
 * no write.
 */
import type { Failure } from '../transport/errors';
import { ErrorCode } from '../contract';
import { type UserError } from '../types';

/** Three exhausted batches in a row, as the README says. */
export const MAX_CONSECUTIVE_EXHAUSTED_BATCHES = 3;

/** What the gate needs of a batch: where it goes, and the item to name. */
export interface GatedBatch {
	phoneNumberId: string;
	itemIndex: number;
}

export interface FatalAnswer<B> {
	failure: Failure;
	batch: B;
}

export class SendGate<B extends GatedBatch> {
	private callFatal: FatalAnswer<B> | undefined;

	/** The first fatal answer of each phone number ID that met one. */
	private readonly idFatal = new Map<string, FatalAnswer<B>>();

	/** Batches sent that met no fatal answer (they may have changed the blocklist). */
	private sentWithoutFatal = 0;

	private exhaustedInARow = 0;

	private lastExhausted: Failure | undefined;

	constructor(private readonly maxExhaustedInARow = MAX_CONSECUTIVE_EXHAUSTED_BATCHES) {}

	/** Why `batch` must not be sent (its users' error), or undefined when it may be. */
	refusal(batch: B): UserError | undefined {
		if (this.callFatal) {
			return notSent(
				`Not sent, because an earlier request failed: ${this.callFatal.failure.error.message}`,
			);
		}
		const ofId = this.idFatal.get(batch.phoneNumberId);
		if (ofId) {
			return notSent(
				`Not sent, because an earlier request for phone number ID ${batch.phoneNumberId} failed: ${ofId.failure.error.message}`,
			);
		}
		if (this.exhaustedInARow >= this.maxExhaustedInARow && this.lastExhausted) {
			return notSent(
				`Not sent, because the previous ${this.exhaustedInARow} requests failed after all their retries (last error: ${this.lastExhausted.error.message}). Run the node again for these users later`,
			);
		}
		return undefined;
	}

	/** Records how a sent batch ended: `failure` is undefined when it got an answer. */
	record(batch: B, failure: Failure | undefined): void {
		if (failure?.kind === 'fatal') {
			const forId = failure.scope === 'phoneNumberId';
			if (forId && !this.idFatal.has(batch.phoneNumberId))
				this.idFatal.set(batch.phoneNumberId, { failure, batch });
			if (!forId && !this.callFatal) this.callFatal = { failure, batch };
		} else {
			this.sentWithoutFatal++;
		}
		if (failure?.exhausted) {
			this.exhaustedInARow++;
			this.lastExhausted = failure;
		} else {
			this.exhaustedInARow = 0;
		}
	}

	/**
	 * The fatal answer to stop the node with, when every batch sent met one (nothing was
	 * changed): the whole call's, else that of the phone number ID of the first item. Undefined
	 * when no fatal answer came, or when any other batch was sent.
	 */
	get stoppingFailure(): FatalAnswer<B> | undefined {
		if (this.sentWithoutFatal > 0) return undefined;
		if (this.callFatal) return this.callFatal;
		let first: FatalAnswer<B> | undefined;
		for (const fatal of this.idFatal.values())
			if (!first || fatal.batch.itemIndex < first.batch.itemIndex) first = fatal;
		return first;
	}
}

function notSent(message: string): UserError {
	return { code: ErrorCode.NotSent, message };
}
