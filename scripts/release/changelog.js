/*
 * CHANGELOG.md (Keep a Changelog) as text, without any file or git access: moving the
 * Unreleased entries into a new version with its date, keeping the compare links at the end
 * right, and reading one version's notes back (the tag message, the publish check).
 *
 * Library: const { releaseChangelog, versionNotes } = require('./changelog');
 */
'use strict';

const UNRELEASED = /^## \[Unreleased\][^\n]*$/m;
const VERSION_HEADING = /^## \[(\d+\.\d+\.\d+)\]/m;
const LINK = /^\[[^\]\n]+\]: \S+$/;

/** Index of the first line at or after `from` that ends a section (a heading or a link). */
function sectionEnd(lines, from) {
	const end = lines.findIndex(
		(line, i) => i >= from && (line.startsWith('## ') || LINK.test(line)),
	);
	return end < 0 ? lines.length : end;
}

/** The lines of the section under the heading that `heading` matches, or null. */
function sectionBody(text, heading) {
	const lines = text.split('\n');
	const at = lines.findIndex((line) => heading.test(line));
	if (at < 0) return null;
	return lines.slice(at + 1, sectionEnd(lines, at + 1));
}

/** The notes of `version` (its section without the heading, trimmed), or null. */
function versionNotes(text, version) {
	const body = sectionBody(text, new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]`));
	return body && body.join('\n').trim();
}

/** The newest version with a section (the first `## [x.y.z]` heading), or null. */
function latestVersion(text) {
	const match = VERSION_HEADING.exec(text);
	return match ? match[1] : null;
}

/** The link references for Unreleased and the new version, newest first. */
function releaseLinks(repoUrl, version, previous) {
	const versionLink = previous
		? `${repoUrl}/compare/v${previous}...v${version}`
		: `${repoUrl}/releases/tag/v${version}`;
	return [`[Unreleased]: ${repoUrl}/compare/v${version}...HEAD`, `[${version}]: ${versionLink}`];
}

/** Refuses a release that the changelog cannot take: no Unreleased, no entries, a version it has. */
function checkReleasable(text, version) {
	const body = sectionBody(text, UNRELEASED);
	if (body === null) throw new Error('CHANGELOG.md has no "## [Unreleased]" section');
	if (!body.some((line) => /^\s*[-*] \S/.test(line))) {
		throw new Error('CHANGELOG.md has no entries under Unreleased: write what changed first');
	}
	if (versionNotes(text, version) !== null)
		throw new Error(`CHANGELOG.md already has a section for ${version}`);
	return body;
}

/**
 * Moves the Unreleased entries into `## [version] - date`, leaves an empty Unreleased on top,
 * and replaces the Unreleased link with one to compare from the new tag, plus the new
 * version's link. Throws when there is nothing to release (see checkReleasable).
 */
function releaseChangelog(text, { version, date, repoUrl }) {
	const body = checkReleasable(text, version);
	const previous = latestVersion(text);
	const lines = text.split('\n');
	const at = lines.findIndex((line) => UNRELEASED.test(line));
	const end = sectionEnd(lines, at + 1);
	const notes = body.join('\n').trim().split('\n');
	const released = ['## [Unreleased]', '', `## [${version}] - ${date}`, '', ...notes, ''];
	const rest = lines.slice(end).filter((line) => !line.startsWith('[Unreleased]: '));
	while (rest.at(-1) === '') rest.pop();
	const firstLink = rest.findIndex((line) => LINK.test(line));
	const links = releaseLinks(repoUrl, version, previous);
	if (firstLink >= 0) rest.splice(firstLink, 0, ...links);
	else rest.push(...(rest.length > 0 ? [''] : []), ...links);
	return [...lines.slice(0, at), ...released, ...rest].join('\n').replace(/\n*$/, '\n');
}

module.exports = { releaseChangelog, versionNotes, latestVersion };
