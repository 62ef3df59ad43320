/**
 * Check: which of the given users are blocked. Reads the whole blocklist of each phone
 * number ID once and sorts the users of all items onto Blocked, Not Blocked and Failed,
 * one item per occurrence. Never blocks or unblocks anyone.
 *
 * The engine of Check: gather the occurrences of all items -> read the whole blocklist of
 * each phone number ID they name (`blocklist/snapshot.ts`) -> one output item per
 * occurrence, on Blocked, Not Blocked or Failed. It never changes the blocklist. A user whose
 * phone number ID's blocklist could not be read completely is on Failed: a partial read says
 * nothing.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { phoneNumberIdsOf, readSnapshots, type SnapshotResult } from '../blocklist/snapshot';
import {
	defaultCountryCodeField,
	optionsCollection,
	phoneNumberIdField,
	requestOptions,
	usersField,
} from '../fields';
import { buildConnection, CREDENTIAL_TYPE } from '../transport/connection';
import type { Occurrence } from '../types';
import { gatherOccurrences } from '../users/gather';
import { blockedItem, okItem, statusItem, unsentOutcome } from '../users/userItem';
import { Status, outputNames, ErrorCode } from '../contract';

export { userToolEntry as toolEntry } from '../users/userItem';

export const option = {
	name: 'Check',
	value: 'check',
	description: 'Find out which of the given users are blocked on this phone number',
	action: 'Check whether users are blocked',
};

export const toolDescription =
	'Check which WhatsApp users are blocked on this business phone number, without changing anything. Give users as phone numbers in international format (such as +919999999999) or as BSUIDs (such as US.13491208655302741918), several separated by commas. Returns one entry per user with its status: blocked, not blocked, or failed with the reason (then nothing is known about it).';

export const outputs = outputNames('check');

const properties: INodeProperties[] = [
	{
		displayName:
			'Reads the whole blocklist of the phone number, then puts each user on Blocked or Not Blocked. If the blocklist cannot be read completely, every user goes to Failed: a partial read is never taken for the whole list.',
		name: 'checkNotice',
		type: 'notice',
		default: '',
	},
	usersField,
	phoneNumberIdField,
	optionsCollection([defaultCountryCodeField, ...requestOptions]),
];

export const description = updateDisplayOptions({ show: { operation: ['check'] } }, properties);

/** Check's outputs, by name (`OUTPUTS.check` in the contract). */
const OUTPUT = { blocked: 0, notBlocked: 1, failed: 2 } as const;

/** One occurrence's item and the output it goes to. */
function checkItem(
	occurrence: Occurrence,
	result: SnapshotResult | undefined,
): [number, INodeExecutionData] {
	const unsent = unsentOutcome(occurrence);
	if (unsent) return [OUTPUT.failed, statusItem(occurrence, unsent, Status.Failed)];
	if (!result?.ok) {
		const error = result?.error ?? {
			code: ErrorCode.NotRead,
			message: 'The blocklist was not read',
		};
		return [OUTPUT.failed, statusItem(occurrence, { ok: false, error }, Status.Failed)];
	}
	const entry = result.snapshot.byKey.find(occurrence);
	if (entry === undefined) return [OUTPUT.notBlocked, okItem(occurrence, Status.NotBlocked)];
	return [
		OUTPUT.blocked,
		blockedItem(occurrence, typeof entry.block_reason === 'string' ? entry.block_reason : null),
	];
}

/** Runs Check over all input items; returns [Blocked, Not Blocked, Failed]. Options come from the first item. */
async function checkBlocklist(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const connection = buildConnection(
		credentials,
		ctx.getNodeParameter('options', 0, {}) as IDataObject,
	);
	if (!connection.ok)
		throw new NodeOperationError(ctx.getNode(), connection.error, { itemIndex: 0 });
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

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await checkBlocklist(this);
}
