/**
 * The Block/Unblock property on large inputs: thousands of entries spread over many items,
 * with duplicates across items and phone number IDs, in small batches, under the same
 * random faults. Same checks as block-unblock.property.test.ts.
 */
import { runChangeCase } from './support/changeRun';
import { changeCaseArb } from './support/model';
import { SHARES, testProperty, usePropertyFile } from './support/settings';

const { stats, logs } = usePropertyFile('large');

testProperty(
	'Block/Unblock with thousands of entries over many items: every user exactly once',
	SHARES.large,
	changeCaseArb({
		large: true,
		...{ minItems: 20, maxItems: 120, minEntries: 10, maxEntries: 60 },
		...{ minPool: 200, maxPool: 2500, minBatchSize: 20, maxBatchSize: 50 },
	}),
	(c) => runChangeCase(c, stats, logs()),
);
