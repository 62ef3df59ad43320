/**
 * Versions for a release: semantic-version bumps, an explicit version (the current one only
 * while it was never released), the version written into package.json and the lock file
 * with their formatting kept, the repository's address, and the publish gate's tag check.
 */
import { readFileSync } from 'fs';
import path from 'path';

import { tagProblem } from '../../scripts/release/check-tag';
import { nextVersion, repoWebUrl, withVersion } from '../../scripts/release/version';

const root = path.join(__dirname, '..', '..');

describe('nextVersion', () => {
	it.each([
		['0.1.0', 'patch', '0.1.1'],
		['0.1.9', 'minor', '0.2.0'],
		['0.9.3', 'major', '1.0.0'],
		['1.2.3', 'minor', '1.3.0'],
		['1.2.3', '1.2.10', '1.2.10'],
	])('%s %s -> %s', (current, arg, expected) => {
		expect(nextVersion(current, arg)).toBe(expected);
	});

	it('takes the current version only while it was never released', () => {
		expect(nextVersion('0.1.0', '0.1.0', { currentReleased: false })).toBe('0.1.0');
		expect(() => nextVersion('0.1.0', '0.1.0')).toThrow(/already released/);
	});

	it('refuses a lower version, pre-releases and anything else', () => {
		expect(() => nextVersion('0.2.0', '0.1.9')).toThrow(/lower than the current 0.2.0/);
		expect(() => nextVersion('0.1.0', '0.2.0-rc.1')).toThrow(/not a version of the form X.Y.Z/);
		expect(() => nextVersion('0.1.0', 'bump')).toThrow(/not a version/);
	});
});

describe('withVersion', () => {
	it.each(['package.json', 'package-lock.json'])(
		'keeps %s byte for byte apart from the version',
		(file) => {
			const text = readFileSync(path.join(root, file), 'utf8');
			const { version } = JSON.parse(text) as { version: string };
			expect(withVersion(text, version)).toBe(text);
			const bumped = withVersion(text, '9.8.7');
			expect(JSON.parse(bumped).version).toBe('9.8.7');
			if (file === 'package-lock.json')
				expect(JSON.parse(bumped).packages[''].version).toBe('9.8.7');
			expect(bumped.split('\n').length).toBe(text.split('\n').length);
		},
	);
});

describe('repoWebUrl and the publish gate', () => {
	it('turns the repository url into the web address', () => {
		expect(repoWebUrl({ url: 'git+https://github.com/splashify/n8n-nodes-splashify.git' })).toBe(
			'https://github.com/splashify/n8n-nodes-splashify',
		);
		expect(repoWebUrl('https://github.com/a/b')).toBe('https://github.com/a/b');
	});

	it('publishes only a tag equal to v<version> with changelog notes', () => {
		const changelog = '## [Unreleased]\n\n## [0.1.1] - 2026-12-02\n\n- Fix.\n';
		expect(tagProblem('v0.1.1', '0.1.1', changelog)).toBeNull();
		expect(tagProblem('v0.1.2', '0.1.1', changelog)).toMatch(/tag v0.1.2 is not v0.1.1/);
		expect(tagProblem('0.1.1', '0.1.1', changelog)).toMatch(/is not v0.1.1/);
		expect(tagProblem('v0.1.0', '0.1.0', changelog)).toMatch(/no notes under "## \[0.1.0\]"/);
	});
});
