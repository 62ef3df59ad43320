/** Reading a block or unblock answer per user (`changes/blockAnswer.ts`), in every answer shape. */
import { readPerUserAnswer } from '../../nodes/WhatsApp/changes/blockAnswer';

const sent = ['+919999999999', '+919888888888', '+14155559876'];
/** A user the answer acknowledged, by its wa_id or BSUID. */
const acked = (waId: string | null, userId: string | null = null) => ({ ok: true, waId, userId });
/** A user the answer refused, with the server's code, message and details. */
const refused = (code: number | string, message: string, details?: string) => ({
	ok: false,
	error: details === undefined ? { code, message } : { code, message, details },
});

test("the provider's shape: added users and errors", () => {
	const outcomes = readPerUserAnswer(
		'block',
		{
			added_users: [{ input: '+919999999999', wa_id: '919999999999' }],
			errors: [{ input: '+919888888888', code: 131021, message: 'Cannot block your own number' }],
		},
		sent,
	);
	expect(outcomes.get('+919999999999')).toEqual(acked('919999999999'));
	expect(outcomes.get('+919888888888')).toEqual(refused(131021, 'Cannot block your own number'));
	expect(outcomes.get('+14155559876')).toMatchObject({
		ok: false,
		error: { code: 'NOT_ACKNOWLEDGED' },
	});
});

test("Meta's failed_users with nested errors and details", () => {
	const outcomes = readPerUserAnswer(
		'unblock',
		{
			removed_users: [{ input: '+919999999999', wa_id: '919999999999' }],
			failed_users: [
				{
					input: '+14155559876',
					wa_id: '14155559876',
					errors: [
						{
							message: 'Re-engagement required',
							code: 131047,
							error_data: { details: 'User has not messaged in the last 24 hours' },
						},
					],
				},
				{ input: '+919888888888', errors: [{ message: '(#100) Invalid phone number', code: 100 }] },
			],
		},
		sent,
	);
	expect(outcomes.get('+919999999999')).toEqual(acked('919999999999'));
	expect(outcomes.get('+14155559876')).toEqual(
		refused(131047, 'Re-engagement required', 'User has not messaged in the last 24 hours'),
	);
	expect(outcomes.get('+919888888888')).toEqual(refused(100, '(#100) Invalid phone number'));
});

test('matches on wa_id when input is missing, ignores users that were not sent, prefers failure', () => {
	const outcomes = readPerUserAnswer(
		'block',
		{
			added_users: [
				{ wa_id: '919999999999' },
				{ input: '+10000000000', wa_id: '10000000000' },
				{ input: '+919888888888' },
			],
			errors: [{ input: '+919888888888', code: 100, message: 'bad' }],
		},
		sent,
	);
	expect(outcomes.get('+919999999999')).toEqual(acked('919999999999'));
	expect(outcomes.get('+919888888888')).toMatchObject({ ok: false, error: { code: 100 } });
	expect(outcomes.has('+10000000000')).toBe(false);
	expect(outcomes.size).toBe(3);
});

test('a failed entry without its own code takes the top-level error of a mixed HTTP 400 answer', () => {
	const outcomes = readPerUserAnswer(
		'block',
		{ failed_users: [{ input: '+919999999999' }] },
		['+919999999999'],
		{
			code: 139100,
			message: '(#139100) Failed to block/unblock users',
			error_data: { details: 'see failed_users' },
		},
	);
	expect(outcomes.get('+919999999999')).toEqual(
		refused(139100, '(#139100) Failed to block/unblock users', 'see failed_users'),
	);
});

test('removed_users do not count as a block success', () => {
	const outcomes = readPerUserAnswer('block', { removed_users: [{ input: '+919999999999' }] }, [
		'+919999999999',
	]);
	expect(outcomes.get('+919999999999')).toMatchObject({
		ok: false,
		error: { code: 'NOT_ACKNOWLEDGED' },
	});
});

