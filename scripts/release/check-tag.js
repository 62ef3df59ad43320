#!/usr/bin/env node
/*
 * node scripts/release/check-tag.js <tag>
 *
 * The Publish workflow's gate before `npm publish`: the pushed tag must be exactly
 * v<package.json's version>, and CHANGELOG.md must have that version's section with its
 * notes. Exits 1 naming what differs.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const { versionNotes } = require('./changelog');
const { tagFor } = require('./version');

const root = path.resolve(__dirname, '..', '..');

/** What is wrong with releasing `tag` from this package.json and changelog, or null. */
function tagProblem(tag, version, changelog) {
	if (tag !== tagFor(version))
		return `the tag ${tag} is not ${tagFor(version)}, the version in package.json`;
	if (!versionNotes(changelog, version)) return `CHANGELOG.md has no notes under "## [${version}]"`;
	return null;
}

/** The command: checks the tag given as its argument (or GITHUB_REF_NAME). */
function main() {
	const tag = process.argv[2] ?? process.env.GITHUB_REF_NAME ?? '';
	const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const problem = tagProblem(
		tag,
		version,
		fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'),
	);
	if (problem) {
		console.error(`publish refused: ${problem}`);
		process.exit(1);
	}
	console.log(`tag ${tag} matches package.json ${version}, and CHANGELOG.md has its notes`);
}

if (require.main === module) main();

module.exports = { tagProblem };
