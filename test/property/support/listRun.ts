/**
 * One randomized List run and its invariants: every listed user is (or was, when the list
 * changed under it) on the server's blocklist, nobody is listed twice, a listing that
 * succeeds is exactly the blocklist (or its first `limit` users), a failure is a whole-call
 * failure of its item with the item named, retries are bounded and the key is never shown.
 */
import fc from 'fast-check';
import type { INodeExecutionData } from 'n8n-workflow';

import { check, countRequests } from './checks';
import { hasUnknownEntry, refusesLimit } from './reads';
import type { LogCapture } from './logs';
import { serverPagingArb, type ServerPaging } from './checkSyncModel';
import { BAD_PHONE_NUMBER_IDS, PHONE_OF_KIND, BSUID, NODE_TIMEOUT_MS, scriptArb } from './model';
import type { Stats } from './stats';
import type { RecordedRequest, Sandbox } from '../../../sandbox/server';
import { PHONE_A, PHONE_B, PHONE_UNKNOWN, phoneOfPath, runInWorld, type Step } from './world';

export interface ListItem {
	phone: unknown;
	phoneKind: 'A' | 'B' | 'unknown' | 'bad';
}

export interface ListCase {
	sizes: { A: number; B: number };
	items: ListItem[];
	returnAll: boolean;
	limit: number;
	listShape: 'provider' | 'meta' | 'grouped';
	/** How the server pages (Graph-style, cursors that never end, a refused or capped limit). */
	server: ServerPaging;
	strictCursors: boolean;
	/** Requests (by index) before which the hook adds a user to the blocklist being listed. */
	mutateAt: number[];
	options: { pageSize: number; maxRetries: number; retryDelay: number; timeout: number };
	continueOnFail: boolean;
	script: Step[];
}

const phoneArb: fc.Arbitrary<ListItem> = fc.oneof(
	{
		weight: 12,
		arbitrary: fc
			.constantFrom<unknown>(undefined, '')
			.map((phone) => ({ phone, phoneKind: 'A' as const })),
	},
	{ weight: 6, arbitrary: fc.constant({ phone: PHONE_B, phoneKind: 'B' as const }) },
	{ weight: 1, arbitrary: fc.constant({ phone: PHONE_UNKNOWN, phoneKind: 'unknown' as const }) },
	{
		weight: 1,
		arbitrary: fc
			.constantFrom(...BAD_PHONE_NUMBER_IDS)
			.map((phone) => ({ phone, phoneKind: 'bad' as const })),
	},
);

/** At most about this many pages per listing, so that a run stays short. */
const MAX_PAGES = 40;

export function listCaseArb(maxSize: number): fc.Arbitrary<ListCase> {
	const sizes = fc.record({
		A: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: maxSize })),
		B: fc.integer({ min: 0, max: 40 }),
	});
	return sizes.chain((s) =>
		listCaseWith(s, Math.max(1, Math.ceil(Math.max(s.A, s.B) / MAX_PAGES))),
	);
}

function listCaseWith(
	sizes: { A: number; B: number },
	minPageSize: number,
): fc.Arbitrary<ListCase> {
	const maxSize = Math.max(sizes.A, sizes.B);
	return fc.record({
		sizes: fc.constant(sizes),
		items: fc.array(phoneArb, { minLength: 1, maxLength: 3 }),
		returnAll: fc.boolean(),
		limit: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: maxSize + 10 })),
		listShape: fc.constantFrom('provider' as const, 'meta' as const, 'grouped' as const),
		// Pages of one or three are for short lists: on 1,500 users they would take too long.
		server: serverPagingArb.map((server) =>
			maxSize > 300 ? { ...server, maxPageSize: Math.max(70, server.maxPageSize) } : server,
		),
		strictCursors: fc.boolean(),
		mutateAt: fc.oneof(
			{ weight: 3, arbitrary: fc.constant([] as number[]) },
			{
				weight: 2,
				arbitrary: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
			},
		),
		options: fc.record({
			pageSize: fc.oneof(
				fc.integer({ min: minPageSize, max: minPageSize + 9 }),
				fc.integer({ min: minPageSize, max: Math.max(minPageSize, 300) }),
			),
			maxRetries: fc.integer({ min: 0, max: 3 }),
			retryDelay: fc.constant(1),
			timeout: fc.constant(NODE_TIMEOUT_MS),
		}),
		continueOnFail: fc.boolean(),
		script: scriptArb(true),
	});
}

