/**
 * A jest reporter that ends each run with one plain line, `jest: N passed, N failed`, and
 * records the counts under test-results/ so `.ci/run` can print the total of all runs.
 */
const fs = require('fs');
const path = require('path');

class SummaryReporter {
	constructor(globalConfig, options = {}) {
		this.name = options.name || 'jest';
	}

	onRunComplete(_contexts, results) {
		const passed = results.numPassedTests;
		const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
		const dir = path.resolve(__dirname, '..', 'test-results');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, `summary-${this.name}.json`), JSON.stringify({ passed, failed }));
		process.stdout.write(`\n${this.name}: ${passed} passed, ${failed} failed\n`);
	}
}

module.exports = SummaryReporter;
