/**
 * The Block/Unblock property on large inputs: thousands of entries spread over many items,
 * with duplicates across items and phone number IDs, in small batches, under the same
 * random faults. Same checks as block-unblock.property.test.ts.
 */
import fc from 'fast-check';

import { runChangeCase } from './support/changeRun';
import { changeCaseArb } from './support/model';
import { fcParameters, SHARES, usePropertyFile } from './support/settings';

const { stats, logs } = usePropertyFile('large');

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
			await runChangeCase(c, stats, logs());
		}),
		fcParameters(SHARES.large),
	);
}, 600_000);
