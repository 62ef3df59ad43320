/**
 * `npm run dev`'s n8n, as a new user gets it, proven end to end: the example workflows run, the
 * CRM webhook example answers, the credential's connection test passes and fails as the editor
 * runs it (REST, then in the editor itself), the node's editor UI works in headless
 * Chromium or Chrome (the machine's, found by scripts/n8n/system-tools.js; driven by
 * playwright-core; screenshots land in test-results/), and the published Blocklist Trigger
 * example reports the user the webhook example blocked. The trigger example polls the
 * sandbox once a minute throughout: tests that count the sandbox's requests leave its reads
 * (a GET of 1,000) out.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';

import { N8N_VERSION, installDir } from '../../scripts/n8n/install';
import { profileFor } from '../../scripts/n8n/versions';
import { CHROMIUM_ARGS } from '../../scripts/n8n/system-tools';
import {
	freePort,
	httpRequest,
	makeTempDir,
	type ExecuteResult,
	type N8nInstance,
	type RestClient,
} from '../../scripts/n8n/run';
import type { RecordedRequest, Sandbox } from '../../sandbox/server';
import { operations } from '../../nodes/WhatsApp/operations/operations';
import {
	PN1,
	RESULTS_DIR,
	ROOT,
	expectRunSucceeded,
	expectSuccess,
	jsonOf,
	runAsEditor,
	newSandbox,
	output,
	packedPackage,
	timing,
	describeE2e,
	describeNeeding,
	FULL_SUITE,
	until,
} from './helpers';

// n8n stores run data in the `flatted` format; its own copy reads it back.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flatted = require(path.join(installDir, 'node_modules', 'flatted')) as {
	parse(text: string): any;
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dev = require('../../scripts/dev.js') as {
	prepareDevInstance(o: {
		userFolder: string;
		port: number;
		sandbox: { url: string; apiKey: string; phoneNumberId: string };
		tgz: string;
		say?: (m: string) => void;
	}): Promise<N8nInstance>;
	startDevServer(
		n8n: N8nInstance,
		o?: { say?: (m: string) => void },
	): Promise<{
		editorUrl: string;
		owner: { email: string; password: string };
		ownerCreated: boolean;
		rest: RestClient;
	}>;
	readExamples(): Array<{ file: string; workflow: { id: string; name: string } }>;
	CREDENTIAL: { id: string; name: string };
	SEED_BLOCKED: string[];
	PUBLISHED_EXAMPLES: string[];
};

/** Where the n8n under test answers differently from the pinned one (scripts/n8n/versions.js). */
const { differences } = profileFor(N8N_VERSION);

/** The Blocklist Trigger example, published by npm run dev. */
const TRIGGER_EXAMPLE = 'splashifyExTrigr';
/** A read of the published trigger example's poll (every other read in this file asks for fewer). */
const isTriggerPoll = (r: RecordedRequest) => r.method === 'GET' && r.query.limit === '1000';

/** A browser's Accept header: n8n 1.x serves the editor's page only to a request that accepts HTML. */
const EDITOR_ACCEPT = 'text/html,application/xhtml+xml,*/*;q=0.8';

/** What listens on this machine and which node processes run: for a failure that names neither. */
function diagnostics(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { execSync } = require('child_process') as typeof import('child_process');
	const run = (command: string) => {
		try {
			return execSync(command, { encoding: 'utf8', timeout: 5000 });
		} catch (error) {
			return `(${command}: ${(error as Error).message})`;
		}
	};
	return `${run('ss -ltnp')}\n${run('ps -eo pid,ppid,etime,args | grep -i "n8n\\|jest" | grep -v grep | cut -c1-200')}`;
}

/**
 * Starts `npm run dev`'s n8n and checks that the editor and the REST API answer on its port.
 * In 2 of 4 clean-clone CI runs on 2026-12-01 every request after the owner set-up got a bare
 * Express "Cannot GET" 404 on n8n's port, though n8n had logged itself ready there and had
 * answered the owner set-up; the cause is not found yet. Then this prints what listens where
 * and starts n8n once more on a new port, so the tests below check the product, not that.
 */
