/**
 * The transport: every request to Splashify goes through here. It builds the URL from
 * checked parts, sends through n8n's authenticated request helper (so the credential adds
 * the Bearer key and n8n's proxy and SSRF settings apply), never follows redirects (an API
 * key must not travel to another host), retries transient failures, and reports anything
 * else as a classified `Failure` with the API key scrubbed out.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { classifyErrorAnswer, classifyNetworkError, type Failure, parseRetryAfter } from './errors';
import { type RetryPolicy, retryDelayMs } from './retry';
import { perUserLists, topLevelError } from './answers';

export const CREDENTIAL_TYPE = 'splashifyApi';

export interface Connection {
	baseUrl: string;
	apiVersion: string;
	phoneNumberId: string;
	timeoutMs: number;
	retry: RetryPolicy;
	/** Strings to scrub from anything the node outputs or throws (the API key). */
	secrets: string[];
}

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	/** Parsed JSON, or the raw text when the body was not JSON. */
	body: unknown;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export interface RequestResult<T> {
	result: Attempt<T>;
	/** How many HTTP requests were sent, retries included. */
	requests: number;
}

/** The Block Users endpoint of a phone number; every part was checked before it got here. */
export function blockUsersUrl(connection: Pick<Connection, 'baseUrl' | 'apiVersion' | 'phoneNumberId'>): string {
	return `${connection.baseUrl}/api/${connection.apiVersion}/${encodeURIComponent(connection.phoneNumberId)}/block_users`;
}

/** Replaces every secret in a text with asterisks. */
export function scrub(text: string, secrets: readonly string[]): string {
	let clean = text;
	for (const secret of secrets) {
		if (secret.length >= 4 && clean.includes(secret)) clean = clean.split(secret).join('***');
	}
	return clean;
}

/**
 * A JSON value with every secret scrubbed from its strings. Parts that contain no secret are
 * returned as they are (no copy), so scrubbing a large answer that holds no key costs a walk.
 */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
	if (typeof value === 'string') return scrub(value, secrets) as T;
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) {
		let copy: unknown[] | undefined;
		value.forEach((element, index) => {
			const clean = scrubValue(element, secrets);
			if (clean !== element) (copy ??= value.slice())[index] = clean;
		});
		return (copy ?? value) as T;
	}
	let copy: Record<string, unknown> | undefined;
	for (const [key, element] of Object.entries(value)) {
		const clean = scrubValue(element, secrets);
		if (clean !== element) (copy ??= { ...(value as Record<string, unknown>) })[key] = clean;
	}
	return (copy ?? value) as T;
}

/** Finds a Node/axios error code (ECONNRESET, ECONNABORTED...) anywhere in an error's cause chain. */
function networkCodeOf(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^(E[A-Z_]+|ERR_[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
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

/** Sends one request and returns the answer whatever its status, or a network failure. */
export async function sendOnce(
	ctx: IExecuteFunctions,
	connection: Connection,
	method: IHttpRequestMethods,
	options: { body?: IDataObject; qs?: IDataObject } = {},
): Promise<Attempt<HttpAnswer>> {
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
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, request)) as {
			statusCode: number;
			headers?: Record<string, unknown>;
			body: unknown;
		};
		return {
			ok: true,
			value: { statusCode: response.statusCode, headers: response.headers ?? {}, body: parseBody(response.body) },
		};
	} catch (error) {
		const code = networkCodeOf(error);
		if (code === 'ERR_CANCELED') {
			return { ok: false, failure: { kind: 'fatal', error: { code, message: 'The execution was cancelled' } } };
		}
		const failure = classifyNetworkError(code, scrub(messageOf(error), connection.secrets));
		return { ok: false, failure };
	}
}

/**
 * The usual reading of an answer with no per-user lists: 2xx with a JSON object is
 * success; anything else is classified. `expectLists` marks answers (block and unblock)
 * whose per-user lists make even a 4xx readable.
 */
export function interpretAnswer(answer: HttpAnswer, expectLists: boolean): Attempt<HttpAnswer> {
	const { statusCode, body } = answer;
	const retryAfter = parseRetryAfter(answer.headers['retry-after']);
	if (expectLists && perUserLists(body) && statusCode < 500 && statusCode !== 429) {
		return { ok: true, value: answer };
	}
	if (statusCode >= 200 && statusCode < 300) {
		if (body !== null && typeof body === 'object') return { ok: true, value: answer };
		return {
			ok: false,
			failure: {
				kind: 'retry',
				httpCode: statusCode,
				error: {
					code: 'MALFORMED_ANSWER',
					message: 'Splashify answered with something that is not valid JSON',
					details: typeof body === 'string' ? body.slice(0, 200) : undefined,
				},
			},
		};
	}
	return { ok: false, failure: classifyErrorAnswer(statusCode, topLevelError(body), retryAfter) };
}

/**
 * Sends a request until it succeeds, fails for good, or runs out of retries. Waits with
 * n8n's `sleep` between attempts and stops waiting when the execution is cancelled.
 */
export async function requestWithRetries(
	ctx: IExecuteFunctions,
	connection: Connection,
	method: IHttpRequestMethods,
	options: { body?: IDataObject; qs?: IDataObject; expectLists?: boolean },
): Promise<RequestResult<HttpAnswer>> {
	let requests = 0;
	for (let retry = 0; ; retry++) {
		const sent = await sendOnce(ctx, connection, method, options);
		requests++;
		const result = sent.ok ? interpretAnswer(sent.value, options.expectLists === true) : sent;
		if (result.ok || result.failure.kind !== 'retry') return { result: scrubResult(result, connection), requests };

		const { failure } = result;
		if (retry >= connection.retry.maxRetries) {
			return { result: scrubResult(gaveUp(failure, requests), connection), requests };
		}
		const wait = retryDelayMs(connection.retry, retry, failure.retryAfterSeconds);
		if (failure.retryAfterSeconds !== undefined && wait > connection.retry.maxRetryAfterMs) {
			return { result: scrubResult(tooLongToWait(failure), connection), requests };
		}
		await sleep(wait);
		if (ctx.getExecutionCancelSignal?.()?.aborted) {
			return {
				result: { ok: false, failure: { kind: 'fatal', error: { code: 'ERR_CANCELED', message: 'The execution was cancelled' } } },
				requests,
			};
		}
	}
}

function gaveUp(failure: Failure, attempts: number): Attempt<HttpAnswer> {
	return {
		ok: false,
		failure: {
			...failure,
			kind: 'batch',
			exhausted: true,
			error: {
				...failure.error,
				message: `${failure.error.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
			},
		},
	};
}

function tooLongToWait(failure: Failure): Attempt<HttpAnswer> {
	return {
		ok: false,
		failure: {
			...failure,
			kind: 'batch',
			error: {
				...failure.error,
				message: `${failure.error.message}; Splashify asked to wait ${failure.retryAfterSeconds} s, longer than the node waits: run it again later`,
			},
		},
	};
}

/**
 * Scrubs the key from a failure and from a successful answer's body alike: a server or proxy
 * that echoes the Authorization header in a per-user message or a list entry must not get it
 * into an output item.
 */
function scrubResult(result: Attempt<HttpAnswer>, connection: Connection): Attempt<HttpAnswer> {
	if (result.ok) return { ok: true, value: { ...result.value, body: scrubValue(result.value.body, connection.secrets) } };
	return { ok: false, failure: scrubValue(result.failure, connection.secrets) };
}
