/**
 * The node run as an AI agent's tool (its `…Tool` variant, in an ordinary execute context as
 * AI Agent 3.x runs it): one output that holds every user with its status and, for a
 * failure, the reason; List's entries; a whole-call error as an entry, never with the key.
 * The same nodes in a workflow keep their two outputs (the other node tests).
 */
import { readFileSync } from 'fs';
import path from 'path';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { TOOL_MAX_USERS } from '../../nodes/WhatsApp/operations/agent';
import { operations } from '../../nodes/WhatsApp/operations/operations';
import { runNode } from '../harness/runNode';
import { numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { rows } from '../helpers/items';

const ctx = useSandbox();

/** `count` blocked users as the list holds them: numbers without their plus. */
const listed = (count: number, offset = 0) => numbers(count, offset).map((n) => n.slice(1));
/** The bytes of the JSON the model reads. */
const bytesRead = (outputs: INodeExecutionData[][]) =>
	Buffer.byteLength(JSON.stringify(read(outputs)));
/** The node run as a tool, with the sandbox's credential unless given another. */
const asTool = (parameters: IDataObject, credentials = ctx.credentials) =>
	runNode({ parameters, credentials, asTool: true });
const listAsTool = (parameters: IDataObject) => asTool({ operation: 'list', ...parameters });
/** What the model reads: the one output's JSON. */
const read = (outputs: INodeExecutionData[][]) => outputs[0].map((i) => i.json);
/** Sync as a dry run with Unblock Others, as a tool. */
const syncDryRun = (users: string) =>
	asTool({ operation: 'sync', users, options: { unblockOthers: true, dryRun: true } });

test('Block: every user on the one output the model reads, the invalid one with its reason', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300003']);
	ctx.sb.config.reengagementRequired = ['+919812300004'];
	const { outputs, error } = await asTool({
		operation: 'block',
		users: '+919812300001, +91 98123-00002, callme-maybe, +919812300003, +919812300004',
	});
	expect(error).toBeUndefined();
	expect(outputs).toHaveLength(1);
	expect(read(outputs)).toEqual([
		{ user: '+919812300001', status: 'blocked' },
		{ user: '+919812300002', status: 'blocked' },
		{ user: '+919812300003', status: 'already blocked' },
		{
			user: 'callme-maybe',
			status: 'failed',
			reason: expect.stringMatching(/^"callme-maybe" is neither a phone number nor .*\(item 1\)$/),
		},
		{
			user: '+919812300004',
			status: 'failed',
			reason: expect.stringMatching(
				/^WhatsApp lets a business block only users who messaged this phone number in the last 24 hours.*\(Re-engagement required: .*24 hours/,
			),
		},
	]);
	expect(outputs[0].every((i) => i.pairedItem !== undefined)).toBe(true);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(
		expect.arrayContaining(['919812300001', '919812300002']),
	);
});

test('Unblock: every user with its status', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300001']);
	const { outputs } = await asTool({
		operation: 'unblock',
		users: '+919812300001, +919812300009, 12',
	});
	expect(outputs).toHaveLength(1);
	expect(rows(outputs[0], 'user', 'status')).toEqual([
		['+919812300001', 'unblocked'],
		['+919812300009', 'not blocked'],
		['12', 'failed'],
	]);
});

test('List: a short list whole, with its total, not truncated', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300001', '919812300002']);
	const { outputs } = await listAsTool({ returnAll: true });
	expect(outputs).toEqual([
		[
			{
				json: {
					total: 2,
					returned: 2,
					truncated: false,
					users: [
						{ user: '919812300001', block_reason: 'manual' },
						{ user: '919812300002', block_reason: 'manual' },
					],
				},
				pairedItem: { item: 0 },
			},
		],
	]);
});

