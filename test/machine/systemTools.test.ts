/**
 * What the end-to-end suite takes from the machine (scripts/n8n/system-tools.js): where Redis and
 * Chromium are looked for on Linux and macOS, which install command is suggested on which
 * system, what is installed unasked (only apt-get as root or with passwordless sudo), and how a
 * missing program becomes a skip with one line, or under CI=true a failure. Then e2e-setup.js
 * itself under CI=true with both programs pointed at nothing: it fails before installing anything.
 */
import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

import {
	autoInstallArgv,
	candidates,
	currentSystem,
	family,
	findTool,
	installCommand,
	isCi,
	parseOsRelease,
	verdict,
	type System,
} from '../../scripts/n8n/system-tools';

const OS_RELEASE = {
	debian:
		'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
	ubuntu: 'NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\n',
	mint: 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n',
	fedora: 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=41\n',
	rocky: 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n',
	arch: 'NAME="Arch Linux"\nID=arch\n',
	manjaro: 'NAME="Manjaro Linux"\nID=manjaro\nID_LIKE=arch\n',
	alpine: 'NAME="Alpine Linux"\nID=alpine\n',
};

/** A system with only the given executables and folders (folder -> entries). */
function fake(
	o: Partial<System> & {
		files?: string[];
		dirs?: Record<string, string[]>;
		os?: keyof typeof OS_RELEASE;
	} = {},
): System {
	const files = new Set(o.files ?? []);
	return {
		platform: 'linux',
		arch: 'x64',
		env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
		home: '/home/u',
		osRelease: parseOsRelease(OS_RELEASE[o.os ?? 'debian']),
		isRoot: false,
		passwordlessSudo: false,
		hasAptGet: true,
		isExecutable: (p) => files.has(p),
		listDir: (d) => o.dirs?.[d] ?? [],
		...o,
	};
}
const mac = (o: Parameters<typeof fake>[0] = {}) =>
	fake({
		platform: 'darwin',
		arch: 'arm64',
		home: '/Users/u',
		osRelease: { id: '', like: [] },
		hasAptGet: false,
		env: { PATH: '/usr/bin:/bin' },
		...o,
	});

describe('isCi', () => {
	it.each([['true'], ['1'], ['yes'], ['TRUE']])('CI=%s is CI', (v) =>
		expect(isCi({ CI: v })).toBe(true),
	);
	it.each([[undefined], [''], ['0'], ['false'], ['False']])('CI=%s is not', (v) =>
		expect(isCi({ CI: v })).toBe(false),
	);
});

describe('the system family, from /etc/os-release', () => {
	it.each([
		['debian', 'debian'],
		['ubuntu', 'ubuntu'],
		['mint', 'ubuntu'],
		['fedora', 'fedora'],
		['rocky', 'fedora'],
		['arch', 'arch'],
		['manjaro', 'arch'],
		['alpine', 'other'],
	] as const)('%s is %s', (os, fam) => expect(family(fake({ os }))).toBe(fam));

	it('reads quoted and lower-cases', () =>
		expect(parseOsRelease('ID="Rocky"\nID_LIKE="rhel  fedora"\n')).toEqual({
			id: 'rocky',
			like: ['rhel', 'fedora'],
		}));
	it('macOS is darwin whatever the os-release', () => expect(family(mac())).toBe('darwin'));
	it('Windows is other', () => expect(family(fake({ platform: 'win32' }))).toBe('other'));
});

describe('the install command suggested', () => {
	it.each([
		[
			'debian, as root',
			fake({ isRoot: true }),
			'apt-get install -y redis-server',
			'apt-get install -y chromium',
		],
		[
			'debian, as a user',
			fake(),
			'sudo apt-get install -y redis-server',
			'sudo apt-get install -y chromium',
		],
		// Ubuntu's apt chromium is a snap wrapper: Playwright's own build instead.
		[
			'ubuntu',
			fake({ os: 'ubuntu' }),
			'sudo apt-get install -y redis-server',
			'npx playwright-core install --with-deps chromium',
		],
		['fedora', fake({ os: 'fedora' }), 'sudo dnf install -y redis', 'sudo dnf install -y chromium'],
		[
			'arch',
			fake({ os: 'manjaro' }),
			'sudo pacman -S --needed redis',
			'sudo pacman -S --needed chromium',
		],
		['alpine', fake({ os: 'alpine' }), null, 'npx playwright-core install --with-deps chromium'],
		['macOS', mac(), 'brew install redis', 'brew install --cask google-chrome'],
	])('%s', (_name, system, redis, chromium) => {
		expect(installCommand('redis', system)).toBe(redis);
		expect(installCommand('chromium', system)).toBe(chromium);
	});
});

