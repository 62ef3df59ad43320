/**
 * Sync: make the blocklist of a phone number match the given users (a CRM's do-not-contact
 * list, say). Reads the whole blocklist first, blocks the users missing from it and, with
 * Unblock Others, unblocks the listed users who were not given. Outputs Changed, Unchanged
 * and Failed. Dry Run shows the plan without changing anything.
 *
 * The engine of Sync: make the blocklist of each phone number ID match the given users.
 * Gather the desired occurrences -> read the whole blocklist of every phone number ID
 * involved (`blocklist/snapshot.ts`), before any change -> plan: block the desired users
 * missing from it and, with Unblock Others, unblock the listed users nobody asked for (never a
 * desired one) -> send the blocks, then the unblocks, through Block's and Unblock's batch
 * sender (`changes/send.ts`) -> one item per occurrence and per unblocked user, on Changed,
 * Unchanged or Failed. A phone number ID whose blocklist could not be read is not changed at
 * all; one that would be emptied because no valid user was given is refused unless that is
 * explicitly allowed.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { KeyIndex, phoneNumberIdsOf, readSnapshots, type Snapshot } from '../blocklist/snapshot';
import { type Batch, type BatchPlan, planBatches } from '../changes/plan';
import {
	type BatchOutcomes,
	NOT_RECORDED,
	outcomeOf,
	sendBatches,
	stopOnFatal,
} from '../changes/send';
import { SendGate } from '../changes/sendGate';
import {
	batchSizeField,
	defaultCountryCodeField,
	numberField,
	optionsCollection,
	phoneNumberIdField,
	requestOptions,
	usersField,
} from '../fields';
import { readBoolean, readNumbers } from '../options';
import { buildConnection, type ConnectionSettings, CREDENTIAL_TYPE } from '../transport/connection';
import { ErrorCode, Status, outputNames } from '../contract';
import { type Occurrence, type UserError, type UserOutcome } from '../types';
import { isParentBsuid } from '../users/bsuid';
import { gatherOccurrences, refuseParentBsuids } from '../users/gather';
import { statusItem, unsentOutcome } from '../users/userItem';
import { TOOL_MAX_USERS } from './agent';

export { userToolEntry as toolEntry } from '../users/userItem';

export const option = {
	name: 'Sync',
	value: 'sync',
	description: 'Make the blocklist of this phone number match the given users',
	action: 'Sync the blocklist with users',
};

export const toolDescription = `Make the WhatsApp blocklist of this business phone number match a list of users: block those missing from it and, if the node allows it, unblock those not in the list. Give users as phone numbers in international format (such as +919999999999) or as BSUIDs, several separated by commas. Returns one entry per user with its status: blocked, unblocked, already blocked, kept (a listed user that may be a given one, with the reason), would block / would unblock (dry run), or failed with the reason. Of the listed users you did not give, at most ${TOOL_MAX_USERS} have an entry (failed ones first); when there are more, a last entry listed_users_not_given gives their total and their count by status.`;

export const outputs = outputNames('sync');

const syncFields: INodeProperties[] = [
	{
		displayName: 'Unblock Others',
		name: 'unblockOthers',
		type: 'boolean',
		default: false,
		description:
			'Whether to also unblock the blocked users who are not among the given users, so that the blocklist holds exactly them',
	},
	{
		displayName: 'Allow Emptying the Blocklist',
		name: 'allowEmptyBlocklist',
		type: 'boolean',
		default: false,
		description:
			'Whether Unblock Others may unblock everyone when no valid user is given (an empty export, say). Off: such a run is refused and nothing is changed.',
	},
	{
		displayName: 'Unblock Others Despite Refused Users',
		name: 'unblockDespiteRefused',
		type: 'boolean',
		default: false,
		description:
			'Whether Unblock Others still unblocks when some given users were refused (an invalid number, a parent BSUID...). Off: nobody is unblocked on that phone number ID, since a refused entry may be one of the listed users; they come out on Failed with UNBLOCK_WITHHELD.',
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only read the blocklist and show what would change ("would block", "would unblock"), without changing anything',
	},
];

const properties: INodeProperties[] = [
	{
		displayName:
			'Reads the whole blocklist first and changes nothing if it cannot. Given users are never unblocked. Turn on Dry Run to see the plan first.',
		name: 'syncNotice',
		type: 'notice',
		default: '',
	},
	{
		...usersField,
		description: `The users who should be blocked: ${String(usersField.description).charAt(0).toLowerCase()}${String(usersField.description).slice(1)}`,
	},
	phoneNumberIdField,
	optionsCollection([
		...syncFields,
		defaultCountryCodeField,
		batchSizeField,
		numberField(
			'maxConcurrency',
			'How many batches to send at the same time. Keep 1 to stay clear of rate limits.',
		),
		...requestOptions,
	]),
];

export const description = updateDisplayOptions({ show: { operation: ['sync'] } }, properties);

interface SyncOptions {
	unblockOthers: boolean;
	allowEmptyBlocklist: boolean;
	unblockDespiteRefused: boolean;
	dryRun: boolean;
	batchSize: number;
	maxConcurrency: number;
}

/** What Sync does on one phone number ID: its snapshot, or why nothing is changed there. */
interface PhonePlan {
	snapshot?: Snapshot;
	error?: UserError;
	/** Listed users nobody asked for, as occurrences paired to the phone number ID's first item. */
	toUnblock: Occurrence[];
	/** Listed users nobody asked for that are not unblocked, and why: on Failed (withheld, a parent BSUID) or Unchanged (kept). */
	notUnblocked?: Array<{ occurrence: Occurrence; error: UserError }>;
	kept?: Array<{ occurrence: Occurrence; reason: string }>;
}

