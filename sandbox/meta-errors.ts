/**
 * Meta's error envelope and the error catalogue of the sandbox.
 * Envelope: {"error":{"message","type","code","error_subcode"?,"error_data"?:{"details"},"fbtrace_id"}}
 */
import { randomBytes } from 'crypto';
import type { NoChangeCode } from './types';

export interface MetaError {
	message: string;
	type: string;
	code: number;
	error_subcode?: number;
	error_data?: { details: string };
	is_transient?: boolean;
	fbtrace_id: string;
}

export interface ErrorAnswer {
	status: number;
	body: { error: MetaError };
}

function metaError(
	status: number,
	code: number,
	message: string,
	extra: Partial<Omit<MetaError, 'code' | 'message' | 'fbtrace_id'>> = {},
): ErrorAnswer {
	const error: MetaError = {
		message,
		type: extra.type ?? 'OAuthException',
		code,
		...extra,
		fbtrace_id: 'A' + randomBytes(15).toString('base64url'),
	};
	return { status, body: { error } };
}

export function invalidParameter(message: string, details?: string, status = 400): ErrorAnswer {
	return metaError(status, 100, `(#100) ${message}`, details ? { error_data: { details } } : {});
}

export const unauthorized = (): ErrorAnswer =>
	metaError(401, 190, '(#190) Invalid OAuth access token', {
		error_data: { details: 'The API key is missing, malformed or not valid for this account' },
	});

export const unknownPhoneNumberId = (method: string, id: string): ErrorAnswer =>
	metaError(
		404,
		100,
		`(#100) Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, ` +
			'cannot be loaded due to missing permissions, or does not support this operation',
		{ type: 'GraphMethodException', error_subcode: 33 },
	);

/** The key may not manage this (existing) phone number ID: Meta's permission error, HTTP 403. */
export const permissionDenied = (id: string): ErrorAnswer =>
	metaError(403, 10, '(#10) Application does not have permission for this action', {
		error_data: { details: `The API key may not manage phone number ID ${id}` },
	});

export const unknownRoute = (method: string, path: string): ErrorAnswer =>
	metaError(
		404,
		100,
		`(#100) Unsupported ${method.toLowerCase()} request. Unknown path components: ${path}`,
		{
			type: 'GraphMethodException',
		},
	);

export const listChanged = (): ErrorAnswer =>
	metaError(400, 139102, '(#139102) Blocklist changed while paging', {
		error_data: {
			details: 'The blocklist changed since the cursor was issued; restart from the first page',
		},
	});

export const internalError = (): ErrorAnswer =>
	metaError(500, 139103, '(#139103) Internal error', {
		error_data: {
			details: 'An internal error occurred while processing the blocklist; retry later',
		},
	});

const RATE_LIMIT_MESSAGES: Record<number, string> = {
	4: '(#4) Application request limit reached',
	80007: '(#80007) Rate limit issues',
	130429: '(#130429) Rate limit hit',
};

export const rateLimited = (status: number, code: number): ErrorAnswer =>
	metaError(status, code, RATE_LIMIT_MESSAGES[code] ?? `(#${code}) Rate limit hit`, {
		error_data: { details: 'Too many requests; retry with backoff' },
	});

/**
 * Meta's error envelope sent with HTTP 200 (`errorIn200`): `code` (default 130429) and its
 * message, "(#<code>) " put before a `message` that lacks it.
 */
export function errorIn200(code = 130429, message?: string): ErrorAnswer {
	const text = message ?? RATE_LIMIT_MESSAGES[code] ?? `(#${code}) An unknown error occurred`;
	return metaError(200, code, text.startsWith('(#') ? text : `(#${code}) ${text}`);
}

export const transientServerError = (status: number): ErrorAnswer =>
	metaError(status, 2, 'An unexpected error has occurred. Please retry your request later.', {
		is_transient: true,
	});

export const batchPartlyFailed = (
	verb: 'block' | 'unblock',
	failed: number,
	total: number,
): ErrorAnswer =>
	metaError(400, 139100, '(#139100) Failed to block/unblock users', {
		error_data: {
			details: `Failed to ${verb} ${failed} of ${total} users; see block_users.failed_users`,
		},
	});

/** A per-user failure, before it is put into the answer's shape. */
export interface UserError {
	code: number;
	message: string;
	details: string;
}

export const USER_ERRORS = {
	invalidNumber: {
		code: 100,
		message: '(#100) Invalid phone number',
		details: 'The user must be a phone number in E.164 format, e.g. +919999999999',
	},
	invalidUserId: {
		code: 100,
		message: '(#100) Invalid user ID',
		details:
			'The user_id must be a business-scoped user ID (BSUID) such as US.13491208655302741918 ' +
			'or a parent BSUID such as US.ENT.11815799212886844830',
	},
	alreadyBlocked: {
		code: 139100,
		message: 'User is already blocked',
		details: 'The user is already on the blocklist of this phone number',
	},
	notBlocked: {
		code: 139100,
		message: 'User is not blocked',
		details: 'The user is not on the blocklist of this phone number',
	},
	reengagementRequired: {
		code: 131047,
		message: 'Re-engagement required',
		details: 'User has not messaged in the last 24 hours',
	},
	blocklistFull: {
		code: 139101,
		message: 'Blocklist limit reached',
		details: 'The blocklist of this phone number is full',
	},
} satisfies Record<string, UserError>;

/** "Already blocked" (block) or "not blocked" (unblock) in the configured code's wording. */
export function noChangeError(verb: 'block' | 'unblock', code: NoChangeCode): UserError {
	const base = verb === 'block' ? USER_ERRORS.alreadyBlocked : USER_ERRORS.notBlocked;
	if (code !== 100) return base;
	const state = verb === 'block' ? 'already blocked' : 'not blocked';
	return { code: 100, message: `(#100) The user is ${state}`, details: base.details };
}
