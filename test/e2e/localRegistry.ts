/**
 * A local npm registry on loopback for the end-to-end tests: Verdaccio (a devDependency) in a
 * child process, with no uplinks (it serves only what a test publishes, never a package from
 * outside), its storage and its one throw-away user in the test's own folder.
 *
 *   const registry = await startLocalRegistry(dir);           // http://127.0.0.1:PORT/
 *   await registry.publish(tgz);                               // npm publish, as the user
 *   const newer = repackWithVersion(tgz, '0.1.1', dir);        // a copy with another version
 *   await registry.close();
 *
 * Publishing needs a logged-in npm user: the registry allows publishing to any authenticated
 * user, and a user (name and token of this run only) is created through the endpoint that
 * `npm adduser` uses. The token is written to an .npmrc of its own, used only by `publish`.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';

import { freePort, httpRequest, stopChild, waitForHttp } from '../../scripts/n8n/run';

const execFileAsync = promisify(execFile);

export interface LocalRegistry {
	/** `http://127.0.0.1:PORT/` (with the trailing slash npm writes in .npmrc files). */
	url: string;
	/** Verdaccio's own log (requests, publishes). */
	logFile: string;
	/** `npm publish <tgz>` to this registry as its user; resolves to npm's output. */
	publish(tgz: string): Promise<string>;
	/** The registry's document of a package (`GET /<name>`): versions, dist-tags, tarballs. */
	packument(name: string): Promise<{ status: number; json: any }>;
	close(): Promise<void>;
}

function verdaccioConfig(dir: string): string {
	// YAML, but JSON is YAML: no quoting surprises with paths.
	return JSON.stringify(
		{
			storage: path.join(dir, 'storage'),
			auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 1 } },
			uplinks: {},
			packages: {
				'**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
			},
			web: { enable: false },
			log: { type: 'stdout', format: 'pretty', level: 'http' },
		},
		null,
		2,
	);
}

/** Starts Verdaccio on a free loopback port with a fresh storage under `dir`. */
export async function startLocalRegistry(
	dir: string,
	{ timeoutMs = 60_000 } = {},
): Promise<LocalRegistry> {
	fs.mkdirSync(dir, { recursive: true });
	const configFile = path.join(dir, 'config.yaml');
	fs.writeFileSync(configFile, verdaccioConfig(dir));
	const logFile = path.join(dir, 'verdaccio.log');
	const port = await freePort();
	const url = `http://127.0.0.1:${port}/`;
	const bin = path.join(
		path.dirname(require.resolve('verdaccio/package.json')),
		'bin',
		'verdaccio',
	);
	const out = fs.openSync(logFile, 'a');
	const child: ChildProcess = spawn(
		process.execPath,
		[bin, '--config', configFile, '--listen', `127.0.0.1:${port}`],
		{
			cwd: dir,
			stdio: ['ignore', out, out],
			detached: true, // own process group, for stopChild
		},
	);
	fs.closeSync(out);
	const close = () => stopChild(child, 5000);
	try {
		await waitForHttp(`${url}-/ping`, { timeoutMs, child, logFile });

		// A throw-away user: what `npm adduser` does (the legacy CouchDB user document).
		const user = { name: 'e2e-publisher', password: `e2e-${port}-${Date.now()}` };
		const created = await httpRequest(`${url}-/user/org.couchdb.user:${user.name}`, {
			method: 'PUT',
			body: user,
		});
		if (created.status !== 201 || !created.json?.token) {
			throw new Error(
				`creating the registry user: HTTP ${created.status} ${created.text.slice(0, 300)}`,
			);
		}
		const publishNpmrc = path.join(dir, 'publish.npmrc');
		fs.writeFileSync(publishNpmrc, `//127.0.0.1:${port}/:_authToken=${created.json.token}\n`, {
			mode: 0o600,
		});

		const publish = async (tgz: string) => {
			const args = [
				'publish',
				tgz,
				`--registry=${url}`,
				`--userconfig=${publishNpmrc}`,
				`--cache=${path.join(dir, 'npm-cache')}`,
				'--ignore-scripts',
				'--loglevel=warn',
			];
			try {
				const { stdout, stderr } = await execFileAsync('npm', args, {
					cwd: dir,
					timeout: 60_000,
					encoding: 'utf8',
				});
				return `${stdout}${stderr}`.trim();
			} catch (error) {
				const e = error as Error & { stdout?: string; stderr?: string };
				throw new Error(
					`npm publish ${path.basename(tgz)} to ${url} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
				);
			}
		};
		const packument = async (name: string) => {
			const r = await httpRequest(`${url}${encodeURIComponent(name)}`, {
				headers: { accept: 'application/json' },
			});
			return { status: r.status, json: r.json };
		};
		return { url, logFile, publish, packument, close };
	} catch (error) {
		await close();
		throw error;
	}
}

/**
 * A copy of the package `tgz` with `version` in its package.json, packed again with `npm pack`
 * into `dir`; returns the new tarball's path.
 */
export function repackWithVersion(tgz: string, version: string, dir: string): string {
	const work = path.join(dir, `repack-${version}`);
	fs.rmSync(work, { recursive: true, force: true });
	fs.mkdirSync(work, { recursive: true });
	execFileSync('tar', ['-xzf', tgz, '-C', work]);
	const pkgDir = path.join(work, 'package');
	const pkgJsonPath = path.join(pkgDir, 'package.json');
	const pkgJson = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8')) as { version: string };
	pkgJson.version = version;
	fs.writeFileSync(pkgJsonPath, `${JSON.stringify(pkgJson, null, 2)}\n`);
	const out = execFileSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', dir],
		{ cwd: pkgDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string }>;
	fs.rmSync(work, { recursive: true, force: true });
	return path.join(dir, info.filename);
}

/** `1.2.3` -> `1.2.4` (a plain release version only). */
export function nextPatch(version: string): string {
	const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
	if (!m) throw new Error(`not a plain x.y.z version: ${version}`);
	return `${m[1]}.${m[2]}.${Number(m[3]) + 1}`;
}
