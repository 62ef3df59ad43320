/**
 * Numbers as people write them (issue 21, point 1), through the node's real execution and
 * n8n's HTTP helper, against the sandbox: `(0)` after the country code, a float's `.0`,
 * invisible direction marks, and numbers without a country code, with and without the
 * Default Country Code option. Block sends the right number or nothing; Check and Sync with
 * Unblock Others never take the real user for someone else.
 */
import { PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { rows, usersOf } from '../helpers/items';

const ctx = useSandbox();

const UK = '+442079460958';
const IN = '+919999999999';
const MOBILE = '+919876543210';
const STYLES = ['+44 (0)20 7946 0958', '919999999999.0', '\u200e\u202a+91 98765 43210\u202c\u200e'];

const run = (operation: string, users: string[], options: Record<string, unknown> = {}) =>
	ctx.run(
		{ operation, users: '={{ $json.phone }}', options },
		{ items: users.map((phone) => ({ phone })) },
	);

const sent = () => ctx.sb.requests.filter((r) => r.method !== 'GET').flatMap((r) => r.users ?? []);
const digits = (users: string[]) => users.map((u) => u.slice(1));

describe('Block: each style blocks the number it writes', () => {
	test.each([
		['+44 (0)20 7946 0958', UK],
		['919999999999.0', IN],
		['\u200e\u202a+91 98765 43210\u202c\u200e', MOBILE],
		['tel:+91-99999-99999', IN],
	])('%j blocks %s', async (input, expected) => {
		const { outputs, error } = await run('block', [input]);
		expect(error).toBeUndefined();
		expect(sent()).toEqual([expected]);
		expect(rows(outputs[0], 'status', 'input', 'user')).toEqual([['blocked', input, expected]]);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual([expected.slice(1)]);
	});

	test('"98765 43210" without Default Country Code is refused (INVALID_NUMBER) and nothing is sent', async () => {
		const { outputs, error } = await run('block', ['98765 43210', '9812300001']);
		expect(error).toBeUndefined();
		expect(ctx.sb.requests).toHaveLength(0);
		expect(outputs[0]).toHaveLength(0);
		const errors = outputs[1].map((i) => i.json.error as { code: string; message: string });
		expect(errors.map((e) => e.code)).toEqual(['INVALID_NUMBER', 'INVALID_NUMBER']);
		expect(errors[1].message).toMatch(
			/^"9812300001" is not a valid phone number: .*country code.*Default Country Code.*\(item 2\)$/,
		);
	});

	test('"98765 43210" with Default Country Code 91 blocks +919876543210', async () => {
		const { outputs, error } = await run(
			'block',
			['98765 43210', '09876543210', '+44 20 7946 0958'],
			{ defaultCountryCode: '91' },
		);
		expect(error).toBeUndefined();
		expect(sent()).toEqual([MOBILE, UK]);
		expect(usersOf(outputs[0])).toEqual([MOBILE, MOBILE, UK]);
	});

	test('a Default Country Code that is no country code stops the node, naming the option, before anything is sent', async () => {
		const { error } = await run('block', ['98765 43210'], { defaultCountryCode: 'India' });
		expect(error?.message).toMatch(
			/^Default Country Code must be a country calling code in use, such as 91/,
		);
		expect(ctx.sb.requests).toHaveLength(0);
	});
});

describe('Check and Sync: the real user is recognised in every style', () => {
	test('Check puts each style of a blocked user on Blocked', async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([UK, IN, MOBILE]));
		const { outputs, error } = await run('check', [...STYLES, '98765 43210'], {
			defaultCountryCode: 91,
		});
		expect(error).toBeUndefined();
		const [blocked, notBlocked, failed] = outputs;
		expect(usersOf(blocked)).toEqual([UK, IN, MOBILE, MOBILE]);
		expect(notBlocked).toHaveLength(0);
		expect(failed).toHaveLength(0);
	});

	test('Sync with Unblock Others keeps the users written in these styles and unblocks only the others', async () => {
		const OTHER = '+919000000001';
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([UK, IN, MOBILE, OTHER]));
		const { outputs, error } = await run('sync', STYLES, { unblockOthers: true });
		expect(error).toBeUndefined();
		expect(ctx.sb.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
		expect(ctx.sb.requests.filter((r) => r.method === 'DELETE').flatMap((r) => r.users)).toEqual([
			OTHER,
		]);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID).sort()).toEqual(digits([UK, IN, MOBILE]).sort());
		expect(rows(outputs[1], 'user', 'status')).toEqual([
			[UK, 'already blocked'],
			[IN, 'already blocked'],
			[MOBILE, 'already blocked'],
		]);
	});

	test('Sync with Default Country Code 91 keeps "98765 43210" blocked', async () => {
		ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([MOBILE, UK]));
		const { error } = await run('sync', ['98765 43210', '+44 (0)20 7946 0958'], {
			unblockOthers: true,
			defaultCountryCode: '+91',
		});
		expect(error).toBeUndefined();
		expect(ctx.sb.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID).sort()).toEqual(digits([MOBILE, UK]).sort());
	});
});
