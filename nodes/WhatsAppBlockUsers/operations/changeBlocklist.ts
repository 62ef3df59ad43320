/**
 * The engine of Block and Unblock: gathers the users of all items, sends each unique valid
 * user once, in batches, and gives every occurrence exactly one result (Succeeded or
 * Failed), paired to the item it came from.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { chunk, effectiveBatchSize, runPool } from '../batching';
import { readPerUserAnswer, perUserLists, topLevelError } from '../transport/answers';
import { buildConnection } from '../transport/connection';
import type { Failure } from '../transport/errors';
import { type Connection, CREDENTIAL_TYPE, requestWithRetries, scrub } from '../transport/request';
import { type BlockAction, LocalErrorCode, type UserError, type UserOutcome } from '../types';
import { type Occurrence, occurrencesOfItem } from './gather';
import { itemParameter } from './itemParameter';

export const MAX_CONCURRENCY = 10;
/**
 * After this many batches in a row failed through all their retries, the server is taken to
 * be down: the remaining batches are not sent (their users fail at once, with the reason)
 * instead of each waiting through its own retries.
 */
export const MAX_CONSECUTIVE_EXHAUSTED_BATCHES = 3;

const STATUS: Record<BlockAction, string> = { block: 'blocked', unblock: 'unblocked' };
const METHOD = { block: 'POST', unblock: 'DELETE' } as const;

interface Batch {
	phoneNumberId: string;
	users: string[];
	/** The item of the batch's first user, to name in errors. */
	itemIndex: number;
}

/**
 * Groups the valid occurrences by phone number ID and user, in first-seen order. Also gives,
 * per phone number ID, the index of the batch each user went into.
 */
function planBatches(
	occurrences: readonly Occurrence[],
	batchSize: number,
): { batches: Batch[]; batchOf: Map<string, Map<string, number>> } {
	const byNumber = new Map<string, Map<string, number>>();
	for (const occurrence of occurrences) {
		if (occurrence.error || occurrence.user === null || occurrence.phoneNumberId === null) continue;
		let users = byNumber.get(occurrence.phoneNumberId);
		if (!users) byNumber.set(occurrence.phoneNumberId, (users = new Map()));
		if (!users.has(occurrence.user)) users.set(occurrence.user, occurrence.itemIndex);
	}
	const batches: Batch[] = [];
	for (const [phoneNumberId, users] of byNumber) {
		for (const part of chunk([...users.keys()], batchSize)) {
			batches.push({ phoneNumberId, users: part, itemIndex: users.get(part[0]) ?? 0 });
			// From here on the map tells the user's batch instead of its first item.
			for (const user of part) users.set(user, batches.length - 1);
		}
	}
	return { batches, batchOf: byNumber };
}

function failAll(users: readonly string[], error: UserError): Map<string, UserOutcome> {
	return new Map(users.map((user) => [user, { ok: false, error } as UserOutcome]));
}

/** Sends one batch (with retries) and reads an outcome for each of its users. */
async function sendBatch(
	ctx: IExecuteFunctions,
	action: BlockAction,
	connection: Connection,
	batch: Batch,
): Promise<{ outcomes: Map<string, UserOutcome>; failure?: Failure; requests: number }> {
	const body = {
		messaging_product: 'whatsapp',
		block_users: batch.users.map((user) => ({ user })),
	};
	const { result, requests } = await requestWithRetries(ctx, connection, METHOD[action], {
		body: body as unknown as IDataObject,
		expectLists: true,
	});
	if (!result.ok) {
		const { failure } = result;
		return { outcomes: failAll(batch.users, failure.error), failure, requests };
	}
	const answer = result.value.body;
	const lists = perUserLists(answer) ?? {};
	return { outcomes: readPerUserAnswer(action, lists, batch.users, topLevelError(answer)).outcomes, requests };
}

function toItem(action: BlockAction, occurrence: Occurrence, outcome: UserOutcome): INodeExecutionData {
	const json: IDataObject = {
		status: outcome.ok ? STATUS[action] : 'failed',
		input: occurrence.input,
		user: occurrence.user,
		wa_id: outcome.ok ? outcome.waId : occurrence.waId,
		phoneNumberId: occurrence.phoneNumberId,
	};
	if (!outcome.ok) json.error = { ...outcome.error } as IDataObject;
	return { json, pairedItem: { item: occurrence.itemIndex } };
}

