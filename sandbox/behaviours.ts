/**
 * Choosing the behaviour of a request (hook, then queue, then standing fault) and the
 * faults that answer without processing (including the HTTP 200 answers that are no answer:
 * an error envelope, `{}`, `[]`, HTML, a page without `data`).
 */
import type { ServerResponse } from 'http';
import { encodeCursor } from './blocklist';
import { sendJson, sendText } from './http-util';
import {
	errorIn200,
	internalError,
	rateLimited,
	transientServerError,
	type ErrorAnswer,
} from './meta-errors';
import type { ApiMethod, Behaviour, BehaviourKind, BogusBody, RecordedRequest } from './types';

/** Methods a behaviour can apply to by its kind (before its own `match`). */
function kindMethods(kind: BehaviourKind): readonly ApiMethod[] {
	if (kind === 'listChanged' || kind === 'unknownEntry') return ['GET'];
	if (kind === 'omitUsers' || kind === 'extraUsers') return ['POST', 'DELETE'];
	return ['POST', 'DELETE', 'GET'];
}

function appliesTo(behaviour: Behaviour, method: ApiMethod): boolean {
	if (behaviour.match && behaviour.match !== method) return false;
	return kindMethods(behaviour.kind).includes(method);
}

export interface BehaviourSources {
	hook?: (req: RecordedRequest, n: number) => Behaviour | undefined;
	queue: Behaviour[];
	fault?: Behaviour;
}

/**
 * Hook first (when it returns something), else the first queued behaviour that applies to
 * the method (removed from the queue), else the standing fault, else ok. A behaviour that
 * does not apply to the method turns into ok.
 */
export function decideBehaviour(
	sources: BehaviourSources,
	req: RecordedRequest,
	n: number,
	method: ApiMethod,
): Behaviour {
	const fromHook = sources.hook?.(req, n);
	if (fromHook) return appliesTo(fromHook, method) ? fromHook : { kind: 'ok' };
	const index = sources.queue.findIndex((b) => appliesTo(b, method));
	if (index >= 0) return sources.queue.splice(index, 1)[0];
	if (sources.fault && appliesTo(sources.fault, method)) return sources.fault;
	return { kind: 'ok' };
}

function sendError(
	res: ServerResponse,
	answer: ErrorAnswer,
	headers: Record<string, string> = {},
): number {
	sendJson(res, answer.status, answer.body, headers);
	return answer.status;
}

const MALFORMED = {
	GET: '{"data":[{"user":"9199',
	other: '{"messaging_product":"whatsapp","block_users":{"added_users":[{"input":"+91',
};

/**
 * Answers the faults that fail the request without processing it. Returns the status sent
 * (0 when nothing was sent), or undefined when the behaviour processes the request.
 */
export function answerFault(
	behaviour: Behaviour,
	method: ApiMethod,
	res: ServerResponse,
): number | undefined {
	switch (behaviour.kind) {
		case 'rateLimit': {
			const headers: Record<string, string> =
				behaviour.retryAfter === undefined ? {} : { 'Retry-After': String(behaviour.retryAfter) };
			return sendError(
				res,
				rateLimited(behaviour.status ?? 429, behaviour.code ?? 130429),
				headers,
			);
		}
		case 'serverError':
			return answerServerError(behaviour.status ?? 500, res);
		case 'internal':
			return sendError(res, internalError());
		case 'drop':
			res.socket?.destroy();
			return 0;
		case 'malformed':
			sendText(
				res,
				200,
				method === 'GET' ? MALFORMED.GET : MALFORMED.other,
				'application/json; charset=utf-8',
			);
			return 200;
		case 'errorIn200':
			return sendError(res, errorIn200(behaviour.code, behaviour.message));
		case 'bogus200':
			return answerBogus(behaviour.body, res);
		default:
			return undefined;
	}
}

function answerServerError(status: number, res: ServerResponse): number {
	if (status === 502) {
		sendText(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html');
		return 502;
	}
	return sendError(res, transientServerError(status));
}

/** HTTP 200 with `{}`, `[]`, an HTML page, or a page object without `data`. */
function answerBogus(body: BogusBody, res: ServerResponse): number {
	if (body === 'html') {
		sendText(
			res,
			200,
			'<!DOCTYPE html><html><body><h1>Welcome</h1><p>It works.</p></body></html>',
			'text/html',
		);
	} else if (body === 'noData') {
		sendJson(res, 200, { paging: { cursors: { after: encodeCursor({ offset: 0, version: 0 }) } } });
	} else {
		sendJson(res, 200, body === 'array' ? [] : {});
	}
	return 200;
}
