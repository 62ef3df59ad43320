/**
 * `npm run release` end to end in a throwaway git repository holding a copy of
 * scripts/release/: --dry-run changes nothing (no file, commit or tag), a real run commits
 * "Release vX.Y.Z" and tags it, and uncommitted changes stop it before anything is written.
 */
import { execFileSync, spawnSync } from 'child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

const scripts = path.join(__dirname, '..', '..', 'scripts', 'release');
let repo: string;

const git = (...args: string[]) =>
	execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
const release = (...args: string[]) =>
	spawnSync(process.execPath, [path.join(repo, 'scripts', 'release', 'release.js'), ...args], {
		cwd: repo,
		encoding: 'utf8',
	});

/** A repository at 0.1.0, released as v0.1.0, with one Unreleased entry. */
function makeRepo(): void {
	repo = mkdtempSync(path.join(tmpdir(), 'splashify-release-'));
	cpSync(scripts, path.join(repo, 'scripts', 'release'), { recursive: true });
	const pkg = {
		name: 'n8n-nodes-x',
		version: '0.1.0',
		repository: { url: 'git+https://github.com/acme/n8n-nodes-x.git' },
	};
	writeFileSync(path.join(repo, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
	writeFileSync(
		path.join(repo, 'package-lock.json'),
		JSON.stringify(
			{ ...pkg, lockfileVersion: 3, packages: { '': { version: '0.1.0' } } },
			null,
			2,
		) + '\n',
	);
	writeFileSync(
		path.join(repo, 'CHANGELOG.md'),
		'# Changelog\n\n## [Unreleased]\n\n### Fixed\n\n- A retry.\n\n## [0.1.0] - 2026-12-01\n\n- First.\n',
	);
	git('init', '-q', '-b', 'main');
	git(
		'-c',
		'user.name=t',
		'-c',
		'user.email=t@example.com',
		'commit',
		'-q',
		'--allow-empty',
		'-m',
		'start',
	);
	git('add', '.');
	git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'v0.1.0');
	git('tag', 'v0.1.0');
}

beforeEach(makeRepo);
afterEach(() => rmSync(repo, { recursive: true, force: true }));

it('--dry-run prints the plan and writes, commits and tags nothing', () => {
	const run = release('patch', '--dry-run');
	expect(run.status).toBe(0);
	expect(run.stdout).toContain('0.1.0 -> 0.1.1');
	expect(run.stdout).toContain('would run:   git add package.json package-lock.json CHANGELOG.md');
	expect(run.stdout).toMatch(/\| ## \[0\.1\.1\] - \d{4}-\d{2}-\d{2}/);
	expect(git('status', '--porcelain')).toBe('');
	expect(git('tag', '--list')).toBe('v0.1.0');
	expect(git('log', '--format=%s', '-1')).toBe('v0.1.0');
});

it('a real run bumps, moves Unreleased, commits and tags', () => {
	const run = spawnSync(
		process.execPath,
		[path.join(repo, 'scripts', 'release', 'release.js'), 'minor'],
		{
			cwd: repo,
			encoding: 'utf8',
			env: {
				...process.env,
				GIT_AUTHOR_NAME: 't',
				GIT_AUTHOR_EMAIL: 't@example.com',
				GIT_COMMITTER_NAME: 't',
				GIT_COMMITTER_EMAIL: 't@example.com',
			},
		},
	);
	expect(run.stderr).toBe('');
	expect(run.status).toBe(0);
	expect(JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version).toBe('0.2.0');
	expect(
		JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8')).packages[''].version,
	).toBe('0.2.0');
	expect(readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8')).toMatch(
		/## \[Unreleased\]\n\n## \[0\.2\.0\] - \d{4}-\d{2}-\d{2}\n\n### Fixed\n\n- A retry\.\n\n## \[0\.1\.0\]/,
	);
	expect(git('status', '--porcelain')).toBe('');
	expect(git('log', '--format=%s', '-1')).toBe('Release v0.2.0');
	expect(git('tag', '--list', '--format=%(contents)', 'v0.2.0')).toBe(
		'v0.2.0\n\n### Fixed\n\n- A retry.',
	);
});

it('stops on uncommitted changes before writing anything', () => {
	writeFileSync(path.join(repo, 'notes.txt'), 'wip\n');
	const run = release('patch');
	expect(run.status).toBe(1);
	expect(run.stdout).toContain('STOP  uncommitted changes');
	expect(run.stderr).toContain('stopped: nothing was changed');
	expect(JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')).version).toBe('0.1.0');
	expect(git('tag', '--list')).toBe('v0.1.0');
});
