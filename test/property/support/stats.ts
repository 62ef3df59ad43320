/** Figures a property file gathers over its runs (written to docs/reliability.md by hand). */
export class Stats {
	runs = 0;
	/** Runs in which the node threw (whole-call failures, expected by the checks). */
	thrown = 0;
	/** User occurrences given to the node (each must come out exactly once). */
	occurrences = 0;
	/** Distinct (phone number ID, user) pairs the server received. */
	usersSent = 0;
	requests = 0;
	succeeded = 0;
	failed = 0;
	/** Successes the server reported as "already blocked" / "not blocked" (checked occurrences). */
	unchanged = 0;
	/** Checked successes that carried the answer's parent BSUID. */
	parentUserIds = 0;
	/** Valid entries that were BSUIDs rather than phone numbers. */
	bsuidEntries = 0;
	/** Occurrences that came out zero times or more than once: every check asserts 0. */
	lost = 0;
	duplicated = 0;
	/** Requests per behaviour kind the sandbox applied, plus `rejected` (401/404 before any behaviour). */
	behaviours: Record<string, number> = {};
	/** Answer shapes the sandbox used for block/unblock answers. */
	shapes: Record<string, number> = {};
	/** Failed occurrences per error code. */
	failureCodes: Record<string, number> = {};
	/** Batches that failed through all their retries, and runs in which the node then stopped sending. */
	exhaustedBatches = 0;
	stoppedRuns = 0;
	/** Answers the server sent after the client's timeout had fired (a loaded machine). */
	clientTimeouts = 0;
	/** Runs in which a late answer (after a hang) made the per-user verdict check unreliable. */
	verdictSkipped = 0;
	/** Tries n8n made again under Retry On Fail (each after the node threw with nothing changed). */
	nodeRetries = 0;
	/** Tries in which a refused phone number ID (404 / 403) got requests, alone or beside another phone number ID. */
	refusedPhoneNumberIds: Record<string, number> = {};
	/** Answers that echoed the Authorization header back (the key must still appear nowhere). */
	keyEchoes = 0;
	/** Requests refused as a whole (HTTP 400, code 100, no per-user lists). */
	refusals = 0;
	/** Parent BSUIDs the node refused locally (PARENT_BSUID), never sending them. */
	parentBsuidsRefused = 0;
	/** Requests the server refused as a whole for holding a parent BSUID: every check asserts 0. */
	parentRequestsRefused = 0;
	listed = 0;
	/** Listed users known only by a BSUID. */
	listedBsuids = 0;
	/** List runs in which the blocklist changed while it was paged through. */
	listsChangedUnderfoot = 0;
	/** Runs (or polls) per paging switch drawn: graph, grouped, a refused or capped limit, a cursor fault. */
	serverPaging: Record<string, number> = {};
	/** Reads hit by an anomaly the node must refuse: an unknown entry, cursors that never end. */
	anomalousReads: Record<string, number> = {};
	startedAt = Date.now();

	/** Counts the paging switches of one run (or poll) that differ from the defaults. */
	countPaging(server: {
		paging?: string;
		listShape?: string;
		cursorFault?: string;
		maxLimit?: number;
		maxPageSize?: number;
	}): void {
		if (server.paging === 'graph') this.count(this.serverPaging, 'graph');
		if (server.listShape === 'grouped') this.count(this.serverPaging, 'grouped');
		if (server.cursorFault !== undefined && server.cursorFault !== 'none')
			this.count(this.serverPaging, server.cursorFault);
		if (server.maxLimit !== undefined && server.maxLimit < 1000)
			this.count(this.serverPaging, server.maxLimit < 10 ? 'maxLimit < 10' : 'maxLimit 10-999');
		if (server.maxPageSize !== undefined && server.maxPageSize < 1000)
			this.count(this.serverPaging, 'maxPageSize');
	}

	count(map: Record<string, number>, key: string, by = 1): void {
		map[key] = (map[key] ?? 0) + by;
	}

	summary(): Record<string, unknown> {
		const { startedAt, ...rest } = this;
		return { ...rest, seconds: Math.round((Date.now() - startedAt) / 100) / 10 };
	}
}
