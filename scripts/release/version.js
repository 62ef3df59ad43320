/*
 * Versions for a release, without any file or git access: the next semantic version from a
 * patch / minor / major bump (or an explicit X.Y.Z), the version written into package.json
 * and package-lock.json with their formatting kept, and the repository's web address.
 *
 * Library: const { nextVersion, withVersion, repoWebUrl, tagFor } = require('./version');
 */
'use strict';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;
const BUMPS = ['major', 'minor', 'patch'];

/** [major, minor, patch] of a plain X.Y.Z version; throws on anything else (pre-releases too). */
function parseVersion(version) {
	const match = SEMVER.exec(version);
	if (!match) throw new Error(`"${version}" is not a version of the form X.Y.Z`);
	return match.slice(1).map(Number);
}

/** Negative, zero or positive as version a is lower than, equal to or higher than b. */
function compareVersions(a, b) {
	const [x, y] = [parseVersion(a), parseVersion(b)];
	return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** `current` bumped by `kind` (major, minor or patch), lower parts reset to 0. */
function bump(current, kind) {
	const parts = parseVersion(current);
	const at = BUMPS.indexOf(kind);
	return parts.map((part, i) => (i < at ? part : i === at ? part + 1 : 0)).join('.');
}

/**
 * The version to release: `arg` is major, minor, patch or an explicit X.Y.Z higher than
 * `current`. The current version itself is allowed only while it was never released
 * (`currentReleased` false: no tag for it), which is how the first version is released.
 */
function nextVersion(current, arg, { currentReleased = true } = {}) {
	if (BUMPS.includes(arg)) return bump(current, arg);
	const order = compareVersions(arg, current);
	if (order > 0 || (order === 0 && !currentReleased)) return arg;
	const why =
		order === 0
			? 'is the current version and was already released'
			: `is lower than the current ${current}`;
	throw new Error(`${arg} ${why}: give patch, minor, major or a higher X.Y.Z`);
}

/** The JSON text with its top-level version (and a lock file's root package's) set, formatting kept. */
function withVersion(text, version) {
	const data = JSON.parse(text);
	data.version = version;
	if (data.packages && data.packages['']) data.packages[''].version = version;
	const indent = /^[ \t]+/m.exec(text)?.[0] ?? '  ';
	return JSON.stringify(data, null, indent) + (text.endsWith('\n') ? '\n' : '');
}

/** https://github.com/owner/repo from package.json's repository (a string or { url }). */
function repoWebUrl(repository) {
	const url = typeof repository === 'string' ? repository : repository?.url;
	if (!url) throw new Error('package.json has no repository url');
	return url
		.replace(/^git\+/, '')
		.replace(/^git:\/\//, 'https://')
		.replace(/\.git$/, '');
}

/** The git tag of a version: vX.Y.Z. */
function tagFor(version) {
	return `v${version}`;
}

module.exports = { nextVersion, withVersion, repoWebUrl, tagFor };
