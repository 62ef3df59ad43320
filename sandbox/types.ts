/**
 * Types shared by the Splashify sandbox: its configuration, the recorded requests and the
 * behaviours (faults) a test can inject.
 */

export type ApiMethod = 'POST' | 'DELETE' | 'GET';

/** How block (POST) / unblock (DELETE) answers report per-user results. */
export type AnswerShape = 'provider' | 'meta' | 'mixed400';

/**
 * How list (GET) pages look. 'provider': `data` holds {user, block_reason} /
 * {user_id, block_reason}; 'meta': `data` holds {messaging_product, wa_id} /
 * {messaging_product, user_id}; 'grouped': the older documented shape, `data` holds one group
 * `{"block_users": [{input: "+<wa_id>", wa_id}, {input: "<BSUID>", user_id}, ...]}` and
 * `paging` has only the `next` / `previous` URLs, no `cursors`.
 */
export type ListShape = 'provider' | 'meta' | 'grouped';

/**
 * Where list pages put their cursors (`config.paging`). 'provider' (default): the last page
 * has no `cursors.after`. 'graph' (Meta's Graph API): every non-empty page has
 * `cursors.before` and `cursors.after`, the last page too; only `paging.next` (present when
 * there is a next page) marks the end. Following the last page's `after` gives `{"data": []}`.
 */
export type PagingStyle = 'provider' | 'graph';

/**
 * A cursor that does not lead to the end (`config.cursorFault`), as a proxy or a broken
 * server may give one. 'none' (default): cursors work. 'ignoreAfter': a proxy drops the query
 * string, so every GET answers page 1 with `pageSize` entries whatever `limit`, `after` and
 * `before` say: the same `after` cursor comes back forever. 'cycle': the last page gets an
 * `after` cursor (and `paging.next`) that points back to offset 0, so cursors repeat from the
 * second lap. 'freshCycle': like 'cycle', but every cursor the server mints carries a new
 * serial number, so no cursor text ever repeats; only pages that bring no new entries tell.
 */
export type CursorFault = 'none' | 'ignoreAfter' | 'cycle' | 'freshCycle';

/** What a `bogus200` behaviour answers with HTTP 200. */
export type BogusBody = 'object' | 'array' | 'html' | 'noData';

/** The code "already blocked" / "not blocked" come back with (`config.noChangeCode`). */
export type NoChangeCode = 139100 | 100;

interface BehaviourBase {
	/** Only requests with this method take the behaviour (others skip it in the queue). */
	match?: ApiMethod;
}

/**
 * What the sandbox does with one API request. A behaviour comes from `sandbox.behaviour`
 * (the hook), else from the one-shot queue (`enqueue`), else from the standing `config.fault`,
 * else it is `{ kind: 'ok' }`. A behaviour is only taken by a request that passed routing,
 * authentication and the phone number ID check.
 *
 * Faults that fail a request never change the blocklist (rateLimit, serverError, internal,
 * drop, malformed, listChanged, errorIn200, bogus200, and hang/latency when the client hangs
 * up first); omitUsers and extraUsers do change it (they only falsify the answer), and
 * unknownEntry answers a normal page with one entry too many.
 */
