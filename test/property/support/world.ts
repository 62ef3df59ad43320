/**
 * One randomized run's world: a fresh sandbox on loopback, a behaviour script applied by
 * the sandbox's `behaviour` hook, and a tap that records, for every API request, what the
 * server actually answered (status and body bytes) and how the request changed the
 * blocklist. The checks compare the node's outputs with that record, never with what the
 * test fed in. `runInWorld` runs the node once in such a world, the same way for every
 * property (Block/Unblock, Check/Sync, List).
 */
import type { Server } from 'http';

import { runNode, type RunOptions, type RunResult } from '../../harness/runNode';
import {
	startSandbox,
	type Behaviour,
	type AnswerShape,
	type RecordedRequest,
	type Sandbox,
} from '../../../sandbox/server';
import { assertNoKey, newApiKey } from './checks';
import type { LogCapture } from './logs';

export const PHONE_A = '100000000000001';
export const PHONE_B = '100000000000002';
/** Digits only, so the node sends it, but the sandbox does not know it (404). */
export const PHONE_UNKNOWN = '555000000000009';
/** Known to the sandbox, but the key may not change its blocklist: POST and DELETE answer 403 (code 10). */
export const PHONE_FORBIDDEN = '100000000000003';

/** One step of a behaviour script: what the server does, and in which shape it answers. */
export interface Step {
	behaviour: Behaviour;
	shape: AnswerShape;
	/**
	 * The answer echoes the request's Authorization header (a misbehaving server or proxy):
	 * in every `message` and `details` of a JSON answer and in a `comment` on every list
	 * entry, or at the end of any other body. The node must still never show the key.
	 */
	echoKey?: boolean;
	/**
	 * The server refuses the request as a whole, unprocessed: HTTP 400 with Meta's error
	 * envelope, code 100, and no per-user lists (a request the node must not retry).
	 */
	refuse?: boolean;
}

const REFUSAL = JSON.stringify({
	error: {
		message: '(#100) Invalid parameter',
		type: 'OAuthException',
		code: 100,
		error_data: { details: 'The request was refused as a whole' },
		fbtrace_id: 'AsandboxRefusal',
	},
});

/** Appends the echoed credential to every message and details of a JSON answer, or to the text. */
function echoInto(text: string, authorization: string): string {
	const echo = ` (received Authorization: ${authorization})`;
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return `${text}${echo}`;
	}
	const walk = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.map(walk);
		if (value === null || typeof value !== 'object') return value;
		const copy: Record<string, unknown> = {};
		for (const [key, v] of Object.entries(value)) {
			if ((key === 'message' || key === 'details') && typeof v === 'string')
				copy[key] = `${v}${echo}`;
			else if (key === 'data' && Array.isArray(v))
				copy[key] = v.map((entry: unknown) =>
					entry !== null && typeof entry === 'object'
						? { ...(walk(entry) as object), comment: echo }
						: entry,
				);
			else copy[key] = walk(v);
		}
		return copy;
	};
	return JSON.stringify(walk(json));
}

export interface Answer {
	status: number;
	text: string;
	/** Parsed JSON, or undefined when the body was not JSON. */
	json: unknown;
}

export interface Change {
	/** wa_ids (no '+') the request added to / removed from the blocklist while it was processed. */
	added: string[];
	removed: string[];
}

export interface World {
	sb: Sandbox;
	/** Answers the server sent, by request index. A request with no entry got no answer. */
	answers: Map<number, Answer>;
	/** Blocklist changes made synchronously while a request was processed, by request index. */
	changes: Map<number, Change>;
	/**
	 * Statuses of API answers the tap could not attribute to a decided request: answers sent
	 * before the hook ran (401, unknown phone number ID 404) or late answers after a hang.
	 */
	unattributed: number[];
	/** What the hook decided for each request, and when it arrived (ms since epoch), by index. */
	decided: Map<number, Behaviour>;
	arrivedAt: Map<number, number>;
	/** Answers that echoed the request's Authorization header (see Step.echoKey). */
	echoed: number;
	/** Requests refused as a whole with HTTP 400 / code 100 (see Step.refuse), by index. */
	refused: Set<number>;
	/** Whether the GETs went over MAX_GETS (no correct reader gets there). */
	overBudget: boolean;
	/** When the last hung request will have finished on the server side (ms since epoch). */
	settledAt: number;
	/** Waits for hung requests to finish server-side, then closes the sandbox. */
	close(): Promise<void>;
}

