/**
 * What comes out of a whole call refused under On Error > Continue (either mode): a Base URL
 * or API version that cannot be used, an option out of range or neither true nor false, a bad
 * Default Country Code, an expression that fails, an operation the node does not have. Thrown
 * under Continue, n8n would pass the input items through on the first output (Succeeded,
 * Blocked, Changed) as if they had succeeded; so the router turns the refusal into outcomes
 * instead. An operation that takes users gives every user of every item one item on Failed
 * (`NOT_SENT`, the reason); one without users (List, an unknown operation) gives one error
 * item per input item, which n8n moves to the error output when On Error asks for one.
 * Under Continue the node throws nothing after a request was sent (a fatal answer, a refused
 * emptying and a bad phone number ID are outcomes there), so nothing had been sent.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../transport/connection';
import { scrub } from '../transport/scrub';
import { ErrorCode, Status } from '../contract';
import { type Occurrence, type UserError } from '../types';
import { itemParameter } from '../users/itemParameter';
import type { NationalPlan } from '../users/numberingPlan';
import { readDefaultCountryCode } from '../users/phone';
import { resolvePhoneNumberId } from '../users/phoneNumberId';
import { statusItem } from '../users/userItem';
import { parseUser, splitUsersParameter } from '../users/users';

/** The details of a refusal that has no description of its own. */
const NOTHING_SENT =
	'The whole call was refused before anything was sent: fix this and run the node again.';

/**
 * The item of a failure that has no user (List's): only `error` and `details`, so that n8n
 * moves it to the error output when the node's On Error setting asks for one.
 */
export function errorItem(
	message: string,
	details: string | null,
	itemIndex: number,
): INodeExecutionData {
	return { json: { error: message, details }, pairedItem: { item: itemIndex } };
}

/** A value read for the refusal's items; a parameter that cannot be read is simply not known. */
function attempt<T>(read: () => T, fallback: T): T {
	try {
		return read();
	} catch {
		return fallback;
	}
}

/** The refusal as a user's error: its message and description, the API key scrubbed out. */
function refusalError(error: unknown, secrets: readonly string[]): UserError {
	const { message, description } = (error ?? {}) as { message?: unknown; description?: unknown };
	const text = typeof message === 'string' && message !== '' ? message : 'The node could not run';
	const details =
		typeof description === 'string' && description !== '' ? description : NOTHING_SENT;
	return {
		code: ErrorCode.NotSent,
		message: scrub(text, secrets),
		details: scrub(details, secrets),
	};
}

/** The users of one item as occurrences (parsed when they can be, to name them as sent), all failed with `error`. */
function refusedOfItem(
	itemIndex: number,
	users: unknown,
	phoneNumberId: string | null,
	home: NationalPlan | undefined,
	error: UserError,
): Occurrence[] {
	const entries = splitUsersParameter(users);
	if (entries.length === 0)
		return [{ itemIndex, input: '', phoneNumberId, user: null, waId: null, userId: null, error }];
	return entries.map(({ input }) => {
		const parsed = parseUser(input, home);
		const ids = parsed.ok ? parsed.value : { user: null, waId: null, userId: null };
		return { itemIndex, input, phoneNumberId, ...ids, error };
	});
}

/** Every user of every item on Failed, the last of `outputCount` outputs. */
function refusedUsers(
	ctx: IExecuteFunctions,
	outputCount: number,
	credentials: ICredentialDataDecryptedObject,
	refusal: UserError,
): INodeExecutionData[][] {
	const options = attempt(() => ctx.getNodeParameter('options', 0, {}) as IDataObject, {});
	const home = readDefaultCountryCode(options.defaultCountryCode);
	const items = ctx.getInputData();
	const usersOf = itemParameter(ctx, items, 'users');
	const phoneNumberIdOf = itemParameter(ctx, items, 'phoneNumberId');
	const failed: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const phoneNumberId = resolvePhoneNumberId(
			attempt(() => phoneNumberIdOf(itemIndex), undefined),
			credentials,
		);
		const users = attempt(() => usersOf(itemIndex), undefined);
		const occurrences = refusedOfItem(
			itemIndex,
			users,
			phoneNumberId.ok ? phoneNumberId.value : null,
			home.ok ? home.value : undefined,
			refusal,
		);
		for (const occurrence of occurrences)
			failed.push(statusItem(occurrence, { ok: false, error: refusal }, Status.Failed));
	}
	const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
	outputs[outputCount - 1] = failed;
	return outputs;
}

/**
 * The outputs of a whole call refused under Continue: an operation with outputs (one per
 * kind of outcome) puts every user on its last, Failed; one without gives an error item per
 * input item on its one output.
 */
export async function refusedOutputs(
	ctx: IExecuteFunctions,
	outputCount: number,
	error: unknown,
): Promise<INodeExecutionData[][]> {
	const credentials = await ctx
		.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE)
		.catch(() => ({}) as ICredentialDataDecryptedObject);
	const apiKey =
		typeof credentials.apiKey === 'string' && credentials.apiKey.trim() !== ''
			? credentials.apiKey
			: undefined;
	const refusal = refusalError(error, apiKey === undefined ? [] : [apiKey, apiKey.trim()]);
	if (outputCount > 0) return refusedUsers(ctx, outputCount, credentials, refusal);
	return [
		ctx
			.getInputData()
			.map((_, itemIndex) => errorItem(refusal.message, refusal.details ?? null, itemIndex)),
	];
}
