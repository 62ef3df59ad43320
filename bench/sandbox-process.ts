/**
 * The Splashify sandbox in a process of its own, driven over IPC by bench/run.ts, so that its
 * CPU time and memory never mix with the node's. Started with fork(); answers one message per
 * command:
 *   { cmd: 'stats' }                         -> { requests, byTarget, statuses, cpuMicros }
 *   { cmd: 'reset' }                         -> blocklists and recorded requests cleared
 *   { cmd: 'fill', phoneNumberId, count }    -> that blocklist set to `count` generated wa_ids
 *                                               (0 just makes the ID a known one)
 *   { cmd: 'set', phoneNumberId, keys }      -> that blocklist set to exactly `keys` (numbers
 *                                               with or without '+', BSUIDs as given)
 *   { cmd: 'sizes', phoneNumberIds }         -> { [id]: blocklist size }
 *   { cmd: 'contents', phoneNumberId }       -> that blocklist's keys (wa_ids and BSUIDs)
 *   { cmd: 'failReads', phoneNumberId, afterPages }
 *                                            -> from then on (until a reset), every GET of that
 *                                               phone number ID after its first `afterPages`
 *                                               answers 500 (a page that fails through retries)
 *   { cmd: 'timeline' }                      -> [{ target, at }]: when each request was decided
 *                                               (after the added latency), ms since the epoch
 *   { cmd: 'paging', paging }                -> config.paging set ('provider' | 'graph': `after`
 *                                               on the last page too) until a reset
 *   { cmd: 'close' }                         -> closes and exits
 */
import { startSandbox, type Sandbox } from '../sandbox/server';
import type { Behaviour } from '../sandbox/types';

export interface SandboxProcessOptions {
	latencyMs: number;
	phoneNumberIds: string[];
	blocklistCap: number;
}

export interface SandboxStats {
	requests: number;
	/** Requests per "METHOD phoneNumberId". */
	byTarget: Record<string, number>;
	/** Requests per HTTP status answered. */
	statuses: Record<string, number>;
	/** The sandbox process's CPU time (user + system) since it started, in microseconds. */
	cpuMicros: number;
}

type Command =
	| { id: number; cmd: 'stats' }
	| { id: number; cmd: 'reset' }
	| { id: number; cmd: 'fill'; phoneNumberId: string; count: number }
	| { id: number; cmd: 'set'; phoneNumberId: string; keys: string[] }
	| { id: number; cmd: 'timeline' }
	| { id: number; cmd: 'sizes'; phoneNumberIds: string[] }
	| { id: number; cmd: 'contents'; phoneNumberId: string }
	| { id: number; cmd: 'failReads'; phoneNumberId: string; afterPages: number }
	| { id: number; cmd: 'paging'; paging: 'provider' | 'graph' }
	| { id: number; cmd: 'close' };

const PHONE_ID_IN_PATH = /^\/api\/v[^/]+\/([^/]+)\/block_users/;

function stats(sb: Sandbox): SandboxStats {
	const byTarget: Record<string, number> = {};
	const statuses: Record<string, number> = {};
	for (const r of sb.requests) {
		const key = `${r.method} ${PHONE_ID_IN_PATH.exec(r.path)?.[1] ?? r.path}`;
		byTarget[key] = (byTarget[key] ?? 0) + 1;
		statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
	}
	const cpu = process.cpuUsage();
	return { requests: sb.requests.length, byTarget, statuses, cpuMicros: cpu.user + cpu.system };
}

/** failReads: a GET of a failing phone number ID answers normally `afterPages` times, then 500. */
function failedRead(failing: Map<string, number>, phoneNumberId: string): Behaviour | undefined {
	const left = failing.get(phoneNumberId);
	if (left === undefined) return undefined;
	if (left > 0) {
		failing.set(phoneNumberId, left - 1);
		return undefined;
	}
	return { kind: 'serverError', status: 500 };
}

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2] ?? '{}') as SandboxProcessOptions;
	const sb = await startSandbox({
		latencyMs: options.latencyMs,
		phoneNumberIds: options.phoneNumberIds,
		blocklistCap: options.blocklistCap,
	});
	const send = (message: unknown) => process.send?.(message);
	// The behaviour hook runs once per API request, after the added latency; returning
	// undefined keeps the normal behaviour. Used only to note when each request was served.
	// failReads: GETs still answered per phone number ID before they fail (with a 500).
	let timeline: Array<{ target: string; at: number }> = [];
	const failing = new Map<string, number>();
	sb.behaviour = (req) => {
		const phoneNumberId = PHONE_ID_IN_PATH.exec(req.path)?.[1];
		timeline.push({ target: `${req.method} ${phoneNumberId ?? req.path}`, at: Date.now() });
		return req.method === 'GET' && phoneNumberId !== undefined
			? failedRead(failing, phoneNumberId)
			: undefined;
	};

	process.on('message', (message: Command) => {
		void (async () => {
			switch (message.cmd) {
				case 'stats':
					send({ id: message.id, ok: true, value: stats(sb) });
					break;
				case 'sizes':
					send({
						id: message.id,
						ok: true,
						value: Object.fromEntries(
							message.phoneNumberIds.map((pn) => [pn, sb.blocklist(pn).length]),
						),
					});
					break;
				case 'contents':
					send({ id: message.id, ok: true, value: sb.blocklist(message.phoneNumberId) });
					break;
				case 'failReads':
					failing.set(message.phoneNumberId, message.afterPages);
					send({ id: message.id, ok: true });
					break;
				case 'timeline':
					send({ id: message.id, ok: true, value: timeline });
					break;
				case 'reset': {
					const ids = [...sb.config.phoneNumberIds];
					timeline = [];
					failing.clear();
					sb.reset();
					sb.config.phoneNumberIds = ids;
					sb.config.blocklistCap = options.blocklistCap;
					send({ id: message.id, ok: true });
					break;
				}
				case 'fill': {
					const waIds = Array.from(
						{ length: message.count },
						(_, i) => `9180${String(i).padStart(8, '0')}`,
					);
					sb.setBlocklist(message.phoneNumberId, waIds);
					send({ id: message.id, ok: true, value: sb.blocklist(message.phoneNumberId).length });
					break;
				}
				case 'set':
					sb.setBlocklist(message.phoneNumberId, message.keys);
					send({ id: message.id, ok: true, value: sb.blocklist(message.phoneNumberId).length });
					break;
				case 'paging':
					sb.config.paging = message.paging;
					send({ id: message.id, ok: true });
					break;
				case 'close':
					await sb.close();
					send({ id: message.id, ok: true });
					process.exit(0);
			}
		})().catch((error: unknown) => send({ id: message.id, ok: false, error: String(error) }));
	});
	process.on('disconnect', () => process.exit(0));
	send({ ready: true, url: sb.url, apiKey: sb.apiKey });
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
