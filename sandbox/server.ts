/**
 * A Splashify-compatible Block Users API on loopback, built on Node's http module.
 *
 *   POST   /api/v{X.Y}/{phoneNumberId}/block_users   block a batch
 *   DELETE /api/v{X.Y}/{phoneNumberId}/block_users   unblock a batch (JSON body)
 *   GET    /api/v{X.Y}/{phoneNumberId}/block_users   list (?limit, ?after, ?before)
 *   /__sandbox/...                                   admin API (see admin.ts)
 *
 * Batch body: {"messaging_product":"whatsapp","block_users":[...]} with at most 500 entries,
 * each {"user": "<E.164>"} or {"user_id": "<BSUID or parent BSUID>"} (user_id wins when both
 * are given). Answer entries: {input, wa_id} for numbers, {input, user_id, parent_user_id?}
 * for BSUIDs (parent_user_id with `config.parentUserIds`); failed ones add the error in the
 * configured shape. List entries: {user, block_reason} / {messaging_product, wa_id} for
 * numbers, {user_id, parent_user_id?, block_reason} / {messaging_product, user_id,
 * parent_user_id?} for BSUIDs.
 *
 * Order of checks for an API request: route (404) -> bearer token (401) -> phone number ID
 * (404) -> a method the key may not use on that ID (`config.forbidden`, 403) -> behaviour
 * (fault) -> body / query validation (400) -> per-user processing. The list's other shapes,
 * paging styles, broken cursors and the faults are described in types.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { ADMIN_PREFIX, handleAdmin } from './admin';
import {
	processBatch,
	phantomResults,
	renderBatch,
	validateBatch,
	type Answer,
	type Verb,
} from './batch';
import { answerFault, decideBehaviour } from './behaviours';
import { Blocklist } from './blocklist';
import {
	BodyTooLargeError,
	parseJson,
	queryOf,
	readBody,
	sendJson,
	type Parsed,
} from './http-util';
import { listPage, MAX_LIMIT, withUnknownEntry, type ListRequest } from './listing';
import {
	listChanged,
	permissionDenied,
	unauthorized,
	unknownPhoneNumberId,
	unknownRoute,
} from './meta-errors';
import type {
	ApiMethod,
	Behaviour,
	RecordedRequest,
	Sandbox,
	SandboxConfig,
	SandboxOptions,
} from './types';
import { blocklistKey, recordedUsers } from './users';

export type * from './types';

const DEFAULT_API_KEY = 'pk_test_sandbox_key';
export const DEFAULT_PHONE_NUMBER_ID = '100000000000001';
export const DEFAULT_BLOCKLIST_CAP = 64_000;

const ROUTE = /^\/api\/v\d+\.\d+\/([^/]+)\/block_users\/?$/;
const API_METHODS: readonly string[] = ['POST', 'DELETE', 'GET'];

interface ApiRoute {
	method: ApiMethod;
	phoneNumberId: string;
}

/** Everything known about one API request while it is handled. */
interface Exchange {
	req: IncomingMessage;
	res: ServerResponse;
	parsed: Parsed;
	record: RecordedRequest;
	/** Index of the record in `requests`. */
	n: number;
	/** Set when the client hung up before an answer was sent. */
	gone: () => boolean;
}

function defaultConfig(opts: SandboxOptions): SandboxConfig {
	return {
		apiKey: opts.apiKey ?? DEFAULT_API_KEY,
		phoneNumberIds: [...(opts.phoneNumberIds ?? [DEFAULT_PHONE_NUMBER_ID])],
		forbidden: {},
		latencyMs: opts.latencyMs ?? 0,
		pageSize: 100,
		blocklistCap: opts.blocklistCap ?? DEFAULT_BLOCKLIST_CAP,
		shape: 'provider',
		listShape: 'provider',
		paging: 'provider',
		cursorFault: 'none',
		reengagementRequired: [],
		fault: undefined,
		strictCursors: false,
		parentUserIds: false,
		noChangeCode: 139100,
		blockReasons: {},
		maxPageSize: MAX_LIMIT,
		maxLimit: MAX_LIMIT,
	};
}

