/**
 * The changelog rewrite of `npm run release` as a pure function: Unreleased entries move into
 * the new version with its date, an empty Unreleased stays on top, older versions stay as
 * they were, and the compare links at the end follow; a release with nothing to release is
 * refused. Also the repository's own CHANGELOG.md can be released.
 */
import { readFileSync } from 'fs';
import path from 'path';

import { latestVersion, releaseChangelog, versionNotes } from '../../scripts/release/changelog';

const repoUrl = 'https://github.com/acme/n8n-nodes-x';
const lines = (...parts: string[]) => parts.join('\n') + '\n';

const first = lines(
	'# Changelog',
	'',
	'Intro text.',
	'',
	'## [Unreleased]',
	'',
	'### Added',
	'',
	'- Block and Unblock.',
	'- List.',
	'',
	`[Unreleased]: ${repoUrl}/commits/HEAD`,
);

describe('releaseChangelog', () => {
	it('moves Unreleased into the first version, linked to its tag', () => {
		expect(releaseChangelog(first, { version: '0.1.0', date: '2026-12-01', repoUrl })).toBe(
			lines(
				'# Changelog',
				'',
				'Intro text.',
				'',
				'## [Unreleased]',
				'',
				'## [0.1.0] - 2026-12-01',
				'',
				'### Added',
				'',
				'- Block and Unblock.',
				'- List.',
				'',
				`[Unreleased]: ${repoUrl}/compare/v0.1.0...HEAD`,
				`[0.1.0]: ${repoUrl}/releases/tag/v0.1.0`,
			),
		);
	});

	it('puts a later version above the older ones, compared with the one before', () => {
		const released = releaseChangelog(first, { version: '0.1.0', date: '2026-12-01', repoUrl });
		const withFix = released.replace(
			'## [Unreleased]\n',
			'## [Unreleased]\n\n### Fixed\n\n- A retry.\n',
		);
		const next = releaseChangelog(withFix, { version: '0.1.1', date: '2026-12-24', repoUrl });
		expect(next).toContain(
			'## [Unreleased]\n\n## [0.1.1] - 2026-12-24\n\n### Fixed\n\n- A retry.\n\n## [0.1.0] - 2026-12-01\n',
		);
		expect(next.trimEnd().split('\n').slice(-3)).toEqual([
			`[Unreleased]: ${repoUrl}/compare/v0.1.1...HEAD`,
			`[0.1.1]: ${repoUrl}/compare/v0.1.0...v0.1.1`,
			`[0.1.0]: ${repoUrl}/releases/tag/v0.1.0`,
		]);
		expect(versionNotes(next, '0.1.0')).toBe('### Added\n\n- Block and Unblock.\n- List.');
		expect(latestVersion(next)).toBe('0.1.1');
	});

	it('adds the links when the changelog had none', () => {
		const bare = lines('# Changelog', '', '## [Unreleased]', '', '- One thing.');
		expect(releaseChangelog(bare, { version: '1.0.0', date: '2027-01-02', repoUrl })).toBe(
			lines(
				'# Changelog',
				'',
				'## [Unreleased]',
				'',
				'## [1.0.0] - 2027-01-02',
				'',
				'- One thing.',
				'',
				`[Unreleased]: ${repoUrl}/compare/v1.0.0...HEAD`,
				`[1.0.0]: ${repoUrl}/releases/tag/v1.0.0`,
			),
		);
	});

	it('refuses when there is nothing to release', () => {
		const empty = lines(
			'# Changelog',
			'',
			'## [Unreleased]',
			'',
			'### Added',
			'',
			'## [0.1.0] - 2026-12-01',
			'',
			'- Old.',
		);
		expect(() =>
			releaseChangelog(empty, { version: '0.1.1', date: '2026-12-02', repoUrl }),
		).toThrow(/no entries under Unreleased/);
		expect(() =>
			releaseChangelog('# Changelog\n', { version: '0.1.1', date: '2026-12-02', repoUrl }),
		).toThrow(/no "## \[Unreleased\]"/);
	});

	it('refuses a version the changelog already has', () => {
		const released = releaseChangelog(first, { version: '0.1.0', date: '2026-12-01', repoUrl });
		const again = released.replace('## [Unreleased]\n', '## [Unreleased]\n\n- More.\n');
		expect(() =>
			releaseChangelog(again, { version: '0.1.0', date: '2026-12-02', repoUrl }),
		).toThrow(/already has a section for 0.1.0/);
	});

	it("releases the repository's own CHANGELOG.md", () => {
		const text = readFileSync(path.join(__dirname, '..', '..', 'CHANGELOG.md'), 'utf8');
		const released = releaseChangelog(text, { version: '0.1.0', date: '2026-12-01', repoUrl });
		expect(versionNotes(released, '0.1.0')).toMatch(
			/^### Added\n\n- \*\*Splashify API\*\* credential/,
		);
		expect(versionNotes(released, '0.1.0')).toContain('BSUIDs');
		expect(released).toMatch(/## \[Unreleased\]\n\n## \[0\.1\.0\] - 2026-12-01\n/);
	});
});
