#!/usr/bin/env node
/*
 * npm run release -- <patch|minor|major|X.Y.Z> [--dry-run]
 *
 * Makes a release commit and tag on the current branch, nothing else: bumps the version in
 * package.json and package-lock.json, moves CHANGELOG.md's Unreleased entries into the new
 * version dated today (UTC), commits "Release vX.Y.Z" and tags vX.Y.Z (annotated, with the
 * version's notes). It never pushes and never publishes: pushing the tag starts the Publish
 * workflow (.github/workflows/publish.yml), which checks everything again and publishes with
 * npm provenance. It stops, changing nothing, on uncommitted changes, a detached HEAD, a tag
 * that exists already, or a changelog without Unreleased entries.
 *
 * --dry-run does all of it except writing, committing and tagging, and prints what it would
 * do; a check that a real run would stop at is shown, and the exit code is then 1.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const { releaseChangelog, versionNotes } = require('./changelog');
const { nextVersion, repoWebUrl, tagFor, withVersion } = require('./version');

const root = path.resolve(__dirname, '..', '..');
const FILES = ['package.json', 'package-lock.json', 'CHANGELOG.md'];

/** Runs git in the repository and returns its trimmed output, or null if it failed. */
function git(args) {
	try {
		return execFileSync('git', args, {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}).trim();
	} catch {
		return null;
	}
}

/** The bump (or version) and --dry-run from the command line; exits on a wrong usage. */
function parseArgs(argv) {
	const dryRun = argv.includes('--dry-run');
	const rest = argv.filter((arg) => arg !== '--dry-run');
	if (rest.length !== 1 || rest[0].startsWith('-')) {
		console.error('usage: npm run release -- <patch|minor|major|X.Y.Z> [--dry-run]');
		process.exit(2);
	}
	return { bump: rest[0], dryRun };
}

/** Whether tag exists in the repository. */
function tagExists(tag) {
	return Boolean(git(['tag', '--list', tag]));
}

/** The release to make: versions, tag, date and the new text of each file. */
function planRelease(bump) {
	const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');
	const pkg = JSON.parse(read('package.json'));
	const current = pkg.version;
	const version = nextVersion(current, bump, { currentReleased: tagExists(tagFor(current)) });
	const date = new Date().toISOString().slice(0, 10);
	const changelog = releaseChangelog(read('CHANGELOG.md'), {
		version,
		date,
		repoUrl: repoWebUrl(pkg.repository),
	});
	const texts = {
		'package.json': withVersion(read('package.json'), version),
		'package-lock.json': withVersion(read('package-lock.json'), version),
		'CHANGELOG.md': changelog,
	};
	return {
		name: pkg.name,
		current,
		version,
		tag: tagFor(version),
		date,
		texts,
		notes: versionNotes(changelog, version),
	};
}

/** The checks a real run stops at, each as { level: 'ok' | 'STOP' | 'note', text }. */
function checks(plan) {
	const dirty = git(['status', '--porcelain']);
	const branch = git(['symbolic-ref', '--short', '-q', 'HEAD']);
	const level = (ok) => (ok ? 'ok' : 'STOP');
	const list = [
		{
			level: level(dirty === ''),
			text: dirty === '' ? 'working tree clean' : 'uncommitted changes: commit or stash them first',
		},
		{
			level: level(Boolean(branch)),
			text: branch ? `on branch ${branch}` : 'detached HEAD: check out a branch first',
		},
		{
			level: level(!tagExists(plan.tag)),
			text: `tag ${plan.tag} ${tagExists(plan.tag) ? 'exists already' : 'does not exist yet'}`,
		},
	];
	if (plan.current !== plan.version && !tagExists(tagFor(plan.current))) {
		list.push({
			level: 'note',
			text: `${plan.current} was never tagged: the first release is \`npm run release -- ${plan.current}\``,
		});
	}
	return list;
}

/** The new version's heading and the first lines of its notes, indented, with a count of the rest. */
function preview(plan, shown = 10) {
	const lines = [`## [${plan.version}] - ${plan.date}`, '', ...plan.notes.split('\n')];
	const more = lines.length - shown;
	return lines
		.slice(0, shown)
		.concat(more > 0 ? [`... (${more} more lines)`] : [])
		.map((line) => `  | ${line}`)
		.join('\n');
}

/** Prints the plan: checks, files, git commands, the new version's notes and the next step. */
function printPlan(plan, list, dryRun) {
	const verb = dryRun ? 'would ' : '';
	console.log(
		`release ${plan.name}: ${plan.current} -> ${plan.version}, dated ${plan.date} (UTC)${dryRun ? ' [dry run]' : ''}`,
	);
	for (const check of list) console.log(`  ${check.level.padEnd(4)}  ${check.text}`);
	console.log(
		`${verb}write: package.json and package-lock.json (version ${plan.version}), CHANGELOG.md (Unreleased -> [${plan.version}] - ${plan.date}, links)`,
	);
	console.log(`${verb}run:   git add ${FILES.join(' ')}`);
	console.log(`       git commit -m "Release ${plan.tag}"`);
	console.log(
		`       git tag -a ${plan.tag} -m "${plan.tag}" -m "<the notes of ${plan.version} in CHANGELOG.md>"`,
	);
	console.log(`CHANGELOG.md, the new section (first lines):\n${preview(plan)}`);
	console.log(
		`then publish: git push origin HEAD ${plan.tag}  (the Publish workflow checks and publishes with provenance)`,
	);
}

/** Writes the files, commits them and tags the commit. */
function apply(plan) {
	for (const file of FILES) fs.writeFileSync(path.join(root, file), plan.texts[file]);
	execFileSync('git', ['add', ...FILES], { cwd: root, stdio: 'inherit' });
	execFileSync('git', ['commit', '-q', '-m', `Release ${plan.tag}`], {
		cwd: root,
		stdio: 'inherit',
	});
	execFileSync(
		'git',
		['tag', '-a', '--cleanup=whitespace', plan.tag, '-m', plan.tag, '-m', plan.notes],
		{ cwd: root, stdio: 'inherit' },
	);
	console.log(`committed and tagged ${plan.tag}`);
}

/** The command: plan, check, print, then apply unless it is a dry run or a check failed. */
function main() {
	const { bump, dryRun } = parseArgs(process.argv.slice(2));
	let plan;
	try {
		plan = planRelease(bump);
	} catch (error) {
		console.error(`release: ${error.message}`);
		process.exit(1);
	}
	const list = checks(plan);
	printPlan(plan, list, dryRun);
	const stopped = list.some((check) => check.level === 'STOP');
	if (stopped)
		console.error(
			dryRun ? 'a real run would stop at the STOP check above' : 'stopped: nothing was changed',
		);
	else if (!dryRun) apply(plan);
	process.exitCode = stopped ? 1 : 0;
}

if (require.main === module) main();
