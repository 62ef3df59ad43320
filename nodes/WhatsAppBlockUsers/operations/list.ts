/**
 * List: the blocked users of a phone number, one item each, following the `after` cursor
 * until the end or the limit. Accepts both list shapes (`{user, block_reason}` and Meta's
 * `{messaging_product, wa_id}`). If the blocklist changes while paging (139102), it starts
 * again once from the first page, dropping what it had, so nothing is listed twice.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { buildConnection, resolvePhoneNumberId } from '../transport/connection';
import type { Failure } from '../transport/errors';
import { type Connection, CREDENTIAL_TYPE, requestWithRetries, scrub } from '../transport/request';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
const LIST_CHANGED_CODE = 139102;
/** A guard against a server that keeps sending cursors: far beyond 64,000 users at any page size. */
const MAX_PAGES = 100_000;

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One list entry as an output item's JSON, or undefined if it names nobody. */
export function listEntryToJson(entry: unknown, phoneNumberId: string): IDataObject | undefined {
	if (!isRecord(entry)) return undefined;
	const raw = entry.wa_id ?? entry.user;
	if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
	const waId = String(raw).replace(/^\+/, '');
	if (waId === '') return undefined;
	return {
		...(entry as IDataObject),
		user: waId,
		wa_id: waId,
		block_reason: typeof entry.block_reason === 'string' ? entry.block_reason : null,
		phoneNumberId,
	};
}

/** The `after` cursor of a page, if there is a next page. */
export function nextCursor(body: unknown): string | undefined {
	if (!isRecord(body) || !isRecord(body.paging)) return undefined;
	const cursors = body.paging.cursors;
	const after = isRecord(cursors) ? cursors.after : undefined;
	return typeof after === 'string' && after !== '' ? after : undefined;
}

type ListResult = { ok: true; entries: IDataObject[] } | { ok: false; failure: Failure };

/** Pages through the blocklist of one phone number, collecting up to `limit` entries. */
export async function listBlockedUsers(
	ctx: IExecuteFunctions,
	connection: Connection,
	limit: number,
	pageSize: number,
): Promise<ListResult> {
	let restarted = false;
	let entries: IDataObject[] = [];
	let seen = new Set<string>();
	let cursor: string | undefined;

	for (let page = 0; page < MAX_PAGES && entries.length < limit; page++) {
		const qs: IDataObject = { limit: Math.min(pageSize, limit - entries.length) };
		if (cursor !== undefined) qs.after = cursor;
		const { result } = await requestWithRetries(ctx, connection, 'GET', { qs });
		if (!result.ok) {
			if (result.failure.error.code === LIST_CHANGED_CODE && !restarted) {
				restarted = true;
				entries = [];
				seen = new Set();
				cursor = undefined;
				continue;
			}
			return result;
		}
		const body = result.value.body as JsonRecord;
		const data = Array.isArray(body.data) ? body.data : [];
		for (const entry of data) {
			const json = listEntryToJson(entry, connection.phoneNumberId);
			if (json === undefined || seen.has(json.wa_id as string)) continue;
			seen.add(json.wa_id as string);
			entries.push(json);
			if (entries.length >= limit) break;
		}
		const next = nextCursor(body);
		if (data.length === 0 || next === undefined || next === cursor) break;
		cursor = next;
	}
	return { ok: true, entries };
}

type ItemFailure = NodeApiError | NodeOperationError;

/** Lists the blocked users for one input item, or says why it could not. */
async function listForItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ entries: IDataObject[] } | { error: ItemFailure }> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const built = buildConnection(credentials, options);
	const refuse = (reason: string, fix: string) =>
		new NodeOperationError(ctx.getNode(), reason, { itemIndex, description: `Item ${itemIndex + 1}: nothing was sent. ${fix}` });
	if (!built.ok) return { error: refuse(built.reason, 'Fix the Splashify API credential.') };
	const phoneNumberId = resolvePhoneNumberId(ctx.getNodeParameter('phoneNumberId', itemIndex, ''), credentials);
	if (!phoneNumberId.ok) return { error: refuse(phoneNumberId.reason, 'A phone number ID is digits only.') };

	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Number.POSITIVE_INFINITY : (ctx.getNodeParameter('limit', itemIndex, 50) as number);
	const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(Number(options.pageSize ?? DEFAULT_PAGE_SIZE)) || DEFAULT_PAGE_SIZE));
	const connection = { ...built.value, phoneNumberId: phoneNumberId.value };

	const listed = await listBlockedUsers(ctx, connection, limit, pageSize);
	if (listed.ok) return { entries: listed.entries };
	const { error, httpCode } = listed.failure;
	return {
		error: new NodeApiError(ctx.getNode(), { ...error } as unknown as JsonObject, {
			message: scrub(error.message, connection.secrets),
			description: scrub(
				`${error.details ? `${error.details} — ` : ''}Item ${itemIndex + 1}, phone number ID ${connection.phoneNumberId}`,
				connection.secrets,
			),
			httpCode: httpCode === undefined ? undefined : String(httpCode),
			itemIndex,
		}),
	};
}

/** List over each input item (each may name its own phone number ID). */
export async function list(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const output: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const listed = await listForItem(this, itemIndex, credentials);
		if ('error' in listed) {
			if (!this.continueOnFail()) throw listed.error;
			// Only `error` and `details`: n8n then routes the item to the error output when the
			// node's On Error setting asks for one.
			output.push({
				json: { error: listed.error.message, details: listed.error.description ?? null },
				pairedItem: { item: itemIndex },
			});
			continue;
		}
		for (const json of listed.entries) output.push({ json, pairedItem: { item: itemIndex } });
	}
	return [output];
}
