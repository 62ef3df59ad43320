/*
 * Helpers to run the pinned n8n (scripts/n8n/install.js) in isolation, headless, with this
 * package loaded the way n8n's own community-package installer loads it.
 *
 *   const { N8nInstance, buildAndPack } = require('./scripts/n8n/run');
 *   const n8n = await N8nInstance.create({ userFolder });     // own SQLite, key, ports
 *   await n8n.installPackage(await buildAndPack());           // npm pack -> nodes/node_modules
 *   await n8n.importCredentials([{ id, name, type: 'splashifyApi', data }]);
 *   await n8n.importWorkflow(workflowJson);
 *   const run = await n8n.execute(workflowJson.id);          // IRun JSON from --rawOutput
 *   await n8n.start();                                       // `n8n start`, waits for /healthz/readiness
 *   await n8n.stop();
 *
 * Everything n8n writes lands in the user folder; it connects only to loopback.
 */
'use strict';
const { spawn, spawnSync, execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const { ensureN8n, n8nEnv, n8nNodeBinDir, installDir, N8N_VERSION } = require('./install');
const { disabledModules, profileFor } = require('./versions');

/** What differs in driving this n8n release (the CLI's activation): ./versions.js. */
const profile = profileFor(N8N_VERSION);

const root = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = require(path.join(root, 'package.json')).name;
/** Fixed key: credentials imported by one run stay readable by the next one. Test-only. */
const DEFAULT_ENCRYPTION_KEY = 'splashify-n8n-local-test-key-not-a-secret';

/** A free TCP port on 127.0.0.1 (asks the kernel for one, then releases it). */
/** Ports this process has handed out: the OS may give a just-closed port again to the next listen(0). */
const handedOut = new Set();

/**
 * A free port on 127.0.0.1 that this process has not handed out before (n8n's port and its
 * runner broker's are asked for one after the other, and must differ).
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => {
				if (handedOut.has(port)) return freePort().then(resolve, reject);
				handedOut.add(port);
				resolve(port);
			});
		});
	});
}

/** A new empty folder under the OS tmp dir (for tests) or the given parent. */
function makeTempDir(prefix = 'n8n-e2e-', parent = os.tmpdir()) {
	fs.mkdirSync(parent, { recursive: true });
	return fs.mkdtempSync(path.join(parent, prefix));
}

/** Removes the entries of `dir` not modified for `ageMs` (old temporary runs). */
function pruneOlderThan(dir, ageMs) {
	let entries = [];
	try {
		entries = fs.readdirSync(dir);
	} catch {
		return;
	}
	for (const name of entries) {
		const p = path.join(dir, name);
		try {
			if (Date.now() - fs.statSync(p).mtimeMs > ageMs)
				fs.rmSync(p, { recursive: true, force: true });
		} catch {
			/* gone already */
		}
	}
}

let packCache = null;
/**
 * `npm run build` then `npm pack` of the project; returns the .tgz path (in .cache/pack/).
 * Built once per process unless `force`.
 */
function buildAndPack({ force = false, skipBuild = false, quiet = false } = {}) {
	if (packCache && !force && fs.existsSync(packCache)) return packCache;
	const stdio = quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'];
	const started = Date.now();
	if (!skipBuild) {
		const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio, encoding: 'utf8' });
		if (r.status !== 0)
			throw new Error(
				`npm run build failed (exit ${r.status})\n${r.stdout || ''}${r.stderr || ''}`,
			);
	}
	// A folder of its own, so that runs in parallel (dev, tests) do not remove each other's tarball.
	const packRoot = path.join(root, '.cache', 'pack');
	pruneOlderThan(packRoot, 60 * 60 * 1000);
	const dest = makeTempDir('run-', packRoot);
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const info = JSON.parse(out.slice(out.indexOf('[')));
	packCache = path.join(dest, info[0].filename);
	if (!quiet)
		console.error(
			`[n8n] built and packed ${path.relative(root, packCache)} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
		);
	return packCache;
}

/**
 * Finds the JSON document that `n8n execute --rawOutput` prints among log lines on stdout:
 * the first line starting with `{` from which a block up to a line starting with `}` parses.
 */
function extractJson(stdout) {
	const lines = String(stdout).split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (!lines[i].startsWith('{')) continue;
		if (lines[i].trim().endsWith('}')) {
			try {
				return JSON.parse(lines[i]);
			} catch {
				/* not a one-line document */
			}
		}
		for (let j = lines.length - 1; j > i; j--) {
			if (!lines[j].startsWith('}')) continue;
			try {
				return JSON.parse(lines.slice(i, j + 1).join('\n'));
			} catch {
				/* try a shorter block */
			}
		}
	}
	return undefined;
}

function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 30000 } = {}) {
	return new Promise((resolve, reject) => {
		const payload =
			body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = http.request(
			url,
			{
				method,
				headers: {
					...(payload !== undefined
						? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
						: {}),
					...headers,
				},
				timeout: timeoutMs,
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () =>
			req.destroy(new Error(`timeout after ${timeoutMs}ms: ${method} ${url}`)),
		);
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class N8nInstance {
	/**
	 * @param {object} o
	 * @param {string} o.userFolder  N8N_USER_FOLDER (n8n keeps `.n8n/` with SQLite inside)
	 * @param {number} o.port        N8N_PORT for `start`
	 * @param {number} o.brokerPort  N8N_RUNNERS_BROKER_PORT
	 * @param {object} [o.env]       extra environment (overrides the defaults)
	 */
	constructor({
		userFolder,
		port,
		brokerPort,
		env = {},
		logPrefix = 'n8n',
		encryptionKey = DEFAULT_ENCRYPTION_KEY,
	}) {
		this.userFolder = userFolder;
		this.port = port;
		this.brokerPort = brokerPort;
		this.extraEnv = env;
		this.logPrefix = logPrefix;
		this.encryptionKey = encryptionKey;
		this.n8nBin = ensureN8n();
		this.processes = new Set();
		this.server = null;
		/** Timings of CLI calls: [{ args, ms, code }] */
		this.cliLog = [];
	}

	static async create({ userFolder, env = {}, logPrefix, encryptionKey } = {}) {
		const folder = userFolder || makeTempDir();
		fs.mkdirSync(folder, { recursive: true });
		return new N8nInstance({
			userFolder: folder,
			port: await freePort(),
			brokerPort: await freePort(),
			env,
			logPrefix,
			encryptionKey,
		});
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	get dotN8n() {
		return path.join(this.userFolder, '.n8n');
	}

	/** The environment every n8n process of this instance runs with. */
	env(extra = {}) {
		const env = n8nEnv({
			// Not `test` (jest sets it): n8n then silences its logger and keeps SQLite in memory.
			NODE_ENV: 'production',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: this.baseUrl,
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
			N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			// The MCP registry module fetches a server list from api.n8n.io at start-up (2.x; an
			// older n8n refuses a module name it does not know).
			N8N_DISABLED_MODULES: disabledModules(installDir),
			DB_TYPE: 'sqlite',
			DB_SQLITE_POOL_SIZE: '2',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			NODE_OPTIONS: '--max-old-space-size=2048',
			...this.extraEnv,
			...extra,
		});
		delete env.JEST_WORKER_ID;
		if (!env.N8N_DISABLED_MODULES) delete env.N8N_DISABLED_MODULES;
		return env;
	}

	/**
	 * Installs the packed package as n8n's installer does (community-packages.service.js,
	 * downloadPackage): the tarball is unpacked into `.n8n/nodes/node_modules/<name>`, its
	 * dev/peer/optional dependencies are dropped from its package.json, `npm install` runs
	 * there with scripts off, and `.n8n/nodes/package.json` lists it as a dependency.
	 */
	installPackage(tgz) {
		const nodesDir = path.join(this.dotN8n, 'nodes');
		const pkgDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		fs.rmSync(pkgDir, { recursive: true, force: true });
		fs.mkdirSync(pkgDir, { recursive: true });
		execFileSync('tar', ['-xzf', tgz, '-C', pkgDir, '--strip-components=1']);
		const pkgJsonPath = path.join(pkgDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pkgJson } = JSON.parse(
			fs.readFileSync(pkgJsonPath, 'utf8'),
		);
		fs.writeFileSync(pkgJsonPath, JSON.stringify(pkgJson, null, 2));
		execFileSync(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: pkgDir, env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] },
		);
		const nodesPkgPath = path.join(nodesDir, 'package.json');
		let nodesPkg = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			nodesPkg = JSON.parse(fs.readFileSync(nodesPkgPath, 'utf8'));
		} catch {
			/* first package */
		}
		nodesPkg.dependencies = { ...(nodesPkg.dependencies || {}), [PACKAGE_NAME]: pkgJson.version };
		fs.writeFileSync(nodesPkgPath, JSON.stringify(nodesPkg, null, 2));
		return pkgDir;
	}

	/** Runs `n8n <args>` to completion. Returns { code, signal, stdout, stderr, ms }. */
	cli(args, { env = {}, timeoutMs = 180000, allowFailure = true } = {}) {
		return new Promise((resolve, reject) => {
			const started = Date.now();
			const child = spawn(path.join(n8nNodeBinDir(), 'node'), [this.n8nBin, ...args], {
				cwd: this.userFolder,
				env: this.env(env),
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			this.processes.add(child);
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('error', reject);
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				this.processes.delete(child);
				const ms = Date.now() - started;
				this.cliLog.push({ args: args.join(' '), ms, code: code === null ? signal : code });
				const result = { code, signal, stdout, stderr, ms };
				if (!allowFailure && code !== 0) {
					const err = new Error(
						`n8n ${args.join(' ')} exited with ${code ?? signal}\n${stdout}\n${stderr}`,
					);
					err.result = result;
					reject(err);
				} else resolve(result);
			});
		});
	}

	_writeInput(name, data) {
		const dir = path.join(this.userFolder, 'inputs');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${name}-${crypto.randomBytes(4).toString('hex')}.json`);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** `n8n import:credentials` of [{ id, name, type, data }] (plain data is encrypted on import). */
	async importCredentials(credentials) {
		const list = Array.isArray(credentials) ? credentials : [credentials];
		const now = new Date().toISOString();
		const file = this._writeInput(
			'credentials',
			list.map((c) => ({ createdAt: now, updatedAt: now, ...c })),
		);
		return this.cli(['import:credentials', `--input=${file}`], { allowFailure: false });
	}

	/**
	 * `n8n import:workflow` of one workflow object, or several (imported in one call). Each gets a
	 * `versionId` when it has none, as an exported workflow has: n8n 2.0.3 refuses the import
	 * without one (NOT NULL constraint failed: workflow_entity.versionId).
	 */
	async importWorkflow(workflows) {
		const list = (Array.isArray(workflows) ? workflows : [workflows]).map((wf) => ({
			versionId: crypto.randomUUID(),
			...wf,
		}));
		if (list.length === 1) {
			const file = this._writeInput('workflow', list[0]);
			return this.cli(['import:workflow', `--input=${file}`], { allowFailure: false });
		}
		const dir = path.join(
			this.userFolder,
			'inputs',
			`workflows-${crypto.randomBytes(4).toString('hex')}`,
		);
		fs.mkdirSync(dir, { recursive: true });
		list.forEach((wf, i) =>
			fs.writeFileSync(
				path.join(dir, `${String(i).padStart(3, '0')}.json`),
				JSON.stringify(wf, null, 2),
			),
		);
		return this.cli(['import:workflow', '--separate', `--input=${dir}`], { allowFailure: false });
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`. Returns { ok, run, error, stdout, stderr, code, ms }:
	 * `run` is the IRun JSON (printed raw on success, and logged on failure), `error` its
	 * resultData.error when the execution failed.
	 */
	async execute(id, opts = {}) {
		const res = await this.cli(['execute', `--id=${id}`, '--rawOutput'], opts);
		const run = extractJson(res.stdout);
		const error = run && run.data && run.data.resultData ? run.data.resultData.error : undefined;
		// n8n 2.41.1 sometimes segfaults while exiting, after it printed (and saved) a finished
		// run (see ../shared/notes/n8n-runtime.md). The run is complete then: keep it, flag it.
		const crashedAtExit =
			(res.signal === 'SIGSEGV' || res.code === 139) && !!run && run.finished === true;
		const ok = (res.code === 0 || crashedAtExit) && !!run && !error;
		return { ...res, ok, run, error, crashedAtExit };
	}

	/** Activates (n8n 2.x: publishes) an imported workflow from the CLI, as this n8n release does it. */
	activate(id) {
		return this.cli(profile.activateArgs(id), { allowFailure: false });
	}

	/** Starts `n8n <command>` (start, worker, webhook) as a long-running process. */
	spawnServer(command = 'start', { env = {}, args = [], logFile } = {}) {
		const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
		const child = spawn(path.join(n8nNodeBinDir(), 'node'), [this.n8nBin, command, ...args], {
			cwd: this.userFolder,
			env: this.env(env),
			stdio: ['ignore', out, out],
			detached: true, // own process group, so stop() ends its task runner too
		});
		if (typeof out === 'number') fs.closeSync(out);
		this.processes.add(child);
		child.on('exit', () => this.processes.delete(child));
		return child;
	}

	/** `n8n start` on 127.0.0.1:<port>; resolves when n8n says it is ready (/healthz/readiness) and its REST routes answer. */
	async start({
		env = {},
		logFile = path.join(this.userFolder, 'n8n-start.log'),
		timeoutMs = 180000,
	} = {}) {
		const started = Date.now();
		this.server = this.spawnServer('start', { env, logFile });
		this.serverLog = logFile;
		await waitForHttp(`${this.baseUrl}/healthz`, { timeoutMs, child: this.server, logFile });
		// /healthz answers while the database is still migrating, and /rest/settings then answers
		// "n8n is starting up": wait until n8n says it is ready, then for the REST routes.
		await waitForHttp(`${this.baseUrl}/healthz/readiness`, {
			timeoutMs,
			child: this.server,
			logFile,
		});
		await waitForHttp(`${this.baseUrl}/rest/settings`, { timeoutMs, child: this.server, logFile });
		this.startMs = Date.now() - started;
		return this;
	}

	/** Ends every process this instance started (process group: SIGTERM, then SIGKILL). */
	async stop({ graceMs = 10000 } = {}) {
		const children = [...this.processes];
		await Promise.all(children.map((c) => stopChild(c, graceMs)));
		this.server = null;
	}

	/** A logged-in REST client for this instance (see RestClient). */
	rest() {
		return new RestClient(this.baseUrl);
	}
}

/** Stops a child started with detached: true (its process group), SIGTERM then SIGKILL. */
function stopChild(child, graceMs = 10000) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		const kill = (sig) => {
			try {
				process.kill(-child.pid, sig);
			} catch {
				try {
					child.kill(sig);
				} catch {
					/* already gone */
				}
			}
		};
		const timer = setTimeout(() => kill('SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			// The group may still hold the task runner: make sure it is gone too.
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* group empty */
			}
			resolve();
		});
		kill('SIGTERM');
	});
}

async function waitForHttp(
	url,
	{ timeoutMs = 120000, child, logFile, okStatus = (s) => s === 200 } = {},
) {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		if (child && (child.exitCode !== null || child.signalCode !== null)) {
			const tail =
				logFile && fs.existsSync(logFile)
					? fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')
					: '';
			throw new Error(
				`process exited (${child.exitCode ?? child.signalCode}) before ${url} answered\n${tail}`,
			);
		}
		try {
			const r = await httpRequest(url, { timeoutMs: 5000 });
			if (okStatus(r.status)) return r;
			last = `HTTP ${r.status}`;
		} catch (e) {
			last = e.message;
		}
		await sleep(500);
	}
	const tail =
		logFile && fs.existsSync(logFile)
			? fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n')
			: '';
	throw new Error(`${url} did not answer within ${timeoutMs}ms (last: ${last})\n${tail}`);
}

/**
 * Minimal client of n8n's internal REST API (/rest), as the editor uses it: cookie `n8n-auth`
 * plus the `browser-id` header the auth cookie is bound to.
 */
class RestClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
		this.browserId = crypto.randomUUID();
	}

	async request(method, p, body, { expect } = {}) {
		const headers = { 'browser-id': this.browserId };
		if (this.cookie) headers.cookie = this.cookie;
		const res = await httpRequest(`${this.baseUrl}/rest${p}`, { method, headers, body });
		const setCookie = res.headers['set-cookie'];
		if (setCookie) {
			const auth = setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
			if (auth) this.cookie = auth;
		}
		if (expect !== undefined && res.status !== expect) {
			throw new Error(
				`${method} /rest${p}: expected HTTP ${expect}, got ${res.status}: ${res.text.slice(0, 2000)}`,
			);
		}
		return res;
	}

	/** Whether the instance still shows the owner set-up page. */
	async needsOwnerSetup() {
		const r = await this.request('GET', '/settings', undefined, { expect: 200 });
		const um = r.json && r.json.data && r.json.data.userManagement;
		return !!(um && um.showSetupOnFirstLoad);
	}

	/** POST /rest/owner/setup (fresh instance only); logs in as that owner. */
	async setupOwner({ email, password, firstName = 'Demo', lastName = 'Owner' }) {
		const r = await this.request(
			'POST',
			'/owner/setup',
			{ email, password, firstName, lastName },
			{ expect: 200 },
		);
		return r.json && r.json.data;
	}

	async login({ email, password }) {
		const r = await this.request(
			'POST',
			'/login',
			{ emailOrLdapLoginId: email, password },
			{ expect: 200 },
		);
		return r.json && r.json.data;
	}

	/**
	 * Sets the owner up on a fresh instance, else logs in; resolves to { created }. Asks the
	 * setup endpoint itself: right after start-up /rest/settings can still say no setup is needed.
	 */
	async ensureOwner(
		{ email, password, firstName = 'Demo', lastName = 'Owner' },
		{ timeoutMs = 30000 } = {},
	) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const r = await this.request('POST', '/owner/setup', {
				email,
				password,
				firstName,
				lastName,
			});
			if (r.status === 200) return { created: true, user: r.json && r.json.data };
			if (r.status === 400 && /already setup/i.test(r.text))
				return { created: false, user: await this.login({ email, password }) };
			if (Date.now() > deadline)
				throw new Error(`POST /rest/owner/setup: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
			await sleep(500);
		}
	}
}

const DEFAULT_OWNER = {
	email: 'owner@example.com',
	password: 'Splashify-Demo-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

module.exports = {
	N8N_VERSION,
	PACKAGE_NAME,
	DEFAULT_OWNER,
	N8nInstance,
	RestClient,
	buildAndPack,
	freePort,
	httpRequest,
	makeTempDir,
	pruneOlderThan,
	stopChild,
	waitForHttp,
	sleep,
};
