#!/usr/bin/env node
/*
 * Installs the pinned n8n release on demand into the ignored .cache/n8n-<version>/ folder and
 * reuses it when present. n8n 2.x needs Node >= 24: the install runs under the Node 24 that
 * scripts/with-node24.js provides (from the npm registry when the machine's Node is older).
 *
 * Why it is done this way (see ../shared/notes/n8n-runtime.md, measured here):
 * - install scripts stay off: some of n8n's optional native packages download binaries from the
 *   internet in their install scripts, which fails on a closed network;
 * - then exactly the native modules n8n needs at run time are rebuilt from source against the
 *   Node 24 headers (npm_config_nodedir), sqlite3 among them (about 100 s);
 * - a marker file is written last, so an interrupted install is redone, not reused;
 * - npm's own output (hundreds of peer-dependency warnings from n8n's tree, compiler lines)
 *   goes to .cache/n8n-<version>-install.log, not the terminal: a new user sees what is
 *   happening and how long it takes, and the log's end when a step fails.
 *
 * Usage: node scripts/n8n/install.js [--force]
 * Library: const { ensureN8n, n8nBinPath, N8N_VERSION } = require('./install');
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { nodeBinDir } = require('../with-node24');

/** The one pinned n8n version that is installed, run and tested. */
const N8N_VERSION = '2.41.1';

/** Native modules that n8n needs compiled for the Node that runs it (measured, see notes). */
const NATIVE_MODULES = [
	'sqlite3',
	'isolated-vm',
	'@parcel/watcher',
	'msgpackr-extract',
	'@sentry/node-cpu-profiler',
	'@sentry/node-native-stacktrace',
	'protobufjs',
];

const root = path.resolve(__dirname, '..', '..');
const installDir = path.join(root, '.cache', `n8n-${N8N_VERSION}`);
const markerFile = path.join(installDir, '.installed');
const logFile = path.join(root, '.cache', `n8n-${N8N_VERSION}-install.log`);

function n8nBinPath() {
	return path.join(installDir, 'node_modules', 'n8n', 'bin', 'n8n');
}

function isInstalled() {
	try {
		const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
		return marker.version === N8N_VERSION && fs.existsSync(n8nBinPath());
	} catch {
		return false;
	}
}

/** Environment with Node 24 first on PATH, for npm and for running n8n. */
function node24Env(extra = {}) {
	const bin = nodeBinDir();
	return {
		...process.env,
		PATH: [bin, process.env.PATH].join(path.delimiter),
		npm_config_nodedir: path.dirname(bin),
		npm_config_update_notifier: 'false',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
		...extra,
	};
}

function log(msg) {
	console.error(`[n8n-install] ${msg}`);
}

/** The last lines of the install log, for an error message. */
function logTail(lines = 30) {
	try {
		return fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** Runs one step with its output appended to the install log. */
function run(cmd, args, opts) {
	const started = Date.now();
	fs.appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}\n`);
	const out = fs.openSync(logFile, 'a');
	let r;
	try {
		r = spawnSync(cmd, args, { stdio: ['ignore', out, out], ...opts });
	} finally {
		fs.closeSync(out);
	}
	const secs = ((Date.now() - started) / 1000).toFixed(0);
	if (r.error) throw r.error;
	if (r.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status} after ${secs}s. The end of ${path.relative(root, logFile)}:\n${logTail()}`);
	}
	log(`done in ${secs}s`);
}

/** Installs n8n when missing; returns the path of its `bin/n8n`. */
function ensureN8n({ force = false } = {}) {
	if (!force && isInstalled()) return n8nBinPath();
	const started = Date.now();
	log(`installing n8n ${N8N_VERSION} into ${path.relative(root, installDir)} (several minutes, about 3 GB) ...`);
	fs.rmSync(markerFile, { force: true });
	fs.mkdirSync(installDir, { recursive: true });
	// A package.json of its own keeps npm from walking up into the project.
	fs.writeFileSync(
		path.join(installDir, 'package.json'),
		JSON.stringify({ name: 'n8n-runtime-cache', private: true, description: `n8n ${N8N_VERSION} for e2e tests and npm run dev` }, null, 2) + '\n',
	);
	const env = node24Env();
	fs.writeFileSync(logFile, `n8n ${N8N_VERSION} install, ${new Date().toISOString()}, Node from ${nodeBinDir()}\n`);
	log(`using Node from ${nodeBinDir()}; npm's output goes to ${path.relative(root, logFile)}`);
	log(`downloading n8n ${N8N_VERSION} and its dependencies with npm (2 to 6 minutes) ...`);
	run('npm', ['install', `n8n@${N8N_VERSION}`, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'], {
		cwd: installDir,
		env,
	});
	log(`compiling n8n's native modules for Node 24 (1 to 3 minutes): ${NATIVE_MODULES.join(' ')}`);
	run('npm', ['rebuild', ...NATIVE_MODULES, '--foreground-scripts', '--loglevel=warn'], {
		cwd: installDir,
		env: { ...env, npm_config_ignore_scripts: 'false' },
	});
	// Smoke check: the binary runs and reports the pinned version.
	const v = spawnSync(path.join(nodeBinDir(), 'node'), [n8nBinPath(), '--version'], {
		cwd: installDir,
		env: { ...env, N8N_DIAGNOSTICS_ENABLED: 'false' },
		encoding: 'utf8',
	});
	if (v.status !== 0 || !String(v.stdout).includes(N8N_VERSION)) {
		throw new Error(`n8n --version did not report ${N8N_VERSION}: ${v.stdout}${v.stderr}`);
	}
	fs.writeFileSync(markerFile, JSON.stringify({ version: N8N_VERSION, node: nodeBinDir(), installedAt: new Date().toISOString() }) + '\n');
	log(`n8n ${N8N_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
	return n8nBinPath();
}

if (require.main === module) {
	try {
		const bin = ensureN8n({ force: process.argv.includes('--force') });
		log(`n8n ${N8N_VERSION} ready: ${path.relative(root, bin)}`);
	} catch (err) {
		log(String(err.message || err));
		process.exit(1);
	}
}

module.exports = { N8N_VERSION, NATIVE_MODULES, installDir, logFile, n8nBinPath, isInstalled, ensureN8n, node24Env };