/** What was asked for on one phone number ID: the valid users, and the entries refused there. */
interface Desired {
	users: KeyIndex<true>;
	refused: Occurrence[];
	/** A wanted number, or a wanted BSUID, that the list does not hold. */
	unlistedNumber: boolean;
	unlistedBsuid: boolean;
}

const OUTPUT = { changed: 0, unchanged: 1, failed: 2 } as const;

/** The Sync switches as the editor names them, each read with `readBoolean`. */
const SWITCHES = {
	unblockOthers: 'Unblock Others',
	allowEmptyBlocklist: 'Allow Emptying the Blocklist',
	unblockDespiteRefused: 'Unblock Others Despite Refused Users',
	dryRun: 'Dry Run',
} as const;

function syncOptions(options: IDataObject): SyncOptions | string {
	const numbers = readNumbers(options, ['batchSize', 'maxConcurrency']);
	if (!numbers.ok) return numbers.error;
	const switches = {} as Record<keyof typeof SWITCHES, boolean>;
	for (const [name, displayName] of Object.entries(SWITCHES) as Array<
		[keyof typeof SWITCHES, string]
	>) {
		const read = readBoolean(displayName, options[name], false);
		if (!read.ok) return read.error;
		switches[name] = read.value;
	}
	return { ...switches, ...numbers.value };
}

/** A listed user nobody asked for, as the occurrence to unblock (its number, else its BSUID). */
function listedOccurrence(
	entry: IDataObject,
	phoneNumberId: string,
	itemIndex: number,
): Occurrence {
	const waId = typeof entry.wa_id === 'string' ? entry.wa_id : null;
	const userId = typeof entry.user_id === 'string' ? entry.user_id : null;
	return {
		itemIndex,
		input: '',
		phoneNumberId,
		user: waId === null ? userId : `+${waId}`,
		waId,
		userId,
	};
}

function emptyingRefusal(phoneNumberId: string, listed: number, itemIndex: number): UserError {
	return {
		code: ErrorCode.RefusedEmptySync,
		message: `Sync would unblock all ${listed} users of phone number ID ${phoneNumberId}, because no valid user was given for it (item ${itemIndex + 1}). Nothing was changed. If that is what you want, turn on the option Allow Emptying the Blocklist`,
	};
}

