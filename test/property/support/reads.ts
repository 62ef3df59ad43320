/**
 * The truth of a Check or Sync run's blocklist reads, from the sandbox's record: per phone number
 * ID its GETs (the page size stepping down only after a refusal, a cursor only from an earlier
 * page that went on, a fresh start after 139102, within the budget of GETs) and whether the read
 * completed (its last GET got a page that ends the list, and no page of its last attempt had
 * an entry the node cannot read), with the blocklist at each GET of its last attempt. List
 * reads its pages with the same helpers.
 */
import type { CheckSyncCase } from './checkSyncModel';
import { asRecord, check, errorOf } from './checks';
import type { Stats } from './stats';
import { phoneOfPath, type World } from './world';

export const LIST_CHANGED = 139102;
const PAGE = 1000;

/** The `after` cursor of a page answer (from `cursors.after`, else from the `next` URL). */
function afterOf(json: unknown): string | undefined {
	const paging = asRecord(asRecord(json)?.paging);
	const after = asRecord(paging?.cursors)?.after;
	if (typeof after === 'string' && after !== '') return after;
	const next = typeof paging?.next === 'string' ? paging.next : '';
	return new URL(next, 'http://x').searchParams.get('after') ?? undefined;
}

/** Whether a page answer says the list goes on: the sandbox gives `paging.next` then, and only then. */
const goesOn = (json: unknown): boolean =>
	typeof asRecord(asRecord(json)?.paging)?.next === 'string';

/** Whether a page answer carries the entry no shape knows (the sandbox's `unknownEntry`). */
export const hasUnknownEntry = (json: unknown): boolean => {
	const data = asRecord(json)?.data;
	return (
		Array.isArray(data) &&
		data.some((entry) => asRecord(entry)?.id === '123' && asRecord(entry)?.name === 'x')
	);
};

/** Whether an answer is the server refusing the page size (400, code 100, naming limit). */
export const refusesLimit = (answer: { status: number; json: unknown } | undefined): boolean => {
	const error = errorOf(answer?.json);
	return answer?.status === 400 && error?.code === 100 && /\blimit\b/.test(String(error.message));
};

/** Page sizes the node asks for: 1,000, then (the server refusing it) 100, then 10. */
const PAGE_SIZES = ['1000', '100', '10'];

export interface ReadTruth {
	gets: number[];
	/** Whether the last GET got the last page (no `after` cursor). */
	complete: boolean;
	/** The blocklist at each GET of the last read attempt. */
	snapshots: Array<Set<string>>;
	/** 139102 answers. */
	restarts: number;
	/** The error code of the last GET's answer, when it was a JSON error. */
	lastCode: unknown;
	/** Pages a clean read needs, at the smallest page size the server gave or was asked. */
	pages: number;
	/** An answer of the last attempt had an entry no shape knows (the read must fail on it). */
	unknownEntry: boolean;
}

/** Figures of the reads. */
export interface ReadStats extends Stats {
	reads: number;
	readsFailed: number;
	multiPageReads: number;
	listChangedAnswers: number;
}

