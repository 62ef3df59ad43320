/** Unit, node and sandbox tests (`npm test`). The real-n8n end-to-end suite has its own config. */
module.exports = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
	},
	testTimeout: 30000,
	reporters: ['default', ['<rootDir>/test/summary-reporter.js', { name: 'fast' }]],
};
