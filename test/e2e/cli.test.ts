/**
 * The node inside a real n8n, headless through n8n's CLI (`import:*`, `execute --id`), against
 * the sandbox on loopback. Each CLI call starts n8n (about 4 s), so the checks are batched into
 * eight workflows (Block, Unblock and List in five; Check in one; Sync in two), imported in one
 * call, all in one user folder.
 */
import type { N8nInstance, ExecuteResult, Workflow } from '../../scripts/n8n/run';
import type { RecordedRequest, Sandbox } from '../../sandbox/server';
import {
	PN1,
	PN2,
	PN3,
	codeNode,
	connect,
	expectSuccess,
	jsonOf,
	manualTrigger,
	newN8n,
	newSandbox,
	noOp,
	nodeRan,
	numbers,
	output,
	outputCount,
	sandboxCredential,
	setNode,
	type SplashifyParams,
	splashifyNode,
	timing,
	workflow,
	describeE2e,
} from './helpers';

const GOOD = { id: 'e2eSplashifyGood', name: 'Splashify sandbox' };
const WRONG_KEY = { id: 'e2eSplashifyWrongKey', name: 'Splashify wrong key' };
const WRONG_KEY_VALUE = 'pk_test_this_key_is_wrong_123';
/** Phone number IDs beyond the sandbox's three: they exist once a test sets their blocklist. */
const PN4 = '100000000000004';
const PN5 = '100000000000005';

/** A blocklist key (wa_id or BSUID) of a user as given: the number without '+'. */
const wa = (user: string) => user.replace(/^\+/, '');
/** Continue On Fail, and "Continue (using error output)". */
const CONTINUE = { onError: 'continueRegularOutput' } as const;
const ERROR_OUTPUT = { onError: 'continueErrorOutput' } as const;
const pairedTo = (item: { pairedItem?: unknown }) => (item.pairedItem as { item: number }).item;