function withheldError(phoneNumberId: string, refused: readonly Occurrence[]): UserError {
	const [first] = refused;
	const count = refused.length === 1 ? '1 given user' : `${refused.length} given users`;
	return {
		code: ErrorCode.UnblockWithheld,
		message: `Not unblocked: ${count} of phone number ID ${phoneNumberId} ${refused.length === 1 ? 'was' : 'were'} refused (item ${first.itemIndex + 1}: "${first.input}"), and may be this user. Fix the refused users, or turn on Unblock Others Despite Refused Users`,
	};
}

/** A listed user known only by a parent BSUID cannot be unblocked: WhatsApp refuses a request that holds one. */
function listedParentError(parent: string): UserError {
	return {
		code: ErrorCode.ParentBsuid,
		message: `Not unblocked: this user is listed only by the parent BSUID ${parent}, and WhatsApp does not unblock by a parent BSUID: unblock them in the WhatsApp Business app, or by their own BSUID or phone number`,
	};
}

/** Why a listed user that nobody asked for is kept: it may be a wanted user known to the list by another ID. */
function keptReason(entry: IDataObject, desired: Desired): string | undefined {
	const hasNumber = typeof entry.wa_id === 'string';
	const hasBsuid = typeof entry.user_id === 'string';
	if (!hasNumber && desired.unlistedNumber) {
		return 'Kept: this user is known only by a BSUID, and a user given by number is not on the list, so they may be the same person';
	}
	if (!hasBsuid && desired.unlistedBsuid) {
		return 'Kept: this user is known only by a phone number, and a user given by BSUID is not on the list, so they may be the same person';
	}
	return undefined;
}

/** The plan of one phone number ID, from its snapshot and what was asked for there. */
function planPhone(
	ctx: IExecuteFunctions,
	phoneNumberId: string,
	itemIndex: number,
	snapshot: Snapshot,
	desired: Desired,
	options: SyncOptions,
): PhonePlan {
	if (!options.unblockOthers) return { snapshot, toUnblock: [] };
	const others = snapshot.entries.filter((entry) => !desired.users.knows(entry));
	if (desired.users.isEmpty() && others.length > 0 && !options.allowEmptyBlocklist) {
		const error = emptyingRefusal(phoneNumberId, others.length, itemIndex);
		if (!ctx.continueOnFail())
			throw new NodeOperationError(ctx.getNode(), error.message, {
				itemIndex,
				description: 'Unblock Others with an empty list of users would empty the blocklist.',
			});
		return { error, toUnblock: [] };
	}
	const listed = (entry: IDataObject) => listedOccurrence(entry, phoneNumberId, itemIndex);
	if (desired.refused.length > 0 && !options.unblockDespiteRefused) {
		const error = withheldError(phoneNumberId, desired.refused);
		return {
			snapshot,
			toUnblock: [],
			notUnblocked: others.map((entry) => ({ occurrence: listed(entry), error })),
		};
	}
	const plan: PhonePlan = { snapshot, toUnblock: [], notUnblocked: [], kept: [] };
	for (const entry of others) {
		const occurrence = listed(entry);
		const reason = keptReason(entry, desired);
		if (reason !== undefined) plan.kept?.push({ occurrence, reason });
		else if (
			occurrence.waId === null &&
			occurrence.userId !== null &&
			isParentBsuid(occurrence.userId)
		)
			plan.notUnblocked?.push({ occurrence, error: listedParentError(occurrence.userId) });
		else plan.toUnblock.push(occurrence);
	}
	return plan;
}

/** What was asked for on one phone number ID, against its listed users. */
function desiredOn(
	phoneNumberId: string,
	occurrences: readonly Occurrence[],
	snapshot: Snapshot,
): Desired {
	const desired: Desired = {
		users: new KeyIndex<true>(),
		refused: [],
		unlistedNumber: false,
		unlistedBsuid: false,
	};
	for (const o of occurrences) {
		if (o.phoneNumberId !== phoneNumberId) continue;
		if (o.error || o.user === null) {
			// An item with no users gave nobody (Allow Emptying the Blocklist is for that); any other entry was someone.
			if (o.error?.code !== ErrorCode.NoUsers) desired.refused.push(o);
			continue;
		}
		desired.users.set(o.user, true, o.waId);
		// A number that came with its BSUID is that user under either ID.
		if (o.waId !== null && o.userId !== null) desired.users.set(o.userId, true);
		if (snapshot.byKey.find(o) !== undefined) continue;
		if (o.waId !== null) desired.unlistedNumber = true;
		else desired.unlistedBsuid = true;
	}
	return desired;
}

