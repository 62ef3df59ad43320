/**
 * One poll of the Blocklist Trigger: read the whole blocklist (the complete read of Check and
 * Sync), compare it with the state saved from the last complete read, save the new state and
 * return one item per change. The first poll of a phone number ID only records it. A read
 * that does not finish throws (n8n shows a failed trigger run) and leaves the saved state as
 * it was, so the next complete read is compared with the last complete one: no change is
 * reported twice and none is missed. In manual mode ("Fetch Test Event") it returns a few
 * listed users as sample events and does not touch the state.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readBlocklist } from '../blocklist/readBlocklist';
import { readWholeBlocklist } from '../blocklist/snapshot';
import { buildConnection, type Connection, CREDENTIAL_TYPE } from '../transport/connection';
import { failureError } from '../transport/failureError';
import { resolvePhoneNumberId } from '../users/phoneNumberId';
import {
	BLOCKLIST_EVENTS,
	type BlocklistEvent,
	compareBlocklists,
	eventItems,
	eventJson,
	knownUser,
} from './events';
import { decodeState, encodeState } from './state';

/** Where the state lives in the node's static data. */
const STATE_KEY = 'blocklist';
/** How many listed users a manual run shows as sample events. */
const SAMPLE_SIZE = 3;

function readEvents(ctx: IPollFunctions): BlocklistEvent[] {
	const chosen = ctx.getNodeParameter('events', []) as unknown;
	const events = BLOCKLIST_EVENTS.filter(
		(event) => Array.isArray(chosen) && chosen.includes(event),
	);
	if (events.length > 0) return events;
	throw new NodeOperationError(ctx.getNode(), 'No event is chosen', {
		description: 'Choose Blocked, Unblocked or both under Events.',
	});
}

async function connectionOf(ctx: IPollFunctions): Promise<Connection> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const built = buildConnection(credentials, ctx.getNodeParameter('options', {}) as IDataObject);
	if (!built.ok)
		throw new NodeOperationError(ctx.getNode(), built.error, {
			description: 'Fix the Splashify API credential or the options.',
		});
	const phoneNumberId = resolvePhoneNumberId(
		ctx.getNodeParameter('phoneNumberId', ''),
		credentials,
	);
	if (!phoneNumberId.ok)
		throw new NodeOperationError(ctx.getNode(), phoneNumberId.error, {
			description: 'A phone number ID is digits only.',
		});
	return { ...built.value, phoneNumberId: phoneNumberId.value };
}

const toItems = (json: IDataObject[]): INodeExecutionData[][] => [
	json.map((entry) => ({ json: entry })),
];

/** A few listed users as events of the first chosen kind, for mapping fields in the editor. */
async function sampleEvents(
	ctx: IPollFunctions,
	connection: Connection,
	events: BlocklistEvent[],
): Promise<INodeExecutionData[][]> {
	const read = await readBlocklist(ctx, connection, SAMPLE_SIZE, SAMPLE_SIZE);
	if (!read.ok)
		throw failureError(ctx, read.error, {
			where: `Phone number ID ${connection.phoneNumberId}.`,
			secrets: connection.secrets,
		});
	if (read.value.length === 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The blocklist of phone number ID ${connection.phoneNumberId} is empty, so there is no sample event`,
			{
				description:
					'Block a test user (with WhatsApp Block Users or in the WhatsApp Business app) and fetch the test event again.',
			},
		);
	}
	const detectedAt = new Date().toISOString();
	return toItems(
		read.value.map((entry) =>
			eventJson(events[0], knownUser(entry), connection.phoneNumberId, detectedAt),
		),
	);
}

/** Throws when the read took longer than n8n lets a poll run: its result would not be kept. */
function checkBudget(ctx: IPollFunctions, startedAt: number, connection: Connection): void {
	const budgetMs =
		typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : Number.POSITIVE_INFINITY;
	const tookMs = Date.now() - startedAt;
	if (tookMs <= budgetMs) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`Reading the blocklist of phone number ID ${connection.phoneNumberId} took ${Math.round(tookMs / 1000)} s, longer than n8n lets a poll run (${Math.round(budgetMs / 1000)} s)`,
		{
			description:
				"Nothing was reported and the last complete read is kept. Raise n8n's poll time limit or lower the Timeout and Max Retries options.",
		},
	);
}

export async function pollBlocklist(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const startedAt = Date.now();
	const events = readEvents(ctx);
	const connection = await connectionOf(ctx);
	if (ctx.getMode() === 'manual') return await sampleEvents(ctx, connection, events);

	const staticData = ctx.getWorkflowStaticData('node');
	const saved = staticData[STATE_KEY];
	const read = await readWholeBlocklist(ctx, connection);
	if (!read.ok) {
		const where = `Phone number ID ${connection.phoneNumberId}. Nothing was reported; the next complete read is compared with the last complete one.`;
		throw failureError(ctx, read.error, { where, secrets: connection.secrets });
	}
	checkBudget(ctx, startedAt, connection);
	// Another poll of this trigger finished while this one read: its state is the newer one.
	if (staticData[STATE_KEY] !== saved) return null;

	const current = read.value.map(knownUser);
	const previous = decodeState(saved, connection.phoneNumberId);
	staticData[STATE_KEY] = encodeState(connection.phoneNumberId, current);
	if (previous === undefined) return null;
	const items = eventItems(
		compareBlocklists(previous, current),
		events,
		connection.phoneNumberId,
		new Date().toISOString(),
	);
	return items.length > 0 ? toItems(items) : null;
}
