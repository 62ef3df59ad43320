/**
 * The Splashify sandbox in a process of its own, driven over IPC by bench/processes.ts, so that
 * its CPU time and memory never mix with the node's. Answers one message per command:
 *   { cmd: 'reset', prep }      -> requests and blocklists cleared, then `prep` applied (blocklists,
 *                                  paging, failing reads, latency); counting starts after it
 *   { cmd: 'stats' }            -> SandboxStats since the last reset
 *   { cmd: 'contents', id }     -> that blocklist's keys (wa_ids and BSUIDs)
 *   { cmd: 'close' }            -> closes and exits
 */
import { startSandbox } from '../sandbox/server';

export interface SandboxOptions {
	latencyMs: number;
	phoneNumberIds: string[];
	blocklistCap: number;
}

/** What the sandbox holds and does until the next reset. */
export interface Prep {
	/** Blocklists by phone number ID (numbers with or without '+', BSUIDs). */
	lists?: Record<string, string[]>;
	/** 'graph': pages like Meta's Graph API (`after` on the last page too). */
	paging?: 'graph';
	/** Every GET of that phone number ID after its first N pages answers 500. */
	failReads?: Record<string, number>;
	/** Another added latency per request. */
	latencyMs?: number;
}

export interface SandboxStats {
	requests: number;
	/** Requests per "METHOD phoneNumberId". */
	byTarget: Record<string, number>;
	/** Requests per HTTP status answered. */
	statuses: Record<string, number>;
	/** The sandbox's CPU time (user + system). */
	cpuMs: number;
	/** When the first request arrived (before the added latency) and the last was served, ms since the epoch. */
	firstAt?: number;
	lastAt?: number;
}

const PHONE_ID_IN_PATH = /^\/api\/v[^/]+\/([^/]+)\/block_users/;
const cpuMs = () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2]) as SandboxOptions;
	const sb = await startSandbox(options);
	let cpuAtReset = cpuMs();
	let times: { firstAt?: number; lastAt?: number } = {};
	let failing: Record<string, number> = {};
	// Runs once per API request, after the added latency: notes when; fails reads on demand.
	sb.behaviour = (req) => {
		times = { firstAt: times.firstAt ?? Date.now() - sb.config.latencyMs, lastAt: Date.now() };
		const id = PHONE_ID_IN_PATH.exec(req.path)?.[1];
		if (req.method !== 'GET' || id === undefined || failing[id] === undefined) return undefined;
		return failing[id]-- > 0 ? undefined : { kind: 'serverError', status: 500 };
	};
	const stats = (): SandboxStats => {
		const byTarget: Record<string, number> = {};
		const statuses: Record<string, number> = {};
		for (const r of sb.requests) {
			const key = `${r.method} ${PHONE_ID_IN_PATH.exec(r.path)?.[1] ?? r.path}`;
			byTarget[key] = (byTarget[key] ?? 0) + 1;
			statuses[r.status] = (statuses[r.status] ?? 0) + 1;
		}
		const cpu = cpuMs() - cpuAtReset;
		return { requests: sb.requests.length, byTarget, statuses, cpuMs: cpu, ...times };
	};
	const reset = (prep: Prep) => {
		sb.reset();
		for (const [id, keys] of Object.entries(prep.lists ?? {})) sb.setBlocklist(id, keys);
		if (prep.paging) sb.config.paging = prep.paging;
		if (prep.latencyMs !== undefined) sb.config.latencyMs = prep.latencyMs;
		failing = { ...prep.failReads };
		times = {};
		cpuAtReset = cpuMs();
	};
	type Command = { id: number; cmd: string; prep?: Prep; phoneNumberId?: string };
	process.on('message', (m: Command) => {
		const answer = (value?: unknown) => process.send?.({ id: m.id, ok: true, value });
		try {
			if (m.cmd === 'reset') answer(reset(m.prep ?? {}));
			else if (m.cmd === 'stats') answer(stats());
			else if (m.cmd === 'contents') answer(sb.blocklist(m.phoneNumberId ?? ''));
			else if (m.cmd === 'close') void sb.close().then(() => process.exit(0));
		} catch (error) {
			process.send?.({ id: m.id, ok: false, error: String(error) });
		}
	});
	process.on('disconnect', () => process.exit(0));
	process.send?.({ ready: true, url: sb.url, apiKey: sb.apiKey });
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