describe('List as a tool: a bounded answer that says how many there are', () => {
	test(`3,000 blocked users, Return All: the first ${TOOL_MAX_USERS}, the total, truncated, and Check named for given users`, async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(3000));
		const { outputs, error } = await listAsTool({ returnAll: true });
		expect(error).toBeUndefined();
		expect(outputs).toHaveLength(1);
		expect(outputs[0]).toHaveLength(1);
		const { users, ...rest } = outputs[0][0].json;
		expect(rest).toEqual({
			total: 3000,
			returned: TOOL_MAX_USERS,
			truncated: true,
			note: expect.stringMatching(/100 of the 3000 blocked users.*Check/),
		});
		expect(users).toEqual(listed(TOOL_MAX_USERS).map((user) => ({ user, block_reason: 'manual' })));
		expect(bytesRead(outputs)).toBeLessThan(6000);
	});

	test('64,000 blocked users, Limit left at 50: 50 entries and the total of a whole read', async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(64_000));
		const { outputs } = await listAsTool({});
		const { users, ...rest } = outputs[0][0].json;
		expect(rest).toEqual({
			total: 64_000,
			returned: 50,
			truncated: true,
			note: expect.stringMatching(/50 of the 64000/),
		});
		expect(users).toEqual(listed(50).map((user) => ({ user, block_reason: 'manual' })));
		// The whole list, 1,000 a page, every cursor followed.
		expect(ctx.sb.requests.map((r) => r.query.limit)).toEqual(
			Array.from({ length: 64 }, () => '1000'),
		);
	});

	test('the answer does not grow with the blocklist: 64,000 users read as 3,000 do, give or take the digits of the total', async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(3000));
		const small = bytesRead((await listAsTool({ returnAll: true })).outputs);
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(64_000));
		const full = await listAsTool({ returnAll: true });
		expect(full.outputs[0][0].json).toMatchObject({
			total: 64_000,
			returned: TOOL_MAX_USERS,
			truncated: true,
		});
		// One more digit in the total, written twice (total, and the note).
		expect(bytesRead(full.outputs) - small).toBe(2);
	});

	test('a Limit under the bound is kept; the total still counts everyone', async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(300));
		const { outputs } = await listAsTool({ limit: 5 });
		expect(outputs[0][0].json).toMatchObject({ total: 300, returned: 5, truncated: true });
		expect(outputs[0][0].json.users).toHaveLength(5);
	});

	test('a read that fails on a later page: the error, never a total from the pages read', async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(3000));
		ctx.sb.behaviour = (req) =>
			req.method === 'GET' && req.query.after !== undefined ? { kind: 'unknownEntry' } : undefined;
		const { outputs } = await listAsTool({ returnAll: true });
		expect(read(outputs)).toEqual([
			{
				error: expect.stringMatching(/not recognise|unrecognised|does not recognise/i),
				details: expect.any(String),
			},
		]);
		expect(JSON.stringify(outputs)).not.toMatch(/"total"/);
	});
});

test('the agent example: no tool returns all, its List tool gives the bounded answer, and it has Check for given users', async () => {
	const file = path.join(__dirname, '../../examples/workflows/agent-blocklist-assistant.json');
	const example = JSON.parse(readFileSync(file, 'utf8')) as {
		nodes: Array<{ type: string; parameters: IDataObject }>;
	};
	const tools = example.nodes.filter(
		(n) => n.type === 'n8n-nodes-splashify.whatsAppBlockUsersTool',
	);
	expect(tools.map((t) => t.parameters.operation).sort()).toEqual([
		'block',
		'check',
		'list',
		'unblock',
	]);
	expect(
		tools.filter((t) => t.parameters.returnAll !== undefined && t.parameters.returnAll !== false),
	).toEqual([]);
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(3000));
	const list = tools.find((t) => t.parameters.operation === 'list');
	const { outputs } = await asTool(list?.parameters ?? {});
	expect(outputs[0][0].json).toMatchObject({ total: 3000, truncated: true });
	expect((outputs[0][0].json.users as unknown[]).length).toBeLessThanOrEqual(TOOL_MAX_USERS);
});

test('a rejected key: one entry that says what went wrong, without the key', async () => {
	const key = 'pk_live_AGENT_WRONG_KEY_42';
	const { outputs, error } = await asTool(
		{ operation: 'block', users: '+919812300001' },
		{ ...ctx.credentials, apiKey: key },
	);
	expect(error).toBeUndefined();
	expect(outputs).toHaveLength(1);
	expect(outputs[0]).toHaveLength(1);
	expect(outputs[0][0].json).toEqual({
		error: expect.stringMatching(/rejected the API key/),
		details: expect.stringMatching(/Item 1/),
	});
	expect(JSON.stringify(outputs)).not.toContain(key);
});

