/**
 * The engine of Check: gather the occurrences of all items -> read the whole blocklist of
 * each phone number ID they name (`snapshot.ts`) -> one output item per occurrence, on
 * Blocked, Not Blocked or Failed. It never changes the blocklist. A user whose phone number
 * ID's blocklist could not be read completely is on Failed: a partial read says nothing.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { phoneNumberIdsOf, readSnapshots, type SnapshotResult } from '../blocklist/snapshot';
import { buildConnection, CREDENTIAL_TYPE } from '../transport/connection';
import type { Occurrence } from '../types';
import { gatherOccurrences } from '../users/gather';
import { blockedItem, okItem, statusItem, unsentOutcome } from '../users/userItem';

/** One occurrence's item and the output it goes to (0 Blocked, 1 Not Blocked, 2 Failed). */
function checkItem(occurrence: Occurrence, result: SnapshotResult | undefined): [number, INodeExecutionData] {
	const unsent = unsentOutcome(occurrence);
	if (unsent) return [2, statusItem(occurrence, unsent, 'failed')];
	if (!result?.ok) {
		const error = result?.error ?? { code: 'NOT_READ', message: 'The blocklist was not read' };
		return [2, statusItem(occurrence, { ok: false, error }, 'failed')];
	}
	const entry = result.snapshot.byKey.find(occurrence);
	if (entry === undefined) return [1, okItem(occurrence, 'not blocked')];
	return [0, blockedItem(occurrence, typeof entry.block_reason === 'string' ? entry.block_reason : null)];
}

/** Runs Check over all input items; returns [Blocked, Not Blocked, Failed]. Options come from the first item. */
export async function checkBlocklist(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const connection = buildConnection(credentials, ctx.getNodeParameter('options', 0, {}) as IDataObject);
	if (!connection.ok) throw new NodeOperationError(ctx.getNode(), connection.reason, { itemIndex: 0 });
	const occurrences = gatherOccurrences(ctx, credentials);
	const snapshots = await readSnapshots(ctx, connection.value, phoneNumberIdsOf(occurrences, true));
	const outputs: INodeExecutionData[][] = [[], [], []];
	for (const occurrence of occurrences) {
		const id = occurrence.phoneNumberId;
		const [output, item] = checkItem(occurrence, id === null ? undefined : snapshots.get(id));
		outputs[output].push(item);
	}
	return outputs;
}
