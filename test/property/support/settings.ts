/**
 * How many randomized runs the property suite makes, and from which seed.
 *
 *   PROPERTY_RUNS   total runs over the whole property suite (default 3200), shared out
 *                   between the properties by fixed weights (SHARES)
 *   PROPERTY_SEED   fast-check seed (default fixed, so CI is reproducible); a failure prints
 *                   the seed and path to replay it
 *   PROPERTY_STATS  a directory: each property file writes its figures there as JSON
 *   PROPERTY_SHRINK set to 1 to shrink a counterexample (slow: every step is a real run);
 *                   by default the first failing case is reported as found, with its seed
 *                   and path, which replay it exactly
 */
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { captureLogs, type LogCapture } from './logs';
import { Stats } from './stats';

function intFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const value = Number(raw);
	if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
	return value;
}

const DEFAULT_TOTAL_RUNS = 3200;

/**
 * Each property's share of the total. With the default total: Block/Unblock 840, large
 * Block/Unblock 36, List 264, Check 440, Sync 620 (Check and Sync together 1,060) and the
 * Blocklist Trigger 1,000 runs.
 */
export const SHARES = {
	blockUnblock: 840 / DEFAULT_TOTAL_RUNS,
	large: 36 / DEFAULT_TOTAL_RUNS,
	list: 264 / DEFAULT_TOTAL_RUNS,
	check: 440 / DEFAULT_TOTAL_RUNS,
	sync: 620 / DEFAULT_TOTAL_RUNS,
	trigger: 1000 / DEFAULT_TOTAL_RUNS,
} as const;
const TOTAL_RUNS = intFromEnv('PROPERTY_RUNS', DEFAULT_TOTAL_RUNS);
const SEED = intFromEnv('PROPERTY_SEED', 20_261_124);

/**
 * One property as a test: `run` checks each case `arb` draws, for this property's share of the
 * total runs (at least 1), from the seed.
 */
export function testProperty<C>(
	title: string,
	share: number,
	arb: fc.Arbitrary<C>,
	run: (c: C) => Promise<unknown>,
): void {
	test(
		title,
		async () => {
			await fc.assert(
				fc.asyncProperty(arb, async (c) => {
					await run(c);
				}),
				{
					numRuns: Math.max(1, Math.round(TOTAL_RUNS * share)),
					seed: SEED,
					endOnFailure: process.env.PROPERTY_SHRINK !== '1',
				},
			);
		},
		600_000,
	);
}

/** Writes a property file's figures to $PROPERTY_STATS/<name>.json, when set. */
function writeStats(name: string, stats: object): void {
	const dir = process.env.PROPERTY_STATS;
	if (!dir) return;
	mkdirSync(dir, { recursive: true });
	const figures = { seed: SEED, totalRunsSetting: TOTAL_RUNS, ...stats };
	writeFileSync(join(dir, `${name}.json`), JSON.stringify(figures, null, 2));
}

/**
 * The shared set-up of a property file: n8n's logs captured for the whole file (the key must
 * appear in none), and the file's figures written out at the end.
 */
export function usePropertyFile<S extends Stats = Stats>(
	name: string,
	stats: S = new Stats() as S,
): { stats: S; logs: () => LogCapture } {
	let capture: LogCapture | undefined;
	beforeAll(() => {
		capture = captureLogs();
	});
	afterAll(() => {
		capture?.restore();
		writeStats(name, stats.summary());
		process.stdout.write(`${name} property: ${JSON.stringify(stats.summary())}\n`);
	});
	return {
		stats,
		logs: () => {
			if (!capture) throw new Error('logs are captured from beforeAll on');
			return capture;
		},
	};
}
