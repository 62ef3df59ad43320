/**
 * The node run as an AI agent's tool (its `…Tool` variant, in an ordinary execute context as
 * AI Agent 3.x runs it): one output that holds every user with its status and, for a
 * failure, the reason; List's entries; a whole-call error as an entry, never with the key.
 * The same nodes in a workflow keep their two outputs (the other node tests).
 */
import { runNode } from '../../scripts/n8n/runNode';
import { PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';

const ctx = useSandbox();

test('Block: every user on the one output the model reads, the invalid one with its reason', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300003']);
	ctx.sb.config.reengagementRequired = ['+919812300004'];
	const { outputs, error } = await runNode({
		parameters: { operation: 'block', users: '+919812300001, +91 98123-00002, callme-maybe, +919812300003, +919812300004' },
		credentials: ctx.credentials,
		asTool: true,
	});
	expect(error).toBeUndefined();
	expect(outputs).toHaveLength(1);
	expect(outputs[0].map((i) => i.json)).toEqual([
		{ user: '+919812300001', status: 'blocked' },
		{ user: '+919812300002', status: 'blocked' },
		{ user: '+919812300003', status: 'already blocked' },
		{ user: 'callme-maybe', status: 'failed', reason: expect.stringMatching(/^"callme-maybe" is neither a phone number nor .*\(item 1\)$/) },
		{ user: '+919812300004', status: 'failed', reason: expect.stringMatching(/^WhatsApp lets a business block only users who messaged this phone number in the last 24 hours.*\(Re-engagement required: .*24 hours/) },
	]);
	expect(outputs[0].every((i) => i.pairedItem !== undefined)).toBe(true);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(expect.arrayContaining(['919812300001', '919812300002']));
});

test('Unblock: every user with its status', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300001']);
	const { outputs } = await runNode({
		parameters: { operation: 'unblock', users: '+919812300001, +919812300009, 12' },
		credentials: ctx.credentials,
		asTool: true,
	});
	expect(outputs).toHaveLength(1);
	expect(outputs[0].map((i) => [i.json.user, i.json.status])).toEqual([
		['+919812300001', 'unblocked'],
		['+919812300009', 'not blocked'],
		['12', 'failed'],
	]);
});

test('List: each blocked user with its block reason, nothing else', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300001', '919812300002']);
	const { outputs } = await runNode({
		parameters: { operation: 'list', returnAll: true },
		credentials: ctx.credentials,
		asTool: true,
	});
	expect(outputs).toEqual([
		[
			{ json: { user: '919812300001', block_reason: expect.anything() }, pairedItem: { item: 0 } },
			{ json: { user: '919812300002', block_reason: expect.anything() }, pairedItem: { item: 0 } },
		],
	]);
});

test('a rejected key: one entry that says what went wrong, without the key', async () => {
	const key = 'pk_live_AGENT_WRONG_KEY_42';
	const { outputs, error } = await runNode({
		parameters: { operation: 'block', users: '+919812300001' },
		credentials: { ...ctx.credentials, apiKey: key },
		asTool: true,
	});
	expect(error).toBeUndefined();
	expect(outputs).toHaveLength(1);
	expect(outputs[0]).toHaveLength(1);
	expect(outputs[0][0].json).toEqual({ error: expect.stringMatching(/rejected the API key/), details: expect.stringMatching(/Item 1/) });
	expect(JSON.stringify(outputs)).not.toContain(key);
});

test('an unknown phone number ID: the entry names it', async () => {
	const { outputs } = await runNode({
		parameters: { operation: 'list', returnAll: true, phoneNumberId: '999' },
		credentials: ctx.credentials,
		asTool: true,
	});
	expect(outputs[0].map((i) => i.json)).toEqual([
		{ error: expect.stringMatching(/did not find this phone number ID/), details: expect.stringMatching(/phone number ID 999/) },
	]);
});

test('Check: every user on the one output the model reads, blocked, not blocked or failed', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300001']);
	const { outputs } = await runNode({
		parameters: { operation: 'check', users: '+919812300001, +919812300002, 12' },
		credentials: ctx.credentials,
		asTool: true,
	});
	expect(outputs).toHaveLength(1);
	expect(outputs[0].map((i) => i.json)).toEqual([
		{ user: '+919812300001', status: 'blocked' },
		{ user: '+919812300002', status: 'not blocked' },
		{ user: '12', status: 'failed', reason: expect.stringMatching(/not a valid phone number/) },
	]);
	expect(ctx.sb.requests.map((r) => r.method)).toEqual(['GET']);
});

test('Sync as a dry run: the model hears the plan, nothing changes', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, ['919812300001', '919812300003']);
	const { outputs } = await runNode({
		parameters: { operation: 'sync', users: '+919812300001, +919812300002', options: { unblockOthers: true, dryRun: true } },
		credentials: ctx.credentials,
		asTool: true,
	});
	expect(outputs[0].map((i) => i.json)).toEqual([
		{ user: '+919812300002', status: 'would block' },
		{ user: '+919812300003', status: 'would unblock' },
		{ user: '+919812300001', status: 'already blocked' },
	]);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(['919812300001', '919812300003']);
});