describe('what is installed without asking', () => {
	const apt = (pkg: string) => [
		'env',
		'DEBIAN_FRONTEND=noninteractive',
		'apt-get',
		'install',
		'-y',
		'-qq',
		'--no-install-recommends',
		pkg,
	];

	it('Debian as root (CI): apt-get', () => {
		expect(autoInstallArgv('redis', fake({ isRoot: true }))).toEqual(apt('redis-server'));
		expect(autoInstallArgv('chromium', fake({ isRoot: true }))).toEqual(apt('chromium'));
	});
	it('Debian with passwordless sudo: sudo -n, which never prompts', () => {
		expect(autoInstallArgv('chromium', fake({ passwordlessSudo: true }))).toEqual([
			'sudo',
			'-n',
			...apt('chromium'),
		]);
	});
	it('Debian as a user whose sudo wants a password: nothing', () => {
		expect(autoInstallArgv('redis', fake())).toBeNull();
		expect(autoInstallArgv('chromium', fake())).toBeNull();
	});
	it('Ubuntu as root: Redis only (its chromium package is a snap wrapper)', () => {
		expect(autoInstallArgv('redis', fake({ os: 'ubuntu', isRoot: true }))).toEqual(
			apt('redis-server'),
		);
		expect(autoInstallArgv('chromium', fake({ os: 'ubuntu', isRoot: true }))).toBeNull();
	});
	it('no apt-get, Fedora, macOS: nothing', () => {
		expect(autoInstallArgv('redis', fake({ isRoot: true, hasAptGet: false }))).toBeNull();
		expect(autoInstallArgv('redis', fake({ os: 'fedora', isRoot: true }))).toBeNull();
		expect(autoInstallArgv('redis', mac({ isRoot: true }))).toBeNull();
	});
});

describe('finding Redis', () => {
	it('the first redis-server on PATH, before the usual places', () => {
		const system = fake({
			env: { PATH: '/home/u/bin:/usr/bin' },
			files: ['/home/u/bin/redis-server', '/usr/bin/redis-server'],
		});
		expect(findTool('redis', system)).toEqual({ path: '/home/u/bin/redis-server' });
	});
	it("Homebrew's on macOS when PATH lacks it", () => {
		expect(findTool('redis', mac({ files: ['/opt/homebrew/bin/redis-server'] }))).toEqual({
			path: '/opt/homebrew/bin/redis-server',
		});
	});
	it('none: the problem says what is missing', () => {
		expect(findTool('redis', fake())).toEqual({
			path: null,
			problem: 'Redis (redis-server) not found',
		});
	});
	it('REDIS_SERVER_PATH wins, and a wrong one is not silently replaced by another', () => {
		const files = ['/usr/bin/redis-server', '/opt/redis/bin/redis-server'];
		expect(
			findTool(
				'redis',
				fake({
					files,
					env: { PATH: '/usr/bin', REDIS_SERVER_PATH: '/opt/redis/bin/redis-server' },
				}),
			).path,
		).toBe('/opt/redis/bin/redis-server');
		expect(
			findTool(
				'redis',
				fake({ files, env: { PATH: '/usr/bin', REDIS_SERVER_PATH: '/opt/nothing' } }),
			),
		).toEqual({
			path: null,
			problem: 'REDIS_SERVER_PATH=/opt/nothing is not an executable file',
		});
	});
});