describe('users known by a BSUID', () => {
	const bsuid = 'US.13491208655302741918';
	const parent = 'US.ENT.11815799212886844830';

	test('are matched by input or by user_id, in any order, beside phone numbers; parent_user_id is kept', () => {
		const outcomes = readPerUserAnswer(
			'block',
			{
				added_users: [
					{ user_id: parent },
					{ input: '+919999999999', wa_id: '919999999999' },
					{ input: bsuid, user_id: bsuid, parent_user_id: 'US.ENT.13491208655302741918' },
				],
			},
			['+919999999999', bsuid, parent],
		);
		expect(outcomes.get(bsuid)).toEqual({
			ok: true,
			waId: null,
			userId: bsuid,
			parentUserId: 'US.ENT.13491208655302741918',
		});
		expect(outcomes.get(parent)).toEqual(acked(null, parent));
		expect(outcomes.get('+919999999999')).toEqual(acked('919999999999'));
	});

	test('a refused BSUID keeps its reason; an unmentioned one is not acknowledged', () => {
		const outcomes = readPerUserAnswer(
			'block',
			{
				failed_users: [
					{
						input: bsuid,
						user_id: bsuid,
						errors: [{ code: 131047, message: 'Re-engagement required' }],
					},
				],
			},
			[bsuid, parent],
		);
		// On Block, 131047 says what WhatsApp's rule is; the server's words stay in details.
		expect(outcomes.get(bsuid)).toEqual({
			ok: false,
			error: {
				code: 131047,
				message: expect.stringMatching(
					/^WhatsApp lets a business block only users who messaged this phone number in the last 24 hours/,
				),
				details: 'Re-engagement required',
			},
		});
		expect(outcomes.get(parent)).toMatchObject({ ok: false, error: { code: 'NOT_ACKNOWLEDGED' } });
	});
});

describe('"already blocked" and "not blocked" are successes, unchanged', () => {
	test("in the provider's shape, code 139100", () => {
		const outcomes = readPerUserAnswer(
			'block',
			{
				added_users: [],
				errors: [
					{
						input: '+919888888888',
						wa_id: '919888888888',
						code: 139100,
						message: 'User is already blocked',
					},
				],
			},
			['+919888888888'],
		);
		expect(outcomes.get('+919888888888')).toEqual({
			ok: true,
			waId: '919888888888',
			userId: null,
			unchanged: true,
		});
	});

	test("in Meta's failed_users, code 100, for a BSUID", () => {
		const bsuid = 'GB.42';
		const outcomes = readPerUserAnswer(
			'unblock',
			{
				failed_users: [
					{
						input: bsuid,
						user_id: bsuid,
						errors: [{ code: 100, message: '(#100) The user is not blocked' }],
					},
				],
			},
			[bsuid],
		);
		expect(outcomes.get(bsuid)).toEqual({ ok: true, waId: null, userId: bsuid, unchanged: true });
	});

	test('in a mixed HTTP 400 whose failed entries take their code from the top-level 139100', () => {
		const outcomes = readPerUserAnswer(
			'block',
			{
				added_users: [{ input: '+919999999999' }],
				failed_users: [
					{ input: '+919888888888', errors: [{ message: 'User is already blocked' }] },
				],
			},
			['+919999999999', '+919888888888'],
			{ code: 139100, message: '(#139100) Failed to block/unblock users' },
		);
		expect(outcomes.get('+919999999999')).toEqual(acked('919999999999'));
		expect(outcomes.get('+919888888888')).toMatchObject({ ok: true, unchanged: true });
	});

	test('the wording of the other action is a failure: "not blocked" on Block, "already blocked" on Unblock', () => {
		const notBlocked = readPerUserAnswer(
			'block',
			{ errors: [{ input: '+919999999999', code: 139100, message: 'User is not blocked' }] },
			['+919999999999'],
		);
		expect(notBlocked.get('+919999999999')).toMatchObject({ ok: false, error: { code: 139100 } });
		const already = readPerUserAnswer(
			'unblock',
			{ errors: [{ input: '+919999999999', code: 139100, message: 'User is already blocked' }] },
			['+919999999999'],
		);
		expect(already.get('+919999999999')).toMatchObject({ ok: false, error: { code: 139100 } });
	});
});
