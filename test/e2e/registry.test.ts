/**
 * The package installed the way users install it: from an npm registry, by n8n's own
 * community-package installer, through the REST API the editor's Settings > Community Nodes
 * page uses (`/rest/community-packages`), in a running `n8n start`; then updated to a newer
 * published version and uninstalled, without restarting n8n.
 *
 * - The registry is Verdaccio on loopback (localRegistry.ts), with no uplinks: the packed
 *   package is published to it as the current version, and a copy with the next patch version
 *   for the update.
 * - n8n gets it as N8N_COMMUNITY_PACKAGES_REGISTRY. n8n 2.41.1 refuses any registry other than
 *   the public one unless its license has `feat:communityNodes:customRegistry` (the install
 *   answers HTTP 500 "Your license does not allow for feat:communityNodes:customRegistry").
 *   n8n's own end-to-end mode lifts that for a test: started with E2E_TESTS=true, n8n stubs its
 *   license and `PATCH /rest/e2e/feature` turns the feature on.
 * - n8n passes `--registry` to its npm pack and install, but not to the `npm outdated` that
 *   `GET /rest/community-packages` runs to show updates: its npm children get an .npmrc in the
 *   n8n user folder (npm_config_userconfig) that points at the local registry.
 * - Each install and update also asks n8n's package-status service (api.n8n.io) about the
 *   package, and treats no answer as "allowed". HTTP(S)_PROXY point at a trap on loopback
 *   (outboundTrap.ts) that records and refuses it: the test never leaves the machine.
 *
 * Everything lives in one folder under .cache/e2e/runs/registry-*; it is removed when every
 * step passed and kept (with n8n's and Verdaccio's logs) when one failed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';

import {
	N8nInstance,
	PACKAGE_NAME,
	httpRequest,
	makeTempDir,
	waitForHttp,
	type RestClient,
} from '../../scripts/n8n/run';
import type { Sandbox } from '../../sandbox/server';
import {
	startLocalRegistry,
	nextPatch,
	repackWithVersion,
	type LocalRegistry,
} from './localRegistry';
import { startOutboundTrap, type OutboundTrap } from './outboundTrap';
import {
	CREDENTIAL_TYPE,
	NODE_TYPE,
	PN1,
	ROOT,
	connect,
	describeE2e,
	expectRunSucceeded,
	runAsEditor,
	jsonOf,
	manualTrigger,
	newSandbox,
	packedPackage,
	sandboxCredential,
	splashifyNode,
	timing,
	workflow,
} from './helpers';

const CURRENT = (
	JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
const NEWER = nextPatch(CURRENT);
const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';
const OWNER = { email: 'registry-owner@example.com', password: 'Registry-Owner-1' };
const TOOL_TYPE = `${NODE_TYPE}Tool`;
const TRIGGER_TYPE = `${PACKAGE_NAME}.whatsAppBlocklistTrigger`;
/** The node types the package gives the editor: the node, its AI tool variant, the trigger. */
const PACKAGE_TYPES = [NODE_TYPE, TOOL_TYPE, TRIGGER_TYPE].sort();
const WORKFLOW_ID = 'e2eRegistryBlock';
const USERS = '+91 99999 00001, +919999900002, 12345';

