#!/usr/bin/env node
/*
 * What the end-to-end suite needs from the machine, run first by `npm run test:e2e` and by
 * .ci/run (before `npm ci`: Node built-ins only). On Linux and macOS, as any user:
 *   - Redis (queue-mode test) and Chromium or Chrome (editor UI tests), found by
 *     ./system-tools.js. A missing one is installed only where no question is asked: apt-get
 *     on Debian (Redis on Ubuntu too) as root or with passwordless sudo. Otherwise one line says
 *     what is missing and how to install it, and its tests are skipped; under CI=true that line
 *     is an error and this script fails;
 *   - Node 24 (scripts/with-node24.js: the machine's own, or from the npm registry into .cache/);
 *   - the pinned n8n (./install.js, into .cache/n8n-<version>/, with npm only, about 4 minutes
 *     the first time).
 *
 * Usage: node scripts/n8n/e2e-setup.js
 */
'use strict';
const { spawnSync, execFileSync } = require('child_process');
const { TOOLS, currentSystem, verdict, autoInstallArgv, isCi } = require('./system-tools');

const started = Date.now();
const say = (msg) =>
	console.log(`[e2e-setup] ${msg} (${((Date.now() - started) / 1000).toFixed(0)}s)`);

/** Installs what can be installed unasked; false if the install command failed. */
function installMissing(missing, system) {
	const plans = missing.map((tool) => autoInstallArgv(tool, system)).filter(Boolean);
	if (plans.length === 0) return true;
	// One apt-get for all: the same argv with every package at the end.
	const argv = [...plans[0], ...plans.slice(1).map((p) => p[p.length - 1])];
	const update = argv.slice(0, argv.indexOf('install')).concat('update', '-qq');
	say(argv.join(' '));
	for (const cmd of [update, argv]) {
		const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
		if (r.error || r.status !== 0) {
			say(`${cmd.join(' ')} failed (${r.error ? r.error.message : `exit code ${r.status}`})`);
			return false;
		}
	}
	return true;
}

function versionOf(file) {
	const r = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30000 });
	return (
		String(r.stdout || '')
			.trim()
			.split('\n')[0]
			.replace(/ sha=.*/, '') || '(no version printed)'
	);
}

function systemTools() {
	let system = currentSystem();
	const tools = ['redis', 'chromium'];
	// A wrong REDIS_SERVER_PATH / CHROMIUM_PATH is the user's choice to fix, not a reason to install.
	const missing = tools.filter(
		(tool) => verdict(tool, system).status !== 'run' && !process.env[TOOLS[tool].override],
	);
	// Only then is `sudo -n true` asked (with apt-get there and not root), to learn whether apt-get may run.
	if (missing.length > 0 && installMissing(missing, currentSystem({ probeSudo: true })))
		system = currentSystem();
	let failed = false;
	for (const tool of tools) {
		const v = verdict(tool, system);
		if (v.status === 'run') say(`${v.line} (${versionOf(v.path)})`);
		else if (v.status === 'skip') say(v.line);
		else {
			console.error(`[e2e-setup] ERROR: ${v.line}`);
			failed = true;
		}
	}
	return !failed;
}

function main() {
	const toolsOk = systemTools();
	if (!toolsOk) {
		console.error(
			'[e2e-setup] failed: under CI=true every end-to-end test must run (see the ERROR lines above)',
		);
		process.exit(1);
	}
	const { nodeBinDir } = require('../with-node24');
	const bin = nodeBinDir();
	say(
		`Node ${execFileSync(`${bin}/node`, ['--version'], { encoding: 'utf8' }).trim()} for n8n in ${bin}`,
	);
	const { ensureN8n, N8N_VERSION } = require('./install');
	try {
		ensureN8n();
	} catch (err) {
		console.error(`[e2e-setup] the pinned n8n did not install: ${err.message || err}`);
		process.exit(1);
	}
	say(`n8n ${N8N_VERSION} ready${isCi(process.env) ? ' (CI=true: nothing will be skipped)' : ''}`);
}

main();
