/**
 * Error mapping: what a Splashify (or Meta) answer or a network failure means for the node.
 * Pure functions; `request.ts` acts on the classification.
 */
import type { UserError } from '../types';
import { isRecord } from './json';
import { ErrorCode } from '../contract';

/** Meta's error envelope, as far as the node reads it. */
export interface ApiErrorBody {
	message?: unknown;
	type?: unknown;
	code?: unknown;
	error_subcode?: unknown;
	error_data?: { details?: unknown } | unknown;
	fbtrace_id?: unknown;
}

/** The top-level `error` of an answer (Meta's envelope), if any. */
export function topLevelError(body: unknown): ApiErrorBody | undefined {
	return isRecord(body) && isRecord(body.error) ? (body.error as ApiErrorBody) : undefined;
}

/**
 * How a failed attempt is handled:
 * - `retry`: transient (rate limit, 5xx, 139103, network); try again after a pause.
 * - `batch`: this batch's users fail with the error; other batches go on.
 * - `fatal`: the call cannot work (key rejected, phone number not found, wrong URL); no
 *   further requests are sent, for that phone number ID only when the failure's `scope` says so.
 */
export type FailureKind = 'retry' | 'batch' | 'fatal';

/**
 * What a fatal failure concerns: `phoneNumberId` when the answer is about the phone number ID
 * the request named (HTTP 404 not found, HTTP 403 not permitted), so other phone number IDs
 * can still work; `call` (key rejected, a redirect, host not found, the execution cancelled)
 * when no request can work.
 */
export type FatalScope = 'call' | 'phoneNumberId';

export interface Failure {
	kind: FailureKind;
	error: UserError;
	/** HTTP status, when there was an answer. */
	httpCode?: number;
	/** Seconds the server asked us to wait (Retry-After), when it said. */
	retryAfterSeconds?: number;
	/** Set when a transient failure lasted through every retry. */
	exhausted?: boolean;
	/** For a fatal failure: what it concerns (absent: the whole call). */
	scope?: FatalScope;
}

const RATE_LIMIT_CODES = new Set([4, 80007, 130429]);
const INTERNAL_ERROR_CODE = 139103;
const AUTH_ERROR_CODE = 190;

/** Network error codes worth another try. */
const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'ERR_BAD_RESPONSE',
	'UND_ERR_SOCKET',
]);

function asText(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function asCode(value: unknown): number | undefined {
	const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** Reads `error_data.details` (Meta) or a plain `details`. */
export function detailsOf(value: unknown): string | undefined {
	if (value === null || typeof value !== 'object') return undefined;
	const record = value as Record<string, unknown>;
	const data = record.error_data;
	if (data !== null && typeof data === 'object')
		return asText((data as Record<string, unknown>).details);
	return asText(data) ?? asText(record.details);
}

/** Turns one entry of Meta's or the provider's error lists into the node's error shape. */
export function userErrorFrom(value: unknown, fallbackMessage: string): UserError {
	const record =
		value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
	const code = asCode(record.code) ?? asText(record.code) ?? ErrorCode.Unknown;
	const message = asText(record.message) ?? asText(record.title) ?? fallbackMessage;
	const details = detailsOf(record);
	return details === undefined ? { code, message } : { code, message, details };
}

/** Parses a Retry-After header (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text === 'number' && Number.isFinite(text) && text >= 0) return text;
	if (typeof text !== 'string' || text.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text.trim())) return Number(text.trim());
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * The message of an answer that makes the call fail (key, access, address), if it is one, and
 * what it concerns: a rejected key or a redirect no request escapes; a 403 or a 404 is about
 * the phone number ID of the request (a wrong Base URL or version also answers 404, and then
 * every phone number ID meets it in turn).
 */
function fatalMessage(
	httpCode: number,
	code: number | undefined,
	serverMessage: string | undefined,
): { message: string; scope: FatalScope } | undefined {
	if (code === AUTH_ERROR_CODE || httpCode === 401) {
		return {
			scope: 'call',
			message: 'Splashify rejected the API key: check the API key in the Splashify API credential',
		};
	}
	if (httpCode === 403) {
		const message = `Splashify refused access (HTTP 403)${serverMessage ? `: ${serverMessage}` : ''}. Check that the API key may manage this phone number`;
		return { scope: 'phoneNumberId', message };
	}
	if (httpCode === 404) {
		const message =
			'Splashify did not find this phone number ID (HTTP 404): check the phone number ID, and that the Base URL and API version in the credential are right';
		return { scope: 'phoneNumberId', message };
	}
	if (httpCode >= 300 && httpCode < 400) {
		return {
			scope: 'call',
			message: `The Base URL answered with a redirect (HTTP ${httpCode}): set the credential's Base URL to the final address of the Splashify API`,
		};
	}
	return undefined;
}

/** The message and fallback code of a transient answer (rate limit, server error), if it is one. */
function transientMessage(
	httpCode: number,
	code: number | undefined,
	serverMessage: string | undefined,
): { message: string; fallbackCode: number } | undefined {
	const said = serverMessage ? `: ${serverMessage}` : '';
	if (httpCode === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
		return { message: `Splashify rate-limited the request${said}`, fallbackCode: 429 };
	}
	if (code === INTERNAL_ERROR_CODE || httpCode >= 500) {
		return {
			message: `Splashify had a server error (HTTP ${httpCode})${said}`,
			fallbackCode: httpCode,
		};
	}
	return undefined;
}

/**
 * Classifies an HTTP answer that carries no per-user lists (so the whole batch shares one
 * fate). Branches on Meta's `error.code` first, then on the HTTP status.
 */
export function classifyErrorAnswer(
	httpCode: number,
	error: ApiErrorBody | undefined,
	retryAfter?: number,
): Failure {
	const code = asCode(error?.code);
	const serverMessage = asText(error?.message);
	const details = detailsOf(error);
	const userError = (message: string, fallbackCode: number | string): UserError => {
		const result: UserError = { code: code ?? fallbackCode, message };
		const extra =
			details ?? (serverMessage && serverMessage !== message ? serverMessage : undefined);
		if (extra !== undefined) result.details = extra;
		return result;
	};

	const fatal = fatalMessage(httpCode, code, serverMessage);
	if (fatal !== undefined)
		return {
			kind: 'fatal',
			scope: fatal.scope,
			httpCode,
			error: userError(fatal.message, httpCode),
		};
	const transient = transientMessage(httpCode, code, serverMessage);
	if (transient !== undefined) {
		return {
			kind: 'retry',
			httpCode,
			retryAfterSeconds: retryAfter,
			error: userError(transient.message, transient.fallbackCode),
		};
	}
	return {
		kind: 'batch',
		httpCode,
		error: userError(serverMessage ?? `Splashify refused the request (HTTP ${httpCode})`, httpCode),
	};
}

/** Classifies a failure that produced no HTTP answer (connection, timeout, DNS). */
export function classifyNetworkError(code: string | undefined, message: string): Failure {
	if (code === 'ENOTFOUND') {
		return {
			kind: 'fatal',
			error: {
				code,
				message:
					"Splashify's host was not found: check the Base URL in the Splashify API credential",
				details: message,
			},
		};
	}
	const known = code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
	const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message);
	return {
		kind: known || code === undefined ? 'retry' : 'batch',
		error: {
			code: code ?? ErrorCode.NetworkError,
			message: timedOut
				? 'The request to Splashify timed out'
				: `The connection to Splashify failed${code ? ` (${code})` : ''}`,
			details: message,
		},
	};
}