export type Behaviour =
	/** Normal processing. */
	| (BehaviourBase & { kind: 'ok' })
	/** Wait `ms` before normal processing (adds to `config.latencyMs`). */
	| (BehaviourBase & { kind: 'latency'; ms: number })
	/**
	 * Throttling: HTTP `status` (default 429) with error `code` (default 130429) and, when
	 * `retryAfter` is given, a `Retry-After: <seconds>` header. Not processed.
	 */
	| (BehaviourBase & {
			kind: 'rateLimit';
			status?: number;
			code?: 4 | 80007 | 130429;
			retryAfter?: number;
	  })
	/**
	 * Transient server failure: HTTP `status` (default 500). 500/503 carry Meta's JSON
	 * envelope (code 2, is_transient); 502 answers an HTML gateway page. Not processed.
	 */
	| (BehaviourBase & { kind: 'serverError'; status?: 500 | 502 | 503 })
	/** HTTP 500 with error code 139103 "Internal error". Not processed. */
	| (BehaviourBase & { kind: 'internal' })
	/** The socket is destroyed after the body was read, without any answer. Not processed. */
	| (BehaviourBase & { kind: 'drop' })
	/**
	 * Answer only after `ms` (to trip client timeouts). If the client is still connected
	 * then, the request is processed normally. If it hung up, nothing is processed unless
	 * `process: true` (the state changes although nobody saw the answer).
	 */
	| (BehaviourBase & { kind: 'hang'; ms: number; process?: boolean })
	/** HTTP 200, Content-Type JSON, truncated invalid JSON body. Not processed. */
	| (BehaviourBase & { kind: 'malformed' })
	/**
	 * POST/DELETE only: processed normally (state changes) but the last `count` (default 1)
	 * users of the request are left out of every list of the answer.
	 */
	| (BehaviourBase & { kind: 'omitUsers'; count?: number })
	/**
	 * POST/DELETE only: processed normally, and the answer also lists `count` (default 1)
	 * phantom users as added/removed that the request did not contain (they are not
	 * stored in the blocklist). Phantom i is a number when entry i of the request (cycling)
	 * is a `user` entry, a BSUID when it is a `user_id` entry.
	 */
	| (BehaviourBase & { kind: 'extraUsers'; count?: number })
	/** GET only: HTTP 400 with code 139102 "blocklist changed while paging". */
	| (BehaviourBase & { kind: 'listChanged' })
	/**
	 * HTTP 200 whose JSON body is Meta's error envelope:
	 * `{"error": {"message": "(#<code>) ...", "type": "OAuthException", "code", "fbtrace_id"}}`.
	 * `code` defaults to 130429 ("(#130429) Rate limit hit"); a `message` without "(#" gets the
	 * "(#<code>) " prefix. Any method. Not processed.
	 */
	| (BehaviourBase & { kind: 'errorIn200'; code?: number; message?: string })
	/**
	 * HTTP 200 with a body that is no answer: 'object' `{}`, 'array' `[]`, 'html' an HTML page
	 * (Content-Type text/html), 'noData' a page object with `paging` but no `data` key
	 * (`{"paging": {"cursors": {"after": "..."}}}`). Any method. Not processed.
	 */
	| (BehaviourBase & { kind: 'bogus200'; body: BogusBody })
	/**
	 * GET only: processed normally as a page, but the page's `data` gets one more entry that
	 * is neither a number nor a BSUID entry in any shape, `{"id": "123", "name": "x"}`,
	 * appended (in the grouped shape too, beside the group). Error answers are left as they are.
	 */
	| (BehaviourBase & { kind: 'unknownEntry' });

export type BehaviourKind = Behaviour['kind'];

