/**
 * Admin HTTP API under /__sandbox/ (no auth), for tests that drive the sandbox from
 * another process:
 *   GET  /__sandbox/state           {phoneNumberIds, blocklists: {id: keys}, requestCount, queued, config}
 *   GET  /__sandbox/requests        the recorded requests
 *   GET  /__sandbox/blocklist/{id}  the keys (wa_ids and BSUIDs) of one phone number ID
 *   POST /__sandbox/config          merge a JSON object into the config; answers the config
 *   POST /__sandbox/enqueue         a behaviour or a JSON array of behaviours; answers {queued}
 *   POST /__sandbox/blocklist/{id}  set a blocklist from a JSON array of numbers and BSUIDs
 *                                   (or {"waIds": [...]}); '+' is stripped from numbers
 *   POST /__sandbox/reset           back to the start state
 *
 * Config checks: `fault` must be a valid behaviour (or null), `parentUserIds` a boolean,
 * `noChangeCode` 139100 or 100, `listShape` "provider", "meta" or "grouped", `paging`
 * "provider" or "graph", `cursorFault` "none", "ignoreAfter", "cycle" or "freshCycle",
 * `maxLimit` an integer of at least 1, `blockReasons` an object of texts, `forbidden` an object
 * of phone number IDs to arrays of "POST", "DELETE" and "GET"; other fields are
 * merged as given. Behaviours (enqueue, fault) are checked by their kind's fields: `ms` of
 * hang/latency, `code` and `message` of errorIn200, `body` of bogus200. A refused patch
 * changes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { invalidBehaviour } from './behaviours';
import { isRecord, parseJson, readBody, sendJson } from './http-util';
import type { Behaviour, Sandbox, SandboxConfig } from './types';

export const ADMIN_PREFIX = '/__sandbox/';

export interface AdminTarget extends Sandbox {
	knownBlocklists(): Record<string, string[]>;
	queuedCount(): number;
}

type Reply = { status: number; body: unknown };

const bad = (error: string): Reply => ({ status: 400, body: { error } });

export async function handleAdmin(
	target: AdminTarget,
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
): Promise<void> {
	const raw = await readBody(req);
	const route = path.slice(ADMIN_PREFIX.length).replace(/\/$/, '');
	const reply = routeAdmin(target, req.method ?? 'GET', route, raw);
	sendJson(res, reply.status, reply.body);
}

function routeAdmin(target: AdminTarget, method: string, route: string, raw: string): Reply {
	const blocklistId = /^blocklist\/([^/]+)$/.exec(route)?.[1];
	if (method === 'GET' && route === 'state') return { status: 200, body: state(target) };
	if (method === 'GET' && route === 'requests') return { status: 200, body: target.requests };
	if (method === 'GET' && blocklistId)
		return { status: 200, body: target.blocklist(decodeURIComponent(blocklistId)) };
	if (method === 'POST' && route === 'config') return mergeConfig(target, raw);
	if (method === 'POST' && route === 'enqueue') return enqueue(target, raw);
	if (method === 'POST' && blocklistId)
		return setBlocklist(target, decodeURIComponent(blocklistId), raw);
	if (method === 'POST' && route === 'reset') {
		target.reset();
		return { status: 200, body: { ok: true } };
	}
	return { status: 404, body: { error: `no admin route ${method} ${ADMIN_PREFIX}${route}` } };
}

function state(target: AdminTarget): unknown {
	return {
		phoneNumberIds: target.config.phoneNumberIds,
		blocklists: target.knownBlocklists(),
		requestCount: target.requests.length,
		queued: target.queuedCount(),
		config: target.config,
	};
}

/** The config fields that take one of a few values, and those values. */
const CHOICES: Record<string, readonly unknown[]> = {
	noChangeCode: [139100, 100],
	listShape: ['provider', 'meta', 'grouped'],
	paging: ['provider', 'graph'],
	cursorFault: ['none', 'ignoreAfter', 'cycle', 'freshCycle'],
};

/** "a, b or c", each value as JSON (texts quoted). */
function oneOf(values: readonly unknown[]): string {
	const shown = values.map((v) => JSON.stringify(v));
	return `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

function invalidChoice(patch: Record<string, unknown>): string | undefined {
	for (const [field, values] of Object.entries(CHOICES)) {
		if (patch[field] !== undefined && !values.includes(patch[field]))
			return `${field} must be ${oneOf(values)}`;
	}
	return undefined;
}

const METHODS: readonly unknown[] = ['POST', 'DELETE', 'GET'];

function isForbidden(value: unknown): boolean {
	return (
		isRecord(value) &&
		Object.values(value).every(
			(methods) => Array.isArray(methods) && methods.every((m) => METHODS.includes(m)),
		)
	);
}

/** What is wrong with a config patch, or undefined. */
function invalidConfig(patch: Record<string, unknown>): string | undefined {
	const fault =
		patch.fault === undefined || patch.fault === null ? undefined : invalidBehaviour(patch.fault);
	if (fault) return fault;
	if (patch.parentUserIds !== undefined && typeof patch.parentUserIds !== 'boolean') {
		return 'parentUserIds must be true or false';
	}
	const choice = invalidChoice(patch);
	if (choice) return choice;
	const { maxLimit } = patch;
	if (maxLimit !== undefined && !(Number.isInteger(maxLimit) && (maxLimit as number) >= 1)) {
		return 'maxLimit must be an integer of at least 1';
	}
	if (patch.forbidden !== undefined && !isForbidden(patch.forbidden)) {
		return 'forbidden must map phone number IDs to arrays of "POST", "DELETE" and "GET"';
	}
	const reasons = patch.blockReasons;
	if (
		reasons !== undefined &&
		(!isRecord(reasons) || Object.values(reasons).some((r) => typeof r !== 'string'))
	) {
		return 'blockReasons must map keys to texts';
	}
	return undefined;
}

function mergeConfig(target: AdminTarget, raw: string): Reply {
	const parsed = parseJson(raw);
	if (!parsed.ok || !isRecord(parsed.value)) return bad('config must be a JSON object');
	const problem = invalidConfig(parsed.value);
	if (problem) return bad(problem);
	const patch = { ...parsed.value } as Partial<SandboxConfig> & Record<string, unknown>;
	if (patch.fault === null) patch.fault = undefined;
	Object.assign(target.config, patch);
	return { status: 200, body: target.config };
}

function enqueue(target: AdminTarget, raw: string): Reply {
	const parsed = parseJson(raw);
	if (!parsed.ok) return bad('enqueue needs a JSON behaviour or array of behaviours');
	const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
	for (const item of list) {
		const problem = invalidBehaviour(item);
		if (problem) return bad(problem);
	}
	target.enqueue(...(list as Behaviour[]));
	return { status: 200, body: { queued: target.queuedCount() } };
}

function setBlocklist(target: AdminTarget, id: string, raw: string): Reply {
	const parsed = parseJson(raw);
	const value =
		parsed.ok && isRecord(parsed.value) ? parsed.value.waIds : parsed.ok ? parsed.value : undefined;
	if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
		return bad('blocklist needs a JSON array of number and BSUID strings (or {"waIds": [...]})');
	}
	target.setBlocklist(id, value as string[]);
	return { status: 200, body: { phoneNumberId: id, size: target.blocklist(id).length } };
}
