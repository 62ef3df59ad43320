/**
 * List: the blocked users of a phone number, one item each, for each input item (each may
 * name its own phone number ID), up to Limit or all of them.
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

import { failureError } from '../engine/failureError';
import { errorItem } from '../engine/refused';
import { readBlocklist } from '../engine/readBlocklist';
import { readBoolean, readNumber, readNumbers } from '../helpers/options';
import { resolvePhoneNumberId } from '../helpers/phoneNumberId';
import { buildConnection, type Connection, CREDENTIAL_TYPE } from '../transport/connection';
import { numberField, optionsCollection, phoneNumberIdField, requestOptions } from './fields';

export const option = {
	name: 'List',
	value: 'list',
	description: 'List the users blocked on this phone number',
	action: 'List blocked users',
};

export const toolDescription =
	'List the WhatsApp users blocked on this business phone number. Returns one entry per blocked user: user (the phone number without +, or the BSUID of a user known only by one) and block_reason.';

export const outputs: string[] = [];

/** What an AI model reads of a blocked user. */
export function toolEntry(json: IDataObject): IDataObject {
	return { user: json.user, block_reason: json.block_reason };
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
	optionsCollection([numberField('pageSize', 'How many blocked users to ask for in one request'), ...requestOptions]),
];

export const description = updateDisplayOptions({ show: { operation: ['list'] } }, properties);

type ItemFailure = NodeApiError | NodeOperationError;

interface ListRequest {
	connection: Connection;
	limit: number;
	pageSize: number;
}

/** What one item asks for (connection, limit, page size), or why nothing can be sent for it. */
function listRequestOf(ctx: IExecuteFunctions, itemIndex: number, credentials: ICredentialDataDecryptedObject): ListRequest | ItemFailure {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const refuse = (reason: string, fix: string) =>
		new NodeOperationError(ctx.getNode(), reason, { itemIndex, description: `Item ${itemIndex + 1}: nothing was sent. ${fix}` });
	const built = buildConnection(credentials, options);
	if (!built.ok) return refuse(built.reason, 'Fix the Splashify API credential or the options.');
	const phoneNumberId = resolvePhoneNumberId(ctx.getNodeParameter('phoneNumberId', itemIndex, ''), credentials);
	if (!phoneNumberId.ok) return refuse(phoneNumberId.reason, 'A phone number ID is digits only.');
	const numbers = readNumbers(options, ['pageSize']);
	if (!numbers.ok) return refuse(numbers.reason, 'Fix the options.');
	const returnAll = readBoolean('Return All', ctx.getNodeParameter('returnAll', itemIndex, false), false);
	if (!returnAll.ok) return refuse(returnAll.reason, 'Set Return All to true or false.');
	const limit = returnAll.value ? { ok: true as const, value: Number.POSITIVE_INFINITY } : readNumber('limit', ctx.getNodeParameter('limit', itemIndex, 50));
	if (!limit.ok) return refuse(limit.reason, 'Fix the Limit, or turn on Return All.');
	return { connection: { ...built.value, phoneNumberId: phoneNumberId.value }, limit: limit.value, pageSize: numbers.value.pageSize };
}

/** Lists the blocked users for one input item, or says why it could not. */
async function listForItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject[] | ItemFailure> {
	const request = listRequestOf(ctx, itemIndex, credentials);
	if (request instanceof Error) return request;
	const read = await readBlocklist(ctx, request.connection, request.limit, request.pageSize);
	if (read.ok) return read.value;
	const where = `Item ${itemIndex + 1}, phone number ID ${request.connection.phoneNumberId}`;
	return failureError(ctx, read.failure, { itemIndex, where, secrets: request.connection.secrets });
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const listed = await listForItem(this, itemIndex, credentials);
		if (listed instanceof Error) {
			if (!this.continueOnFail()) throw listed;
			output.push(errorItem(listed.message, listed.description ?? null, itemIndex));
			continue;
		}
		for (const json of listed) output.push({ json, pairedItem: { item: itemIndex } });
	}
	return [output];
}
