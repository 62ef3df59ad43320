/**
 * "Block the sender of a message": the items of n8n's WhatsApp Trigger mapped whole to Users
 * (`{{ $json }}`), through the node's real execution against the sandbox. The sender goes by
 * number when there is one (Meta: `user` takes precedence) and keeps its BSUID on the item,
 * else by BSUID; a status update blocks nobody and says why. A user given by number and BSUID
 * is matched under either ID by Check and Sync.
 */
import { PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { messageFromNumber, messageFromUsername, statusUpdate } from '../helpers/whatsAppItems';
import { messageOf, rows, usersOf } from '../helpers/items';

const ctx = useSandbox();
const BSUID = 'IN.7rT9kQ2xYz';
const USERNAME_BSUID = 'US.abcDEF123';
const whole = { users: '={{ $json }}', phoneNumberId: '={{ $json.metadata.phone_number_id }}' };

test('Block: the sender by number (BSUID kept on the item), the username sender by BSUID, one request', async () => {
	const { outputs, error } = await ctx.run(
		{ operation: 'block', ...whole },
		{ items: [messageFromNumber('919876543210', BSUID), messageFromUsername(USERNAME_BSUID)] },
	);
	expect(error).toBeUndefined();
	expect(ctx.sb.requests.map((r) => r.body)).toEqual([
		{
			messaging_product: 'whatsapp',
			block_users: [{ user: '+919876543210' }, { user_id: USERNAME_BSUID }],
		},
	]);
	const [succeeded, failed] = outputs;
	expect(failed).toEqual([]);
	expect(succeeded.map((item) => item.json)).toEqual([
		{
			status: 'blocked',
			input: '919876543210',
			user: '+919876543210',
			wa_id: '919876543210',
			user_id: BSUID,
			phoneNumberId: PHONE_NUMBER_ID,
		},
		{
			status: 'blocked',
			input: USERNAME_BSUID,
			user: USERNAME_BSUID,
			wa_id: null,
			user_id: USERNAME_BSUID,
			phoneNumberId: PHONE_NUMBER_ID,
		},
	]);
	expect(succeeded.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(['919876543210', USERNAME_BSUID]);
});

test('a status update blocks nobody: one Failed item that says why, nothing sent', async () => {
	const { outputs, error } = await ctx.run(
		{ operation: 'block', ...whole },
		{ items: [statusUpdate('919876543210')], continueOnFail: true },
	);
	expect(error).toBeUndefined();
	expect(ctx.sb.requests).toHaveLength(0);
	expect(outputs[0]).toEqual([]);
	expect(outputs[1].map((item) => item.json.error)).toEqual([
		{
			code: 'NO_USERS',
			message: expect.stringMatching(
				/^Item 1 has no users: This WhatsApp item holds only message status updates/,
			),
		},
	]);
});

test('a sender with a number is not read as a national number under a Default Country Code', async () => {
	const { outputs } = await ctx.run(
		{ operation: 'block', ...whole, options: { defaultCountryCode: '44' } },
		{ items: [messageFromNumber('919876543210', BSUID)] },
	);
	expect(usersOf(outputs[0])).toEqual(['+919876543210']);
});

test('a List item with a number and a BSUID that do not agree is refused, not guessed', async () => {
	const { outputs } = await ctx.run(
		{ operation: 'block', users: '={{ $json }}' },
		{ items: [{ user: '+919876543210', wa_id: '919876543211' }], continueOnFail: true },
	);
	expect(ctx.sb.requests).toHaveLength(0);
	expect(messageOf(outputs[1][0])).toMatch(
		/"\+919876543210" and its wa_id "919876543211" are not the same number/,
	);
});

test('Check: a sender listed only by BSUID is Blocked when the trigger item gives its number too', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [BSUID]);
	const { outputs } = await ctx.run(
		{ operation: 'check', ...whole },
		{ items: [messageFromNumber('919876543210', BSUID)] },
	);
	const [blocked, notBlocked] = outputs;
	expect(notBlocked).toEqual([]);
	expect(rows(blocked, 'user', 'wa_id', 'user_id')).toEqual([
		['+919876543210', '919876543210', BSUID],
	]);
});

test('Sync with Unblock Others: a listed BSUID whose number is given is the same user, never unblocked nor blocked again', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, [BSUID, '447700900123']);
	const { outputs, error } = await ctx.run(
		{ operation: 'sync', ...whole, options: { unblockOthers: true } },
		{ items: [messageFromNumber('919876543210', BSUID)] },
	);
	expect(error).toBeUndefined();
	const [changed, unchanged, failed] = outputs;
	expect(failed).toEqual([]);
	expect(rows(unchanged, 'status', 'user')).toEqual([['already blocked', '+919876543210']]);
	expect(rows(changed, 'status', 'user')).toEqual([['unblocked', '+447700900123']]);
	expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([BSUID]);
});