interface WorldOptions {
	apiKey: string;
	script: Step[];
	/** Runs before the behaviour of each request is chosen (a list that changes under a read). */
	onRequest?: (req: RecordedRequest, n: number, sb: Sandbox) => void;
}

/** Requests that may hang (each hang costs its `ms`); further hangs become plain 500s. */
const MAX_HANGS = 2;
/** Requests that may wait a whole second for Retry-After; further ones send Retry-After: 0. */
const MAX_LONG_RETRY_AFTER = 1;
/**
 * GETs after which every GET answers a 200 error envelope (code 131000), so that a reader
 * going round in circles ends fast; `world.overBudget` says it happened.
 */
const MAX_GETS = 4000;

function fnv1a(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash;
}

export function phoneOfPath(path: string): string {
	return /\/api\/v[^/]+\/([^/]+)\/block_users/.exec(path)?.[1] ?? '';
}

/**
 * The step for a request. Chosen from the request's content (method, phone number ID, users
 * or cursor) and how many times that same request was seen before, not from arrival order,
 * so concurrent batches get the same behaviours in every replay of a seed.
 */
function stepChooser(script: Step[]): (req: RecordedRequest) => Step | undefined {
	const attempts = new Map<string, number>();
	return (req) => {
		if (script.length === 0) return undefined;
		const key = `${req.method} ${req.path} ${req.users?.join(',') ?? ''} ${req.query.after ?? ''}`;
		const attempt = attempts.get(key) ?? 0;
		attempts.set(key, attempt + 1);
		return script[(fnv1a(key) + attempt * 7) % script.length];
	};
}

export async function startWorld(options: WorldOptions): Promise<World> {
	const sb = await startSandbox({ apiKey: options.apiKey, phoneNumberIds: [PHONE_A, PHONE_B] });
	const server = (sb as unknown as { server?: Server }).server;
	if (!server)
		throw new Error('The sandbox no longer exposes its http.Server: the answer tap needs it');

	const answers = new Map<number, Answer>();
	const changes = new Map<number, Change>();
	const world: World = {
		sb,
		answers,
		changes,
		unattributed: [],
		decided: new Map(),
		echoed: 0,
		refused: new Set(),
		overBudget: false,
		arrivedAt: new Map(),
		settledAt: 0,
		close: async () => {
			const wait = world.settledAt - Date.now();
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
			await sb.close();
		},
	};

	// The request being decided. The sandbox calls the hook and then, in the same tick,
	// answers (or starts waiting, for hang); the tap below attributes an answer written in
	// that tick to this request. A microtask clears it before anything else can answer.
	let deciding: number | undefined;
	const echoing = new Set<number>();
	server.on('request', (req, res) => {
		if (!(req.url ?? '').startsWith('/api/')) return;
		const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
		const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
		// The sandbox writes the head and the body in the same tick; the head is held back
		// until the body is known, so that an echoed body gets the right Content-Length.
		let head: unknown[] | undefined;
		res.writeHead = ((...args: unknown[]) => {
			head = args;
			return res;
		}) as typeof res.writeHead;
		res.end = ((...args: unknown[]) => {
			const chunk = args[0];
			let text =
				typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
			if (deciding !== undefined && world.refused.has(deciding) && head) {
				text = REFUSAL;
				args[0] = text;
				res.statusCode = 400;
				head = [
					400,
					{
						'Content-Type': 'application/json; charset=utf-8',
						'Content-Length': String(Buffer.byteLength(text)),
					},
				];
			}
			if (deciding !== undefined && echoing.has(deciding) && text !== '') {
				text = echoInto(text, req.headers.authorization ?? '');
				world.echoed++;
				args[0] = text;
				const headers = { ...((head?.[1] as Record<string, string> | undefined) ?? {}) };
				headers['Content-Length'] = String(Buffer.byteLength(text));
				if (head) head = [head[0], headers];
			}
			if (head) writeHead(...head);
			if (deciding === undefined) {
				world.unattributed.push(res.statusCode);
			} else {
				let json: unknown;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				answers.set(deciding, { status: res.statusCode, text, json });
			}
			return end(...args);
		}) as typeof res.end;
	});

	const choose = stepChooser(options.script);
	let hangs = 0;
	let longWaits = 0;
	let gets = 0;
	sb.behaviour = (req, n) => {
		options.onRequest?.(req, n, sb);
		const step = choose(req);
		let behaviour: Behaviour = step?.behaviour ?? { kind: 'ok' };
		if (req.method === 'GET' && ++gets > MAX_GETS) {
			world.overBudget = true;
			behaviour = { kind: 'errorIn200', code: 131000 };
		}
		if (behaviour.kind === 'hang') {
			if (hangs >= MAX_HANGS) behaviour = { kind: 'serverError', status: 500 };
			else {
				hangs++;
				world.settledAt = Math.max(world.settledAt, Date.now() + behaviour.ms + 50);
			}
		}
		if (
			behaviour.kind === 'rateLimit' &&
			(behaviour.retryAfter ?? 0) >= 1 &&
			(behaviour.retryAfter ?? 0) <= 60
		) {
			if (longWaits >= MAX_LONG_RETRY_AFTER) behaviour = { ...behaviour, retryAfter: 0 };
			else longWaits++;
		}
		sb.config.shape = step?.shape ?? 'provider';
		if (step?.echoKey) echoing.add(n);
		if (step?.refuse) {
			// Answered at once without processing (as a rate limit would be), then rewritten.
			world.refused.add(n);
			behaviour = { kind: 'rateLimit' };
		}
		world.decided.set(n, behaviour);
		world.arrivedAt.set(n, Date.now());

		deciding = n;
		const phone = phoneOfPath(req.path);
		const users = (req.users ?? []).map((u) => u.replace(/^\+/, ''));
		const before = new Set(sb.blocklist(phone));
		const wasIn = users.map((u) => before.has(u));
		queueMicrotask(() => {
			deciding = undefined;
			const after = new Set(sb.blocklist(phone));
			const change: Change = { added: [], removed: [] };
			users.forEach((u, i) => {
				if (!wasIn[i] && after.has(u)) change.added.push(u);
				if (wasIn[i] && !after.has(u)) change.removed.push(u);
			});
			changes.set(n, change);
		});
		return behaviour;
	};
	return world;
}

