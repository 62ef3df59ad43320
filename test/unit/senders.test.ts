/** The senders of WhatsApp Trigger items, as Users entries (users/senders.ts through users/users.ts). */
import { splitUsersParameter } from '../../nodes/WhatsApp/users/users';
import { messageFromNumber, messageFromUsername, statusUpdate } from '../helpers/whatsAppItems';

const BSUID = 'IN.7rT9kQ2xYz';

test('a message from a number yields the number, the BSUID kept beside it, once for contact and message', () => {
	expect(splitUsersParameter(messageFromNumber('919876543210', BSUID))).toEqual([
		{ kind: 'value', input: '919876543210', international: true, userId: BSUID },
	]);
});

test('a message from a user with a username yields the BSUID', () => {
	expect(splitUsersParameter(messageFromUsername('US.abcDEF123'))).toEqual([
		{ kind: 'value', input: 'US.abcDEF123' },
	]);
});

test('several senders in one value come out once each, in order; a parent BSUID is never taken', () => {
	const value = {
		contacts: [
			{ wa_id: '447700900123', user_id: 'GB.1a' },
			{ user_id: 'US.2b', parent_user_id: 'US.ENT.9' },
		],
		messages: [
			{ from: '447700900123', from_user_id: 'GB.1a', from_parent_user_id: 'GB.ENT.5' },
			{ from_user_id: 'US.2b', from_parent_user_id: 'US.ENT.9' },
			{ from: '447700900123' },
		],
	};
	expect(splitUsersParameter(value)).toEqual([
		{ kind: 'value', input: '447700900123', international: true, userId: 'GB.1a' },
		{ kind: 'value', input: 'US.2b' },
	]);
});

test('a contact without a message still names its user; the message and contact of one sender merge by either ID', () => {
	const value = {
		contacts: [{ wa_id: '919876543210', user_id: BSUID }],
		messages: [{ from_user_id: BSUID }],
	};
	expect(splitUsersParameter(value)).toEqual([
		{ kind: 'value', input: '919876543210', international: true, userId: BSUID },
	]);
});

test('a status update names nobody and says why; so does a value with no sender', () => {
	const [statuses] = splitUsersParameter(statusUpdate('919876543210'));
	expect(statuses).toMatchObject({ kind: 'nobody' });
	expect((statuses as { reason: string }).reason).toMatch(
		/only message status updates.*names nobody to block.*Receive Message Status Updates/,
	);
	const [empty] = splitUsersParameter({ messages: [{ id: 'x', type: 'system' }], contacts: [] });
	expect((empty as { reason: string }).reason).toMatch(/names no sender/);
});

test('a list of trigger items yields every sender', () => {
	expect(
		splitUsersParameter([
			messageFromNumber('919876543210', BSUID),
			messageFromUsername('US.x1'),
		]).map((entry) => entry.input),
	).toEqual(['919876543210', 'US.x1']);
});

test('a List item (number and BSUID) is taken by its number, with its BSUID and the wa_id it must match', () => {
	expect(
		splitUsersParameter({
			user: '919876543210',
			wa_id: '919876543210',
			user_id: BSUID,
			block_reason: null,
		}),
	).toEqual([
		{
			kind: 'value',
			input: '919876543210',
			international: true,
			userId: BSUID,
			waId: '919876543210',
		},
	]);
	expect(splitUsersParameter({ user: BSUID, wa_id: null, user_id: BSUID })).toEqual([
		{ kind: 'value', input: BSUID },
	]);
	expect(splitUsersParameter({ user: 'US.a1', user_id: 'US.b2' })[0]).toMatchObject({
		kind: 'unusable',
		reason: expect.stringMatching(/not the same BSUID/),
	});
});
