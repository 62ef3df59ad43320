/**
 * The engine of Block and Unblock, in named steps: gather the occurrences of all items ->
 * plan batches -> send them with a bounded pool (`send.ts`; the send gate says when to stop)
 * -> read each batch's answer -> one output item per occurrence (Succeeded or Failed), paired to
 * the item it came from. Every given user comes out exactly once.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readNumbers } from '../options';
import { buildConnection, CREDENTIAL_TYPE } from '../transport/connection';
import type { BlockAction, Occurrence } from '../types';
import { gatherOccurrences, refuseParentBsuids } from '../users/gather';
import { unsentOutcome, userItem } from '../users/userItem';
import { type BatchPlan, planBatches } from './plan';
import { type BatchOutcomes, NOT_RECORDED, outcomeOf, sendBatches, stopOnFatal } from './send';

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
		const outcome =
			unsentOutcome(occurrence) ?? outcomeOf(plan, results, occurrence) ?? NOT_RECORDED;
		(outcome.ok ? succeeded : failed).push(userItem(occurrence, outcome, action));
	}
	return [succeeded, failed];
}

/** Runs Block or Unblock over all input items; returns [Succeeded, Failed]. Options come from the first item. */
export async function changeBlocklist(
	ctx: IExecuteFunctions,
	action: BlockAction,
): Promise<INodeExecutionData[][]> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const connection = buildConnection(credentials, options);
	if (!connection.ok)
		throw new NodeOperationError(ctx.getNode(), connection.error, { itemIndex: 0 });
	const numbers = readNumbers(options, ['batchSize', 'maxConcurrency']);
	if (!numbers.ok) throw new NodeOperationError(ctx.getNode(), numbers.error, { itemIndex: 0 });

	const occurrences = refuseParentBsuids(gatherOccurrences(ctx, credentials));
	const { batchSize, maxConcurrency } = numbers.value;
	const plan = planBatches(occurrences, batchSize);
	const { results, gate } = await sendBatches(
		ctx,
		action,
		connection.value,
		plan.batches,
		maxConcurrency,
	);
	stopOnFatal(ctx, gate, connection.value.secrets);
	return routeOccurrences(action, occurrences, plan, results);
}
