/*
 * The two programs the end-to-end suite takes from the machine, Redis (the queue-mode test) and
 * Chromium or Chrome (the editor UI tests): where to find them, how to install them on this
 * system, and what a test does when one is missing (run, skip with one line, or, under CI=true,
 * fail). Used by scripts/n8n/e2e-setup.js (before `npm ci`, so Node built-ins only) and by the
 * e2e tests (test/e2e/helpers.ts).
 *
 * The decisions are pure functions of a `system` value (platform, environment, what exists);
 * `currentSystem()` reads this machine's.
 *
 * Library: const { currentSystem, verdict, installCommand } = require('./system-tools');
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const TOOLS = {
	redis: {
		title: 'Redis',
		missing: 'Redis (redis-server) not found',
		override: 'REDIS_SERVER_PATH',
		tests: 'the queue-mode test (test/e2e/queue.test.ts)',
		commands: ['redis-server'],
		fixed: {
			linux: ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server'],
			darwin: ['/opt/homebrew/bin/redis-server', '/usr/local/bin/redis-server'],
		},
		packages: {
			debian: 'redis-server',
			ubuntu: 'redis-server',
			fedora: 'redis',
			arch: 'redis',
			darwin: 'redis',
		},
	},
	chromium: {
		title: 'Chromium',
		missing: 'Chromium or Chrome not found',
		override: 'CHROMIUM_PATH',
		tests: 'the editor UI tests (test/e2e/server.test.ts)',
		// Debian's package (what CI installs), then a browser Playwright downloaded, then PATH, then these.
		first: { linux: ['/usr/bin/chromium'] },
		playwright: true,
		commands: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
		fixed: {
			darwin: [
				'/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
				'/Applications/Chromium.app/Contents/MacOS/Chromium',
				'~/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
				'~/Applications/Chromium.app/Contents/MacOS/Chromium',
			],
		},
		// Ubuntu's apt package is a wrapper around a snap: Playwright's own download instead.
		packages: {
			debian: 'chromium',
			fedora: 'chromium',
			arch: 'chromium',
			darwin: '--cask google-chrome',
		},
	},
};

/** Browser executables inside a Playwright browser folder (chromium-<rev>/, chromium_headless_shell-<rev>/), newest layout first. */
const PLAYWRIGHT_EXECUTABLES = {
	linux: {
		x64: [
			'chrome-linux64/chrome',
			'chrome-linux/chrome',
			'chrome-headless-shell-linux64/chrome-headless-shell',
			'chrome-linux/headless_shell',
		],
		arm64: [
			'chrome-linux-arm64/chrome',
			'chrome-linux/chrome',
			'chrome-headless-shell-linux-arm64/chrome-headless-shell',
			'chrome-linux/headless_shell',
		],
	},
	darwin: {
		x64: [
			'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
			'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
			'chrome-headless-shell-mac-x64/chrome-headless-shell',
			'chrome-mac/headless_shell',
		],
		arm64: [
			'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
			'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
			'chrome-headless-shell-mac-arm64/chrome-headless-shell',
			'chrome-mac/headless_shell',
		],
	},
};

/** CI=true (or any value but '', '0' and 'false'): nothing may be skipped. */
function isCi(env) {
	const v = String(env.CI ?? '')
		.trim()
		.toLowerCase();
	return v !== '' && v !== '0' && v !== 'false';
}