/** Reads every phone number ID involved, then plans each (throws on a refused emptying). A parent BSUID not on the list is refused there. */
async function planSync(
	ctx: IExecuteFunctions,
	connection: ConnectionSettings,
	occurrences: Occurrence[],
	options: SyncOptions,
): Promise<Map<string, PhonePlan>> {
	const targets = phoneNumberIdsOf(occurrences, false);
	const snapshots = await readSnapshots(ctx, connection, targets);
	refuseParentBsuids(occurrences, (o) => {
		const read = o.phoneNumberId === null ? undefined : snapshots.get(o.phoneNumberId);
		return read?.ok === true && read.snapshot.byKey.find(o) !== undefined;
	});
	const plans = new Map<string, PhonePlan>();
	for (const [phoneNumberId, itemIndex] of targets) {
		const result = snapshots.get(phoneNumberId);
		if (!result?.ok) {
			plans.set(phoneNumberId, { error: result?.error, toUnblock: [] });
			continue;
		}
		const desired = desiredOn(phoneNumberId, occurrences, result.snapshot);
		plans.set(
			phoneNumberId,
			planPhone(ctx, phoneNumberId, itemIndex, result.snapshot, desired, options),
		);
	}
	return plans;
}

/** The desired users to block: valid, on a phone number ID that can be changed, not yet listed. */
function toBlock(
	occurrences: readonly Occurrence[],
	plans: ReadonlyMap<string, PhonePlan>,
): Occurrence[] {
	return occurrences.filter((o) => {
		const snapshot = o.phoneNumberId === null ? undefined : plans.get(o.phoneNumberId)?.snapshot;
		return (
			!o.error && o.user !== null && snapshot !== undefined && snapshot.byKey.find(o) === undefined
		);
	});
}

interface Sent {
	plan: BatchPlan;
	results: BatchOutcomes[];
}

/** Sends the blocks, then the unblocks, sharing one gate (nothing more after a fatal answer). */
async function sendChanges(
	ctx: IExecuteFunctions,
	connection: ConnectionSettings,
	blocks: Occurrence[],
	unblocks: Occurrence[],
	options: SyncOptions,
): Promise<{ blocked: Sent; unblocked: Sent }> {
	const gate = new SendGate<Batch>();
	const send = async (action: 'block' | 'unblock', occurrences: Occurrence[]): Promise<Sent> => {
		const plan = planBatches(occurrences, options.batchSize);
		const { results } = await sendBatches(
			ctx,
			action,
			connection,
			plan.batches,
			options.maxConcurrency,
			gate,
		);
		return { plan, results };
	};
	const blocked = await send('block', blocks);
	const unblocked = await send('unblock', unblocks);
	stopOnFatal(ctx, gate, connection.secrets);
	return { blocked, unblocked };
}

/** Where a desired occurrence goes, and with which status. */
function desiredItem(
	occurrence: Occurrence,
	plans: ReadonlyMap<string, PhonePlan>,
	sent: Sent | undefined,
): [number, INodeExecutionData] {
	const plan = occurrence.phoneNumberId === null ? undefined : plans.get(occurrence.phoneNumberId);
	// A refused emptying is what the user must hear about, even for an invalid entry.
	if (plan?.error?.code === ErrorCode.RefusedEmptySync)
		return [OUTPUT.failed, statusItem(occurrence, { ok: false, error: plan.error }, Status.Failed)];
	const unsent = unsentOutcome(occurrence);
	if (unsent) return [OUTPUT.failed, statusItem(occurrence, unsent, Status.Failed)];
	if (!plan?.snapshot) {
		const error = plan?.error ?? { code: ErrorCode.NotRead, message: 'The blocklist was not read' };
		return [OUTPUT.failed, statusItem(occurrence, { ok: false, error }, Status.Failed)];
	}
	const ids: UserOutcome = { ok: true, waId: occurrence.waId, userId: occurrence.userId };
	if (plan.snapshot.byKey.find(occurrence) !== undefined)
		return [OUTPUT.unchanged, statusItem(occurrence, ids, Status.AlreadyBlocked)];
	if (!sent) return [OUTPUT.changed, statusItem(occurrence, ids, Status.WouldBlock)];
	const outcome = outcomeOf(sent.plan, sent.results, occurrence) ?? NOT_RECORDED;
	if (!outcome.ok) return [OUTPUT.failed, statusItem(occurrence, outcome, Status.Failed)];
	return outcome.unchanged
		? [OUTPUT.unchanged, statusItem(occurrence, outcome, Status.AlreadyBlocked)]
		: [OUTPUT.changed, statusItem(occurrence, outcome, Status.Blocked)];
}