describe('finding Chromium', () => {
	const pw = '/home/u/.cache/ms-playwright';

	it("Debian's /usr/bin/chromium first", () => {
		const system = fake({
			files: [
				'/usr/bin/chromium',
				'/usr/local/bin/google-chrome',
				`${pw}/chromium-1248/chrome-linux64/chrome`,
			],
			dirs: { [pw]: ['chromium-1248'] },
		});
		expect(findTool('chromium', system).path).toBe('/usr/bin/chromium');
	});
	it('then a browser Playwright downloaded: full Chromium before the headless shell, newest revision first', () => {
		const system = fake({
			files: [
				`${pw}/chromium-1200/chrome-linux64/chrome`,
				`${pw}/chromium-1248/chrome-linux64/chrome`,
				`${pw}/chromium_headless_shell-1300/chrome-headless-shell-linux64/chrome-headless-shell`,
			],
			dirs: {
				[pw]: ['chromium-1200', 'chromium_headless_shell-1300', 'chromium-1248', 'ffmpeg-1011'],
			},
		});
		expect(findTool('chromium', system).path).toBe(`${pw}/chromium-1248/chrome-linux64/chrome`);
	});
	it("an older Playwright's layout, the headless shell alone, on arm64", () => {
		expect(
			findTool(
				'chromium',
				fake({
					files: [`${pw}/chromium-1140/chrome-linux/chrome`],
					dirs: { [pw]: ['chromium-1140'] },
				}),
			).path,
		).toBe(`${pw}/chromium-1140/chrome-linux/chrome`);
		const shell = `${pw}/chromium_headless_shell-1248/chrome-headless-shell-linux-arm64/chrome-headless-shell`;
		expect(
			findTool(
				'chromium',
				fake({ arch: 'arm64', files: [shell], dirs: { [pw]: ['chromium_headless_shell-1248'] } }),
			).path,
		).toBe(shell);
	});
	it('Playwright folders from XDG_CACHE_HOME and PLAYWRIGHT_BROWSERS_PATH', () => {
		const xdg = fake({
			env: { PATH: '/usr/bin', XDG_CACHE_HOME: '/x' },
			files: ['/x/ms-playwright/chromium-1248/chrome-linux64/chrome'],
			dirs: { '/x/ms-playwright': ['chromium-1248'] },
		});
		expect(findTool('chromium', xdg).path).toBe(
			'/x/ms-playwright/chromium-1248/chrome-linux64/chrome',
		);
		const own = fake({
			env: { PATH: '/usr/bin', PLAYWRIGHT_BROWSERS_PATH: '/pw' },
			files: ['/pw/chromium-1248/chrome-linux64/chrome'],
			dirs: { '/pw': ['chromium-1248'] },
		});
		expect(findTool('chromium', own).path).toBe('/pw/chromium-1248/chrome-linux64/chrome');
	});
	it('then chromium, chromium-browser, google-chrome on PATH', () => {
		expect(
			findTool(
				'chromium',
				fake({ files: ['/usr/local/bin/google-chrome', '/usr/bin/chromium-browser'] }),
			).path,
		).toBe('/usr/bin/chromium-browser');
		expect(findTool('chromium', fake({ files: ['/usr/local/bin/google-chrome'] })).path).toBe(
			'/usr/local/bin/google-chrome',
		);
	});
	it('macOS: Playwright under ~/Library/Caches, then the apps', () => {
		const lib = '/Users/u/Library/Caches/ms-playwright';
		const cft = `${lib}/chromium-1248/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing`;
		const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
		expect(
			findTool('chromium', mac({ files: [chrome, cft], dirs: { [lib]: ['chromium-1248'] } })).path,
		).toBe(cft);
		expect(
			findTool(
				'chromium',
				mac({ files: [chrome, '/Applications/Chromium.app/Contents/MacOS/Chromium'] }),
			).path,
		).toBe(chrome);
		expect(
			findTool(
				'chromium',
				mac({ files: ['/Users/u/Applications/Chromium.app/Contents/MacOS/Chromium'] }),
			).path,
		).toBe('/Users/u/Applications/Chromium.app/Contents/MacOS/Chromium');
	});
	it('Linux does not look in macOS places; macOS looks in PATH too', () => {
		expect(candidates('chromium', fake())).not.toContain(
			'/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
		);
		expect(
			findTool(
				'chromium',
				mac({ env: { PATH: '/opt/homebrew/bin:/usr/bin' }, files: ['/opt/homebrew/bin/chromium'] }),
			).path,
		).toBe('/opt/homebrew/bin/chromium');
	});
});

