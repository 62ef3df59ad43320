/**
 * End-to-end tests in a real n8n (`npm run test:e2e`): the pinned n8n from scripts/n8n/install.js,
 * this package installed the way n8n installs community packages, the sandbox on loopback.
 * One test file at a time (each starts n8n processes of about 400 MB), long timeouts.
 * Run one part alone: `npm run test:e2e -- test/e2e/cli.test.ts`.
 */
module.exports = {
	testEnvironment: 'node',
	rootDir: __dirname,
	testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	maxWorkers: 1,
	testTimeout: 10 * 60 * 1000,
	slowTestThreshold: 60,
	reporters: ['default', ['<rootDir>/test/summary-reporter.js', { name: 'e2e', skips: true }]],
};