function matchRoute(method: string, path: string): ApiRoute | undefined {
	const id = ROUTE.exec(path)?.[1];
	if (!id || !API_METHODS.includes(method)) return undefined;
	return { method: method as ApiMethod, phoneNumberId: decodeURIComponent(id) };
}

class SandboxServer implements Sandbox {
	url = '';
	readonly requests: RecordedRequest[] = [];
	config: SandboxConfig;
	behaviour?: (req: RecordedRequest, n: number) => Behaviour | undefined;

	private readonly lists = new Map<string, Blocklist>();
	private readonly queue: Behaviour[] = [];
	private readonly timers = new Map<NodeJS.Timeout, () => void>();
	private closed = false;
	/** Counts list pages; a page's cursors carry it under `cursorFault: 'freshCycle'`. */
	private pageSerial = 0;
	readonly server: Server;

	constructor(private readonly opts: SandboxOptions) {
		this.config = defaultConfig(opts);
		this.server = createServer((req, res) => void this.handle(req, res));
	}

	get apiKey(): string {
		return this.config.apiKey;
	}

	blocklist(phoneNumberId: string): string[] {
		return [...(this.lists.get(phoneNumberId)?.entries() ?? [])];
	}

	setBlocklist(phoneNumberId: string, keys: string[]): void {
		const next = new Blocklist(keys.map(blocklistKey));
		next.version = (this.lists.get(phoneNumberId)?.version ?? 0) + 1;
		this.lists.set(phoneNumberId, next);
		if (!this.config.phoneNumberIds.includes(phoneNumberId))
			this.config.phoneNumberIds.push(phoneNumberId);
	}

	enqueue(...behaviours: Behaviour[]): void {
		this.queue.push(...behaviours);
	}

