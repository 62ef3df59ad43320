/**
 * Step 1 of Block and Unblock: gathering the users of all input items, one occurrence per
 * entry, remembering the item it came from, normalised and checked. Invalid entries are
 * kept (as failures) so that every given user comes out exactly once.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ErrorCode } from '../contract';
import { type Occurrence, type UserError } from '../types';
import { isParentBsuid } from './bsuid';
import { itemParameter } from './itemParameter';
import type { NationalPlan } from './numberingPlan';
import { readDefaultCountryCode } from './phone';
import { resolvePhoneNumberId } from './phoneNumberId';
import {
	entryText,
	parseUser,
	type RawUserEntry,
	splitUsersParameter,
	withCompanions,
} from './users';

interface ItemParameters {
	users: unknown;
	phoneNumberId: unknown;
	/** The Default Country Code option (of the first item), for numbers without one. */
	home: NationalPlan | undefined;
}

/** The occurrence of one entry: to be sent, or failed with the reason (naming the item). */
function occurrenceOf(
	itemIndex: number,
	entry: UserEntry,
	phoneNumberId: string,
	home: NationalPlan | undefined,
): Occurrence {
	const { input } = entry;
	const invalid = (reason: string): Occurrence => ({
		itemIndex,
		input,
		phoneNumberId,
		user: null,
		waId: null,
		userId: null,
		error: { code: ErrorCode.InvalidNumber, message: `${reason} (item ${itemIndex + 1})` },
	});
	if (entry.kind === 'unusable') return invalid(entry.reason);
	const parsed =
		entry.userId === undefined && entry.waId === undefined
			? parseUser(entryText(entry), home)
			: withIds(entry, home);
	if (!parsed.ok) return invalid(parsed.error);
	// One literal of one shape for every valid occurrence (no spreads).
	const { user, waId, userId } = parsed.value;
	return { itemIndex, input, phoneNumberId, user, waId, userId };
}

type UserEntry = Exclude<RawUserEntry, { kind: 'nobody' }>;

/** An entry of an object that named its user by number and BSUID (or number and wa_id): both checked. */
function withIds(entry: Extract<RawUserEntry, { kind: 'value' }>, home: NationalPlan | undefined) {
	const parsed = parseUser(entryText(entry), home);
	return parsed.ok ? withCompanions(parsed.value, entry) : parsed;
}

function failedOccurrence(
	itemIndex: number,
	input: string,
	phoneNumberId: string | null,
	error: UserError,
): Occurrence {
	return { itemIndex, input, phoneNumberId, user: null, waId: null, userId: null, error };
}

/**
 * Turns one item's parameters into occurrences. An unusable phone number ID is also
 * returned as `badPhoneNumberId`, for the caller to throw unless the node continues on fail
 * (then the item's users are failures).
 */
function occurrencesOfItem(
	itemIndex: number,
	params: ItemParameters,
	credentials: ICredentialDataDecryptedObject,
): { occurrences: Occurrence[]; badPhoneNumberId?: string } {
	const given = splitUsersParameter(params.users);
	const entries = given.filter((entry): entry is UserEntry => entry.kind !== 'nobody');
	const phoneNumberId = resolvePhoneNumberId(params.phoneNumberId, credentials);
	const itemNumber = itemIndex + 1;
	if (entries.length === 0) {
		const nobody = given.find((entry) => entry.kind === 'nobody');
		const message = nobody
			? `Item ${itemNumber} has no users: ${nobody.reason}`
			: `Item ${itemNumber} has no users: the Users field is empty. Map it to the field of the input that holds the phone number or the BSUID`;
		const id = phoneNumberId.ok ? phoneNumberId.value : null;
		return {
			occurrences: [failedOccurrence(itemIndex, '', id, { code: ErrorCode.NoUsers, message })],
		};
	}
	if (!phoneNumberId.ok) {
		const error = {
			code: ErrorCode.InvalidPhoneNumberId,
			message: `${phoneNumberId.error} (item ${itemNumber})`,
		};
		const occurrences = entries.map((entry) =>
			failedOccurrence(itemIndex, entry.input, null, error),
		);
		return { occurrences, badPhoneNumberId: phoneNumberId.error };
	}
	return {
		occurrences: entries.map((entry) =>
			occurrenceOf(itemIndex, entry, phoneNumberId.value, params.home),
		),
	};
}

/** The Default Country Code option, read from the first item like every option; a bad one stops the node. */
function defaultCountryOf(ctx: IExecuteFunctions): NationalPlan | undefined {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const home = readDefaultCountryCode(options.defaultCountryCode);
	if (!home.ok) throw new NodeOperationError(ctx.getNode(), home.error, { itemIndex: 0 });
	return home.value;
}

/**
 * The occurrences of all input items, in item order. Throws, naming the item, on an item
 * whose phone number ID is unusable, unless the node continues on fail.
 */
export function gatherOccurrences(
	ctx: IExecuteFunctions,
	credentials: ICredentialDataDecryptedObject,
): Occurrence[] {
	const home = defaultCountryOf(ctx);
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const usersOf = itemParameter(ctx, items, 'users');
	const phoneNumberIdOf = itemParameter(ctx, items, 'phoneNumberId');
	const occurrences: Occurrence[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const params = { users: usersOf(itemIndex), phoneNumberId: phoneNumberIdOf(itemIndex), home };
		const ofItem = occurrencesOfItem(itemIndex, params, credentials);
		if (ofItem.badPhoneNumberId !== undefined && !continueOnFail) {
			throw new NodeOperationError(ctx.getNode(), ofItem.badPhoneNumberId, {
				itemIndex,
				description: `Item ${itemIndex + 1}: nothing was sent. A phone number ID is digits only.`,
			});
		}
		for (const occurrence of ofItem.occurrences) occurrences.push(occurrence);
	}
	return occurrences;
}

/**
 * The occurrences as an operation that sends them (Block, Unblock, Sync) takes them: a parent
 * BSUID is never sent, since WhatsApp refuses a whole request that holds one (so one parent
 * would fail every user of its batch); it fails on its own, saying what to give instead.
 * Check keeps parents: they match listed users (`parent_user_id`), and so does Sync for a
 * parent already on the list (`listed`), which it never sends.
 */
export function refuseParentBsuids(
	occurrences: Occurrence[],
	listed: (occurrence: Occurrence) => boolean = () => false,
): Occurrence[] {
	for (let index = 0; index < occurrences.length; index++) {
		const occurrence = occurrences[index];
		if (
			occurrence.error ||
			occurrence.waId !== null ||
			occurrence.userId === null ||
			!isParentBsuid(occurrence.userId) ||
			listed(occurrence)
		)
			continue;
		occurrences[index] = {
			...occurrence,
			user: null,
			error: {
				code: ErrorCode.ParentBsuid,
				message: `"${occurrence.input}" is a parent BSUID, and WhatsApp does not block or unblock by a parent BSUID: give the user's own BSUID (user_id) or phone number instead (item ${occurrence.itemIndex + 1})`,
			},
		};
	}
	return occurrences;
}
