/**
 * Properties of Check and Sync: whatever users are given, whatever the blocklists hold and
 * however the server misbehaves (faults on any request, lists that change while they are
 * paged through or between Sync's read and its write), every occurrence comes out exactly
 * once on the right output, paired to its item; Check never writes and reports a user
 * blocked or not blocked only from a complete read; Sync writes only after complete reads,
 * never unblocks a wanted user, refuses to empty a blocklist unless allowed, sends nothing
 * in a dry run and reports a change only when the server confirmed it; whole-call failures
 * (and only they) throw, naming the item; the key is never shown; requests stay within
 * pages + ceil(changes / batchSize) per direction and phone number ID, times the retries.
 * See support/checkSyncRun.ts for the checks.
 */
import { CheckSyncStats, runCheckSyncCase } from './support/checkSyncRun';
import { checkSyncCaseArb } from './support/checkSyncModel';
import { SHARES, testProperty, usePropertyFile } from './support/settings';

const { stats, logs } = usePropertyFile('check-sync', new CheckSyncStats());
const shape = { maxItems: 6, maxEntries: 10, maxPool: 16 };

testProperty(
	'Check: blocked / not blocked only from a complete read, never a write, every user exactly once',
	SHARES.check,
	checkSyncCaseArb({ operation: 'check', ...shape }),
	(c) => runCheckSyncCase(c, stats, logs()),
);

testProperty(
	'Sync: writes only after complete reads, never unblocks a wanted user, refuses to empty, dry run sends nothing',
	SHARES.sync,
	checkSyncCaseArb({ operation: 'sync', ...shape }),
	(c) => runCheckSyncCase(c, stats, logs()),
);