/** Where an unblocked (listed, not desired) user goes; its item has no input of its own. */
function unblockedItem(
	occurrence: Occurrence,
	sent: Sent | undefined,
): [number, INodeExecutionData] {
	const ids: UserOutcome = { ok: true, waId: occurrence.waId, userId: occurrence.userId };
	const outcome = sent ? (outcomeOf(sent.plan, sent.results, occurrence) ?? NOT_RECORDED) : ids;
	let placed: [number, INodeExecutionData];
	if (!sent) placed = [OUTPUT.changed, statusItem(occurrence, ids, Status.WouldUnblock)];
	else if (!outcome.ok) placed = [OUTPUT.failed, statusItem(occurrence, outcome, Status.Failed)];
	else if (outcome.unchanged)
		placed = [OUTPUT.unchanged, statusItem(occurrence, outcome, Status.NotBlocked)];
	else placed = [OUTPUT.changed, statusItem(occurrence, outcome, Status.Unblocked)];
	placed[1].json.input = null;
	return placed;
}

/** Runs Sync over all input items; returns [Changed, Unchanged, Failed]. Options come from the first item. */
async function syncBlocklist(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const rawOptions = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const connection = buildConnection(credentials, rawOptions);
	if (!connection.ok)
		throw new NodeOperationError(ctx.getNode(), connection.error, { itemIndex: 0 });
	const options = syncOptions(rawOptions);
	if (typeof options === 'string')
		throw new NodeOperationError(ctx.getNode(), options, { itemIndex: 0 });

	const occurrences = gatherOccurrences(ctx, credentials);
	const plans = await planSync(ctx, connection.value, occurrences, options);
	const unblocks = [...plans.values()].flatMap((plan) => plan.toUnblock);
	const sent = options.dryRun
		? undefined
		: await sendChanges(ctx, connection.value, toBlock(occurrences, plans), unblocks, options);
	const outputs: INodeExecutionData[][] = [[], [], []];
	for (const occurrence of occurrences) {
		const [output, item] = desiredItem(occurrence, plans, sent?.blocked);
		outputs[output].push(item);
	}
	for (const occurrence of unblocks) {
		const [output, item] = unblockedItem(occurrence, sent?.unblocked);
		outputs[output].push(item);
	}
	for (const plan of plans.values()) notUnblockedItems(plan, outputs);
	return outputs;
}

/** The listed users a plan does not unblock: withheld (Failed) and kept (Unchanged), without an input of their own. */
function notUnblockedItems(plan: PhonePlan, outputs: INodeExecutionData[][]): void {
	const place = (output: number, item: INodeExecutionData) => {
		item.json.input = null;
		outputs[output].push(item);
	};
	for (const { occurrence, error } of plan.notUnblocked ?? [])
		place(OUTPUT.failed, statusItem(occurrence, { ok: false, error }, Status.Failed));
	for (const { occurrence, reason } of plan.kept ?? []) {
		const item = statusItem(
			occurrence,
			{ ok: true, waId: occurrence.waId, userId: occurrence.userId },
			Status.Kept,
		);
		item.json.reason = reason;
		place(OUTPUT.unchanged, item);
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await syncBlocklist(this);
}
