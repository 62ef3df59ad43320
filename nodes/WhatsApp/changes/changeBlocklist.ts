/**
 * The engine of Block and Unblock, in named steps: gather the occurrences of all items ->
 * plan batches -> send them with a bounded pool (the send gate says when to stop) -> read
 * each batch's answer -> one output item per occurrence (Succeeded or Failed), paired to
 * the item it came from. Every given user comes out exactly once.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readNumbers } from '../options';
import { buildConnection, type ConnectionSettings, CREDENTIAL_TYPE } from '../transport/connection';
import type { Failure } from '../transport/errors';
import { failureError } from '../transport/failureError';
import { requestWithRetries } from '../transport/request';
import { type BlockAction, LocalErrorCode, type Occurrence, type UserError, type UserOutcome } from '../types';
import { gatherOccurrences, refuseParentBsuids } from '../users/gather';
import { unsentOutcome, userItem } from '../users/userItem';
import { requestEntry } from '../users/users';
import { runPool } from './batching';
import { hasPerUserLists, readBatchAnswer } from './blockAnswer';
import { type Batch, type BatchPlan, planBatches } from './plan';
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
	const body = { messaging_product: 'whatsapp', block_users: batch.users.map((user) => requestEntry(user)) };
	const result = await requestWithRetries(ctx, { ...connection, phoneNumberId: batch.phoneNumberId }, METHOD[action], {
		body: body as unknown as IDataObject,
		readableClientError: hasPerUserLists,
	});
	if (!result.ok) return { outcomes: failAll(batch.users, result.failure.error), failure: result.failure };
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
export function stopOnFatal(ctx: IExecuteFunctions, gate: SendGate<Batch>, secrets: readonly string[]): void {
	const fatal = gate.stoppingFailure;
	if (!fatal || ctx.continueOnFail()) return;
	const { failure, batch } = fatal;
	const where = `Item ${batch.itemIndex + 1}, phone number ID ${batch.phoneNumberId}. Nothing was changed.`;
	throw failureError(ctx, failure, { itemIndex: batch.itemIndex, where, secrets });
}

/** The outcome the batch of a user gave it (a user never sent, or never recorded, has none). */
export function outcomeOf(plan: BatchPlan, results: readonly BatchOutcomes[], occurrence: Occurrence): UserOutcome | undefined {
	const { phoneNumberId, user } = occurrence;
	const index = phoneNumberId === null || user === null ? undefined : plan.batchOf(phoneNumberId, user);
	return index === undefined ? undefined : results[index]?.get(user as string);
}

/** What a user gets when no batch recorded an outcome for it (never expected; never a success). */
export const NOT_RECORDED: UserOutcome = {
	ok: false,
	error: { code: LocalErrorCode.NotAcknowledged, message: 'No result was recorded for this user' },
};

/** One output item per occurrence, each with the outcome of the batch its user went into. */
function routeOccurrences(
	action: BlockAction,
	occurrences: readonly Occurrence[],
	plan: BatchPlan,
	results: readonly BatchOutcomes[],
): INodeExecutionData[][] {
	const succeeded: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	for (const occurrence of occurrences) {
		const outcome = unsentOutcome(occurrence) ?? outcomeOf(plan, results, occurrence) ?? NOT_RECORDED;
		(outcome.ok ? succeeded : failed).push(userItem(occurrence, outcome, action));
	}
	return [succeeded, failed];
}

/** Runs Block or Unblock over all input items; returns [Succeeded, Failed]. Options come from the first item. */
export async function changeBlocklist(ctx: IExecuteFunctions, action: BlockAction): Promise<INodeExecutionData[][]> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const connection = buildConnection(credentials, options);
	if (!connection.ok) throw new NodeOperationError(ctx.getNode(), connection.reason, { itemIndex: 0 });
	const numbers = readNumbers(options, ['batchSize', 'maxConcurrency']);
	if (!numbers.ok) throw new NodeOperationError(ctx.getNode(), numbers.reason, { itemIndex: 0 });

	const occurrences = refuseParentBsuids(gatherOccurrences(ctx, credentials));
	const { batchSize, maxConcurrency } = numbers.value;
	const plan = planBatches(occurrences, batchSize);
	const { results, gate } = await sendBatches(ctx, action, connection.value, plan.batches, maxConcurrency);
	stopOnFatal(ctx, gate, connection.value.secrets);
	return routeOccurrences(action, occurrences, plan, results);
}
