/**
 * Property: whatever the blocklist holds and whatever the server does while List pages
 * through it, List outputs exactly the blocklist (or its first `limit` users) or fails the
 * item as a whole, naming it; never a user twice or one that was not blocked; bounded
 * retries; no key. See support/listRun.ts for the checks.
 */
import fc from 'fast-check';

import { captureLogs, type LogCapture } from './support/logs';
import { listCaseArb, runListCase } from './support/listRun';
import { fcParameters, writeStats } from './support/settings';
import { Stats } from './support/stats';

const stats = new Stats();
let logs: LogCapture;

beforeAll(() => {
	logs = captureLogs();
});
afterAll(() => {
	logs.restore();
	writeStats('list', stats.summary());
	process.stdout.write(`list property: ${JSON.stringify(stats.summary())}\n`);
});

test('List: exactly the blocklist or a whole-call failure naming the item; no duplicates, no key, bounded retries', async () => {
	await fc.assert(
		fc.asyncProperty(listCaseArb(1500), async (c) => {
			await runListCase(c, stats, logs);
		}),
		fcParameters(0.22),
	);
}, 600_000);
