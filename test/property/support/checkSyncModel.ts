/**
 * What the Check and Sync properties generate, on top of model.ts's users, entries, items
 * and server behaviours: blocklists that already hold some of the users (and strangers,
 * now and then a few thousand of them, so that a read needs several 1,000-entry pages),
 * lists that change while they are paged through, a blocklist that changes between Sync's
 * read and its first write, empty "CRM exports" (items whose users are all invalid or
 * missing), and each operation's options.
 */
import fc from 'fast-check';

import {
	BAD_PHONE_NUMBER_IDS,
	canonicalUser,
	expressionsArb,
	goodPhone,
	invalidEntry,
	type Item,
	listKey,
	NODE_TIMEOUT_MS,
	type PhoneMode,
	scriptArb,
	usersField,
	type UsersField,
	weighted,
} from './model';
import { PHONE_UNKNOWN, type Step } from './world';

export type CheckSyncOperation = 'check' | 'sync';

/** How the hook changes a blocklist before a GET: see `mutateBlocklist`. */
export type ListMutation = 'addEnd' | 'removeLast' | 'addFront' | 'removeFirst' | 'removeAny';

/** What the hook does just before Sync's first POST or DELETE (between its read and its write). */
export type RaceBeforeWrite = 'none' | 'flipFirstUser';

export interface SyncOptions {
	unblockOthers: boolean;
	allowEmptyBlocklist: boolean;
	/** Unblock Others even when a given entry of the phone number ID was refused (issue 21, point 6). */
	unblockDespiteRefused: boolean;
	dryRun: boolean;
	batchSize: number;
	maxConcurrency: number;
}

export interface CheckSyncCase {
	operation: CheckSyncOperation;
	pool: string[];
	items: Item[];
	phoneMode: PhoneMode;
	/** The blocklists before the run, as the sandbox keys them (wa_ids without '+', BSUIDs). */
	preseed: { A: string[]; B: string[] };
	listShape: 'provider' | 'meta' | 'grouped';
	/** How the server pages (issue 19): see `ServerPaging`. */
	server: ServerPaging;
	strictCursors: boolean;
	parentUserIds: boolean;
	noChangeCode: 100 | 139100;
	/** Request indexes of GETs before which the hook changes the blocklist being read. */
	mutateAt: number[];
	/**
	 * How it changes it. Without strict cursors only changes that shift no offset a cursor
	 * points at (append, drop the last entry): the API could not notice any other, and a read
	 * over shifted offsets may skip a user who stayed blocked, which no node can detect.
	 */
	mutations: ListMutation[];
	raceBeforeWrite: RaceBeforeWrite;
	options: { maxRetries: number; retryDelay: number; timeout: number } & Partial<SyncOptions>;
	continueOnFail: boolean;
	script: Step[];
	paddedKey: boolean;
	expressions: { users: string; phone: string };
	/** Whether the blocklists are large (1,000 to 3,000 strangers on A). */
	large: boolean;
}

/**
 * How a server pages its lists, drawn per run (the sandbox's switches): Meta's Graph-style
 * cursors, cursors that never lead to the end (a proxy dropping the query string, a last
 * page pointing back to the first, with the same or fresh cursor texts), a refused `limit`
 * above `maxLimit` (the node steps down 1000 -> 100 -> 10; below 10 the read fails) and a
 * page size capped silently at `maxPageSize`.
 */
export interface ServerPaging {
	paging: 'provider' | 'graph';
	cursorFault: 'none' | 'ignoreAfter' | 'cycle' | 'freshCycle';
	maxLimit: number;
	maxPageSize: number;
}

/** The sandbox's defaults: provider paging, cursors that work, pages of up to 1,000. */
export const PLAIN_PAGING: ServerPaging = {
	paging: 'provider',
	cursorFault: 'none',
	maxLimit: 1000,
	maxPageSize: 1000,
};

