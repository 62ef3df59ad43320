/**
 * The error that stops the node when a whole call failed (key rejected, phone number ID not
 * found, a read that could not finish): the server's message, its details and where it
 * happened (item, phone number ID), with the API key scrubbed out of all of it, the error
 * response n8n keeps beside the message included, before anything is joined or shown. The
 * message is the node's own, also for a network code n8n has a generic text for.
 */
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Failure } from './errors';
import type { RequestContext } from './request';
import { scrub, scrubValue } from './scrub';

export function failureError(
	ctx: RequestContext,
	{ error: unclean, httpCode }: Failure,
	{ itemIndex, where, secrets }: { itemIndex?: number; where: string; secrets: readonly string[] },
): NodeApiError {
	const error = scrubValue(unclean, secrets);
	const apiError = new NodeApiError(
		ctx.getNode(),
		{ ...error, httpCode: httpCode ?? null } as unknown as JsonObject,
		{
			message: error.message,
			description: scrub([error.details, where].filter(Boolean).join(' — '), secrets),
			httpCode: httpCode === undefined ? undefined : String(httpCode),
			itemIndex,
		},
	);
	// NodeApiError puts its own generic text in place of a message whose code (ECONNABORTED,
	// ENOTFOUND...) it knows; the node's says what happened and what to fix, so it stays.
	apiError.message = error.message;
	return apiError;
}
