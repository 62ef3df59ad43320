#!/usr/bin/env node
/*
 * `npm run test:compat -- <n8n version>`: the compatibility set of the end-to-end tests against
 * another n8n release than the pinned one, e.g. `npm run test:compat -- 1.123.81`.
 *
 * It installs that release into .cache/n8n-<version>/ (once; ./install.js: the Node its engines
 * allow, the npm overrides its dependencies need here) and runs jest.compat.config.js: the same
 * e2e test files as `npm run test:e2e`, with N8N_VERSION set so that every script and test drives
 * that release (./versions.js holds what differs between releases). The set: the package
 * installed as n8n installs community packages (unpacked into .n8n/nodes/node_modules, as n8n's
 * installer does), the example workflows of every operation through the CLI, the CRM webhook,
 * the credential test over REST, the Blocklist Trigger example and the Blocklist Trigger in an
 * active workflow of `n8n start` (a change, failed polls, the change after, a restart), and the
 * node as a tool of the newest AI Agent and AI Agent Tool that release has.
 * The counts land in test-results/summary-compat-<version>.json (.ci/run adds them up).
 *
 * Usage: npm run test:compat -- <n8n version> [jest args, e.g. test/e2e/agent.test.ts]
 */
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const [version, ...jestArgs] = process.argv.slice(2);
if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
	console.error('usage: npm run test:compat -- <n8n version, e.g. 1.123.81> [test files]');
	process.exit(2);
}
process.env.N8N_VERSION = version;
const root = path.resolve(__dirname, '..', '..');
const { ensureN8n } = require('./install');

const say = (msg) => console.log(`[compat ${version}] ${msg}`);
let t = Date.now();
try {
	ensureN8n();
} catch (err) {
	console.error(`[compat ${version}] n8n ${version} did not install: ${err.message || err}`);
	process.exit(1);
}
const installS = Math.round((Date.now() - t) / 1000);
say(`n8n ${version} ready in ${installS}s`);

t = Date.now();
const r = spawnSync(
	process.execPath,
	[
		path.join(root, 'scripts', 'with-node24.js'),
		'jest',
		'-c',
		'jest.compat.config.js',
		'--runInBand',
		...jestArgs,
	],
	{
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, N8N_VERSION: version },
	},
);
say(
	`install ${installS}s, tests ${Math.round((Date.now() - t) / 1000)}s, exit ${r.status ?? r.signal}`,
);
process.exit(r.status === null ? 1 : r.status);
