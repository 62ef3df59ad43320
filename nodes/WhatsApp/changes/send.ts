/**
 * Sending changes to the blocklist: one batch (with retries) and each of its users' outcome
 * read from the answer, every batch through a bounded pool until the send gate says stop,
 * the fatal failure that stops the node, and the outcome a user's batch gave it. Block and
 * Unblock (`changeBlocklist.ts`) and Sync (`operations/sync.operation.ts`) send through it.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ConnectionSettings } from '../transport/connection';
import type { Failure } from '../transport/errors';
import { failureError } from '../transport/failureError';
import { requestWithRetries } from '../transport/request';
import { ErrorCode } from '../contract';
import { type BlockAction, type Occurrence, type UserError, type UserOutcome } from '../types';
import { requestEntry } from '../users/users';
import { runPool } from './batching';
import { hasPerUserLists, readBatchAnswer } from './blockAnswer';
import type { Batch, BatchPlan } from './plan';
import { SendGate } from './sendGate';

const METHOD = { block: 'POST', unblock: 'DELETE' } as const;

export type BatchOutcomes = Map<string, UserOutcome>;

function failAll(users: readonly string[], error: UserError): BatchOutcomes {
	const outcome: UserOutcome = { ok: false, error };
	return new Map(users.map((user) => [user, outcome]));
}

/** Sends one batch (with retries) and reads an outcome for each of its users. */
async function sendBatch(
	ctx: IExecuteFunctions,
	action: BlockAction,
	connection: ConnectionSettings,
	batch: Batch,
): Promise<{ outcomes: BatchOutcomes; failure?: Failure }> {
	const body = {
		messaging_product: 'whatsapp',
		block_users: batch.users.map((user) => requestEntry(user)),
	};
	const result = await requestWithRetries(
		ctx,
		{ ...connection, phoneNumberId: batch.phoneNumberId },
		METHOD[action],
		{
			body: body as unknown as IDataObject,
			readableClientError: hasPerUserLists,
		},
	);
	if (!result.ok)
		return { outcomes: failAll(batch.users, result.error.error), failure: result.error };
	return { outcomes: readBatchAnswer(action, batch.users, result.value.body) };
}

/**
 * Sends every batch, at most `concurrency` at once, until the gate says stop (a gate may be
 * shared by several calls, as Sync's blocks and unblocks share one). Results in batch order.
 */
export async function sendBatches(
	ctx: IExecuteFunctions,
	action: BlockAction,
	connection: ConnectionSettings,
	batches: readonly Batch[],
	concurrency: number,
	gate = new SendGate<Batch>(),
): Promise<{ results: BatchOutcomes[]; gate: SendGate<Batch> }> {
	const results = await runPool(batches.length, concurrency, async (index) => {
		const batch = batches[index];
		const refusal = gate.refusal(batch);
		if (refusal) return failAll(batch.users, refusal);
		const sent = await sendBatch(ctx, action, connection, batch);
		gate.record(batch, sent.failure);
		return sent.outcomes;
	});
	return { results, gate };
}

/**
 * Throws the fatal failure a gate saw (naming its item) when every batch sent met one, so
 * nothing was changed, unless the node continues on fail. Once any other batch was sent, a
 * fatal answer does not throw: its users and those never sent are on Failed with the reason,
 * so no write is hidden behind an error, nor sent again by n8n's Retry On Fail.
 */
export function stopOnFatal(
	ctx: IExecuteFunctions,
	gate: SendGate<Batch>,
	secrets: readonly string[],
): void {
	const fatal = gate.stoppingFailure;
	if (!fatal || ctx.continueOnFail()) return;
	const { failure, batch } = fatal;
	const where = `Item ${batch.itemIndex + 1}, phone number ID ${batch.phoneNumberId}. Nothing was changed.`;
	throw failureError(ctx, failure, { itemIndex: batch.itemIndex, where, secrets });
}

/** The outcome the batch of a user gave it (a user never sent, or never recorded, has none). */
export function outcomeOf(
	plan: BatchPlan,
	results: readonly BatchOutcomes[],
	occurrence: Occurrence,
): UserOutcome | undefined {
	const { phoneNumberId, user } = occurrence;
	const index =
		phoneNumberId === null || user === null ? undefined : plan.batchOf(phoneNumberId, user);
	return index === undefined ? undefined : results[index]?.get(user as string);
}

/** What a user gets when no batch recorded an outcome for it (never expected; never a success). */
export const NOT_RECORDED: UserOutcome = {
	ok: false,
	error: { code: ErrorCode.NotAcknowledged, message: 'No result was recorded for this user' },
};
