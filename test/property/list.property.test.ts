/**
 * Property: whatever the blocklist holds and whatever the server does while List pages
 * through it, List outputs exactly the blocklist (or its first `limit` users) or fails the
 * item as a whole, naming it; never a user twice or one that was not blocked; bounded
 * retries; no key. See support/listRun.ts for the checks.
 */
import { listCaseArb, runListCase } from './support/listRun';
import { SHARES, testProperty, usePropertyFile } from './support/settings';

const { stats, logs } = usePropertyFile('list');

testProperty(
	'List: exactly the blocklist or a whole-call failure naming the item; no duplicates, no key, bounded retries',
	SHARES.list,
	listCaseArb(1500),
	(c) => runListCase(c, stats, logs()),
);