/** The reads of a run, checked GET by GET (see the module's docblock). */
export function readTruths(
	c: CheckSyncCase,
	world: World,
	observed: { snapshotAt: Map<number, Set<string>>; mutations: number },
	stats: ReadStats,
): Map<string, ReadTruth> {
	const requests = world.sb.requests;
	const R = c.options.maxRetries;
	const reads = new Map<string, ReadTruth>();
	requests.forEach((req, n) => {
		if (req.method !== 'GET') return;
		const phone = phoneOfPath(req.path);
		if (!reads.has(phone))
			reads.set(phone, {
				gets: [],
				complete: false,
				snapshots: [],
				restarts: 0,
				lastCode: undefined,
				pages: 0,
				unknownEntry: false,
			});
		reads.get(phone)!.gets.push(n);
	});
	for (const [phone, read] of reads) {
		const cursorsGiven = new Set<string>();
		let lastStart = read.gets[0];
		let expectRestart = false;
		let size = 0;
		let smallest = PAGE;
		/** Whether a page of this attempt said paging.next: from then on, a page without it is the end. */
		let usesNext = false;
		for (const n of read.gets) {
			const req = requests[n];
			// The page size: 1,000, and smaller only after the server refused the one before.
			const at = PAGE_SIZES.indexOf(req.query.limit ?? '');
			check(
				at >= size && at <= size + 1,
				`GET ${n} for ${phone} asked for limit=${req.query.limit}, after ${PAGE_SIZES[size]}`,
			);
			if (at > size)
				check(
					refusesLimit(world.answers.get(read.gets[read.gets.indexOf(n) - 1])),
					`GET ${n} for ${phone} asked for a smaller page (limit=${req.query.limit}) although the server had not refused ${PAGE_SIZES[size]}`,
				);
			size = at;
			smallest = Math.min(smallest, Number(req.query.limit));
			if (expectRestart)
				check(
					req.query.after === undefined,
					`After a 139102 answer the read of ${phone} went on with a cursor (GET ${n}) instead of starting again`,
				);
			if (req.query.after === undefined) {
				lastStart = n;
				usesNext = false;
			} else
				check(
					cursorsGiven.has(req.query.after),
					`GET ${n} for ${phone} used a cursor no earlier page gave, or one of a page that ended the list (no paging.next after pages with it): a GET past the end`,
				);
			const answer = world.answers.get(n);
			const code = errorOf(answer?.json)?.code;
			expectRestart = code === LIST_CHANGED;
			if (code === LIST_CHANGED) read.restarts++;
			if (answer?.status === 200 && goesOn(answer.json)) usesNext = true;
			const after =
				answer?.status === 200 && (goesOn(answer.json) || !usesNext)
					? afterOf(answer.json)
					: undefined;
			if (after !== undefined) cursorsGiven.add(after);
		}
		const last = read.gets[read.gets.length - 1];
		const answer = world.answers.get(last);
		const data = asRecord(answer?.json)?.data;
		// Complete: the last GET got a page that ends the list (no paging.next), and no page of
		// the last attempt had an entry the node cannot read. Everything else (an error in a
		// 200, {}, [], HTML, no data, cursors that repeat or go round) is a failed read.
		read.unknownEntry = read.gets.some(
			(n) => n >= lastStart && hasUnknownEntry(world.answers.get(n)?.json),
		);
		// A page without paging.next ends the list once the server has shown it uses next;
		// before that only a page without an after cursor does (Graph-style: one more GET).
		const ends =
			Array.isArray(data) &&
			(data.length === 0 ||
				(!goesOn(answer!.json) && (usesNext || afterOf(answer!.json) === undefined)));
		read.complete =
			answer?.status === 200 &&
			requests[last].behaviour !== 'malformed' &&
			!read.unknownEntry &&
			ends;
		read.lastCode = errorOf(answer?.json)?.code;
		read.snapshots = read.gets
			.filter((n) => n >= lastStart && observed.snapshotAt.has(n))
			.map((n) => observed.snapshotAt.get(n)!);
		const biggest = Math.max(
			0,
			...read.snapshots.map((s) => s.size),
			...read.gets.map((n) => observed.snapshotAt.get(n)?.size ?? 0),
		);
		const pageSize = c.server.cursorFault === 'ignoreAfter' ? 100 : smallest;
		read.pages = Math.max(1, Math.ceil(biggest / Math.min(pageSize, c.server.maxPageSize)));
		check(
			read.restarts <= 4,
			`The read of ${phone} got ${read.restarts} answers 139102 but starts again at most 3 times`,
		);
		// One more GET for the refused page sizes (two), the way round a cycle, and the page asked
		// for while a going-round page is read.
		const budget = (read.pages + 4) * (read.restarts + 1) * (R + 1);
		check(
			read.gets.length <= budget,
			`${read.gets.length} GETs for ${phone}, over the budget of ${budget} ((pages + 4) × (restarts + 1) × (maxRetries + 1))`,
		);
		stats.reads++;
		if (!read.complete) stats.readsFailed++;
		if (read.pages > 1 && read.complete) stats.multiPageReads++;
		stats.listChangedAnswers += read.restarts;
	}
	if (observed.mutations > 0) stats.listsChangedUnderfoot++;
	check(!world.overBudget, 'The node sent thousands of GETs: its read went round in circles');
	for (const read of reads.values()) {
		if (read.unknownEntry) stats.count(stats.anomalousReads, 'unknownEntry');
		if (c.server.cursorFault !== 'none') stats.count(stats.anomalousReads, c.server.cursorFault);
	}
	return reads;
}
