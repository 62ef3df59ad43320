/**
 * Property: whatever the blocklist holds and whatever the server does while List pages
 * through it, List outputs exactly the blocklist (or its first `limit` users) or fails the
 * item as a whole, naming it; never a user twice or one that was not blocked; bounded
 * retries; no key. See support/listRun.ts for the checks.
 */
import fc from 'fast-check';

import { listCaseArb, runListCase } from './support/listRun';
import { fcParameters, SHARES, usePropertyFile } from './support/settings';

const { stats, logs } = usePropertyFile('list');

test('List: exactly the blocklist or a whole-call failure naming the item; no duplicates, no key, bounded retries', async () => {
	await fc.assert(
		fc.asyncProperty(listCaseArb(1500), async (c) => {
			await runListCase(c, stats, logs());
		}),
		fcParameters(SHARES.list),
	);
}, 600_000);