export const serverPagingArb: fc.Arbitrary<ServerPaging> = fc.record({
	paging: weighted([4, 'provider' as const], [1, 'graph' as const]),
	cursorFault: fc.oneof(
		{ weight: 12, arbitrary: fc.constant('none' as const) },
		{
			weight: 1,
			arbitrary: fc.constantFrom('ignoreAfter' as const, 'cycle' as const, 'freshCycle' as const),
		},
	),
	maxLimit: fc.oneof(
		{ weight: 7, arbitrary: fc.constant(1000) },
		{ weight: 1, arbitrary: fc.constantFrom(500, 100, 50, 10, 5) },
	),
	maxPageSize: fc.oneof(
		{ weight: 7, arbitrary: fc.constant(1000) },
		{ weight: 1, arbitrary: fc.constantFrom(3, 70, 300) },
	),
});

/** Strangers: blocked users no item names. Every seventh a BSUID, the rest numbers. */
export function strangers(count: number, salt: number): string[] {
	return Array.from({ length: count }, (_, i) => {
		const id = String((i * 7919 + salt) % 100_000_000).padStart(8, '0');
		return i % 7 === 6 ? `GB.77${id}` : `4477${id}`;
	});
}

/**
 * The items' users spread evenly among the strangers, so that on a list of several pages
 * some of them are on every page (a read that stops early misses some).
 */
export function spread(users: readonly string[], others: readonly string[]): string[] {
	const list = [...others];
	users.forEach((user, j) =>
		list.splice(Math.floor(((j + 1) * others.length) / (users.length + 1)) + j, 0, user),
	);
	return list;
}

/** An item of an empty "CRM export": no users at all, or only entries the node must refuse. */
const emptyExportField: fc.Arbitrary<UsersField> = fc.oneof(
	fc
		.constantFrom<unknown>(undefined, '', [], ' , ')
		.map((value) => ({ mode: 'none' as const, value, entries: [] })),
	fc
		.array(invalidEntry, { minLength: 1, maxLength: 4 })
		.map((entries) => ({ mode: 'array' as const, value: entries.map((e) => e.value), entries })),
);

export interface CheckSyncShape {
	operation: CheckSyncOperation;
	maxItems: number;
	maxEntries: number;
	maxPool: number;
}