/** Races a promise against a deadline, so a run that hangs fails instead of stalling CI. */
async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
	});
	try {
		return await Promise.race([promise, deadline]);
	} finally {
		clearTimeout(timer);
	}
}

/** What a case says about its world and its credential. */
export interface WorldCase {
	script: Step[];
	/** The credential holds another key than the sandbox's (401 everywhere). */
	phoneMode?: string;
	/** The credential's key has spaces around it (the node must still scrub it). */
	paddedKey?: boolean;
}

export interface NodeRun {
	world: World;
	result: RunResult;
	/** The key in the credential (the sandbox's, or another in a wrong-key case). */
	credentialKey: string;
	elapsed: number;
}

/**
 * Runs the node once in a fresh world: `prepare` sets the sandbox up, n8n's logs are cleared
 * before and must still be captured after, the run has a deadline, hung requests finish
 * server-side, the key (the sandbox's and the credential's) must be nowhere, and `checks` run
 * while the sandbox still holds its blocklists.
 */
export async function runInWorld<T>(
	c: WorldCase,
	options: Omit<RunOptions, 'credentials'> & {
		logs: LogCapture;
		deadlineMs: number;
		onRequest?: WorldOptions['onRequest'];
		prepare?: (sb: Sandbox) => void;
	},
	checks: (run: NodeRun) => T,
): Promise<T> {
	const { logs, deadlineMs, onRequest, prepare, ...node } = options;
	const key = newApiKey();
	const world = await startWorld({ apiKey: key, script: c.script, onRequest });
	try {
		prepare?.(world.sb);
		const credentialKey = c.phoneMode === 'wrongKey' ? newApiKey() : key;
		logs.clear();
		const started = Date.now();
		const result = await withDeadline(
			runNode({
				...node,
				credentials: {
					apiKey: c.paddedKey ? `  ${credentialKey} ` : credentialKey,
					phoneNumberId: PHONE_A,
					baseUrl: world.sb.url,
					apiVersion: 'v25.0',
				},
			}),
			deadlineMs,
			'The node run',
		);
		const elapsed = Date.now() - started;
		logs.assertStillCapturing();
		// Let hung requests finish server-side before the blocklists are read.
		const settle = world.settledAt - Date.now();
		if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
		assertNoKey(credentialKey, result, logs);
		assertNoKey(key, result, logs);
		return checks({ world, result, credentialKey, elapsed });
	} finally {
		await world.close();
	}
}
