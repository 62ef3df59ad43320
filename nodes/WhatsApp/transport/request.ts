/**
 * The transport: every request to Splashify goes through here. It builds the URL from
 * checked parts, sends through n8n's authenticated request helper (so the credential adds
 * the Bearer key and n8n's proxy and SSRF settings apply), never follows redirects (an API
 * key must not travel to another host), ends each attempt at Timeout (headers and body
 * alike), retries transient failures, and reports anything
 * else as a classified `Failure` with the API key scrubbed out. It knows the error envelope
 * and nothing of any operation's answer shape.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IPollFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { type Connection, CREDENTIAL_TYPE } from './connection';
import {
	type ApiErrorBody,
	classifyErrorAnswer,
	classifyNetworkError,
	type Failure,
	parseRetryAfter,
	topLevelError,
} from './errors';
import { isRecord } from './json';
import { waitFor } from './retry';
import { scrub, scrubValue } from './scrub';
import type { Result } from '../types';
import { ErrorCode } from '../contract';

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	/** Parsed JSON, or the raw text when the body was not JSON. */
	body: unknown;
}

/** What sends requests: a node's execution, or a trigger's poll. */
export type RequestContext = IExecuteFunctions | IPollFunctions;

/** The signal n8n's request options take (n8n-workflow does not export its type by name). */
type RequestSignal = IHttpRequestOptions['abortSignal'];

/** The result of a request or a read: the answer, or the failure (classified, key scrubbed). */
export type Attempt<T> = Result<T, Failure>;

export interface RequestOptions {
	body?: IDataObject;
	qs?: IDataObject;
	/**
	 * For endpoints whose 4xx answers can still carry results (Block and Unblock's per-user
	 * lists): a body under HTTP 500 (and not a 429) for which this returns true is an answer
	 * to read, not a failure.
	 */
	readableClientError?: (body: unknown) => boolean;
}

/** The Block Users endpoint of a phone number; every part was checked before it got here. */
export function blockUsersUrl(
	connection: Pick<Connection, 'baseUrl' | 'apiVersion' | 'phoneNumberId'>,
): string {
	return `${connection.baseUrl}/api/${connection.apiVersion}/${encodeURIComponent(connection.phoneNumberId)}/block_users`;
}

/** Finds a Node/axios error code (ECONNRESET, ECONNABORTED...) anywhere in an error's cause chain. */
function networkCodeOf(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^(E[A-Z_]+|ERR_[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code))
			return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function messageOf(error: unknown): string {
	let current: unknown = error;
	let message = 'Unknown error';
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const text = (current as { message?: unknown }).message;
		if (typeof text === 'string' && text !== '') message = text;
		current = (current as { cause?: unknown }).cause;
	}
	return message;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (text === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return body;
	}
}

/**
 * The deadline, and the execution's cancellation when there is one: whichever comes first.
 * (A cancel signal that is not an `AbortSignal` cannot be combined; the deadline is kept, and
 * a cancelled execution still sends nothing after the current attempt.)
 */
function eitherSignal(deadline: AbortSignal, cancel: RequestSignal): AbortSignal {
	return cancel instanceof AbortSignal ? AbortSignal.any([deadline, cancel]) : deadline;
}

/**
 * Gives the request an `abortSignal` that ends it at the deadline. n8n-core's helper (2.41)
 * sets `abortSignal` to the execution's cancel signal itself, replacing any the node gave, so
 * the property keeps the deadline: whatever it is set to is combined with it, not put in its
 * place. Axios then aborts the attempt at the deadline, headers and body alike.
 */
function withDeadline(
	request: IHttpRequestOptions,
	deadline: AbortSignal,
	cancel: RequestSignal,
): IHttpRequestOptions {
	let signal = eitherSignal(deadline, cancel);
	return Object.defineProperty(request, 'abortSignal', {
		enumerable: true,
		configurable: true,
		get: () => signal,
		set: (other: RequestSignal) => {
			signal = eitherSignal(deadline, other);
		},
	});
}

/**
 * The options of one attempt. `timeout` alone (axios's) bounds only an idle socket: a body that
 * trickles in would never trip it, so `deadline` (`AbortSignal.timeout(Timeout)`, no timer of
 * the node's own) ends the whole attempt: connecting, the headers and the body. `timeout` stays
 * as well; it can only fire at the same time or later.
 */
function httpOptions(
	connection: Connection,
	method: IHttpRequestMethods,
	options: RequestOptions,
	{ deadline, cancel }: { deadline: AbortSignal; cancel: RequestSignal },
): IHttpRequestOptions {
	const request: IHttpRequestOptions = {
		method,
		url: blockUsersUrl(connection),
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: connection.timeoutMs,
		headers: { Accept: 'application/json' },
	};
	if (options.body) {
		request.body = options.body;
		request.headers = { ...request.headers, 'Content-Type': 'application/json' };
	}
	if (options.qs) request.qs = options.qs;
	return withDeadline(request, deadline, cancel);
}

/**
 * Sends one request and returns the answer whatever its status, or a network failure. The
 * answer (body and headers) and any error text have the API key scrubbed out here, as they
 * arrive and before anything reads or shortens them: a cut through the key (the first 200
 * characters of a page kept as details) must not leave a piece of it behind. An abort by the
 * deadline is a timeout (`ECONNABORTED`, retried), one by the execution's cancellation is not.
 */