/**
 * A blocklist of `size` users: phone numbers (without +) and, every fifth, a BSUID, some of
 * them parents and, by Meta's grammar (2026-06-29), some of letters and digits (case kept).
 */
const keysOf = (phone: string, size: number) =>
	Array.from({ length: size }, (_, i) => {
		const id = String((i * 7919) % 100_000_000).padStart(8, '0');
		if (i % 15 === 14)
			return `${phone === PHONE_A ? 'BR' : 'GB'}.${i % 30 === 29 ? 'ENT.' : ''}aZ${id}x${'Q9'.repeat(i % 55)}`;
		if (i % 5 === 4) return `${phone === PHONE_A ? 'US' : 'IN'}.${i % 10 === 9 ? 'ENT.' : ''}${id}`;
		return `${phone === PHONE_A ? '4915' : '3361'}${id}`;
	});

export async function runListCase(c: ListCase, stats: Stats, logs: LogCapture): Promise<void> {
	let mutations = 0;
	const everListed = new Map<string, Set<string>>();
	const before: Record<string, string[]> = {};
	const onRequest = (req: RecordedRequest, n: number, sb: Sandbox) => {
		if (!c.mutateAt.includes(n)) return;
		// The blocklist changes under the listing: a user is added at the end, added at the
		// front (shifting every offset forward), or the first one is removed (shifting back).
		const phone = phoneOfPath(req.path);
		const added =
			n % 2 === 0 ? `4477${String(n).padStart(8, '0')}` : n % 4 === 1 ? `GB.${n}` : `GB.z${n}Y`;
		const current = sb.blocklist(phone);
		const next =
			n % 3 === 0 ? [...current, added] : n % 3 === 1 ? [added, ...current] : current.slice(1);
		sb.setBlocklist(phone, next);
		everListed.get(phone)?.add(added);
		mutations++;
	};
	const prepare = (sb: Sandbox) => {
		Object.assign(sb.config, c.server, { listShape: c.listShape, strictCursors: c.strictCursors });
		for (const phone of [PHONE_A, PHONE_B]) {
			sb.setBlocklist(phone, keysOf(phone, phone === PHONE_A ? c.sizes.A : c.sizes.B));
			before[phone] = sb.blocklist(phone);
			everListed.set(phone, new Set(before[phone]));
		}
	};
	const node = {
		parameters: {
			operation: 'list',
			returnAll: c.returnAll,
			limit: c.limit,
			phoneNumberId: '={{ $json.phone }}',
			options: { ...c.options },
		},
		items: c.items.map((item) => (item.phone === undefined ? {} : { phone: item.phone })) as never,
		continueOnFail: c.continueOnFail,
		logs,
		deadlineMs: 30_000,
		onRequest,
		prepare,
	};
	await runInWorld({ script: c.script }, node, ({ world, result }) => {
		const { sb } = world;
		const requests = sb.requests;
		countRequests(stats, world);
		stats.countPaging({ ...c.server, listShape: c.listShape });
		if (mutations > 0) stats.listsChangedUnderfoot++;
		check(!world.overBudget, 'List sent thousands of GETs: its read went round in circles');
		check(
			requests.every((r) => r.method === 'GET'),
			'List sent something other than GET',
		);
		check(
			requests.every((r) => phoneOfPath(r.path) !== '' && /^\d+$/.test(phoneOfPath(r.path))),
			'List requested a path with a bad phone number ID',
		);

		// Budget: per item, the pages it needs (plus the empty last one), each with its retries,
		// twice over for one restart after 139102.
		const want = (phone: string) =>
			Math.min(c.returnAll ? Number.POSITIVE_INFINITY : c.limit, before[phone]?.length ?? 0);
		// The page size the server takes: Page Size, else (refused) 100, else 10; capped by
		// maxPageSize; a proxy that drops the query string gives its own (100). One more GET per
		// refused size, and two for cursors that go round (the way back, and the page asked for
		// while the going-round page is read).
		const sizes = [c.options.pageSize, ...[100, 10].filter((size) => size < c.options.pageSize)];
		const taken = sizes.findIndex((size) => size <= c.server.maxLimit);
		const pageSize = Math.min(
			c.server.cursorFault === 'ignoreAfter' ? 100 : taken < 0 ? c.options.pageSize : sizes[taken],
			c.server.maxPageSize,
		);
		let budget = 0;
		for (const item of c.items) {
			if (item.phoneKind === 'bad') continue;
			const phone = PHONE_OF_KIND[item.phoneKind];
			const pages =
				Math.ceil((want(phone) + mutations) / pageSize) +
				1 +
				(taken < 0 ? sizes.length : taken) +
				2;
			budget += pages * (c.options.maxRetries + 1) * 2;
		}
		check(
			requests.length <= budget,
			`List sent ${requests.length} requests, over its budget of ${budget}`,
		);
		for (const req of requests) {
			const limit = Number(req.query.limit);
			check(
				Number.isInteger(limit) && limit >= 1 && limit <= c.options.pageSize,
				`A page asked for limit=${req.query.limit} with pageSize ${c.options.pageSize}`,
			);
		}

		// Which items can fail: a bad or unknown phone number ID, a fault on the wire, an answer
		// that is no page (an error in a 200, {}, [], HTML, no data, an unknown entry), cursors
		// that never end, or a server that refuses every page size. A refused page size the node
		// can step down from is no cause.
		const steppedDown = (n: number) =>
			c.server.maxLimit >= 10 && refusesLimit(world.answers.get(n));
		const faulty =
			c.server.cursorFault !== 'none' ||
			requests.some(
				(r, n) =>
					(r.status !== 200 && !steppedDown(n)) ||
					['malformed', 'drop', 'hang', 'errorIn200', 'bogus200', 'unknownEntry'].includes(
						world.decided.get(n)?.kind ?? '',
					),
			);
		const firstFailing = c.items.findIndex(
			(item) => item.phoneKind === 'bad' || item.phoneKind === 'unknown',
		);
		// A list changed while paging with offset cursors can repeat users on the next page: the
		// node then refuses the read (a page that adds nobody and still points further).
		const caused = (text: string) => faulty || (mutations > 0 && /adds no new user/.test(text));

		// A phone number ID whose listing got a page with an entry no shape knows: the node
		// must refuse that read (the entry may be a blocked user in a form it cannot read).
		const unknownOn = new Set(
			requests
				.filter((_, n) => hasUnknownEntry(world.answers.get(n)?.json))
				.map((r) => phoneOfPath(r.path)),
		);
		if (unknownOn.size > 0) stats.count(stats.anomalousReads, 'unknownEntry', unknownOn.size);

		if (result.error) {
			check(!c.continueOnFail, 'List threw although continueOnFail is on');
			stats.thrown++;
			const text = `${result.error.message}\n${result.error.description ?? ''}`;
			const named = /\bitem (\d+)\b/i.exec(text);
			check(named !== null, `The List error names no item: ${text.slice(0, 200)}`);
			const itemIndex = Number(named[1]) - 1;
			const item = c.items[itemIndex];
			check(item !== undefined, `The List error names item ${itemIndex + 1}, which does not exist`);
			check(
				item.phoneKind === 'bad' || item.phoneKind === 'unknown' || caused(text),
				`Item ${itemIndex + 1} failed without a cause: ${text.slice(0, 200)}`,
			);
			if (item.phoneKind === 'bad')
				check(
					/phone number ID/.test(text),
					`The error does not say the phone number ID is wrong: ${text.slice(0, 200)}`,
				);
			if (firstFailing >= 0)
				check(itemIndex <= firstFailing, `Item ${firstFailing + 1} should have failed first`);
			return;
		}
		check(
			firstFailing < 0 || c.continueOnFail,
			`Item ${firstFailing + 1} has a ${c.items[firstFailing]?.phoneKind} phone number ID but List did not fail`,
		);

		const [output = []] = result.outputs;
		const perItem = c.items.map(() => [] as INodeExecutionData[]);
		for (const out of output) {
			const paired = out.pairedItem as { item?: number } | undefined;
			check(
				typeof paired?.item === 'number' && perItem[paired.item],
				'A listed item has no valid pairedItem',
			);
			perItem[paired.item].push(out);
		}
		for (const phone of unknownOn) {
			const failedOn = c.items.some(
				(item, i) =>
					item.phoneKind !== 'bad' &&
					PHONE_OF_KIND[item.phoneKind] === phone &&
					perItem[i].some((o) => 'error' in o.json),
			);
			check(
				failedOn,
				`A page for ${phone} had an entry the node cannot read, but no item listing ${phone} failed`,
			);
		}
		perItem.forEach((outs, i) => {
			const item = c.items[i];
			const errorItem = outs.find((o) => 'error' in o.json);
			if (errorItem) {
				check(outs.length === 1, `Item ${i + 1} output an error and entries`);
				const text = `${String(errorItem.json.error)}\n${String(errorItem.json.details ?? errorItem.json.description ?? '')}`;
				check(
					item.phoneKind === 'bad' || item.phoneKind === 'unknown' || caused(text),
					`Item ${i + 1} failed without a cause: ${text.slice(0, 200)}`,
				);
				check(
					new RegExp(`\\bitem ${i + 1}\\b`, 'i').test(text),
					`The List error of item ${i + 1} does not name it: ${text.slice(0, 200)}`,
				);
				stats.failed++;
				return;
			}
			check(
				item.phoneKind === 'A' || item.phoneKind === 'B',
				`Item ${i + 1} (${item.phoneKind} phone number ID) did not fail`,
			);
			const phone = PHONE_OF_KIND[item.phoneKind];
			const listed = outs.map((o) => o.json.user as string);
			check(new Set(listed).size === listed.length, `Item ${i + 1} listed a user twice`);
			for (const out of outs) {
				const { user, wa_id: waId, user_id: userId } = out.json;
				const bsuid = BSUID.test(String(user));
				check(
					bsuid
						? userId === user && waId === null
						: waId === user && userId === null && /^\d+$/.test(String(waId)),
					`A listed entry has user ${String(user)} / wa_id ${String(waId)} / user_id ${String(userId)}`,
				);
				if (bsuid) stats.listedBsuids++;
				check(
					out.json.phoneNumberId === phone,
					`A listed entry of item ${i + 1} says phone number ID ${String(out.json.phoneNumberId)}`,
				);
				check(
					out.json.block_reason === (c.listShape === 'provider' ? 'manual' : null),
					`block_reason ${String(out.json.block_reason)} for the ${c.listShape} shape`,
				);
				check(
					everListed.get(phone)!.has(String(user)),
					`${String(user)} was never on the blocklist of ${phone}`,
				);
			}
			const finalList = sb.blocklist(phone);
			if (mutations === 0) {
				const expected = c.returnAll ? finalList : finalList.slice(0, c.limit);
				check(
					JSON.stringify(listed) === JSON.stringify(expected),
					`Item ${i + 1} listed ${listed.length} users, not the ${expected.length} on the blocklist (in order)`,
				);
			} else {
				check(
					listed.length <= (c.returnAll ? everListed.get(phone)!.size : c.limit),
					`Item ${i + 1} listed more users than there were`,
				);
			}
			stats.listed += listed.length;
			stats.succeeded++;
		});
	});
}
