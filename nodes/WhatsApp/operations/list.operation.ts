/**
 * List: the blocked users of a phone number, one item each, for each input item (each may
 * name its own phone number ID), up to Limit or all of them. As an AI agent's tool it reads
 * the whole blocklist (as Check does) so that it can say how many users are blocked, and
 * gives the model one bounded entry per input item: the total, at most `TOOL_MAX_USERS`
 * users (fewer with a lower Limit), and whether the list was cut. The whole read keeps every
 * entry, not only the ones shown: counting each user once needs the reader's index of every
 * ID, which holds them all anyway.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { readBlocklist } from '../blocklist/readBlocklist';
import { readWholeBlocklist } from '../blocklist/snapshot';
import { numberField, optionsCollection, phoneNumberIdField, requestOptions } from '../fields';
import { readBoolean, readNumber, readNumbers } from '../options';
import { buildConnection, type Connection, CREDENTIAL_TYPE } from '../transport/connection';
import { failureError } from '../transport/failureError';
import { resolvePhoneNumberId } from '../users/phoneNumberId';
import { TOOL_MAX_USERS } from './agent';
import { errorItem } from './refused';
import { outputNames } from '../contract';

export const option = {
	name: 'List',
	value: 'list',
	description: 'List the users blocked on this phone number',
	action: 'List blocked users',
};

export const toolDescription = `List the WhatsApp users blocked on this business phone number. Reads the whole blocklist and returns one entry: total (how many users are blocked), returned, truncated (true when more users are blocked than listed) and users, at most ${TOOL_MAX_USERS} of them, each with user (the phone number without +, or the BSUID of a user known only by one) and block_reason. To find out whether given users are blocked, use Check instead.`;

export const outputs = outputNames('list');

/** What an AI model reads of a blocked user. */
export function toolEntry(json: IDataObject): IDataObject {
	return { user: json.user, block_reason: json.block_reason };
}

/** What an AI model reads of a whole blocklist: its total, at most `shown` users, and whether it was cut. */
export function toolList(entries: readonly IDataObject[], shown: number): IDataObject {
	const users = entries.slice(0, Math.min(shown, TOOL_MAX_USERS)).map(toolEntry);
	const truncated = users.length < entries.length;
	const json: IDataObject = { total: entries.length, returned: users.length, truncated };
	if (truncated) {
		json.note = `Only ${users.length} of the ${entries.length} blocked users are listed here (at most ${TOOL_MAX_USERS} per call). To find out whether given users are blocked, use Check.`;
	}
	json.users = users;
	return json;
}

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		...numberField('limit', 'Max number of results to return'),
		displayOptions: { show: { returnAll: [false] } },
	},
	phoneNumberIdField,
	optionsCollection([
		numberField('pageSize', 'How many blocked users to ask for in one request'),
		...requestOptions,
	]),
];

export const description = updateDisplayOptions({ show: { operation: ['list'] } }, properties);

type ItemFailure = NodeApiError | NodeOperationError;

interface ListRequest {
	connection: Connection;
	limit: number;
	pageSize: number;
}

/** What one item asks for (connection, limit, page size), or why nothing can be sent for it. */
function listRequestOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): ListRequest | ItemFailure {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const refuse = (reason: string, fix: string) =>
		new NodeOperationError(ctx.getNode(), reason, {
			itemIndex,
			description: `Item ${itemIndex + 1}: nothing was sent. ${fix}`,
		});
	const built = buildConnection(credentials, options);
	if (!built.ok) return refuse(built.error, 'Fix the Splashify API credential or the options.');
	const phoneNumberId = resolvePhoneNumberId(
		ctx.getNodeParameter('phoneNumberId', itemIndex, ''),
		credentials,
	);
	if (!phoneNumberId.ok) return refuse(phoneNumberId.error, 'A phone number ID is digits only.');
	const numbers = readNumbers(options, ['pageSize']);
	if (!numbers.ok) return refuse(numbers.error, 'Fix the options.');
	const returnAll = readBoolean(
		'Return All',
		ctx.getNodeParameter('returnAll', itemIndex, false),
		false,
	);
	if (!returnAll.ok) return refuse(returnAll.error, 'Set Return All to true or false.');
	const limit = returnAll.value
		? { ok: true as const, value: Number.POSITIVE_INFINITY }
		: readNumber('limit', ctx.getNodeParameter('limit', itemIndex, 50));
	if (!limit.ok) return refuse(limit.error, 'Fix the Limit, or turn on Return All.');
	return {
		connection: { ...built.value, phoneNumberId: phoneNumberId.value },
		limit: limit.value,
		pageSize: numbers.value.pageSize,
	};
}

/**
 * Lists the blocked users for one input item (up to its Limit; `whole`: all of them, read as
 * Check reads), with the Limit asked for, or says why it could not.
 */
async function listForItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
	whole: boolean,
): Promise<{ entries: IDataObject[]; limit: number } | ItemFailure> {
	const request = listRequestOf(ctx, itemIndex, credentials);
	if (request instanceof Error) return request;
	const { connection, limit, pageSize } = request;
	const read = whole
		? await readWholeBlocklist(ctx, connection)
		: await readBlocklist(ctx, connection, limit, pageSize);
	if (read.ok) return { entries: read.value, limit };
	const where = `Item ${itemIndex + 1}, phone number ID ${connection.phoneNumberId}`;
	return failureError(ctx, read.error, { itemIndex, where, secrets: connection.secrets });
}

/** Each input item's list, as `item` makes its output items; a failure stops the node, or (Continue) is an item. */
async function listEach(
	ctx: IExecuteFunctions,
	whole: boolean,
	item: (
		listed: { entries: IDataObject[]; limit: number },
		itemIndex: number,
	) => INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const listed = await listForItem(ctx, itemIndex, credentials, whole);
		if (listed instanceof Error) {
			if (!ctx.continueOnFail()) throw listed;
			output.push(errorItem(listed.message, listed.description ?? null, itemIndex));
			continue;
		}
		for (const made of item(listed, itemIndex)) output.push(made);
	}
	return [output];
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await listEach(this, false, ({ entries }, itemIndex) =>
		entries.map((json) => ({ json, pairedItem: { item: itemIndex } })),
	);
}

/** As an AI agent's tool: one entry per input item, from a whole read (`toolList`). */
export async function toolExecute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await listEach(this, true, ({ entries, limit }, itemIndex) => [
		{ json: toolList(entries, limit), pairedItem: { item: itemIndex } },
	]);
}