describeE2e('n8n CLI runs', () => {
	let n8n: N8nInstance;
	let sandbox: Sandbox;

	const apiRequests = (method?: string, pn?: string): RecordedRequest[] =>
		sandbox.requests.filter(
			(r) => (!method || r.method === method) && (!pn || r.path.includes(`/${pn}/`)),
		);

	// ---- the workflows ------------------------------------------------------------------------

	/** A Code node that outputs one item per entry of `items`. */
	const itemsNode = (name: string, items: object[], position: [number, number]) =>
		codeNode(name, `return ${JSON.stringify(items.map((json) => ({ json })))};`, position);
	/** Connects each node to the next. */
	const chain = (wf: Workflow, ...names: string[]) =>
		names.slice(1).forEach((name, i) => connect(wf, names[i], name));
	/** Connects output 0, 1, … of `from` to each of `to` in turn. */
	const toOutputs = (wf: Workflow, from: string, to: string[]) =>
		to.forEach((name, output) => connect(wf, from, name, output));

	/** 1,201 unique users in three items (plus a duplicate and two invalid entries). */
	const ITEM_USERS = [
		[...numbers(0, 400), 'not-a-number'],
		[...numbers(400, 400), numbers(7, 1)[0]],
		[...numbers(800, 401), '12'],
	];
	const UNIQUE_VALID = numbers(0, 1201);
	const ALREADY_BLOCKED = [numbers(10, 1)[0], numbers(20, 1)[0], numbers(1150, 1)[0]];
	const REENGAGEMENT = [
		numbers(500, 1)[0],
		numbers(600, 1)[0],
		numbers(1000, 1)[0],
		numbers(1100, 1)[0],
		numbers(1200, 1)[0],
	];

	function blockManyWorkflow(): Workflow {
		const wf = workflow('e2eBlockMany0001', 'E2E block 1201 users', [
			manualTrigger(),
			codeNode(
				'Make users',
				`return ${JSON.stringify(ITEM_USERS.map((phones, i) => ({ json: { batch: i + 1, phones } })))};`,
				[200, 0],
			),
			splashifyNode(
				'Block users',
				{ operation: 'block', users: '={{ $json.phones }}', options: {} },
				GOOD,
				[400, 0],
			),
			noOp('On Succeeded', [600, -100]),
			setNode(
				'On Failed',
				{
					summary: '={{ $json.input }} failed: {{ $json.error.message }}',
					batch: "={{ $('Make users').item.json.batch }}",
				},
				[600, 100],
			),
		]);
		chain(wf, 'Start', 'Make users', 'Block users');
		toOutputs(wf, 'Block users', ['On Succeeded', 'On Failed']);
		return wf;
	}

	/** Users known only by a BSUID, among the numbers (Meta's grammar: letters and digits after the period, case kept). */
	const BSUIDS = ['US.13491208655302741918', 'IN.20000000000000000001', 'BR.aZ09xYw7Kq'];

	/** A CRM's export: numbers and BSUIDs, as objects and as text, one of them twice. */
	const RERUN_ITEMS = [
		{ contacts: [{ user: '+919977770001' }, { user_id: BSUIDS[0] }, '+919977770002'] },
		{ contacts: `+91 99777 70003, ${BSUIDS[1].toLowerCase()}; ${BSUIDS[2]}` },
		{ contacts: [{ user_id: BSUIDS[0] }] },
	];

	function rerunWorkflow(): Workflow {
		const wf = workflow('e2eBlockRerun001', 'E2E block the same users twice', [
			manualTrigger(),
			itemsNode('CRM contacts', RERUN_ITEMS, [200, 0]),
			splashifyNode(
				'Block contacts',
				{ operation: 'block', users: '={{ $json.contacts }}', options: {} },
				GOOD,
				[400, 0],
			),
			noOp('Blocked or already', [600, -100]),
			noOp('Really failed', [600, 100]),
		]);
		chain(wf, 'Start', 'CRM contacts', 'Block contacts');
		toOutputs(wf, 'Block contacts', ['Blocked or already', 'Really failed']);
		return wf;
	}

	const STILL_BLOCKED_BEFORE_UNBLOCK = [...numbers(0, 1000), ...BSUIDS];
	const TO_UNBLOCK = [...numbers(100, 300), BSUIDS[0], BSUIDS[2]];
	const NOT_BLOCKED = ['+919988887777', '+919988887778', 'GB.404'];

	function unblockAndListWorkflow(): Workflow {
		const wf = workflow('e2eUnblockList01', 'E2E unblock then list', [
			manualTrigger(),
			splashifyNode(
				'Unblock users',
				{ operation: 'unblock', users: [...TO_UNBLOCK, ...NOT_BLOCKED].join('\n'), options: {} },
				GOOD,
				[200, 0],
			),
			noOp('Unblock failed', [400, 150]),
			splashifyNode(
				'List all',
				{ operation: 'list', returnAll: true, options: { pageSize: 100 } },
				GOOD,
				[400, 0],
				{ executeOnce: true },
			),
			splashifyNode(
				'List 250',
				{ operation: 'list', returnAll: false, limit: 250, options: { pageSize: 100 } },
				GOOD,
				[600, 0],
				{ executeOnce: true },
			),
		]);
		connect(wf, 'Start', 'Unblock users');
		toOutputs(wf, 'Unblock users', ['List all', 'Unblock failed']);
		connect(wf, 'List all', 'List 250');
		return wf;
	}

	/** Partial failures in both answer shapes, invalid entries, a wrong key and Continue On Fail. */
	function failuresWorkflow(): Workflow {
		let y = 0;
		const node = (
			name: string,
			parameters: SplashifyParams,
			credential = GOOD,
			settings: Parameters<typeof splashifyNode>[4] = {},
		) =>
			splashifyNode(name, { options: {}, ...parameters }, credential, [300, (y += 120)], settings);
		const LIST_ALL: SplashifyParams = { operation: 'list', returnAll: true };
		const nodes = [
			manualTrigger(),
			node('Block meta shape', {
				operation: 'block',
				phoneNumberId: PN2,
				users: '+919911110001, +919911110002;+919911110003\n+919911110004,abc',
			}),
			node('Unblock meta shape', {
				operation: 'unblock',
				phoneNumberId: PN2,
				users: '+919911110001, +919911119999',
			}),
			node('Block mixed400 shape', {
				operation: 'block',
				phoneNumberId: PN3,
				users:
					'={{ ["+919922220001", "+919922220002", "+919922220003", "+919922220004", "+919922220005"] }}',
				options: { batchSize: 2 },
			}),
			node(
				'Block wrong key continue',
				{ operation: 'block', users: '+919933330001, +919933330002' },
				WRONG_KEY,
				CONTINUE,
			),
			node(
				'Block wrong key error output',
				{ operation: 'block', users: '+919933330003' },
				WRONG_KEY,
				ERROR_OUTPUT,
			),
			node('List wrong key continue', LIST_ALL, WRONG_KEY, CONTINUE),
			node('List wrong key error output', LIST_ALL, WRONG_KEY, ERROR_OUTPUT),
			node(
				'Block unknown phone number ID',
				{ operation: 'block', phoneNumberId: '999999', users: '+919944440001' },
				GOOD,
				CONTINUE,
			),
			node(
				'Block bad phone number ID',
				{ operation: 'block', phoneNumberId: 'abc', users: '+919944440002' },
				GOOD,
				CONTINUE,
			),
		];
		const wf = workflow('e2eFailures00001', 'E2E partial failures', nodes);
		for (const n of nodes.slice(1)) connect(wf, 'Start', n.name);
		return wf;
	}

	function rejectedKeyWorkflow(): Workflow {
		const wf = workflow('e2eRejectedKey01', 'E2E rejected key', [
			manualTrigger(),
			splashifyNode(
				'Block with wrong key',
				{ operation: 'block', users: '+919955550001', options: {} },
				WRONG_KEY,
				[200, 0],
			),
			noOp('Never reached', [400, 0]),
		]);
		chain(wf, 'Start', 'Block with wrong key', 'Never reached');
		return wf;
	}

	// ---- Check and Sync -----------------------------------------------------------------------

	/** 2,500 blocked users of PN1 (and of PN2): three pages of limit 1000 (1000, 1000, 500). */
	const CHECK_LIST = [
		...numbers(0, 1200, '+9166').map(wa),
		'US.40000000000000000001', // page 2
		...numbers(1200, 1298, '+9166').map(wa),
		'US.ENT.40000000000000000002', // the very last entry, page 3
	];
	/** Numbers, BSUIDs and invalid entries across five items; item 1 asks PN2, whose read fails. */
	const CHECK_ITEMS = [
		{
			pn: PN1,
			users: ['+91 66 0000 0005', 'us.40000000000000000001', 'not-a-number', '+916699999999'],
		},
		{ pn: PN2, users: ['+916600000005', '+916600000006', 'US.40000000000000000001'] },
		{ pn: PN1, users: '+916600002400, US.ENT.40000000000000000002\n12345; +916600000005; GB.77' },
		{ pn: PN1, users: [] },
		{ pn: PN1, users: [{ wa_id: '916600001500' }] },
	];

	function checkWorkflow(): Workflow {
		const wf = workflow('e2eCheckPages001', 'E2E check across pages, a failed read, wrong key', [
			manualTrigger(),
			itemsNode('Campaign users', CHECK_ITEMS, [200, 0]),
			splashifyNode(
				'Check users',
				{
					operation: 'check',
					users: '={{ $json.users }}',
					phoneNumberId: '={{ $json.pn }}',
					options: { maxRetries: 1, retryDelay: 0 },
				},
				GOOD,
				[400, 0],
			),
			noOp('Is blocked', [600, -150]),
			noOp('Not blocked: send', [600, 0]),
			noOp('Check failed', [600, 150]),
			splashifyNode(
				'Check wrong key continue',
				{ operation: 'check', users: '+916600000005, US.40000000000000000001', options: {} },
				WRONG_KEY,
				[200, 300],
				CONTINUE,
			),
		]);
		chain(wf, 'Start', 'Campaign users', 'Check users');
		toOutputs(wf, 'Check users', ['Is blocked', 'Not blocked: send', 'Check failed']);
		connect(wf, 'Start', 'Check wrong key continue');
		return wf;
	}

	/** PN1's blocklist before the sync: 1,202 users, two pages of limit 1000. */
	const SYNC_LISTED = [
		...numbers(0, 1200, '+9177').map(wa),
		'US.30000000000000000001',
		'US.30000000000000000002',
	];
	const NEW_NUMBERS = numbers(5000, 60, '+9177');
	/** The desired blocklist (a CRM's do-not-contact export) in three items; item 1 is for PN2, whose read fails. */
	const SYNC_ITEMS = [
		{
			pn: PN1,
			users: [
				...numbers(0, 600, '+9177'),
				'US.30000000000000000001',
				...NEW_NUMBERS.slice(0, 30),
				'bogus',
			],
		},
		{ pn: PN2, users: ['+917700009998', '+917700009999'] },
		{
			pn: PN1,
			users: [...numbers(600, 500, '+9177'), ...NEW_NUMBERS.slice(30), numbers(0, 1, '+9177')[0]],
		},
	];
	const SYNC_TO_BLOCK = NEW_NUMBERS; // 60: 2 POSTs of 50 and 10
	const SYNC_TO_UNBLOCK = numbers(1100, 100, '+9177'); // 100: 2 DELETEs of 50
	/** Listed, not desired, known only by a BSUID while wanted numbers are not on the list: kept, not unblocked. */
	const SYNC_KEPT = 'US.30000000000000000002';
	/** Blocked by someone else between the node's read and its POST; unblocked by someone else before its DELETE. */
	const RACE_BLOCKED = NEW_NUMBERS[0];
	const RACE_UNBLOCKED = SYNC_TO_UNBLOCK[0];

	function syncWorkflow(): Workflow {
		const wf = workflow(
			'e2eSyncAll000001',
			'E2E sync: unblock others, dry run, allowed emptying, refusal with continue',
			[
				manualTrigger(),
				itemsNode('Desired blocklist', SYNC_ITEMS, [200, 0]),
				splashifyNode(
					'Sync PN1 and PN2',
					{
						operation: 'sync',
						users: '={{ $json.users }}',
						phoneNumberId: '={{ $json.pn }}',
						// 'bogus' is refused: without this option it would withhold every unblock of PN1 (test/node/syncGuard.test.ts).
						options: {
							unblockOthers: true,
							unblockDespiteRefused: true,
							batchSize: 50,
							maxRetries: 1,
							retryDelay: 0,
						},
					},
					GOOD,
					[400, 0],
				),
				noOp('Changed', [600, -150]),
				noOp('Unchanged', [600, 0]),
				noOp('Sync failed', [600, 150]),
				splashifyNode(
					'Sync dry run PN3',
					{
						operation: 'sync',
						users: '+917711110001, +917711110004',
						phoneNumberId: PN3,
						options: { unblockOthers: true, dryRun: true },
					},
					GOOD,
					[200, 300],
				),
				codeNode('Empty CRM export', 'return [{ json: { users: [] } }];', [200, 450]),
				splashifyNode(
					'Sync empties PN4',
					{
						operation: 'sync',
						users: '={{ $json.users }}',
						phoneNumberId: PN4,
						options: { unblockOthers: true, allowEmptyBlocklist: true },
					},
					GOOD,
					[400, 450],
				),
				splashifyNode(
					'Sync refused PN5 continue',
					{
						operation: 'sync',
						users: 'nope',
						phoneNumberId: PN5,
						options: { unblockOthers: true },
					},
					GOOD,
					[200, 600],
					CONTINUE,
				),
			],
		);
		chain(wf, 'Start', 'Desired blocklist', 'Sync PN1 and PN2');
		toOutputs(wf, 'Sync PN1 and PN2', ['Changed', 'Unchanged', 'Sync failed']);
		connect(wf, 'Start', 'Sync dry run PN3');
		chain(wf, 'Start', 'Empty CRM export', 'Sync empties PN4');
		connect(wf, 'Start', 'Sync refused PN5 continue');
		return wf;
	}

	/** An export that came back empty (one item without users, one with only an invalid entry), Unblock Others on. */
	function syncRefusedWorkflow(): Workflow {
		const wf = workflow('e2eSyncRefuse001', 'E2E sync refuses to empty the blocklist', [
			manualTrigger(),
			codeNode(
				'Empty CRM export',
				"return [{ json: { users: [] } }, { json: { users: ['not a number'] } }];",
				[200, 0],
			),
			splashifyNode(
				'Sync from empty export',
				{ operation: 'sync', users: '={{ $json.users }}', options: { unblockOthers: true } },
				GOOD,
				[400, 0],
			),
			noOp('Never reached', [600, 0]),
		]);
		chain(wf, 'Start', 'Empty CRM export', 'Sync from empty export', 'Never reached');
		return wf;
	}

	// ---- set-up -------------------------------------------------------------------------------

	beforeAll(async () => {
		const started = Date.now();
		sandbox = await newSandbox();
		n8n = await newN8n('cli');
		await n8n.importCredentials([
			sandboxCredential(sandbox, GOOD.id, GOOD.name),
			sandboxCredential(sandbox, WRONG_KEY.id, WRONG_KEY.name, WRONG_KEY_VALUE),
		]);
		await n8n.importWorkflow([
			blockManyWorkflow(),
			rerunWorkflow(),
			unblockAndListWorkflow(),
			failuresWorkflow(),
			rejectedKeyWorkflow(),
			checkWorkflow(),
			syncWorkflow(),
			syncRefusedWorkflow(),
		]);
		timing('cli: sandbox + n8n user folder + imports', Date.now() - started);
	});

	afterAll(async () => {
		for (const call of n8n?.cliLog ?? [])
			timing(`cli: n8n ${call.args.split(' ')[0]} (exit ${call.code})`, call.ms);
		await n8n?.stop();
		await sandbox?.close();
	});

	beforeEach(() => {
		sandbox.reset();
		sandbox.behaviour = undefined;
	});

	async function execute(id: string): Promise<ExecuteResult> {
		sandbox.requests.length = 0;
		const res = await n8n.execute(id);
		timing(`cli: execute ${id}`, res.ms);
		return res;
	}

	// ---- the checks ---------------------------------------------------------------------------

	test('block 1,201 users from an upstream node in three items: 3 requests of 500/500/201, exact Succeeded/Failed, downstream nodes get them', async () => {
		sandbox.setBlocklist(PN1, ALREADY_BLOCKED);
		sandbox.config.reengagementRequired = REENGAGEMENT;

		const res = await execute('e2eBlockMany0001');
		expectSuccess(res);
		const { run } = res;

		const posts = apiRequests('POST', PN1);
		expect(apiRequests()).toHaveLength(3);
		expect(posts.map((r) => r.users?.length)).toEqual([500, 500, 201]);
		expect(posts.flatMap((r) => r.users)).toEqual(UNIQUE_VALID);
		expect(posts.every((r) => r.status === 200 && r.authorized)).toBe(true);
		expect(posts[0].body).toMatchObject({ messaging_product: 'whatsapp' });

		expect(outputCount(run, 'Block users')).toBe(2);
		const succeeded = jsonOf(run, 'Block users', 0);
		const failed = jsonOf(run, 'Block users', 1);

		const failing = new Set(REENGAGEMENT);
		const allEntries = ITEM_USERS.flat();
		const expectedSucceeded = allEntries.filter((u) => u.startsWith('+') && !failing.has(u));
		expect(succeeded.map((j) => j.user)).toEqual(expectedSucceeded); // 1,197: the duplicate comes out twice
		expect(succeeded).toHaveLength(1197);
		const statusOf = (u: string) => (ALREADY_BLOCKED.includes(u) ? 'already blocked' : 'blocked');
		expect(
			succeeded.every(
				(j) =>
					j.status === statusOf(j.user) &&
					j.phoneNumberId === PN1 &&
					j.wa_id === j.user.slice(1) &&
					j.user_id === null &&
					j.input === j.user,
			),
		).toBe(true);
		expect(succeeded.filter((j) => j.status === 'already blocked').map((j) => j.user)).toEqual(
			ALREADY_BLOCKED,
		);
		expect(succeeded.some((j) => 'error' in j)).toBe(false);

		expect(failed).toHaveLength(7);
		const byInput = Object.fromEntries(failed.map((j) => [j.input, j]));
		for (const u of REENGAGEMENT)
			expect(byInput[u]).toMatchObject({
				status: 'failed',
				user: u,
				error: {
					code: 131047,
					message: expect.stringMatching(/^WhatsApp lets a business block only users who messaged/),
					details: expect.stringMatching(/^Re-engagement required/),
				},
			});
		for (const bad of ['not-a-number', '12'])
			expect(byInput[bad]).toMatchObject({
				status: 'failed',
				user: null,
				error: { code: 'INVALID_NUMBER' },
			});
		expect(byInput['not-a-number'].error.message).toMatch(
			/neither a phone number nor a business-scoped user ID/,
		);
		expect(byInput['12'].error.message).toMatch(/not a valid phone number/);

		// Paired items point to the input item each user came from.
		const succeededItems = output(run, 'Block users', 0);
		const firstOfItem3 = succeededItems.find((i) => i.json.user === numbers(800, 1)[0]);
		expect(firstOfItem3?.pairedItem).toEqual({ item: 2 });

		// Downstream nodes on each output receive exactly those items.
		expect(jsonOf(run, 'On Succeeded').map((j) => j.user)).toEqual(expectedSucceeded);
		const onFailed = jsonOf(run, 'On Failed');
		expect(onFailed.map((j) => j.input)).toEqual(failed.map((j) => j.input));
		expect(onFailed.find((j) => j.input === REENGAGEMENT[0])).toMatchObject({
			summary: `${REENGAGEMENT[0]} failed: WhatsApp lets a business block only users who messaged this phone number in the last 24 hours: block this user after they message you, or in the WhatsApp Business app (unblocking has no such rule)`,
			batch: '2',
		});
		expect(onFailed.find((j) => j.input === '12')).toMatchObject({ batch: '3' });

		expect(sandbox.blocklist(PN1)).toHaveLength(3 + 1193);
	});

	test('the same Block workflow twice, numbers and BSUIDs mixed: the re-run has every user on Succeeded, "already blocked"', async () => {
		const unique = [
			'+919977770001',
			BSUIDS[0],
			'+919977770002',
			'+919977770003',
			...BSUIDS.slice(1),
		];
		const occurrences = [...unique, BSUIDS[0]];
		const runOnce = async () => {
			const res = await execute('e2eBlockRerun001');
			expectSuccess(res);
			const requests = apiRequests('POST', PN1);
			expect(requests).toHaveLength(1); // ceil(6 unique users / 500)
			expect(requests[0].users).toEqual(unique);
			expect((requests[0].body as { block_users: unknown[] }).block_users).toEqual(
				unique.map((u) => (u.startsWith('+') ? { user: u } : { user_id: u })),
			);
			return res.run;
		};

		const first = await runOnce();
		const firstOut = jsonOf(first, 'Block contacts', 0);
		expect(firstOut.map((j) => [j.user, j.status])).toEqual(occurrences.map((u) => [u, 'blocked']));
		expect(
			firstOut
				.filter((j) => !j.user.startsWith('+'))
				.every((j) => j.user_id === j.user && j.wa_id === null),
		).toBe(true);
		expect(firstOut.find((j) => j.user === BSUIDS[1])).toMatchObject({
			input: BSUIDS[1].toLowerCase(),
			user_id: BSUIDS[1],
		});
		expect(jsonOf(first, 'Block contacts', 1)).toEqual([]);
		expect(sandbox.blocklist(PN1)).toEqual(unique.map((u) => u.replace(/^\+/, '')));

		const second = await runOnce();
		expect(jsonOf(second, 'Block contacts', 0).map((j) => [j.user, j.status])).toEqual(
			occurrences.map((u) => [u, 'already blocked']),
		);
		expect(jsonOf(second, 'Block contacts', 1)).toEqual([]);
		expect(nodeRan(second, 'Really failed')).toBe(false);
		expect(jsonOf(second, 'Blocked or already')).toHaveLength(7);
		expect(output(second, 'Block contacts', 0).map((i) => i.pairedItem)).toEqual(
			[0, 0, 0, 1, 1, 1, 2].map((item) => ({ item })),
		);
		expect(sandbox.blocklist(PN1)).toHaveLength(6);
	});

	test('unblock (DELETE with body), then List with Return All across pages and with a limit: matches the sandbox', async () => {
		sandbox.setBlocklist(PN1, STILL_BLOCKED_BEFORE_UNBLOCK);

		const res = await execute('e2eUnblockList01');
		expectSuccess(res);
		const { run } = res;

		const deletes = apiRequests('DELETE', PN1);
		expect(deletes).toHaveLength(1);
		expect(deletes[0].users).toEqual([...TO_UNBLOCK, ...NOT_BLOCKED]);
		expect(deletes[0].body).toMatchObject({ messaging_product: 'whatsapp' });
		expect((deletes[0].body as { block_users: unknown[] }).block_users[0]).toEqual({
			user: TO_UNBLOCK[0],
		});

		expect(jsonOf(run, 'Unblock users', 0).map((j) => [j.user, j.status])).toEqual([
			...TO_UNBLOCK.map((u) => [u, 'unblocked']),
			...NOT_BLOCKED.map((u) => [u, 'not blocked']),
		]);
		expect(jsonOf(run, 'Unblock users', 0).find((j) => j.user === BSUIDS[0])).toMatchObject({
			wa_id: null,
			user_id: BSUIDS[0],
		});
		expect(nodeRan(run, 'Unblock failed')).toBe(false);

		const remaining = sandbox.blocklist(PN1);
		expect(remaining).toHaveLength(701);
		expect(remaining[700]).toBe(BSUIDS[1]);
		const listedAll = jsonOf(run, 'List all');
		expect(listedAll.map((j) => j.user)).toEqual(remaining);
		expect(listedAll[0]).toMatchObject({
			user: remaining[0],
			wa_id: remaining[0],
			user_id: null,
			block_reason: 'manual',
		});
		expect(listedAll[700]).toMatchObject({
			user: BSUIDS[1],
			wa_id: null,
			user_id: BSUIDS[1],
			block_reason: 'manual',
		});
		expect(jsonOf(run, 'List 250').map((j) => j.user)).toEqual(remaining.slice(0, 250));

		const gets = apiRequests('GET', PN1);
		// Return All: 8 pages of 100 (the 8th holds one user); limit 250: 100 + 100 + 50.
		expect(gets.map((r) => r.query.limit)).toEqual([...Array(8).fill('100'), '100', '100', '50']);
		expect(gets.slice(1, 8).every((r) => typeof r.query.after === 'string')).toBe(true);
	});

	test('partial failures in both answer shapes, invalid entries, wrong key and Continue On Fail', async () => {
		sandbox.setBlocklist(PN2, ['919911110004']);
		sandbox.setBlocklist(PN3, ['919922220002']);
		sandbox.config.reengagementRequired = ['+919911110003', '+919922220005'];
		// PN2 answers in Meta's shape (failed_users, HTTP 200), PN3 in the mixed shape (HTTP 400
		// with the per-user lists); the hook only picks the shape and leaves the behaviour alone.
		sandbox.behaviour = (req) => {
			sandbox.config.shape = req.path.includes(`/${PN2}/`)
				? 'meta'
				: req.path.includes(`/${PN3}/`)
					? 'mixed400'
					: 'provider';
			return undefined;
		};
		const res = await execute('e2eFailures00001');
		expectSuccess(res);
		const { run } = res;

		// Meta shape.
		expect(jsonOf(run, 'Block meta shape', 0).map((j) => [j.user, j.status])).toEqual([
			['+919911110001', 'blocked'],
			['+919911110002', 'blocked'],
			['+919911110004', 'already blocked'],
		]);
		const metaFailed = jsonOf(run, 'Block meta shape', 1);
		expect(metaFailed.map((j) => [j.input, j.error.code])).toEqual([
			['+919911110003', 131047],
			['abc', 'INVALID_NUMBER'],
		]);
		expect(jsonOf(run, 'Unblock meta shape', 0).map((j) => [j.user, j.status])).toEqual([
			['+919911110001', 'unblocked'],
			['+919911119999', 'not blocked'],
		]);
		expect(jsonOf(run, 'Unblock meta shape', 1)).toEqual([]);
		expect(sandbox.blocklist(PN2)).toEqual(['919911110004', '919911110002']);

		// Mixed 400 shape, batches of 2: 3 requests, two of them answered 400 with per-user lists.
		const pn3 = apiRequests('POST', PN3);
		expect(pn3.map((r) => [r.users?.length, r.status])).toEqual([
			[2, 400],
			[2, 200],
			[1, 400],
		]);
		expect(jsonOf(run, 'Block mixed400 shape', 0).map((j) => [j.user, j.status])).toEqual([
			['+919922220001', 'blocked'],
			['+919922220002', 'already blocked'],
			['+919922220003', 'blocked'],
			['+919922220004', 'blocked'],
		]);
		expect(jsonOf(run, 'Block mixed400 shape', 1).map((j) => [j.user, j.error.code])).toEqual([
			['+919922220005', 131047],
		]);

		// Wrong key with Continue On Fail: nothing blocked, every user on Failed with a clear reason.
		expect(jsonOf(run, 'Block wrong key continue', 0)).toEqual([]);
		const wrongKey = jsonOf(run, 'Block wrong key continue', 1);
		expect(wrongKey.map((j) => j.user)).toEqual(['+919933330001', '+919933330002']);
		for (const j of wrongKey) expect(j.error.message).toMatch(/rejected the API key/);
		expect(JSON.stringify(run)).not.toContain(WRONG_KEY_VALUE);

		// "Continue (using error output)": per-user failures stay on Failed; the error output is empty.
		expect(outputCount(run, 'Block wrong key error output')).toBe(3);
		expect(jsonOf(run, 'Block wrong key error output', 1).map((j) => j.user)).toEqual([
			'+919933330003',
		]);
		expect(jsonOf(run, 'Block wrong key error output', 2)).toEqual([]);

		// List with Continue On Fail: one item carrying the error.
		const listContinue = jsonOf(run, 'List wrong key continue');
		expect(listContinue).toHaveLength(1);
		expect(String(listContinue[0].error)).toMatch(/rejected the API key/);
		// Unknown phone number ID (404) and a malformed one (not sent).
		const unknown = jsonOf(run, 'Block unknown phone number ID', 1);
		expect(unknown).toHaveLength(1);
		expect(unknown[0].error.message).toMatch(/did not find this phone number ID/);
		const bad = jsonOf(run, 'Block bad phone number ID', 1);
		expect(bad).toEqual([
			expect.objectContaining({
				status: 'failed',
				error: expect.objectContaining({ code: 'INVALID_PHONE_NUMBER_ID' }),
			}),
		]);
		expect(apiRequests().some((r) => r.path.includes('/abc/'))).toBe(false);

		// List with "Continue (using error output)": the failure belongs on output 1, the error
		// output. n8n moves an item there only when its json holds nothing but error, message
		// and details (n8n-core handleNodeErrorOutput), or when the item has `error` set.
		expect(nodeRan(run, 'List wrong key error output')).toBe(true);
		expect(jsonOf(run, 'List wrong key error output', 0)).toEqual([]);
		expect(jsonOf(run, 'List wrong key error output', 1)).toHaveLength(1);
	});

	test('a rejected key without Continue On Fail fails the execution with a clear error', async () => {
		const res = await execute('e2eRejectedKey01');
		expect(res.ok).toBe(false);
		expect(res.code).not.toBe(0);
		expect(res.run).toBeDefined();
		const { run } = res;
		expect(run.data.resultData.lastNodeExecuted).toBe('Block with wrong key');
		expect(res.error.message).toMatch(
			/Splashify rejected the API key: check the API key in the Splashify API credential/,
		);
		expect(res.error.node?.name).toBe('Block with wrong key');
		expect(nodeRan(run, 'Never reached')).toBe(false);
		expect(apiRequests()).toHaveLength(1);
		expect(apiRequests()[0]).toMatchObject({ method: 'POST', authorized: false, status: 401 });
		expect(res.stdout + res.stderr).not.toContain(WRONG_KEY_VALUE);
	});
	// ---- Check and Sync checks ----------------------------------------------------------------

	type Paired = { item: number; json: Record<string, any> };
	/** The items of an output as {item the pairedItem points to, json}. */
	const pairedOutput = (run: any, node: string, index: number): Paired[] =>
		output(run, node, index).map((o) => ({ item: pairedTo(o), json: o.json }));
	/** By item, then input (or user, for users that come from the list): Check's and Sync's outputs have no contracted order. */
	const byItem = (items: Paired[]): Paired[] =>
		[...items].sort(
			(a, b) =>
				a.item - b.item ||
				String(a.json.input ?? a.json.user).localeCompare(String(b.json.input ?? b.json.user)),
		);
	/** The identity fields of a user as the node sends it (E.164 number or BSUID). */
	const ids = (sent: string) =>
		sent.startsWith('+')
			? { user: sent, wa_id: wa(sent), user_id: null }
			: { user: sent, wa_id: null, user_id: sent };
	const given = (
		item: number,
		input: string,
		sent: string,
		status: string,
		phoneNumberId: string,
		extra: Record<string, unknown> = {},
	): Paired => ({
		item,
		json: { status, input, ...ids(sent), phoneNumberId, ...extra },
	});
	/** A user that Sync unblocks (or would): it comes from the list, paired to the first item that targets its phone number ID. */
	const fromList = (sent: string, status: string, phoneNumberId: string, item = 0): Paired => ({
		item,
		json: { status, input: null, ...ids(sent), phoneNumberId },
	});
	const readFailed = (pn: string) =>
		expect.stringMatching(
			new RegExp(`^The blocklist of phone number ID ${pn} could not be read completely`),
		);
	/** A user of `item` failed because the read of `pn` failed (code 2). */
	const unread = (item: number, input: string, pn: string): Paired => ({
		item,
		json: {
			status: 'failed',
			input,
			...ids(input),
			phoneNumberId: pn,
			error: { code: 2, message: readFailed(pn) },
		},
	});
	/** An entry of `item` refused (INVALID_NUMBER), its message matching `reason`. */
	const invalid = (item: number, input: string, reason = /./): Paired => ({
		item,
		json: {
			status: 'failed',
			input,
			user: null,
			error: { code: 'INVALID_NUMBER', message: expect.stringMatching(reason) },
		},
	});
	const pathOf = (pn: string) => (r: RecordedRequest) => r.path.includes(`/${pn}/`);

	test('check: numbers, BSUIDs and invalid entries against a 2,500-user blocklist (3 GETs of 1000), a read that fails on page 2, a wrong key: exact Blocked / Not Blocked / Failed, GETs only', async () => {
		sandbox.setBlocklist(PN1, CHECK_LIST);
		sandbox.setBlocklist(PN2, CHECK_LIST);
		// PN2: the first page answers, every later page fails through its retries (Max Retries 1).
		sandbox.behaviour = (req) =>
			req.method === 'GET' && pathOf(PN2)(req) && req.query.after !== undefined
				? { kind: 'serverError' }
				: undefined;
		const res = await execute('e2eCheckPages001');
		expectSuccess(res);
		const { run } = res;

		expect(outputCount(run, 'Check users')).toBe(3);
		const blocked = (item: number, input: string, sent: string) =>
			given(item, input, sent, 'blocked', PN1, { block_reason: 'manual' });
		const notBlocked = (item: number, input: string, sent: string) =>
			given(item, input, sent, 'not blocked', PN1);
		expect(byItem(pairedOutput(run, 'Check users', 0))).toEqual(
			byItem([
				blocked(0, '+91 66 0000 0005', '+916600000005'), // page 1
				blocked(0, 'us.40000000000000000001', 'US.40000000000000000001'), // page 2
				blocked(2, '+916600002400', '+916600002400'), // page 3
				blocked(2, 'US.ENT.40000000000000000002', 'US.ENT.40000000000000000002'), // the last entry
				blocked(2, '+916600000005', '+916600000005'), // the same user again, in another item
				blocked(4, '916600001500', '+916600001500'), // an object {wa_id}
			]),
		);
		expect(byItem(pairedOutput(run, 'Check users', 1))).toEqual(
			byItem([notBlocked(0, '+916699999999', '+916699999999'), notBlocked(2, 'GB.77', 'GB.77')]),
		);
		const failed = byItem(pairedOutput(run, 'Check users', 2));
		expect(failed).toMatchObject(
			byItem([
				invalid(
					0,
					'not-a-number',
					/neither a phone number nor a business-scoped user ID.*\(item 1\)/,
				),
				// PN2's first page holds +916600000005 and +916600000006: a partial read says nothing.
				...['+916600000005', '+916600000006', 'US.40000000000000000001'].map((u) =>
					unread(1, u, PN2),
				),
				invalid(2, '12345', /not a valid phone number.*\(item 3\)/),
				{ item: 3, json: { status: 'failed', error: { code: 'NO_USERS' } } },
			]),
		);
		expect(failed).toHaveLength(6);
		expect(
			[...pairedOutput(run, 'Check users', 0), ...pairedOutput(run, 'Check users', 1)].some(
				(i) => 'error' in i.json,
			),
		).toBe(false);
		expect(jsonOf(run, 'Is blocked')).toHaveLength(6);
		expect(jsonOf(run, 'Not blocked: send').map((j) => j.user)).toEqual(
			expect.arrayContaining(['+916699999999', 'GB.77']),
		);
		expect(jsonOf(run, 'Check failed')).toHaveLength(6);

		// Only reads: the whole list of PN1 in three pages of 1000, PN2's page 2 tried twice.
		expect(sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([]);
		const pn1 = apiRequests('GET', PN1).filter((r) => r.authorized);
		expect(pn1.map((r) => [r.query.limit, typeof r.query.after, r.status])).toEqual([
			['1000', 'undefined', 200],
			['1000', 'string', 200],
			['1000', 'string', 200],
		]);
		const pn2 = apiRequests('GET', PN2);
		expect(pn2.map((r) => [r.query.limit, r.status])).toEqual([
			['1000', 200],
			['1000', 500],
			['1000', 500],
		]);
		expect(pn2[2].query.after).toBe(pn2[1].query.after);

		// A wrong key with Continue On Fail: a read that failed, every user on Failed.
		expect(jsonOf(run, 'Check wrong key continue', 0)).toEqual([]);
		expect(jsonOf(run, 'Check wrong key continue', 1)).toEqual([]);
		expect(jsonOf(run, 'Check wrong key continue', 2)).toMatchObject(
			['+916600000005', 'US.40000000000000000001'].map((u) => ({
				status: 'failed',
				user: u,
				phoneNumberId: PN1,
				error: { code: 190, message: readFailed(PN1) },
			})),
		);
		expect(JSON.stringify(run)).not.toContain(WRONG_KEY_VALUE);
		expect(sandbox.blocklist(PN1)).toEqual(CHECK_LIST);
	});

	test('sync with Unblock Others: reads every list first, then POSTs the missing, then DELETEs the others; a failed read changes nothing; dry run, allowed emptying, refusal with Continue On Fail', async () => {
		const PN2_LISTED = ['917700001111', '917700001112'];
		const PN3_LISTED = ['917711110001', '917711110002', 'US.50000000000000000001'];
		const PN5_LISTED = ['917733330001', '917733330002'];
		sandbox.setBlocklist(PN1, SYNC_LISTED);
		sandbox.setBlocklist(PN2, PN2_LISTED);
		sandbox.setBlocklist(PN3, PN3_LISTED);
		sandbox.setBlocklist(PN4, ['917722220001', '917722220002', 'US.60000000000000000001']);
		sandbox.setBlocklist(PN5, PN5_LISTED);
		const raced = { block: false, unblock: false };
		sandbox.behaviour = (req) => {
			if (pathOf(PN2)(req) && req.method === 'GET') return { kind: 'serverError' };
			if (!pathOf(PN1)(req)) return undefined;
			// Someone else changes the list between the node's read and its writes.
			if (req.method === 'POST' && !raced.block) {
				raced.block = true;
				sandbox.setBlocklist(PN1, [...sandbox.blocklist(PN1), wa(RACE_BLOCKED)]);
			}
			if (req.method === 'DELETE' && !raced.unblock) {
				raced.unblock = true;
				sandbox.setBlocklist(
					PN1,
					sandbox.blocklist(PN1).filter((k) => k !== wa(RACE_UNBLOCKED)),
				);
			}
			return undefined;
		};
		const res = await execute('e2eSyncAll000001');
		expectSuccess(res);
		const { run } = res;

		// PN1 and PN2 (Max Retries 1, Batch Size 50).
		expect(outputCount(run, 'Sync PN1 and PN2')).toBe(3);
		const blockedNow = (item: number, u: string) => given(item, u, u, 'blocked', PN1);
		const already = (item: number, u: string) => given(item, u, u, 'already blocked', PN1);
		const changed = pairedOutput(run, 'Sync PN1 and PN2', 0);
		const unchanged = pairedOutput(run, 'Sync PN1 and PN2', 1);
		const failed = pairedOutput(run, 'Sync PN1 and PN2', 2);
		expect(byItem(changed)).toEqual(
			byItem([
				...NEW_NUMBERS.slice(1, 30).map((u) => blockedNow(0, u)),
				...NEW_NUMBERS.slice(30).map((u) => blockedNow(2, u)),
				...SYNC_TO_UNBLOCK.slice(1).map((u) => fromList(u, 'unblocked', PN1)),
			]),
		);
		expect(byItem(unchanged)).toEqual(
			byItem([
				...numbers(0, 600, '+9177').map((u) => already(0, u)),
				already(0, 'US.30000000000000000001'),
				already(0, RACE_BLOCKED), // blocked by someone else after the read: the POST said so
				...numbers(600, 500, '+9177').map((u) => already(2, u)),
				already(2, numbers(0, 1, '+9177')[0]),
				fromList(RACE_UNBLOCKED, 'not blocked', PN1), // unblocked by someone else after the read
				{
					item: 0,
					json: {
						...fromList(SYNC_KEPT, 'kept', PN1).json,
						reason: expect.stringMatching(/^Kept: this user is known only by a BSUID/),
					},
				},
			]),
		);
		expect(byItem(failed)).toMatchObject(
			byItem([
				invalid(0, 'bogus'),
				...['+917700009998', '+917700009999'].map((u) => unread(1, u, PN2)),
			]),
		);
		expect(failed).toHaveLength(3);
		expect(changed.length + unchanged.length + failed.length).toBe(632 + 2 + 531 + 101); // every occurrence once, and every listed user not desired
		expect(jsonOf(run, 'Changed')).toHaveLength(changed.length);
		expect(jsonOf(run, 'Unchanged')).toHaveLength(unchanged.length);
		expect(jsonOf(run, 'Sync failed')).toHaveLength(3);

		// The requests of that node: every read first, then PN1's POSTs, then its DELETEs; nothing written to PN2.
		const mine = sandbox.requests.filter((r) => pathOf(PN1)(r) || pathOf(PN2)(r));
		const firstWrite = mine.findIndex((r) => r.method !== 'GET');
		const reads = mine.slice(0, firstWrite);
		const writes = mine.slice(firstWrite);
		expect(
			reads
				.filter(pathOf(PN1))
				.map((r) => [r.method, r.query.limit, typeof r.query.after, r.status]),
		).toEqual([
			['GET', '1000', 'undefined', 200],
			['GET', '1000', 'string', 200],
		]);
		expect(reads.filter(pathOf(PN2)).map((r) => [r.method, r.query.limit, r.status])).toEqual([
			['GET', '1000', 500],
			['GET', '1000', 500],
		]);
		expect(writes.map((r) => [pathOf(PN1)(r), r.method])).toEqual([
			[true, 'POST'],
			[true, 'POST'],
			[true, 'DELETE'],
			[true, 'DELETE'],
		]);
		expect(writes.every((r) => (r.users?.length ?? 0) <= 50 && r.status === 200)).toBe(true);
		const sent = (method: string) =>
			writes.filter((r) => r.method === method).flatMap((r) => r.users ?? []);
		expect(sent('POST').sort()).toEqual([...SYNC_TO_BLOCK].sort());
		expect(sent('DELETE').sort()).toEqual([...SYNC_TO_UNBLOCK].sort());
		const desired = [
			...numbers(0, 1100, '+9177'),
			'US.30000000000000000001',
			SYNC_KEPT,
			...SYNC_TO_BLOCK,
		].map(wa);
		expect(sandbox.blocklist(PN1).sort()).toEqual(desired.sort());
		expect(sandbox.blocklist(PN2)).toEqual(PN2_LISTED);

		// Dry run on PN3: what would change, and nothing but one read sent.
		expect(byItem(pairedOutput(run, 'Sync dry run PN3', 0))).toEqual(
			byItem([
				given(0, '+917711110004', '+917711110004', 'would block', PN3),
				fromList('+917711110002', 'would unblock', PN3),
			]),
		);
		// The listed BSUID may be +917711110004, which is not on the list yet: kept.
		expect(byItem(pairedOutput(run, 'Sync dry run PN3', 1))).toEqual(
			byItem([
				given(0, '+917711110001', '+917711110001', 'already blocked', PN3),
				{
					item: 0,
					json: {
						...fromList('US.50000000000000000001', 'kept', PN3).json,
						reason: expect.stringMatching(/^Kept: /),
					},
				},
			]),
		);
		expect(jsonOf(run, 'Sync dry run PN3', 2)).toEqual([]);
		expect(apiRequests(undefined, PN3).map((r) => r.method)).toEqual(['GET']);
		expect(sandbox.blocklist(PN3)).toEqual(PN3_LISTED);

		// An empty export with Allow Emptying the Blocklist: every listed user unblocked, one DELETE.
		expect(byItem(pairedOutput(run, 'Sync empties PN4', 0))).toEqual(
			byItem(
				['+917722220001', '+917722220002', 'US.60000000000000000001'].map((u) =>
					fromList(u, 'unblocked', PN4),
				),
			),
		);
		expect(jsonOf(run, 'Sync empties PN4', 1)).toEqual([]);
		expect(jsonOf(run, 'Sync empties PN4', 2)).toMatchObject([
			{ status: 'failed', error: { code: 'NO_USERS' } },
		]);
		expect(apiRequests(undefined, PN4).map((r) => [r.method, r.users?.length])).toEqual([
			['GET', undefined],
			['DELETE', 3],
		]);
		expect(sandbox.blocklist(PN4)).toEqual([]);

		// No valid desired user, Unblock Others on, no Allow Emptying, Continue On Fail: refused, nothing written.
		expect(jsonOf(run, 'Sync refused PN5 continue', 0)).toEqual([]);
		expect(jsonOf(run, 'Sync refused PN5 continue', 1)).toEqual([]);
		const refused = jsonOf(run, 'Sync refused PN5 continue', 2);
		expect(refused).toMatchObject([
			{
				status: 'failed',
				input: 'nope',
				phoneNumberId: PN5,
				error: { code: 'REFUSED_EMPTY_SYNC' },
			},
		]);
		expect(refused[0].error.message).toMatch(
			new RegExp(`unblock all 2 users of phone number ID ${PN5}`),
		);
		expect(refused[0].error.message).toMatch(/Allow Emptying the Blocklist/);
		expect(apiRequests(undefined, PN5).every((r) => r.method === 'GET')).toBe(true);
		expect(sandbox.blocklist(PN5)).toEqual(PN5_LISTED);
	});

	test('sync with Unblock Others and no valid desired user (an empty export) stops with an error naming "Allow Emptying the Blocklist": nothing unblocked', async () => {
		const listed = ['917744440001', '917744440002', 'US.70000000000000000001'];
		sandbox.setBlocklist(PN1, listed);
		const res = await execute('e2eSyncRefuse001');
		expect(res.ok).toBe(false);
		expect(res.run).toBeDefined();
		expect(res.error.node?.name).toBe('Sync from empty export');
		expect(res.error.message).toMatch(new RegExp(`unblock all 3 users of phone number ID ${PN1}`));
		expect(res.error.message).toMatch(/Allow Emptying the Blocklist/);
		expect(nodeRan(res.run, 'Never reached')).toBe(false);
		expect(sandbox.requests.every((r) => r.method === 'GET')).toBe(true); // reads may have happened, never a write
		expect(sandbox.blocklist(PN1)).toEqual(listed);
	});
});
