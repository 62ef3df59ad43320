/**
 * The Block/Unblock property on large inputs: thousands of entries spread over many items,
 * with duplicates across items and phone number IDs, in small batches, under the same
 * random faults. Same checks as block-unblock.property.test.ts.
 */
import fc from 'fast-check';

import { runChangeCase } from './support/changeRun';
import { captureLogs, type LogCapture } from './support/logs';
import { changeCaseArb } from './support/model';
import { fcParameters, writeStats } from './support/settings';
import { Stats } from './support/stats';

const stats = new Stats();
let logs: LogCapture;

beforeAll(() => {
	logs = captureLogs();
});
afterAll(() => {
	logs.restore();
	writeStats('large', stats.summary());
	process.stdout.write(`large property: ${JSON.stringify(stats.summary())}\n`);
});

test('Block/Unblock with thousands of entries over many items: every user exactly once', async () => {
	const arb = changeCaseArb({
		large: true,
		minItems: 20,
		maxItems: 120,
		minEntries: 10,
		maxEntries: 60,
		minPool: 200,
		maxPool: 2500,
		minBatchSize: 20,
		maxBatchSize: 50,
	});
	await fc.assert(
		fc.asyncProperty(arb, async (c) => {
			await runChangeCase(c, stats, logs);
		}),
		fcParameters(0.03),
	);
}, 600_000);
