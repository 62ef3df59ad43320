/**
 * A jest reporter that ends each run with one plain line, `jest: N passed, N failed, N skipped`,
 * and records the counts under test-results/ so `.ci/run` can print the total of all runs.
 * With `{ skips: true }` (the end-to-end run) it then repeats the line of each part skipped
 * because the machine lacks a program (test-results/skipped-<tool>.txt, written by
 * test/e2e/helpers.ts's describeNeeding).
 */
const fs = require('fs');
const path = require('path');

const dir = path.resolve(__dirname, '..', 'test-results');
const skipFiles = () => {
	try {
		return fs.readdirSync(dir).filter((f) => /^skipped-.*\.txt$/.test(f));
	} catch {
		return [];
	}
};

class SummaryReporter {
	constructor(globalConfig, options = {}) {
		this.name = options.name || 'jest';
		this.skips = Boolean(options.skips);
	}

	onRunStart() {
		if (this.skips) for (const f of skipFiles()) fs.rmSync(path.join(dir, f), { force: true });
	}

	onRunComplete(_contexts, results) {
		const passed = results.numPassedTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const skipped = results.numPendingTests + results.numTodoTests;
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, `summary-${this.name}.json`),
			JSON.stringify({ passed, failed, skipped }),
		);
		const reasons = this.skips
			? skipFiles().map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim())
			: [];
		process.stdout.write(
			`\n${this.name}: ${passed} passed, ${failed} failed, ${skipped} skipped\n${reasons.map((r) => `${r}\n`).join('')}`,
		);
	}
}

module.exports = SummaryReporter;