	reset(): void {
		this.lists.clear();
		this.requests.length = 0;
		this.queue.length = 0;
		for (const key of Object.keys(this.config))
			delete (this.config as unknown as Record<string, unknown>)[key];
		Object.assign(this.config, defaultConfig(this.opts));
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const [timer, wake] of this.timers) {
			clearTimeout(timer);
			wake();
		}
		this.timers.clear();
		const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		await closing;
	}

	private delay(ms: number): Promise<void> {
		if (ms <= 0 || this.closed) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.set(timer, resolve);
		});
	}

	private listOf(phoneNumberId: string): Blocklist {
		let list = this.lists.get(phoneNumberId);
		if (!list) {
			list = new Blocklist();
			this.lists.set(phoneNumberId, list);
		}
		return list;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		try {
			const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
			if (url.pathname.startsWith(ADMIN_PREFIX))
				return await handleAdmin(this, req, res, url.pathname);
			await this.handleApi(req, res, url);
		} catch (error) {
			const status = error instanceof BodyTooLargeError ? 413 : 500;
			sendJson(res, status, { error: { message: String(error), type: 'SandboxError', code: 1 } });
		}
	}

	private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		let hungUp = false;
		res.on('close', () => {
			if (!res.writableFinished) hungUp = true;
		});
		const raw = await readBody(req);
		const parsed = parseJson(raw);
		const body = parsed.ok ? parsed.value : raw === '' ? undefined : raw;
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: queryOf(url),
			body,
			users: recordedUsers(body),
			authorized: this.isAuthorized(req),
			status: 0,
		};
		if (record.users === undefined) delete record.users;
		const n = this.requests.push(record) - 1;
		const exchange: Exchange = { req, res, parsed, record, n, gone: () => hungUp || this.closed };
		await this.delay(this.config.latencyMs);
		if (exchange.gone()) return;
		await this.route(exchange);
	}

	private isAuthorized(req: IncomingMessage): boolean {
		const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
		return token === this.config.apiKey;
	}

	private async route(ex: Exchange): Promise<void> {
		const { record } = ex;
		const route = matchRoute(record.method, record.path);
		if (!route) return this.answer(ex, unknownRoute(record.method, record.path));
		if (!record.authorized) return this.answer(ex, unauthorized());
		if (!this.config.phoneNumberIds.includes(route.phoneNumberId)) {
			return this.answer(ex, unknownPhoneNumberId(route.method, route.phoneNumberId));
		}
		if (this.config.forbidden[route.phoneNumberId]?.includes(route.method)) {
			return this.answer(ex, permissionDenied(route.phoneNumberId));
		}
		const sources = { hook: this.behaviour, queue: this.queue, fault: this.config.fault };
		const behaviour = decideBehaviour(sources, record, ex.n, route.method);
		record.behaviour = behaviour.kind;
		await this.perform(ex, route, behaviour);
	}

	/** Applies the behaviour: a failing fault, a delay, or processing. */
	private async perform(ex: Exchange, route: ApiRoute, behaviour: Behaviour): Promise<void> {
		const faultStatus = answerFault(behaviour, route.method, ex.res);
		if (faultStatus !== undefined) {
			ex.record.status = faultStatus;
			return;
		}
		if (behaviour.kind === 'latency' || behaviour.kind === 'hang') {
			await this.delay(behaviour.ms);
			const carryOn = behaviour.kind === 'hang' && behaviour.process === true && !this.closed;
			if (ex.gone() && !carryOn) return;
		}
		this.answer(ex, this.process(ex, route, behaviour));
	}

	private process(ex: Exchange, route: ApiRoute, behaviour: Behaviour): Answer {
		const list = this.listOf(route.phoneNumberId);
		if (route.method === 'GET') return this.list(ex, list, behaviour);
		return this.batch(ex, route.method === 'POST' ? 'block' : 'unblock', list, behaviour);
	}

	private list(ex: Exchange, list: Blocklist, behaviour: Behaviour): Answer {
		if (behaviour.kind === 'listChanged') return listChanged();
		const page = listPage(list, this.listRequest(ex));
		return behaviour.kind === 'unknownEntry' ? withUnknownEntry(page) : page;
	}

	/** The list request as the server sees it: without its query when a proxy drops it. */
	private listRequest(ex: Exchange): ListRequest {
		const { config } = this;
		const host = ex.req.headers.host ?? new URL(this.url).host;
		return {
			query: config.cursorFault === 'ignoreAfter' ? {} : ex.record.query,
			selfUrl: `http://${host}${ex.record.path}`,
			pageSize: config.pageSize,
			listShape: config.listShape,
			strictCursors: config.strictCursors,
			parentUserIds: config.parentUserIds,
			blockReasons: config.blockReasons,
			maxPageSize: config.maxPageSize,
			maxLimit: config.maxLimit,
			paging: config.paging,
			cursorFault: config.cursorFault,
			serial: ++this.pageSerial,
		};
	}

	private batch(ex: Exchange, verb: Verb, list: Blocklist, behaviour: Behaviour): Answer {
		const entries = validateBatch(ex.parsed);
		if (!Array.isArray(entries)) return entries;
		const { config } = this;
		const rules = {
			blocklistCap: config.blocklistCap,
			reengagementRequired: new Set(config.reengagementRequired.map(blocklistKey)),
			noChangeCode: config.noChangeCode,
		};
		let results = processBatch(verb, entries, list, rules);
		if (behaviour.kind === 'omitUsers')
			results = results.slice(0, Math.max(0, results.length - (behaviour.count ?? 1)));
		if (behaviour.kind === 'extraUsers')
			results = [...results, ...phantomResults(behaviour.count ?? 1, entries)];
		return renderBatch(verb, results, { shape: config.shape, parentUserIds: config.parentUserIds });
	}

	private answer(ex: Exchange, answer: Answer): void {
		if (ex.gone()) return;
		sendJson(ex.res, answer.status, answer.body);
		ex.record.status = answer.status;
	}
}

/** Starts a sandbox on loopback (port 0 = a free port). */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
	const sandbox = new SandboxServer(opts);
	await new Promise<void>((resolve, reject) => {
		sandbox.server.once('error', reject);
		sandbox.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
	});
	sandbox.url = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
	return sandbox;
}