export function checkSyncCaseArb(shape: CheckSyncShape): fc.Arbitrary<CheckSyncCase> {
	const poolArb = fc.uniqueArray(canonicalUser, { minLength: 1, maxLength: shape.maxPool });
	const sync = shape.operation === 'sync';
	return poolArb.chain((pool) =>
		fc
			.record({
				phoneMode: weighted<PhoneMode>([88, 'normal'], [4, 'unknown'], [5, 'bad'], [3, 'wrongKey']),
				itemsBase: fc.array(
					fc.record({ users: usersField(pool, shape.maxEntries), phone: goodPhone }),
					{ minLength: 1, maxLength: shape.maxItems },
				),
				emptyExport: fc.oneof(
					{ weight: sync ? 6 : 12, arbitrary: fc.constant(false) },
					{ weight: 1, arbitrary: fc.constant(true) },
				),
				exportFields: fc.array(emptyExportField, {
					minLength: shape.maxItems,
					maxLength: shape.maxItems,
				}),
				oddItem: fc.nat(),
				badId: fc.constantFrom(...BAD_PHONE_NUMBER_IDS),
				preA: fc.subarray(pool),
				preB: fc.subarray(pool),
				strangersA: fc.oneof(
					// Sync over a large list unblocks thousands now and then: rarer there, to keep runs fast.
					{ weight: sync ? 24 : 12, arbitrary: fc.integer({ min: 0, max: 6 }) },
					{ weight: 1, arbitrary: fc.integer({ min: 1_000, max: 3_000 }) },
				),
				strangersB: fc.integer({ min: 0, max: 3 }),
				salt: fc.nat(1000),
				listShape: fc.constantFrom(
					'provider' as const,
					'provider' as const,
					'meta' as const,
					'meta' as const,
					'grouped' as const,
				),
				server: serverPagingArb,
				strictCursors: fc.boolean(),
				parentUserIds: weighted([3, false], [1, true]),
				noChangeCode: fc.constantFrom(100 as const, 139100 as const),
				mutateAt: fc.oneof(
					{ weight: 3, arbitrary: fc.constant([] as number[]) },
					{
						weight: 2,
						arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 8 }), {
							minLength: 1,
							maxLength: 3,
						}),
					},
				),
				mutationPicks: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
				raceBeforeWrite: weighted<RaceBeforeWrite>([3, 'none'], [1, 'flipFirstUser']),
				options: fc.record({
					maxRetries: fc.integer({ min: 0, max: 3 }),
					retryDelay: fc.constant(1),
					timeout: fc.constant(NODE_TIMEOUT_MS),
				}),
				syncOptions: fc.record({
					unblockOthers: fc.boolean(),
					allowEmptyBlocklist: weighted([2, false], [1, true]),
					unblockDespiteRefused: fc.boolean(),
					dryRun: weighted([4, false], [1, true]),
					batchSize: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 50 })),
					maxConcurrency: fc.oneof(
						{ weight: 3, arbitrary: fc.constant(1) },
						{ weight: 2, arbitrary: fc.integer({ min: 2, max: 4 }) },
					),
				}),
				continueOnFail: fc.boolean(),
				// GET faults (listChanged among them) and write faults (omitUsers, extraUsers): a
				// request that picks a step whose behaviour does not apply to its method gets ok.
				script: fc
					.tuple(scriptArb(true, 8), scriptArb(false, 8), fc.integer({ min: 0, max: 2 }))
					.map(([reads, writes, listChanged]) => [
						...reads,
						...writes,
						...Array.from(
							{ length: listChanged },
							(): Step => ({ behaviour: { kind: 'listChanged' }, shape: 'provider' }),
						),
					]),
				paddedKey: weighted([9, false], [1, true]),
				expressions: expressionsArb,
			})
			.map((r): CheckSyncCase => {
				const items: Item[] = r.itemsBase.map((base, i) => ({
					users: r.emptyExport ? r.exportFields[i] : base.users,
					...base.phone,
				}));
				const odd = r.oddItem % items.length;
				if (r.phoneMode === 'unknown')
					items[odd] = { ...items[odd], phone: PHONE_UNKNOWN, phoneKind: 'unknown' };
				if (r.phoneMode === 'bad') items[odd] = { ...items[odd], phone: r.badId, phoneKind: 'bad' };
				const large = r.strangersA >= 1_000;
				const mutations = r.mutationPicks.map((pick): ListMutation => {
					const kinds: ListMutation[] = r.strictCursors
						? ['addEnd', 'removeLast', 'addFront', 'removeFirst', 'removeAny']
						: ['addEnd', 'removeLast'];
					return kinds[pick % kinds.length];
				});
				const syncOptions = { ...r.syncOptions };
				// Large lists in batches of one would take thousands of requests: keep runs short.
				if (large) syncOptions.batchSize = Math.max(25, syncOptions.batchSize);
				return {
					operation: shape.operation,
					pool,
					items,
					phoneMode: r.phoneMode,
					preseed: {
						A: spread(r.preA.map(listKey), strangers(r.strangersA, r.salt)),
						B: spread(r.preB.map(listKey), strangers(r.strangersB, r.salt + 1)),
					},
					listShape: r.listShape,
					// A page of one or three on a list of thousands would take thousands of GETs.
					server: large
						? {
								...r.server,
								maxPageSize: Math.max(70, r.server.maxPageSize),
								maxLimit: Math.max(100, r.server.maxLimit),
							}
						: r.server,
					strictCursors: r.strictCursors,
					parentUserIds: r.parentUserIds,
					noChangeCode: r.noChangeCode,
					mutateAt: r.mutateAt,
					mutations,
					raceBeforeWrite: sync ? r.raceBeforeWrite : 'none',
					options: sync ? { ...r.options, ...syncOptions } : r.options,
					continueOnFail: r.continueOnFail,
					script: r.script,
					paddedKey: r.paddedKey,
					expressions: r.expressions,
					large,
				};
			}),
	);
}
