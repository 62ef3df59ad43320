/**
 * Admin HTTP API under /__sandbox/ (no auth), for what drives the sandbox from another process
 * (`npm run dev` prints the state URL; the benchmark sets latency and blocklists):
 *   GET  /__sandbox/state           {phoneNumberIds, blocklists: {id: keys}, requestCount, config}
 *   POST /__sandbox/config          merge a JSON object into the config (unchecked); answers it
 *   POST /__sandbox/blocklist/{id}  set a blocklist from a JSON array of numbers and BSUIDs
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { isRecord, parseJson, readBody, sendJson } from './http-util';
import type { Sandbox } from './types';

export const ADMIN_PREFIX = '/__sandbox/';

type Reply = { status: number; body: unknown };

export async function handleAdmin(
	sandbox: Sandbox,
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
): Promise<void> {
	const parsed = parseJson(await readBody(req));
	const value = parsed.ok ? parsed.value : undefined;
	const reply = routeAdmin(sandbox, `${req.method} ${path.slice(ADMIN_PREFIX.length)}`, value);
	sendJson(res, reply.status, reply.body);
}

function routeAdmin(sandbox: Sandbox, route: string, value: unknown): Reply {
	const { config } = sandbox;
	if (route === 'GET state') {
		const blocklists = Object.fromEntries(
			config.phoneNumberIds.map((id) => [id, sandbox.blocklist(id)]),
		);
		const requestCount = sandbox.requests.length;
		return {
			status: 200,
			body: { phoneNumberIds: config.phoneNumberIds, blocklists, requestCount, config },
		};
	}
	if (route === 'POST config') {
		if (!isRecord(value)) return { status: 400, body: { error: 'config must be a JSON object' } };
		Object.assign(config, value);
		return { status: 200, body: config };
	}
	const id = /^POST blocklist\/([^/]+)$/.exec(route)?.[1];
	if (id) {
		if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
			return { status: 400, body: { error: 'blocklist needs a JSON array of numbers and BSUIDs' } };
		sandbox.setBlocklist(decodeURIComponent(id), value as string[]);
		return { status: 200, body: { size: sandbox.blocklist(decodeURIComponent(id)).length } };
	}
	return { status: 404, body: { error: `no admin route ${route}` } };
}
