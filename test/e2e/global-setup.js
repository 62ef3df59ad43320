/**
 * Before the end-to-end suite: the pinned n8n (installed on first use, several minutes) and
 * one build + `npm pack` of the package, shared by every test file through .cache/e2e/pack.json.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { ensureN8n, N8N_VERSION } = require('../../scripts/n8n/install');
const { buildAndPack, pruneOlderThan } = require('../../scripts/n8n/run');

module.exports = async function globalSetup() {
	const root = path.resolve(__dirname, '..', '..');
	const started = Date.now();
	process.env.SPLASHIFY_E2E = '1';
	ensureN8n();
	const tgz = buildAndPack({ quiet: true });
	const dir = path.join(root, '.cache', 'e2e');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'pack.json'), JSON.stringify({ tgz, n8n: N8N_VERSION }) + '\n');
	// Temporary user folders of earlier runs (each holds a SQLite database and the logs of its
	// n8n processes, kept for reading after a failure). Recent ones may belong to a run in
	// progress, so only old ones go.
	pruneOlderThan(path.join(dir, 'runs'), 6 * 60 * 60 * 1000);
	console.log(
		`\n[e2e] n8n ${N8N_VERSION} ready, package built and packed in ${((Date.now() - started) / 1000).toFixed(1)}s`,
	);
};