/** ID and ID_LIKE of /etc/os-release's text. */
function parseOsRelease(text) {
	const field = (name) => {
		const m = new RegExp(`^${name}=(.*)$`, 'm').exec(text || '');
		return m
			? m[1]
					.trim()
					.replace(/^["']|["']$/g, '')
					.toLowerCase()
			: '';
	};
	return { id: field('ID'), like: field('ID_LIKE').split(/\s+/).filter(Boolean) };
}

/** Which install commands fit: 'darwin', 'debian', 'ubuntu' (and its derivatives), 'fedora' (RHEL too), 'arch', or 'other'. */
function family(system) {
	if (system.platform === 'darwin') return 'darwin';
	if (system.platform !== 'linux') return 'other';
	const ids = [system.osRelease.id, ...system.osRelease.like];
	if (ids.includes('ubuntu')) return 'ubuntu';
	if (ids.includes('debian')) return 'debian';
	if (ids.some((id) => ['fedora', 'rhel', 'centos'].includes(id))) return 'fedora';
	if (ids.includes('arch')) return 'arch';
	return 'other';
}

/** `command` in every folder of PATH. */
const onPath = (command, env) =>
	String(env.PATH || '')
		.split(path.delimiter)
		.filter(Boolean)
		.map((dir) => path.join(dir, command));

const expandHome = (p, home) => (p.startsWith('~/') ? path.join(home, p.slice(2)) : p);

/** Where Playwright keeps its downloaded browsers on this system. */
function playwrightDir(system) {
	if (system.env.PLAYWRIGHT_BROWSERS_PATH && system.env.PLAYWRIGHT_BROWSERS_PATH !== '0')
		return system.env.PLAYWRIGHT_BROWSERS_PATH;
	if (system.platform === 'darwin')
		return path.join(system.home, 'Library', 'Caches', 'ms-playwright');
	return path.join(system.env.XDG_CACHE_HOME || path.join(system.home, '.cache'), 'ms-playwright');
}

/** Browsers Playwright downloaded (`npx playwright-core install chromium`), newest revision first. */
function playwrightCandidates(system) {
	const inside = PLAYWRIGHT_EXECUTABLES[system.platform]?.[system.arch] ?? [];
	const dir = playwrightDir(system);
	const revision = (name) => Number(name.split('-').pop()) || 0;
	const folders = system
		.listDir(dir)
		.filter((name) => /^chromium(_headless_shell)?-\d+$/.test(name))
		// Full Chromium before the headless shell, then the newest revision.
		.sort(
			(a, b) =>
				Number(a.startsWith('chromium_')) - Number(b.startsWith('chromium_')) ||
				revision(b) - revision(a),
		);
	return folders.flatMap((folder) => inside.map((file) => path.join(dir, folder, file)));
}

/** Every place looked at for `tool`, in order (the override, when set, is the only one). */
function candidates(tool, system) {
	const spec = TOOLS[tool];
	const places = (table) => (table?.[system.platform] ?? []).map((p) => expandHome(p, system.home));
	return [
		...new Set([
			...places(spec.first),
			...(spec.playwright ? playwrightCandidates(system) : []),
			...spec.commands.flatMap((command) => onPath(command, system.env)),
			...places(spec.fixed),
		]),
	];
}

/** `{ path }` of the program to use, or `{ path: null, problem }`. */
function findTool(tool, system) {
	const spec = TOOLS[tool];
	const override = system.env[spec.override];
	if (override) {
		if (system.isExecutable(override)) return { path: override };
		return { path: null, problem: `${spec.override}=${override} is not an executable file` };
	}
	const found = candidates(tool, system).find((p) => system.isExecutable(p));
	return found ? { path: found } : { path: null, problem: spec.missing };
}

/** The command that installs `tool` on this system, for a person to run (null: none known). */
function installCommand(tool, system) {
	const fam = family(system);
	const pkg = TOOLS[tool].packages[fam];
	const sudo = system.isRoot ? '' : 'sudo ';
	if (fam === 'darwin') return `brew install ${pkg}`;
	if (pkg && (fam === 'debian' || fam === 'ubuntu')) return `${sudo}apt-get install -y ${pkg}`;
	if (pkg && fam === 'fedora') return `${sudo}dnf install -y ${pkg}`;
	if (pkg && fam === 'arch') return `${sudo}pacman -S --needed ${pkg}`;
	if (tool === 'chromium' && system.platform === 'linux')
		return 'npx playwright-core install --with-deps chromium';
	return null;
}

/**
 * The argv that installs `tool` with no question asked, or null: apt-get on Debian (and Redis on
 * Ubuntu), as root or with passwordless sudo. Nothing else is installed unasked.
 */
function autoInstallArgv(tool, system) {
	const fam = family(system);
	const pkg = TOOLS[tool].packages[fam];
	if (!pkg || (fam !== 'debian' && fam !== 'ubuntu') || !system.hasAptGet) return null;
	const apt = [
		'env',
		'DEBIAN_FRONTEND=noninteractive',
		'apt-get',
		'install',
		'-y',
		'-qq',
		'--no-install-recommends',
		pkg,
	];
	if (system.isRoot) return apt;
	if (system.passwordlessSudo) return ['sudo', '-n', ...apt];
	return null;
}

/**
 * What the tests that need `tool` do: 'run' (with `path`), 'skip' or, under CI=true, 'fail'; and
 * for the last two the one line that says what is missing and how to install it.
 */
function verdict(tool, system) {
	const spec = TOOLS[tool];
	const found = findTool(tool, system);
	if (found.path)
		return { tool, status: 'run', path: found.path, line: `${spec.title}: ${found.path}` };
	const command = installCommand(tool, system);
	let how = command
		? `install it with: ${command} (or set ${spec.override})`
		: `install ${spec.title} with your system's package manager (or set ${spec.override})`;
	if (system.env[spec.override]) how = `point ${spec.override} at ${spec.title}, or unset it`;
	if (isCi(system.env)) {
		return {
			tool,
			status: 'fail',
			path: null,
			line: `${found.problem}, and CI=true allows no skip: failing ${spec.tests}; ${how}`,
		};
	}
	return {
		tool,
		status: 'skip',
		path: null,
		line: `${found.problem}: skipping ${spec.tests}; ${how}`,
	};
}

function isExecutableFile(p) {
	try {
		if (!fs.statSync(p).isFile()) return false;
		fs.accessSync(p, fs.constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

function commandWorks(argv) {
	const r = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 10000 });
	return !r.error && r.status === 0;
}

/**
 * This machine as the functions above read it. `probeSudo` runs `sudo -n true` (never prompts) to
 * learn whether sudo works without a password, where apt-get could use it; only the set-up asks,
 * and only when something is missing.
 */
function currentSystem({ probeSudo = false } = {}) {
	let osRelease = { id: '', like: [] };
	try {
		osRelease = parseOsRelease(fs.readFileSync('/etc/os-release', 'utf8'));
	} catch {
		/* not Linux, or no os-release */
	}
	const system = {
		platform: process.platform,
		arch: process.arch,
		env: process.env,
		home: os.homedir(),
		osRelease,
		isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
		isExecutable: isExecutableFile,
		listDir: (dir) => {
			try {
				return fs.readdirSync(dir);
			} catch {
				return [];
			}
		},
		passwordlessSudo: false,
		hasAptGet: false,
	};
	system.hasAptGet = [...onPath('apt-get', process.env), '/usr/bin/apt-get'].some(isExecutableFile);
	if (probeSudo && !system.isRoot && system.hasAptGet)
		system.passwordlessSudo = commandWorks(['sudo', '-n', 'true']);
	return system;
}

/**
 * The flags headless Chromium runs with here (the e2e editor tests, the screenshots): on a closed
 * network, without the background flags its connections are refused many at a time; and
 * --no-sandbox, as the tests may run as root.
 */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

module.exports = {
	CHROMIUM_ARGS,
	TOOLS,
	isCi,
	parseOsRelease,
	family,
	candidates,
	findTool,
	installCommand,
	autoInstallArgv,
	verdict,
	currentSystem,
};