test('an unknown phone number ID: the entry names it', async () => {
	const { outputs } = await asTool({ operation: 'list', returnAll: true, phoneNumberId: '999' });
	expect(read(outputs)).toEqual([
		{
			error: expect.stringMatching(/did not find this phone number ID/),
			details: expect.stringMatching(/phone number ID 999/),
		},
	]);
});

test('Check: every user on the one output the model reads, blocked, not blocked or failed', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300001']);
	const { outputs } = await asTool({
		operation: 'check',
		users: '+919812300001, +919812300002, 12',
	});
	expect(outputs).toHaveLength(1);
	expect(read(outputs)).toEqual([
		{ user: '+919812300001', status: 'blocked' },
		{ user: '+919812300002', status: 'not blocked' },
		{ user: '12', status: 'failed', reason: expect.stringMatching(/not a valid phone number/) },
	]);
	expect(ctx.sb.requests.map((r) => r.method)).toEqual(['GET']);
});

test('Sync as a dry run: the model hears the plan, nothing changes', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300001', '919812300003']);
	const { outputs } = await syncDryRun('+919812300001, +919812300002');
	expect(read(outputs)).toEqual([
		{ user: '+919812300002', status: 'would block' },
		{ user: '+919812300003', status: 'would unblock' },
		{ user: '+919812300001', status: 'already blocked' },
	]);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(['919812300001', '919812300003']);
});

describe('Sync as a tool: every given user, a bounded number of the others', () => {
	const given = ['+917000000000', '+919812300002'];
	/** The count of the listed users the model did not give, cut at the bound. */
	const notGiven = (total: number, by_status: object) => ({
		listed_users_not_given: { total, returned: TOOL_MAX_USERS, truncated: true, by_status },
	});

	test(`3,000 listed, 2 given, Unblock Others (dry run): both given users, ${TOOL_MAX_USERS} of the others, and their count by status`, async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(3000));
		const { outputs } = await syncDryRun(given.join(', '));
		// In output order (Changed, Unchanged): the given users all there, the others cut, then their count.
		expect(read(outputs)).toEqual([
			{ user: '+919812300002', status: 'would block' },
			...numbers(TOOL_MAX_USERS, 1).map((user) => ({ user, status: 'would unblock' })),
			{ user: '+917000000000', status: 'already blocked' },
			notGiven(2999, { 'would unblock': 2999 }),
		]);
		expect(bytesRead(outputs)).toBeLessThan(6000);
	});

	test('the others that failed are kept first, so a cut never hides a failure behind the successes', async () => {
		// A listed parent BSUID cannot be unblocked: it fails, and comes last in output order.
		const PARENT = 'US.ENT.1';
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, [...listed(3000), PARENT]);
		const { outputs } = await syncDryRun(given[0]);
		expect(read(outputs)).toEqual([
			...numbers(TOOL_MAX_USERS - 1, 1).map((user) => ({ user, status: 'would unblock' })),
			{ user: '+917000000000', status: 'already blocked' },
			{ user: PARENT, status: 'failed', reason: expect.stringMatching(/parent BSUID/) },
			notGiven(3000, { 'would unblock': 2999, failed: 1 }),
		]);
	});

	test('as many others as the bound: all of them, no summary', async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(TOOL_MAX_USERS + 1));
		const { outputs } = await syncDryRun(given[0]);
		expect(read(outputs)).toEqual([
			...numbers(TOOL_MAX_USERS, 1).map((user) => ({ user, status: 'would unblock' })),
			{ user: given[0], status: 'already blocked' },
		]);
	});
});

test('Check: every given user comes back, however many: the answer grows with the users given, not with the blocklist', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, listed(3000));
	const asked = numbers(150, 2950);
	const { outputs } = await asTool({ operation: 'check', users: asked.join(',') });
	expect(read(outputs)).toEqual(
		asked.map((user, n) => ({ user, status: n < 50 ? 'blocked' : 'not blocked' })),
	);
});

test('the bound is told to the model: List and Sync say it in their tool descriptions, and the README says it', () => {
	expect(operations.list.toolDescription).toMatch(
		new RegExp(`total .* truncated .* at most ${TOOL_MAX_USERS} of them.*use Check`),
	);
	expect(operations.sync.toolDescription).toMatch(
		new RegExp(`at most ${TOOL_MAX_USERS} have an entry .* listed_users_not_given`),
	);
	const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
	expect(readme).toContain(`the bound, ${TOOL_MAX_USERS} users, is \`TOOL_MAX_USERS\``);
});