export interface SandboxConfig {
	/** The only accepted bearer token. */
	apiKey: string;
	/** Phone number IDs that exist; any other one answers 404. */
	phoneNumberIds: string[];
	/**
	 * Phone number IDs that exist but that the key may not manage, each with the methods refused
	 * (a key that may read a list but not change it: `["POST", "DELETE"]`). Those requests answer
	 * HTTP 403 with Meta's permission error (code 10), unprocessed, after the key check. Default `{}`.
	 */
	forbidden: Record<string, ApiMethod[]>;
	/** Added before every API request is processed. */
	latencyMs: number;
	/** Page size of a list request without `limit`. */
	pageSize: number;
	/** Maximum number of users a blocklist holds (per phone number ID). */
	blocklistCap: number;
	/** Shape of block/unblock answers. */
	shape: AnswerShape;
	/** Shape of list pages (default 'provider'). */
	listShape: ListShape;
	/** Where list pages put their cursors (default 'provider': none after the last page). */
	paging: PagingStyle;
	/** A cursor that does not lead to the end (default 'none'). */
	cursorFault: CursorFault;
	/**
	 * Numbers (with or without '+') and BSUIDs whose block fails with 131047
	 * "Re-engagement required".
	 */
	reengagementRequired: string[];
	/** Standing behaviour for every request that neither the hook nor the queue decides. */
	fault?: Behaviour;
	/**
	 * When true, a cursor minted before the blocklist last changed answers 400 / 139102.
	 * When false (default), cursors are plain offsets and stay usable.
	 */
	strictCursors: boolean;
	/**
	 * When true, answer and list entries of a BSUID that is not itself a parent also carry
	 * `parent_user_id` (`CC.ENT.<same digits>`). Default false.
	 */
	parentUserIds: boolean;
	/**
	 * Code of the per-user "already blocked" (block) / "not blocked" (unblock) failures.
	 * 139100 (default): "User is already blocked" / "User is not blocked";
	 * 100: "(#100) The user is already blocked" / "(#100) The user is not blocked".
	 */
	noChangeCode: NoChangeCode;
	/**
	 * The `block_reason` that list entries (provider shape) give a key: a number without '+'
	 * or a BSUID. Keys not in it are listed with 'manual'.
	 */
	blockReasons: Record<string, string>;
	/**
	 * The most entries a list page holds, whatever `limit` was asked (default 1000, the API's
	 * maximum): a server may send fewer, and paging must still reach the end.
	 */
	maxPageSize: number;
	/**
	 * The largest `limit` a list request may ask (default 1000). A larger one answers HTTP 400
	 * with code 100, "(#100) Param limit must be an integer between 1 and <maxLimit>" (a server
	 * that refuses big pages; `maxPageSize` is the one that silently sends fewer).
	 */
	maxLimit: number;
}

export interface RecordedRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: Record<string, string>;
	/** Parsed JSON body, the raw string when it is not JSON, undefined when empty. */
	body: unknown;
	/**
	 * Each `block_users[]` entry's `user`, or else its `user_id`, as strings, when the body
	 * has a `block_users` array.
	 */
	users?: string[];
	/** Whether the bearer token was the sandbox key. */
	authorized: boolean;
	/** HTTP status answered; 0 while pending or when no answer was sent (drop, hang-up). */
	status: number;
	/** The behaviour kind that applied (absent for requests rejected before the decision). */
	behaviour?: BehaviourKind;
}

export interface SandboxOptions {
	/** Default 0: a free port. The sandbox listens on 127.0.0.1. */
	port?: number;
	apiKey?: string;
	phoneNumberIds?: string[];
	latencyMs?: number;
	blocklistCap?: number;
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:PORT (no trailing slash). */
	url: string;
	apiKey: string;
	/** Every API request (admin requests excluded), in arrival order. */
	requests: RecordedRequest[];
	/** Current keys of a phone number ID (wa_ids and BSUIDs), in insertion order. */
	blocklist(phoneNumberId: string): string[];
	/**
	 * Replace a blocklist (numbers, '+' is stripped, and BSUIDs, kept as given); the ID
	 * becomes a known phone number ID.
	 */
	setBlocklist(phoneNumberId: string, keys: string[]): void;
	/** Mutable configuration, read on every request. */
	config: SandboxConfig;
	/** One-shot behaviours for the next matching API requests, in order. */
	enqueue(...behaviours: Behaviour[]): void;
	/**
	 * Optional hook deciding each request; `n` is the request's index in `requests`.
	 * `req.status` is still 0 when the hook runs. Returning undefined falls back to the queue.
	 */
	behaviour?: (req: RecordedRequest, n: number) => Behaviour | undefined;
	/**
	 * Clear blocklists, requests, queue and config back to the start options.
	 * The `behaviour` hook is kept: unset it yourself (`sandbox.behaviour = undefined`).
	 */
	reset(): void;
	close(): Promise<void>;
}