describe('verdict: run, skip with one line, or fail under CI=true', () => {
	it('found: run with the path', () => {
		expect(verdict('redis', fake({ files: ['/usr/bin/redis-server'] }))).toMatchObject({
			status: 'run',
			path: '/usr/bin/redis-server',
		});
	});
	it('missing: skip, one line naming what is missing, the tests, and the command for this system', () => {
		const v = verdict('redis', fake());
		expect(v.status).toBe('skip');
		expect(v.line).toBe(
			'Redis (redis-server) not found: skipping the queue-mode test (test/e2e/queue.test.ts); install it with: sudo apt-get install -y redis-server (or set REDIS_SERVER_PATH)',
		);
		expect(v.line).not.toContain('\n');
		expect(verdict('chromium', mac()).line).toBe(
			'Chromium or Chrome not found: skipping the editor UI tests (test/e2e/server.test.ts); install it with: brew install --cask google-chrome (or set CHROMIUM_PATH)',
		);
	});
	it('missing under CI=true: fail, not skip', () => {
		const v = verdict('chromium', fake({ isRoot: true, env: { PATH: '/usr/bin', CI: 'true' } }));
		expect(v.status).toBe('fail');
		expect(v.line).toBe(
			'Chromium or Chrome not found, and CI=true allows no skip: failing the editor UI tests (test/e2e/server.test.ts); install it with: apt-get install -y chromium (or set CHROMIUM_PATH)',
		);
		expect(verdict('chromium', fake({ env: { PATH: '/usr/bin', CI: 'false' } })).status).toBe(
			'skip',
		);
	});
	it('no known command (Alpine Redis): says to use the package manager', () => {
		expect(verdict('redis', fake({ os: 'alpine' })).line).toContain(
			"install Redis with your system's package manager (or set REDIS_SERVER_PATH)",
		);
	});
	it('a wrong override: says to fix it', () => {
		expect(verdict('chromium', fake({ env: { CHROMIUM_PATH: '/nope' } })).line).toBe(
			'CHROMIUM_PATH=/nope is not an executable file: skipping the editor UI tests (test/e2e/server.test.ts); point CHROMIUM_PATH at Chromium, or unset it',
		);
	});
});

describe('this machine', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'splashify-tools-'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('an executable is a regular file with the x bit: not a plain file, a folder or /dev/null (a bind-mounted hidden binary)', () => {
		const system = currentSystem();
		const file = path.join(dir, 'redis-server');
		writeFileSync(file, '#!/bin/sh\n');
		chmodSync(file, 0o644);
		expect(system.isExecutable(file)).toBe(false);
		chmodSync(file, 0o755);
		expect(system.isExecutable(file)).toBe(true);
		expect(system.isExecutable(dir)).toBe(false);
		expect(system.isExecutable('/dev/null')).toBe(false);
		expect(findTool('redis', { ...system, env: { PATH: dir } })).toEqual({ path: file });
	});

	it('e2e-setup.js under CI=true with Redis and Chromium pointed at nothing: exit 1, one ERROR line each, nothing installed', () => {
		const setup = path.join(__dirname, '..', '..', 'scripts', 'n8n', 'e2e-setup.js');
		const env = {
			...process.env,
			CI: 'true',
			REDIS_SERVER_PATH: path.join(dir, 'none'),
			CHROMIUM_PATH: path.join(dir, 'none'),
		};
		const r = spawnSync(process.execPath, [setup], { env, encoding: 'utf8' });
		expect(r.status).toBe(1);
		const errors = r.stderr.split('\n').filter((l) => l.startsWith('[e2e-setup] ERROR: '));
		expect(errors).toEqual([
			`[e2e-setup] ERROR: REDIS_SERVER_PATH=${env.REDIS_SERVER_PATH} is not an executable file, and CI=true allows no skip: failing the queue-mode test (test/e2e/queue.test.ts); point REDIS_SERVER_PATH at Redis, or unset it`,
			`[e2e-setup] ERROR: CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file, and CI=true allows no skip: failing the editor UI tests (test/e2e/server.test.ts); point CHROMIUM_PATH at Chromium, or unset it`,
		]);
		expect(`${r.stdout}${r.stderr}`).not.toMatch(/apt-get|n8n .* ready|Node v/);
	});
});
