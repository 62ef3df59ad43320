import type { INode } from 'n8n-workflow';

import { failureError } from '../../nodes/WhatsApp/transport/failureError';
import {
	classifyErrorAnswer,
	classifyNetworkError,
	parseRetryAfter,
} from '../../nodes/WhatsApp/transport/errors';
import type { RequestContext } from '../../nodes/WhatsApp/transport/request';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from '../../nodes/WhatsApp/transport/retry';

describe('classifyErrorAnswer', () => {
	test.each([
		[401, { code: 190, message: 'Invalid OAuth access token' }, 'fatal', /API key/],
		[400, { code: 190 }, 'fatal', /API key/],
		[404, { code: 100, message: 'Unsupported get request' }, 'fatal', /phone number ID/],
		[302, undefined, 'fatal', /redirect/],
		[429, { code: 130429 }, 'retry', /rate-limited/],
		[400, { code: 80007 }, 'retry', /rate-limited/],
		[400, { code: 4 }, 'retry', /rate-limited/],
		[500, { code: 139103 }, 'retry', /server error/],
		[200, { code: 139103 }, 'retry', /server error/],
		[503, undefined, 'retry', /HTTP 503/],
		[400, { code: 139101, message: 'Blocklist limit reached' }, 'batch', /Blocklist limit/],
		[
			400,
			{ code: 100, message: '(#100) Cannot block more than 500 users in one request' },
			'batch',
			/500 users/,
		],
	])('HTTP %i with %j is %s', (status, error, kind, message) => {
		const failure = classifyErrorAnswer(status, error);
		expect(failure.kind).toBe(kind);
		expect(failure.error.message).toMatch(message);
	});

	test('keeps the server code, message and details', () => {
		const answer = {
			code: 139101,
			message: 'Blocklist full',
			error_data: { details: 'max 64000' },
		};
		const kept = { code: 139101, message: 'Blocklist full', details: 'max 64000' };
		expect(classifyErrorAnswer(400, answer).error).toEqual(kept);
	});

	test.each([
		[404, { code: 100 }, 'phoneNumberId'],
		[
			403,
			{ code: 10, message: '(#10) Application does not have permission for this action' },
			'phoneNumberId',
		],
		[403, { code: 200 }, 'phoneNumberId'],
		[401, { code: 190 }, 'call'],
		[400, { code: 190 }, 'call'],
		[404, { code: 190 }, 'call'],
		[307, undefined, 'call'],
	])('a fatal HTTP %i with %j concerns %s', (status, error, scope) => {
		const failure = classifyErrorAnswer(status, error);
		expect([failure.kind, failure.scope]).toEqual(['fatal', scope]);
	});

	test('passes Retry-After on', () => {
		expect(classifyErrorAnswer(429, undefined, 7).retryAfterSeconds).toBe(7);
	});
});

describe('classifyNetworkError', () => {
	test('a host that does not resolve is a configuration error', () => {
		expect(classifyNetworkError('ENOTFOUND', 'getaddrinfo ENOTFOUND x').kind).toBe('fatal');
	});
	test('resets and timeouts are retried', () => {
		expect(classifyNetworkError('ECONNRESET', 'socket hang up').kind).toBe('retry');
		const timeout = classifyNetworkError('ECONNABORTED', 'timeout of 300ms exceeded');
		expect(timeout.kind).toBe('retry');
		expect(timeout.error.message).toMatch(/timed out/);
	});
});

describe('parseRetryAfter', () => {
	test('reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('3')).toBe(3);
		expect(parseRetryAfter(['2'])).toBe(2);
		const now = Date.parse('2026-11-24T10:00:00Z');
		expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:05 GMT', now)).toBe(5);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});
});

describe('retryDelayMs', () => {
	test('grows exponentially within half to all of the ceiling, capped', () => {
		const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 5000 };
		expect(retryDelayMs(policy, 0, undefined, () => 0)).toBe(500);
		expect(retryDelayMs(policy, 0, undefined, () => 1)).toBe(1000);
		expect(retryDelayMs(policy, 2, undefined, () => 1)).toBe(4000);
		expect(retryDelayMs(policy, 10, undefined, () => 1)).toBe(5000);
	});
	test('honours Retry-After with at most 10% jitter', () => {
		expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, 2, () => 0)).toBe(2000);
		expect(retryDelayMs(DEFAULT_RETRY_POLICY, 3, 2, () => 1)).toBe(2200);
	});
});

describe('failureError', () => {
	const ctx = {
		getNode: () => ({ name: 'WhatsApp Block Users', type: 't' }) as INode,
	} as unknown as RequestContext;

	test.each([
		['ECONNABORTED', 'timeout of 500ms exceeded'],
		['ENOTFOUND', 'getaddrinfo ENOTFOUND api.example'],
		['ECONNRESET', 'socket hang up'],
		['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'],
	])(
		"a network failure (%s) keeps the node's message, not n8n's generic one for the code",
		(code, text) => {
			const failure = classifyNetworkError(code, text);
			const where = 'Item 1, phone number ID 1';
			const error = failureError(ctx, failure, { itemIndex: 0, where, secrets: [] });
			expect(error.message).toBe(failure.error.message);
			expect(error.description).toBe(`${text} — Item 1, phone number ID 1`);
			expect((error.errorResponse as { code?: unknown }).code).toBe(code);
		},
	);
});
