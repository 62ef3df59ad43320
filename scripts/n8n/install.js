#!/usr/bin/env node
/*
 * Installs the pinned n8n release (or the one N8N_VERSION names: ./versions.js) on demand into
 * the ignored .cache/n8n-<version>/ folder and reuses it when present. The install and n8n itself
 * run under the Node that release's `engines.node` allows, 24 when it may (n8n 2.36 and later
 * need it), from scripts/with-node24.js (the npm registry's binary packages when the machine's
 * Node is another). A release whose dependencies name a tarball URL the closed network cannot
 * reach (1.x: n8n-nodes-base's `xlsx`) gets an npm `overrides` entry in its install folder.
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
 * Usage: node scripts/n8n/install.js [--force]     (N8N_VERSION=1.123.81 node ... for another release)
 * Library: const { ensureN8n, n8nBinPath, n8nNodeBinDir, N8N_VERSION } = require('./install');
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { nodeBinDir } = require('../with-node24');
const { N8N_VERSION, nodeMajorFor, overridesFor } = require('./versions');

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

function readMarker() {
	try {
		return JSON.parse(fs.readFileSync(markerFile, 'utf8'));
	} catch {
		return null;
	}
}

function isInstalled() {
	const marker = readMarker();
	return !!marker && marker.version === N8N_VERSION && fs.existsSync(n8nBinPath());
}

/** `npm view <spec> <fields...> --json` (one registry look-up of a package these scripts install). */
function npmView(spec, fields) {
	const r = spawnSync('npm', ['view', spec, ...fields, '--json'], { encoding: 'utf8' });
	if (r.status !== 0)
		throw new Error(
			`npm view ${spec} ${fields.join(' ')} failed: ${String(r.stderr).trim().split('\n').slice(-3).join(' ')}`,
		);
	const out = JSON.parse(r.stdout || '{}');
	return fields.length === 1 ? { [fields[0]]: out } : out;
}

/**
 * What installing this release takes, from the registry's metadata: the Node major its
 * `engines.node` allows (24 when it may) and the npm `overrides` its install folder needs.
 */
function installPlan() {
	const n8n = npmView(`n8n@${N8N_VERSION}`, ['engines', 'dependencies']);
	const nodesBase = n8n.dependencies && n8n.dependencies['n8n-nodes-base'];
	const base = nodesBase
		? npmView(`n8n-nodes-base@${nodesBase}`, ['dependencies']).dependencies
		: {};
	const enginesNode = n8n.engines && n8n.engines.node;
	return { enginesNode, nodeMajor: nodeMajorFor(enginesNode), overrides: overridesFor(base) };
}

/** The Node major the installed release runs on (from its install marker; 24 before an install). */
function n8nNodeMajor() {
	const marker = readMarker();
	return (marker && marker.version === N8N_VERSION && marker.nodeMajor) || 24;
}

/** The folder of the Node binary that runs this n8n release. */
function n8nNodeBinDir() {
	return nodeBinDir(n8nNodeMajor());
}

/** Environment with the release's Node first on PATH, for npm and for running n8n. */
function n8nEnv(extra = {}, major = n8nNodeMajor()) {
	const bin = nodeBinDir(major);
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
		throw new Error(
			`${cmd} ${args.join(' ')} failed with exit code ${r.status} after ${secs}s. The end of ${path.relative(root, logFile)}:\n${logTail()}`,
		);
	}
	log(`done in ${secs}s`);
}

/** Installs n8n when missing; returns the path of its `bin/n8n`. */
function ensureN8n({ force = false } = {}) {
	if (!force && isInstalled()) return n8nBinPath();
	const started = Date.now();
	log(
		`installing n8n ${N8N_VERSION} into ${path.relative(root, installDir)} (several minutes, 2 to 3 GB) ...`,
	);
	fs.rmSync(markerFile, { force: true });
	fs.mkdirSync(installDir, { recursive: true });
	const { enginesNode, nodeMajor, overrides } = installPlan();
	const nodeBin = nodeBinDir(nodeMajor);
	// A package.json of its own keeps npm from walking up into the project.
	fs.writeFileSync(
		path.join(installDir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-runtime-cache',
				private: true,
				description: `n8n ${N8N_VERSION} for e2e tests and npm run dev`,
				...(Object.keys(overrides).length ? { overrides } : {}),
			},
			null,
			2,
		) + '\n',
	);
	const env = n8nEnv({}, nodeMajor);
	fs.writeFileSync(
		logFile,
		`n8n ${N8N_VERSION} install, ${new Date().toISOString()}, Node from ${nodeBin} (engines.node ${enginesNode || '(none)'}), overrides ${JSON.stringify(overrides)}\n`,
	);
	log(
		`using Node ${nodeMajor} from ${nodeBin} (n8n ${N8N_VERSION} asks for ${enginesNode || 'any'})${Object.keys(overrides).length ? `, npm overrides ${JSON.stringify(overrides)}` : ''}; npm's output goes to ${path.relative(root, logFile)}`,
	);
	log(`downloading n8n ${N8N_VERSION} and its dependencies with npm (2 to 6 minutes) ...`);
	run(
		'npm',
		[
			'install',
			`n8n@${N8N_VERSION}`,
			'--omit=dev',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=warn',
		],
		{
			cwd: installDir,
			env,
		},
	);
	log(
		`compiling n8n's native modules for Node ${nodeMajor} (1 to 3 minutes): ${NATIVE_MODULES.join(' ')}`,
	);
	run('npm', ['rebuild', ...NATIVE_MODULES, '--foreground-scripts', '--loglevel=warn'], {
		cwd: installDir,
		env: { ...env, npm_config_ignore_scripts: 'false' },
	});
	// Smoke check: the binary runs and reports the pinned version.
	const v = spawnSync(path.join(nodeBin, 'node'), [n8nBinPath(), '--version'], {
		cwd: installDir,
		env: { ...env, N8N_DIAGNOSTICS_ENABLED: 'false' },
		encoding: 'utf8',
	});
	if (v.status !== 0 || !String(v.stdout).includes(N8N_VERSION)) {
		throw new Error(`n8n --version did not report ${N8N_VERSION}: ${v.stdout}${v.stderr}`);
	}
	fs.writeFileSync(
		markerFile,
		JSON.stringify({
			version: N8N_VERSION,
			node: nodeBin,
			nodeMajor,
			overrides,
			installedAt: new Date().toISOString(),
		}) + '\n',
	);
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

module.exports = { N8N_VERSION, installDir, logFile, n8nBinPath, n8nNodeBinDir, ensureN8n, n8nEnv };