/** Runs Block or Unblock over all input items; returns [Succeeded, Failed]. */
export async function changeBlocklist(ctx: IExecuteFunctions, action: BlockAction): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;

	const built = buildConnection(credentials, options);
	if (!built.ok) throw new NodeOperationError(ctx.getNode(), built.reason, { itemIndex: 0 });
	const shared = built.value;

	const occurrences: Occurrence[] = [];
	const usersOf = itemParameter(ctx, items, 'users');
	const phoneNumberIdOf = itemParameter(ctx, items, 'phoneNumberId');
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const params = { users: usersOf(itemIndex), phoneNumberId: phoneNumberIdOf(itemIndex) };
		const { occurrences: ofItem, badPhoneNumberId } = occurrencesOfItem(itemIndex, params, credentials);
		if (badPhoneNumberId !== undefined && !continueOnFail) {
			throw new NodeOperationError(ctx.getNode(), badPhoneNumberId, {
				itemIndex,
				description: `Item ${itemIndex + 1}: nothing was sent. A phone number ID is digits only.`,
			});
		}
		for (const occurrence of ofItem) occurrences.push(occurrence);
	}

	const { batches, batchOf } = planBatches(occurrences, effectiveBatchSize(options.batchSize));
	const concurrency = Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(Number(options.maxConcurrency ?? 1)) || 1));
	let fatal: { failure: Failure; batch: Batch } | undefined;
	let exhaustedInARow = 0;
	let lastExhausted: Failure | undefined;

	const results = await runPool(batches.length, concurrency, async (index) => {
		const batch = batches[index];
		if (fatal) {
			return failAll(batch.users, {
				code: LocalErrorCode.NotSent,
				message: `Not sent, because an earlier request failed: ${fatal.failure.error.message}`,
			});
		}
		if (exhaustedInARow >= MAX_CONSECUTIVE_EXHAUSTED_BATCHES && lastExhausted) {
			return failAll(batch.users, {
				code: LocalErrorCode.NotSent,
				message: `Not sent, because the previous ${exhaustedInARow} requests failed after all their retries (last error: ${lastExhausted.error.message}). Run the node again for these users later`,
			});
		}
		const sent = await sendBatch(ctx, action, { ...shared, phoneNumberId: batch.phoneNumberId }, batch);
		if (sent.failure?.kind === 'fatal' && !fatal) fatal = { failure: sent.failure, batch };
		if (sent.failure?.exhausted) {
			exhaustedInARow++;
			lastExhausted = sent.failure;
		} else {
			exhaustedInARow = 0;
		}
		return sent.outcomes;
	});

	if (fatal && !continueOnFail) {
		const { failure, batch } = fatal;
		const error = failure.error;
		throw new NodeApiError(ctx.getNode(), { ...error, httpCode: failure.httpCode ?? null } as unknown as JsonObject, {
			message: scrub(error.message, shared.secrets),
			description: scrub(
				[error.details, `Item ${batch.itemIndex + 1}, phone number ID ${batch.phoneNumberId}. No further batches were sent.`]
					.filter(Boolean)
					.join(' — '),
				shared.secrets,
			),
			httpCode: failure.httpCode === undefined ? undefined : String(failure.httpCode),
			itemIndex: batch.itemIndex,
		});
	}

	/** A user's outcome, read from the answer of the batch it went into. */
	const outcomeOf = (phoneNumberId: string, user: string): UserOutcome | undefined => {
		const index = batchOf.get(phoneNumberId)?.get(user);
		return index === undefined ? undefined : results[index]?.get(user);
	};

	const succeeded: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	for (const occurrence of occurrences) {
		const outcome: UserOutcome =
			occurrence.error || occurrence.user === null || occurrence.phoneNumberId === null
				? { ok: false, error: occurrence.error ?? { code: LocalErrorCode.InvalidNumber, message: 'Not a usable entry' } }
				: (outcomeOf(occurrence.phoneNumberId, occurrence.user) ?? {
						ok: false,
						error: { code: LocalErrorCode.NotAcknowledged, message: 'No result was recorded for this user' },
					});
		(outcome.ok ? succeeded : failed).push(toItem(action, occurrence, outcome));
	}
	return [succeeded, failed];
}
