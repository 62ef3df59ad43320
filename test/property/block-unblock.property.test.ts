/**
 * Property: whatever users Block or Unblock is given and whatever the server does, every
 * given occurrence comes out exactly once, nothing is reported done that the server did not
 * confirm, whole-call failures (and only they) throw with the item named, the API key is
 * never shown, and retries stay within budget. See support/changeRun.ts for the checks.
 */
import { runChangeCase } from './support/changeRun';
import { changeCaseArb } from './support/model';
import { SHARES, testProperty, usePropertyFile } from './support/settings';

const { stats, logs } = usePropertyFile('block-unblock');

testProperty(
	'Block/Unblock: every user exactly once, only server-confirmed successes, no key, bounded retries',
	SHARES.blockUnblock,
	changeCaseArb({ maxItems: 8, maxEntries: 12, maxPool: 20, maxBatchSize: 50 }),
	(c) => runChangeCase(c, stats, logs()),
);