async function startAnswering(n8n: N8nInstance): Promise<{
	rest: RestClient;
	owner: { email: string; password: string };
	ownerCreated: boolean;
}> {
	let ownerCreated: boolean | undefined;
	for (let attempt = 1; ; attempt++) {
		const started = await dev.startDevServer(n8n, { say: () => undefined });
		ownerCreated ??= started.ownerCreated;
		const settings = await httpRequest(`${n8n.baseUrl}/rest/settings`);
		const editor = await httpRequest(`${n8n.baseUrl}/home/workflows`, {
			headers: { accept: EDITOR_ACCEPT },
		});
		if (settings.status === 200 && editor.text.includes('<div id="app"'))
			return { ...started, ownerCreated };
		const seen = `GET /rest/settings: HTTP ${settings.status}, GET /home/workflows: HTTP ${editor.status} ${editor.text.slice(0, 120)}`;
		process.stderr.write(
			`[e2e server] n8n on ${n8n.baseUrl} does not answer as n8n (${seen}), attempt ${attempt}\n${diagnostics()}\n`,
		);
		if (attempt === 2) throw new Error(`n8n on ${n8n.baseUrl} does not answer as n8n: ${seen}`);
		await n8n.stop();
		n8n.port = await freePort();
	}
}

describeE2e('npm run dev n8n, REST and editor', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let rest: RestClient;
	let owner: { email: string; password: string };
	let ownerCreated = false;
	const examples: Record<string, ExecuteResult> = {};
	const exampleRequests: Record<string, RecordedRequest[]> = {};
	/** When the CRM webhook example blocked its user (the trigger example reports it later). */
	let webhookBlockAt = 0;

	beforeAll(async () => {
		let t = Date.now();
		sandbox = await newSandbox({ phoneNumberIds: [PN1] });
		sandbox.setBlocklist(PN1, dev.SEED_BLOCKED);
		n8n = await dev.prepareDevInstance({
			userFolder: makeTempDir('dev-', path.join(ROOT, '.cache', 'e2e', 'runs')),
			port: await freePort(),
			sandbox: { url: sandbox.url, apiKey: sandbox.apiKey, phoneNumberId: PN1 },
			tgz: packedPackage(),
			say: () => undefined,
		});
		timing(
			'server: dev instance prepared (install, credential, examples, publish)',
			Date.now() - t,
		);

		// The manual examples, in the order a newcomer would try them. Check and Sync (in Dry Run)
		// come last: they must leave the blocklist as List found it.
		for (const id of [
			'splashifyExBlock',
			'splashifyExUnblk',
			'splashifyExListA',
			'splashifyExCheck',
			'splashifyExSyncN',
		]) {
			const before = sandbox.requests.length;
			examples[id] = await n8n.execute(id);
			exampleRequests[id] = sandbox.requests.slice(before);
			timing(`server: execute example ${id}`, examples[id].ms);
		}

		t = Date.now();
		const beforeStart = sandbox.requests.length;
		({ rest, owner, ownerCreated } = await startAnswering(n8n));
		timing('server: n8n start + owner set-up', Date.now() - t);
		// The trigger example's activation poll reads the list as its baseline: n8n may still be
		// activating workflows when it answers, and a block made before that read is not a change.
		await until(
			"the trigger example's activation poll",
			() =>
				sandbox.requests.slice(beforeStart).some((r) => isTriggerPoll(r) && r.status === 200)
					? true
					: undefined,
			60_000,
		);
		timing('server: n8n start, owner set-up, trigger example activated', Date.now() - t);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	});

	describe('example workflows (examples/workflows/, imported by npm run dev)', () => {
		test('block users from a list: three blocked, the unusable number routed to the Failed branch', () => {
			const res = examples.splashifyExBlock;
			expectSuccess(res);
			expect(jsonOf(res.run, 'Block users', 0).map((j) => j.user)).toEqual([
				'+919999900001',
				'+919999900002',
				'+919999900003',
			]);
			expect(jsonOf(res.run, 'Blocked')).toHaveLength(3);
			const failed = jsonOf(res.run, 'Not blocked: tell someone');
			expect(failed).toHaveLength(1);
			expect(failed[0]).toMatchObject({
				contact: differences.failedBranchContact,
				input: 'call me',
				status: 'failed',
			});
			expect(failed[0].reason).toMatch(
				/"call me" is neither a phone number nor a business-scoped user ID/,
			);
		});

		test('unblock users: all three unblocked', () => {
			const res = examples.splashifyExUnblk;
			expectSuccess(res);
			expect(jsonOf(res.run, 'Unblocked').map((j) => [j.user, j.status])).toEqual([
				['+919999900001', 'unblocked'],
				['+919999900002', 'unblocked'],
				['+919888800001', 'unblocked'],
			]);
			expect(jsonOf(res.run, 'Unblock users', 1)).toEqual([]);
		});

		test('list all blocked users: what the sandbox holds', () => {
			const res = examples.splashifyExListA;
			expectSuccess(res);
			expect(jsonOf(res.run, 'List blocked users').map((j) => j.wa_id)).toEqual([
				'919888800002',
				'919888800003',
				'919999900003',
			]);
			expect(sandbox.blocklist(PN1)).toEqual(['919888800002', '919888800003', '919999900003']);
		});

		test('check before a campaign: the blocked recipient skipped, the two others sent on, the invalid one on Failed; only a read', () => {
			const res = examples.splashifyExCheck;
			expectSuccess(res);
			expect(jsonOf(res.run, 'Check who is blocked', 0)).toEqual([
				{
					status: 'blocked',
					input: '+91 98888 00002',
					user: '+919888800002',
					wa_id: '919888800002',
					user_id: null,
					phoneNumberId: PN1,
					block_reason: 'manual',
				},
			]);
			expect(
				jsonOf(res.run, 'Check who is blocked', 1).map((j) => [j.input, j.user, j.status]),
			).toEqual([
				['+919777700100', '+919777700100', 'not blocked'],
				['0091 97777 00101', '+919777700101', 'not blocked'],
			]);
			expect(jsonOf(res.run, 'Check who is blocked', 2)).toMatchObject([
				{ status: 'failed', input: 'n/a', user: null, error: { code: 'INVALID_NUMBER' } },
			]);
			expect(output(res.run, 'Check who is blocked', 1).map((i) => i.pairedItem)).toEqual([
				{ item: 1 },
				{ item: 2 },
			]);
			expect(jsonOf(res.run, 'Send campaign').map((j) => j.user)).toEqual([
				'+919777700100',
				'+919777700101',
			]);
			expect(jsonOf(res.run, 'Skip: blocked').map((j) => j.user)).toEqual(['+919888800002']);
			expect(jsonOf(res.run, 'Check failed: do not send')).toHaveLength(1);
			expect(
				exampleRequests.splashifyExCheck.map((r) => [r.method, r.query.limit, r.status]),
			).toEqual([['GET', '1000', 200]]);
		});

		test('nightly CRM sync, in Dry Run as it comes: would block the missing contacts; the typo in the export withholds every unblock; changes nothing', () => {
			const res = examples.splashifyExSyncN;
			expectSuccess(res);
			const changed = output(res.run, 'Sync blocklist', 0).map((i) => [
				i.json.status,
				i.json.input,
				i.json.user,
				i.pairedItem,
			]);
			expect(changed).toEqual([
				['would block', '+91 98888 00001', '+919888800001', { item: 0 }],
				['would block', '+91 99999 00004', '+919999900004', { item: 2 }],
			]);
			expect(jsonOf(res.run, 'Sync blocklist', 1).map((j) => [j.status, j.user])).toEqual([
				['already blocked', '+919888800002'],
			]);
			// 'n/a' is refused, and may be one of the listed users: nobody is unblocked, each listed user says why.
			const failed = output(res.run, 'Sync blocklist', 2).map((i) => [
				i.json.input,
				i.json.user,
				(i.json.error as { code: string }).code,
				i.pairedItem,
			]);
			expect(failed).toEqual([
				['n/a', null, 'INVALID_NUMBER', { item: 3 }],
				[null, '+919888800003', 'UNBLOCK_WITHHELD', { item: 0 }],
				[null, '+919999900003', 'UNBLOCK_WITHHELD', { item: 0 }],
			]);
			expect(jsonOf(res.run, 'Changed: blocked or unblocked')).toHaveLength(2);
			expect(jsonOf(res.run, 'Unchanged')).toHaveLength(1);
			expect(jsonOf(res.run, 'Failed: review in the CRM')).toHaveLength(3);
			// Dry Run: one read, no write; the list is as List found it.
			expect(exampleRequests.splashifyExSyncN.map((r) => r.method)).toEqual(['GET']);
			expect(sandbox.blocklist(PN1)).toEqual(['919888800002', '919888800003', '919999900003']);
		});
	});

	describe('npm run dev: n8n server', () => {
		test('an owner account is set up and the example workflows are there, the webhook and trigger ones published', async () => {
			expect(ownerCreated).toBe(true);
			expect(await rest.needsOwnerSetup()).toBe(false);
			const { json } = await rest.request('GET', '/workflows', undefined, { expect: 200 });
			const byId = Object.fromEntries(
				(json.data as Array<{ id: string; name: string; active: boolean }>).map((w) => [w.id, w]),
			);
			const examples = dev.readExamples();
			expect(examples).toHaveLength(9);
			for (const { workflow } of examples) expect(byId[workflow.id]?.name).toBe(workflow.name);
			expect(dev.PUBLISHED_EXAMPLES).toEqual(['splashifyExCrmWh', TRIGGER_EXAMPLE]);
			expect(
				examples
					.filter(({ workflow }) => byId[workflow.id].active)
					.map(({ workflow }) => workflow.id)
					.sort(),
			).toEqual([...dev.PUBLISHED_EXAMPLES].sort());
			const editor = await httpRequest(`${n8n.baseUrl}/home/workflows`, {
				headers: { accept: EDITOR_ACCEPT },
			});
			expect(editor.status).toBe(200);
			expect(editor.text).toContain('<div id="app"');
		});

		test('CRM webhook example: blocks one user, a repeat is "already blocked", a failure gets a 422 answer', async () => {
			sandbox.requests.length = 0;
			const hook = `${n8n.baseUrl}/webhook/splashify/crm-block`;
			webhookBlockAt = Date.now();
			const ok = await httpRequest(hook, {
				method: 'POST',
				body: { contactId: 'c-1', phone: '+919777700001' },
			});
			expect([ok.status, ok.json]).toEqual([
				200,
				{ ok: true, status: 'blocked', user: '+919777700001', contactId: 'c-1' },
			]);

			const again = await httpRequest(hook, {
				method: 'POST',
				body: { contactId: 'c-1', phone: '+919777700001' },
			});
			expect([again.status, again.json]).toEqual([
				200,
				{ ok: true, status: 'already blocked', user: '+919777700001', contactId: 'c-1' },
			]);

			const invalid = await httpRequest(hook, {
				method: 'POST',
				body: { contactId: 'c-2', phone: 'nope' },
			});
			expect(invalid.status).toBe(422);
			expect(invalid.json).toMatchObject({
				ok: false,
				contactId: 'c-2',
				input: 'nope',
				code: 'INVALID_NUMBER',
			});

			expect(
				sandbox.requests.filter((r) => !isTriggerPoll(r)).map((r) => [r.method, r.users]),
			).toEqual([
				['POST', ['+919777700001']],
				['POST', ['+919777700001']],
			]);
			expect(sandbox.blocklist(PN1)).toContain('919777700001');
		});

		test('credential connection test as the editor runs it (POST /rest/credentials/test): passes, and fails clearly for a wrong key or phone number ID', async () => {
			sandbox.requests.length = 0;
			// The editor sends the stored credential's data as it received it (secrets redacted).
			const stored = await rest.request(
				'GET',
				`/credentials/${dev.CREDENTIAL.id}?includeData=true`,
				undefined,
				{ expect: 200 },
			);
			const data = stored.json.data.data as Record<string, string>;
			expect(data.baseUrl).toBe(sandbox.url);
			const testWith = async (d: Record<string, unknown>, id = dev.CREDENTIAL.id) =>
				(
					await rest.request(
						'POST',
						'/credentials/test',
						{ credentials: { id, name: dev.CREDENTIAL.name, type: 'splashifyApi', data: d } },
						{ expect: 200 },
					)
				).json.data;

			expect(await testWith(data)).toEqual({ status: 'OK', message: 'Connection successful!' });
			const rejected = { status: 'Error', message: differences.credentialTest.rejectedKey };
			expect(await testWith({ ...data, apiKey: 'pk_wrong_key_123' })).toEqual(rejected);
			expect(await testWith({ ...data, phoneNumberId: '999' })).toMatchObject({
				status: 'Error',
				message: expect.stringMatching(differences.credentialTest.unknownPhoneNumberId),
			});

			// A new credential, created and tested the way the editor's credential modal does it.
			const created = await rest.request(
				'POST',
				'/credentials',
				{
					name: 'Splashify wrong key',
					type: 'splashifyApi',
					data: {
						apiKey: 'pk_wrong_key_456',
						phoneNumberId: PN1,
						baseUrl: sandbox.url,
						apiVersion: 'v25.0',
					},
				},
				{ expect: 200 },
			);
			const newId = created.json.data.id as string;
			const newData = (
				await rest.request('GET', `/credentials/${newId}?includeData=true`, undefined, {
					expect: 200,
				})
			).json.data.data;
			expect(await testWith(newData, newId)).toEqual(rejected);

			// Every test is one GET with limit=1. n8n's server retries a request answered 401 once
			// (n8n-core requestWithAuthentication: preAuthentication, then again), so each wrong key
			// shows up as two unauthorized requests.
			const requests = sandbox.requests.filter((r) => !isTriggerPoll(r));
			const gets = requests.filter((r) => r.method === 'GET');
			expect(requests).toHaveLength(gets.length);
			expect(gets.every((r) => r.query.limit === '1')).toBe(true);
			expect([gets[0].authorized, gets[0].status]).toEqual([true, 200]);
			expect(gets.filter((r) => r.authorized).map((r) => r.status)).toEqual([200, 404]);
			expect(gets.filter((r) => !r.authorized).every((r) => r.status === 401)).toBe(true);

			await rest.request('DELETE', `/credentials/${newId}`, undefined, { expect: 200 });
		});

		// Before the editor tests: they save the credential with a wrong key, and the trigger's
		// polls fail from then on.
		test('Blocklist Trigger example (published): the user the webhook blocked, and one unblocked, reach the CRM update once each within a minute', async () => {
			const t = Date.now();
			// One more change, seen by the same poll or the next one: an unblock, for the other branch.
			sandbox.setBlocklist(
				PN1,
				sandbox.blocklist(PN1).filter((u) => u !== '919888800002'),
			);
			const filter = encodeURIComponent(JSON.stringify({ workflowId: TRIGGER_EXAMPLE }));
			const runs = async () => {
				const { json } = await rest.request('GET', `/executions?filter=${filter}`, undefined, {
					expect: 200,
				});
				const list = json.data.results as Array<{ id: string; status: string; mode: string }>;
				if (list.some((e) => ['new', 'running', 'waiting'].includes(e.status))) return [];
				return Promise.all(
					list.map(async (e) => ({
						...e,
						run: flatted.parse(
							(await rest.request('GET', `/executions/${e.id}`, undefined, { expect: 200 })).json
								.data.data,
						),
					})),
				);
			};
			const events = (list: Awaited<ReturnType<typeof runs>>) =>
				list.flatMap((e) =>
					(
						e.run.resultData.runData['When someone is blocked or unblocked']?.[0]?.data
							?.main?.[0] ?? []
					).map((i: { json: Record<string, unknown> }) => i.json),
				);
			// The example polls every minute, at a second n8n picks at random.
			const executions = await until(
				'the trigger example to report both changes',
				async () => {
					const list = await runs();
					return events(list).length >= 2 ? list : undefined;
				},
				90_000,
			);
			timing('server: trigger example reported the webhook block', Date.now() - t);

			expect(executions.map((e) => [e.status, e.mode])).toEqual(
				executions.map(() => ['success', 'trigger']),
			);
			const [blocked, unblocked] = [
				events(executions).filter((e) => e.event === 'blocked'),
				events(executions).filter((e) => e.event === 'unblocked'),
			];
			expect(blocked).toEqual([
				{
					event: 'blocked',
					user: '919777700001',
					wa_id: '919777700001',
					user_id: null,
					block_reason: 'manual',
					phoneNumberId: PN1,
					detectedAt: expect.any(String),
				},
			]);
			expect(unblocked).toEqual([
				{
					event: 'unblocked',
					user: '919888800002',
					wa_id: '919888800002',
					user_id: null,
					block_reason: 'manual',
					phoneNumberId: PN1,
					detectedAt: expect.any(String),
				},
			]);
			expect(Date.parse(blocked[0].detectedAt as string)).toBeGreaterThanOrEqual(webhookBlockAt);

			// The Switch routed each to its CRM update.
			const nodeItems = (node: string) =>
				executions.flatMap((e) =>
					(e.run.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []).map(
						(i: { json: Record<string, unknown> }) => i.json,
					),
				);
			expect(nodeItems('Mark as do not contact in the CRM')).toEqual([
				{
					phone: '+919777700001',
					whatsappUser: '919777700001',
					doNotContact: true,
					reason: 'manual',
					at: blocked[0].detectedAt,
				},
			]);
			expect(nodeItems('Clear do not contact')).toEqual([
				{
					phone: '+919888800002',
					whatsappUser: '919888800002',
					doNotContact: false,
					previousReason: 'manual',
					at: unblocked[0].detectedAt,
				},
			]);
		});

		// After the trigger example's checks: the blocks made here would be its next events.
		test("block the sender example, run as the editor runs it on the WhatsApp Trigger's pinned messages: the two spam senders blocked, by number and by BSUID", async () => {
			const before = sandbox.requests.length;
			const res = await runAsEditor(n8n, rest, 'splashifyExSendr', { trigger: 'WhatsApp Trigger' });
			expectRunSucceeded(res);
			expect(
				jsonOf(res.run, 'Spam or abuse?').map((j) => (j.messages as Array<{ id: string }>)[0].id),
			).toHaveLength(2);
			expect(jsonOf(res.run, 'Block the sender', 0)).toEqual([
				{
					status: 'blocked',
					input: '919777700201',
					user: '+919777700201',
					wa_id: '919777700201',
					user_id: 'IN.8fK2pQ7rT1',
					phoneNumberId: PN1,
				},
				{
					status: 'blocked',
					input: 'US.7rT9kQ2xYzA',
					user: 'US.7rT9kQ2xYzA',
					wa_id: null,
					user_id: 'US.7rT9kQ2xYzA',
					phoneNumberId: PN1,
				},
			]);
			expect(output(res.run, 'Block the sender', 0).map((i) => i.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
			]);
			expect(jsonOf(res.run, 'Block the sender', 1)).toEqual([]);
			expect(jsonOf(res.run, 'Sender blocked')).toHaveLength(2);
			const writes = sandbox.requests.slice(before).filter((r) => r.method !== 'GET');
			expect(writes.map((r) => [r.method, r.body])).toEqual([
				[
					'POST',
					{
						messaging_product: 'whatsapp',
						block_users: [{ user: '+919777700201' }, { user_id: 'US.7rT9kQ2xYzA' }],
					},
				],
			]);
			expect(sandbox.blocklist(PN1)).toEqual(
				expect.arrayContaining(['919777700201', 'US.7rT9kQ2xYzA']),
			);
		});
	});

	// The editor's UI is checked in the pinned n8n only (not in `npm run test:compat`).
	if (FULL_SUITE)
		describeNeeding('chromium', 'editor UI in headless Chromium', (chromiumPath) => {
			let browser: Browser;
			let page: Page;

			beforeAll(async () => {
				browser = await chromium.launch({
					executablePath: chromiumPath,
					headless: true,
					args: CHROMIUM_ARGS,
				});
				page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
				page.setDefaultTimeout(60_000);
				fs.mkdirSync(RESULTS_DIR, { recursive: true });
			});

			afterAll(async () => {
				await browser?.close();
			});

			const shot = (name: string) => page.screenshot({ path: path.join(RESULTS_DIR, name) });
			const visibleText = async (selector: string) =>
				(await page.locator(selector).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());

			test('opens the editor, adds the node from the node panel, checks its operations and fields', async () => {
				const t = Date.now();
				await page.goto(`${n8n.baseUrl}/signin`);
				await page.fill('input[name=emailOrLdapLoginId]', owner.email);
				await page.fill('input[name=password]', owner.password);
				await page.click('[data-test-id=form-submit-button]');
				await page.waitForURL((u) => !u.pathname.includes('signin'));

				await page.goto(`${n8n.baseUrl}/workflow/new`);
				await page.click('[data-test-id=canvas-add-button]');
				await page.fill(
					'[data-test-id=node-creator-search-bar] input, input[data-test-id=node-creator-search-bar]',
					'WhatsApp Block',
				);
				const item = page.locator('[data-test-id=item-iterator-item]', {
					hasText: 'WhatsApp Block Users',
				});
				await expect(
					item.locator('[data-test-id=node-creator-item-description]').innerText(),
				).resolves.toMatch(/Splashify/);
				await item.click();

				// The node's actions, as listed by the node panel: every operation's (Block, Check, List, Sync, Unblock).
				const { block } = operations;
				for (const action of Object.values(operations).map((op) => op.option.action)) {
					await expect(page.getByText(action, { exact: true }).isVisible()).resolves.toBe(true);
				}
				await page.getByText(block.option.action, { exact: true }).click();

				// The node details view: credential picked, Block's fields.
				const ndv = page.locator('[data-test-id=ndv]');
				await ndv.waitFor();
				await expect(
					page.locator('[data-test-id=node-credentials-select] input').inputValue(),
				).resolves.toBe(dev.CREDENTIAL.name);
				await expect(
					page.locator('[data-test-id=parameter-input-operation] input').inputValue(),
				).resolves.toBe('Block');
				for (const field of ['users', 'phoneNumberId'])
					await page.locator(`[data-test-id=parameter-input-${field}]`).waitFor();
				expect(await page.locator('[data-test-id=parameter-input-returnAll]').count()).toBe(0);
				await expect(
					ndv
						.getByText('Users of all input items are sent together in batches of up to 500')
						.isVisible(),
				).resolves.toBe(true);

				await page.click('[data-test-id=collection-parameter-add]');
				const blockOptions = await visibleText('[data-test-id=collection-parameter-option]');
				expect(blockOptions).toEqual(
					expect.arrayContaining([
						'Batch Size',
						'Max Concurrent Requests',
						'Max Retries',
						'Retry Delay (Ms)',
						'Timeout (Ms)',
					]),
				);
				expect(blockOptions).not.toContain('Page Size');
				await page
					.locator('[data-test-id=collection-parameter-option]', { hasText: 'Batch Size' })
					.click();
				await expect(
					page.locator('[data-test-id=parameter-input-batchSize] input').inputValue(),
				).resolves.toBe('500');
				await page
					.locator(
						'[data-test-id=parameter-input-users] input, [data-test-id=parameter-input-users] textarea',
					)
					.first()
					.fill('+919999999999, +919888888888');
				await shot('editor-block-node.png');

				// The operations, then List's fields.
				await page.click('[data-test-id=parameter-input-operation]');
				const operationNames = await visibleText(
					'[data-test-id=parameter-input-item] .option-headline',
				);
				expect(operationNames).toEqual(
					expect.arrayContaining(['Block', 'Check', 'List', 'Sync', 'Unblock']),
				);
				await page
					.locator('[data-test-id=parameter-input-item]', { hasText: 'List the users blocked' })
					.click();
				await page.locator('[data-test-id=parameter-input-returnAll]').waitFor();
				await page.locator('[data-test-id=parameter-input-limit]').waitFor();
				expect(await page.locator('[data-test-id=parameter-input-users]').count()).toBe(0);
				await shot('editor-list-operation.png');

				// Back to Block and out to the canvas: two labelled outputs.
				await page.click('[data-test-id=parameter-input-operation]');
				await page
					.locator('[data-test-id=parameter-input-item]', { hasText: 'Block users from messaging' })
					.click();
				await page.click('[data-test-id=ndv-close-button]');
				const node = page.locator('[data-test-id=canvas-node]', {
					hasText: 'WhatsApp Block Users',
				});
				await node.waitFor();
				await expect(node.getByText('Succeeded').isVisible()).resolves.toBe(true);
				await expect(node.getByText('Failed').isVisible()).resolves.toBe(true);
				await shot('editor-canvas.png');
				timing('server: editor UI node checks', Date.now() - t);
			});

			test('the credential modal tests the connection: success, then a clear error for a wrong key', async () => {
				await page.keyboard.press('Escape');
				const node = page.locator('[data-test-id=canvas-node]', {
					hasText: 'WhatsApp Block Users',
				});
				await node.dblclick();
				await page.click('[data-test-id=credential-edit-button]');
				await page.locator('[data-test-id=credentials-config-container-test-success]').waitFor();
				await expect(
					page.locator('[data-test-id=credentials-config-container-test-success]').innerText(),
				).resolves.toMatch(/Connection tested successfully/);
				await shot('editor-credential-ok.png');

				await page.locator('[data-test-id=parameter-input-apiKey] input').fill('pk_wrong_key_789');
				await page.click('[data-test-id=credential-save-button]');
				const modal = page.locator('[data-test-id=editCredential-modal]');
				await modal.getByText(/connect with these settings/).waitFor();
				await modal.getByText('More details').click();
				await modal.getByText('API key rejected: check the API key').waitFor();
				await shot('editor-credential-wrong-key.png');
			});
		});
});
