import { isNoChange } from '../../nodes/WhatsApp/changes/noChange';

describe('isNoChange: the per-user refusals that mean the blocklist already was as asked', () => {
	test.each([
		[139100, 'User is already blocked', undefined],
		[100, '(#100) The user is already blocked', undefined],
		['139100', 'user already blocked', undefined],
		[139100, 'Failed to block user', 'The user is already on the blocklist of this phone number'],
		[100, 'User has already been blocked', undefined],
		[139100, 'ALREADY   BLOCKED', undefined],
		[139100, 'Blocked already', undefined],
		[139100, 'User already in block list', undefined],
		[100, 'User is already in the block-list', undefined],
	])('Block: %j %j (%j) is unchanged', (code, message, details) => {
		expect(isNoChange('block', { code, message, details })).toBe(true);
	});

	test.each([
		[139100, 'User is not blocked', undefined],
		[100, '(#100) The user is not blocked', undefined],
		[139100, "User isn't blocked", undefined],
		[139100, 'Failed to unblock user', 'The user is not on the blocklist of this phone number'],
		[139100, 'User was not currently blocked', undefined],
		[100, 'User already unblocked', undefined],
		['100', 'not in blocklist', undefined],
	])('Unblock: %j %j (%j) is unchanged', (code, message, details) => {
		expect(isNoChange('unblock', { code, message, details })).toBe(true);
	});

	test.each([
		['block', 131047, 'Re-engagement required: user is already blocked elsewhere'],
		['block', 139101, 'Blocklist full, user already blocked count 64000'],
		['block', 131021, 'Already blocked: cannot block your own number'],
		['block', 'UNKNOWN', 'User is already blocked'],
		['block', 'NOT_ACKNOWLEDGED', 'already blocked'],
		['block', 100, '(#100) Invalid phone number'],
		['block', 139100, 'User is not blocked'],
		['block', 139100, 'User could not be blocked'],
		['unblock', 139100, 'User is already blocked'],
		['unblock', 139100, 'User could not be unblocked'],
		['unblock', 100, '(#100) Invalid user ID'],
		['unblock', 139100, 'Failed to block/unblock users'],
	] as const)('%s: %j %j stays a failure', (action, code, message) => {
		expect(isNoChange(action, { code, message })).toBe(false);
	});
});