describeE2e('installed from a registry by n8n (install, run, update, uninstall over REST)', () => {
	let runDir: string;
	let trap: OutboundTrap;
	let registry: LocalRegistry;
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let rest: RestClient;
	let credential: { id: string; name: string };
	let stepCount = 0;
	const stepsPassed: string[] = [];
	let failedStep: string | undefined;

	/**
	 * One step of the lifecycle: each needs the ones before, so after a failure the rest say
	 * which step to look at instead of failing on their own.
	 */
	function step(name: string, fn: () => Promise<void>, timeoutMs = 90_000): void {
		stepCount++;
		test(
			name,
			async () => {
				if (failedStep) throw new Error(`not run: the earlier step "${failedStep}" failed`);
				const started = Date.now();
				try {
					await fn();
				} catch (error) {
					failedStep = name;
					throw error;
				}
				timing(`registry: ${name}`, Date.now() - started);
				stepsPassed.push(name);
			},
			timeoutMs,
		);
	}

	const packagesDir = () => path.join(n8n.dotN8n, 'nodes');
	const installedDir = () => path.join(packagesDir(), 'node_modules', PACKAGE_NAME);

	/** The editor's type lists, `/types/nodes.json` and `/types/credentials.json` (behind the login). */
	async function typeNames(kind: 'nodes' | 'credentials'): Promise<string[]> {
		const r = await httpRequest(`${n8n.baseUrl}/types/${kind}.json`, {
			headers: { cookie: rest.cookie, 'browser-id': rest.browserId },
			timeoutMs: 60_000,
		});
		if (r.status !== 200 || !Array.isArray(r.json))
			throw new Error(`GET /types/${kind}.json: HTTP ${r.status} ${r.text.slice(0, 300)}`);
		return (r.json as Array<{ name: string }>).map((t) => t.name);
	}

	async function installedPackages(): Promise<
		Array<{
			packageName: string;
			installedVersion: string;
			updateAvailable?: string;
			failedLoading: boolean;
			installedNodes: Array<{ type: string }>;
		}>
	> {
		return (await rest.request('GET', '/community-packages', undefined, { expect: 200 })).json.data;
	}

	/** Relative paths of the files under `dir`, sorted. */
	function filesUnder(dir: string, prefix = ''): string[] {
		return fs
			.readdirSync(path.join(dir, prefix), { withFileTypes: true })
			.flatMap((e) =>
				e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
			)
			.sort();
	}

	beforeAll(async () => {
		const t0 = Date.now();
		runDir = makeTempDir('registry-', path.join(ROOT, '.cache', 'e2e', 'runs'));
		trap = await startOutboundTrap();
		registry = await startLocalRegistry(path.join(runDir, 'verdaccio'));
		const tgz = packedPackage();
		const newer = repackWithVersion(tgz, NEWER, path.join(runDir, 'packages'));
		await registry.publish(tgz);
		await registry.publish(newer);
		timing(`registry: Verdaccio up, ${CURRENT} and ${NEWER} published`, Date.now() - t0);

		sandbox = await newSandbox({ phoneNumberIds: [PN1] });

		// What n8n's npm children read: npm exports its own settings to the scripts it runs
		// (npm_config_*, as under `npm test`), and an exported registry would beat any .npmrc.
		for (const key of Object.keys(process.env))
			if (key.toLowerCase() === 'npm_config_registry') delete process.env[key];
		const userFolder = path.join(runDir, 'n8n');
		fs.mkdirSync(userFolder, { recursive: true });
		const npmrc = path.join(userFolder, '.npmrc');
		fs.writeFileSync(npmrc, `registry=${registry.url}\n`);

		const t1 = Date.now();
		n8n = await N8nInstance.create({
			userFolder,
			env: {
				// n8n's test mode: a stubbed license whose features /rest/e2e/feature turns on.
				E2E_TESTS: 'true',
				N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
				N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url.replace(/\/$/, ''),
				// Installs without n8n's checksum (unverified packages), and `npm outdated` runs only then.
				N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
				N8N_VERIFIED_PACKAGES_ENABLED: 'false',
				npm_config_userconfig: npmrc,
				npm_config_cache: path.join(runDir, 'npm-cache'),
				HTTP_PROXY: trap.url,
				HTTPS_PROXY: trap.url,
				NO_PROXY: '127.0.0.1,localhost,::1',
			},
		});
		await n8n.start({ logFile: path.join(userFolder, 'n8n.log') });
		// On a fresh database /rest/settings answers 200 "n8n is starting up" while migrations
		// run: readiness says when n8n is really up.
		await waitForHttp(`${n8n.baseUrl}/healthz/readiness`, {
			timeoutMs: 120_000,
			child: n8n.server ?? undefined,
			logFile: n8n.serverLog,
		});
		rest = n8n.rest();
		await rest.ensureOwner(OWNER);
		timing('registry: n8n start (fresh database) + owner set-up', Date.now() - t1);
	}, 240_000);

	afterAll(async () => {
		await n8n?.stop();
		await registry?.close();
		await trap?.close();
		await sandbox?.close();
		if (!runDir) return;
		if (!failedStep && stepsPassed.length === stepCount)
			fs.rmSync(runDir, { recursive: true, force: true });
		else
			process.stderr.write(
				`[e2e registry] kept for reading: ${runDir} (n8n.log, verdaccio/verdaccio.log)\n`,
			);
	}, 60_000);

	step(
		`the local registry serves ${CURRENT} and ${NEWER}; without the custom-registry license feature n8n refuses it`,
		async () => {
			const doc = await registry.packument(PACKAGE_NAME);
			expect(doc.status).toBe(200);
			expect(Object.keys(doc.json.versions).sort()).toEqual([CURRENT, NEWER].sort());
			expect(doc.json['dist-tags'].latest).toBe(NEWER);

			const refused = await rest.request('POST', '/community-packages', {
				name: PACKAGE_NAME,
				version: CURRENT,
			});
			expect(refused.status).toBe(500);
			expect(refused.json?.message).toMatch(
				`Your license does not allow for ${CUSTOM_REGISTRY_FEATURE}`,
			);
			expect(fs.existsSync(installedDir())).toBe(false);

			await rest.request(
				'PATCH',
				'/e2e/feature',
				{ feature: CUSTOM_REGISTRY_FEATURE, enabled: true },
				{ expect: 200 },
			);
		},
	);

	step(
		`installs ${CURRENT} from the registry (POST /rest/community-packages): the packed files, and ${NEWER} shown as an update`,
		async () => {
			const { json } = await rest.request(
				'POST',
				'/community-packages',
				{ name: PACKAGE_NAME, version: CURRENT },
				{ expect: 200 },
			);
			expect(json.data).toMatchObject({ packageName: PACKAGE_NAME, installedVersion: CURRENT });
			expect(json.data.installedNodes.map((n: { type: string }) => n.type).sort()).toEqual(
				[NODE_TYPE, TRIGGER_TYPE].sort(),
			);

			// What n8n unpacked is the packed package, file for file (n8n rewrites package.json
			// without its dev and peer dependencies).
			const unpacked = path.join(runDir, 'unpacked');
			fs.mkdirSync(unpacked, { recursive: true });
			execFileSync('tar', ['-xzf', packedPackage(), '-C', unpacked, '--strip-components=1']);
			const packed = filesUnder(unpacked);
			expect(filesUnder(installedDir()).filter((f) => f !== 'package.json')).toEqual(
				packed.filter((f) => f !== 'package.json'),
			);
			for (const f of packed.filter((p) => p !== 'package.json')) {
				expect([
					f,
					fs
						.readFileSync(path.join(installedDir(), f))
						.equals(fs.readFileSync(path.join(unpacked, f))),
				]).toEqual([f, true]);
			}
			const installedPkg = JSON.parse(
				fs.readFileSync(path.join(installedDir(), 'package.json'), 'utf8'),
			);
			expect(installedPkg.version).toBe(CURRENT);
			expect(installedPkg.peerDependencies).toBeUndefined();
			expect(
				JSON.parse(fs.readFileSync(path.join(packagesDir(), 'package.json'), 'utf8')).dependencies,
			).toEqual({ [PACKAGE_NAME]: CURRENT });

			// The editor's list: `npm outdated` asked the local registry (through the .npmrc).
			expect(await installedPackages()).toEqual([
				expect.objectContaining({
					packageName: PACKAGE_NAME,
					installedVersion: CURRENT,
					updateAvailable: NEWER,
					failedLoading: false,
				}),
			]);
		},
	);

	step(
		'its nodes (the node, its AI tool variant, the trigger) and its credential are listed for the editor',
		async () => {
			expect(
				(await typeNames('nodes')).filter((n) => n.startsWith(`${PACKAGE_NAME}.`)).sort(),
			).toEqual(PACKAGE_TYPES);
			expect(await typeNames('credentials')).toContain(CREDENTIAL_TYPE);
		},
	);

	step(
		'a workflow with the installed node, created and run over REST, blocks users in the sandbox',
		async () => {
			const { name, type, data } = sandboxCredential(sandbox, 'unused', 'Splashify sandbox');
			const created = await rest.request(
				'POST',
				'/credentials',
				{ name, type, data },
				{ expect: 200 },
			);
			credential = { id: created.json.data.id, name };
			const wf = workflow(WORKFLOW_ID, 'Registry e2e: block', [
				manualTrigger(),
				splashifyNode(
					'Block users',
					{ operation: 'block', users: USERS, options: {} },
					credential,
					[200, 0],
				),
			]);
			connect(wf, 'Start', 'Block users');
			await rest.request('POST', '/workflows', wf, { expect: 200 });

			const res = await runAsEditor(n8n, rest, WORKFLOW_ID);
			expectRunSucceeded(res);
			expect(jsonOf(res.run, 'Block users', 0).map((j) => [j.user, j.status])).toEqual([
				['+919999900001', 'blocked'],
				['+919999900002', 'blocked'],
			]);
			expect(jsonOf(res.run, 'Block users', 1)).toEqual([
				expect.objectContaining({
					input: '12345',
					status: 'failed',
					error: expect.objectContaining({ code: 'INVALID_NUMBER' }),
				}),
			]);
			expect(sandbox.requests.map((r) => [r.method, r.users, r.authorized, r.status])).toEqual([
				['POST', ['+919999900001', '+919999900002'], true, 200],
			]);
			expect(sandbox.blocklist(PN1)).toEqual(['919999900001', '919999900002']);
		},
	);

	step(
		`updates to ${NEWER} (PATCH /rest/community-packages): the new version runs the same workflow`,
		async () => {
			const { json } = await rest.request(
				'PATCH',
				'/community-packages',
				{ name: PACKAGE_NAME, version: NEWER },
				{ expect: 200 },
			);
			expect(json.data).toMatchObject({ packageName: PACKAGE_NAME, installedVersion: NEWER });
			expect(
				JSON.parse(fs.readFileSync(path.join(installedDir(), 'package.json'), 'utf8')).version,
			).toBe(NEWER);
			expect(
				JSON.parse(fs.readFileSync(path.join(packagesDir(), 'package.json'), 'utf8')).dependencies,
			).toEqual({ [PACKAGE_NAME]: NEWER });
			const [listed] = await installedPackages();
			expect(listed).toMatchObject({
				packageName: PACKAGE_NAME,
				installedVersion: NEWER,
				failedLoading: false,
			});
			expect(listed.updateAvailable).toBeUndefined();
			expect(
				(await typeNames('nodes')).filter((n) => n.startsWith(`${PACKAGE_NAME}.`)).sort(),
			).toEqual(PACKAGE_TYPES);

			sandbox.requests.length = 0;
			const res = await runAsEditor(n8n, rest, WORKFLOW_ID);
			expectRunSucceeded(res);
			expect(jsonOf(res.run, 'Block users', 0).map((j) => [j.user, j.status])).toEqual([
				['+919999900001', 'already blocked'],
				['+919999900002', 'already blocked'],
			]);
			expect(sandbox.requests).toHaveLength(1);
		},
	);

	step(
		'uninstalls (DELETE /rest/community-packages): the package, its node and credential types are gone, the workflow no longer runs',
		async () => {
			await rest.request(
				'DELETE',
				`/community-packages?name=${encodeURIComponent(PACKAGE_NAME)}`,
				undefined,
				{ expect: 200 },
			);
			expect(await installedPackages()).toEqual([]);
			expect(fs.existsSync(installedDir())).toBe(false);
			expect(
				JSON.parse(fs.readFileSync(path.join(packagesDir(), 'package.json'), 'utf8')).dependencies,
			).toEqual({});
			expect((await typeNames('nodes')).filter((n) => n.startsWith(`${PACKAGE_NAME}.`))).toEqual(
				[],
			);
			expect(await typeNames('credentials')).not.toContain(CREDENTIAL_TYPE);

			// The workflow that uses the node now stops before it starts, saying why.
			const refused = await rest.request('POST', `/workflows/${WORKFLOW_ID}/run`, {
				triggerToStartFrom: { name: 'Start' },
			});
			expect([refused.status, refused.json?.message]).toEqual([
				400,
				`Unrecognized node type: ${NODE_TYPE}`,
			]);

			// n8n's package-status check (api.n8n.io, on each install and update) reached the
			// loopback trap, and no npm command went to the public registry (the .npmrc held).
			expect(trap.seen).toContain('CONNECT api.n8n.io:443');
			expect(trap.seen.filter((s) => s.includes('registry.npmjs.org'))).toEqual([]);
			process.stderr.write(
				`[e2e registry] outbound calls refused by the trap: ${JSON.stringify(trap.seen)}\n`,
			);
		},
	);
});