/** The failure of an execution that was cancelled: no further request is sent. */
const CANCELLED: Attempt<HttpAnswer> = {
	ok: false,
	error: {
		kind: 'fatal',
		error: { code: 'ERR_CANCELED', message: 'The execution was cancelled' },
	},
};

async function sendOnce(
	ctx: RequestContext,
	connection: Connection,
	method: IHttpRequestMethods,
	options: RequestOptions = {},
): Promise<Attempt<HttpAnswer>> {
	const deadline = AbortSignal.timeout(connection.timeoutMs);
	const cancel = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal?.() : undefined;
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			httpOptions(connection, method, options, { deadline, cancel }),
		)) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		const answer: HttpAnswer = {
			statusCode: response.statusCode,
			headers: response.headers ?? {},
			body: parseBody(response.body),
		};
		return { ok: true, value: scrubValue(answer, connection.secrets) };
	} catch (error) {
		const code = networkCodeOf(error);
		if (code === 'ERR_CANCELED' && deadline.aborted && cancel?.aborted !== true) {
			return {
				ok: false,
				error: classifyNetworkError(
					'ECONNABORTED',
					`No complete answer within ${connection.timeoutMs} ms`,
				),
			};
		}
		if (code === 'ERR_CANCELED') return CANCELLED;
		return {
			ok: false,
			error: classifyNetworkError(code, scrub(messageOf(error), connection.secrets)),
		};
	}
}

/** The top-level `error` of a 2xx answer in any form: Meta's envelope, or a bare text or value. */
function errorInAnswer(body: unknown): ApiErrorBody | undefined {
	if (!isRecord(body) || body.error === undefined || body.error === null) return undefined;
	return (
		topLevelError(body) ?? {
			message: typeof body.error === 'string' ? body.error : JSON.stringify(body.error),
		}
	);
}

/**
 * Reads an answer: an answer under 500 (not 429) that the caller says it can read is
 * success; so is a 2xx with a JSON body, unless it carries a top-level `error` (a 200 that
 * is an error envelope is classified by its code like any error answer: a rate limit inside
 * it is retried); anything else is classified.
 */
function interpretAnswer(
	answer: HttpAnswer,
	readableClientError?: (body: unknown) => boolean,
): Attempt<HttpAnswer> {
	const { statusCode, body } = answer;
	if (statusCode < 500 && statusCode !== 429 && readableClientError?.(body) === true) {
		return { ok: true, value: answer };
	}
	const retryAfter = () => parseRetryAfter(answer.headers['retry-after']);
	if (statusCode >= 200 && statusCode < 300) {
		const error = errorInAnswer(body);
		if (error !== undefined)
			return { ok: false, error: classifyErrorAnswer(statusCode, error, retryAfter()) };
		if (body !== null && typeof body === 'object') return { ok: true, value: answer };
		return {
			ok: false,
			error: {
				kind: 'retry',
				httpCode: statusCode,
				error: {
					code: ErrorCode.MalformedAnswer,
					message: 'Splashify answered with something that is not valid JSON',
					details: typeof body === 'string' ? body.slice(0, 200) : undefined,
				},
			},
		};
	}
	return { ok: false, error: classifyErrorAnswer(statusCode, topLevelError(body), retryAfter()) };
}

/**
 * Sends a request until it succeeds, fails for good, or runs out of retries. Waits with
 * n8n's `sleep` between attempts and stops waiting when the execution is cancelled. The
 * result, success or failure, has the API key scrubbed out (by `sendOnce`, as the answer arrives).
 */
export async function requestWithRetries(
	ctx: RequestContext,
	connection: Connection,
	method: IHttpRequestMethods,
	options: RequestOptions,
): Promise<Attempt<HttpAnswer>> {
	for (let retry = 0; ; retry++) {
		const sent = await sendOnce(ctx, connection, method, options);
		const result = sent.ok ? interpretAnswer(sent.value, options.readableClientError) : sent;
		if (result.ok || result.error.kind !== 'retry') return result;

		const { error: failure } = result;
		if (retry >= connection.retry.maxRetries) return gaveUp(failure, retry + 1);
		const wait = waitFor(connection.retry, retry, failure.retryAfterSeconds);
		if ('tooLong' in wait) return tooLongToWait(failure, connection.retry.maxRetryAfterMs);
		await sleep(wait.waitMs);
		if ('getExecutionCancelSignal' in ctx && ctx.getExecutionCancelSignal?.()?.aborted)
			return CANCELLED;
	}
}

/** A transient failure that lasted through every retry: this request's users fail with it. */
function gaveUp(failure: Failure, attempts: number): Attempt<HttpAnswer> {
	const message = `${failure.error.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`;
	return {
		ok: false,
		error: { ...failure, kind: 'batch', exhausted: true, error: { ...failure.error, message } },
	};
}

/** A Retry-After longer than the node waits: this request's users fail, to be run again later. */
function tooLongToWait(failure: Failure, maxRetryAfterMs: number): Attempt<HttpAnswer> {
	const most = maxRetryAfterMs / 1000;
	const message = `${failure.error.message}; Splashify asked to wait ${failure.retryAfterSeconds} s, longer than the node waits (${most} s at most): run it again later`;
	return {
		ok: false,
		error: { ...failure, kind: 'batch', error: { ...failure.error, message } },
	};
}
