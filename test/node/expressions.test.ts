/**
 * Options and IDs that come from expressions (a webhook query, a sheet cell) are read and
 * checked, never compared with `=== true` and hoped for: a Dry Run given as the text "true"
 * sends nothing, Unblock Others as "true" unblocks, Return All as "false" applies the Limit,
 * anything else stops the node naming the option; a phone number ID given as a number too
 * large for JSON, a float or a boolean says what is wrong, never "empty".
 */
import type { IDataObject } from 'n8n-workflow';

import { numbers, PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { rows } from '../helpers/items';

const ctx = useSandbox();
const [A, B, C] = numbers(3);
const digits = (users: string[]) => users.map((u) => u.slice(1));

/** Sync of A and C against a blocklist of A and B, with the options taken from the item's fields. */
async function syncWith(fields: IDataObject) {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits([A, B]));
	return await ctx.run(
		{
			operation: 'sync',
			users: `${A}, ${C}`,
			options: { dryRun: '={{ $json.dryRun }}', unblockOthers: '={{ $json.unblockOthers }}' },
		},
		{ items: [fields] },
	);
}

const writes = () => ctx.sb.requests.filter((r) => r.method !== 'GET');

test.each([['true'], ['TRUE '], [' True'], [true]])(
	'Dry Run given as %j sends no write, and says what it would do',
	async (dryRun) => {
		const { outputs, error } = await syncWith({ dryRun, unblockOthers: 'true' });
		expect(error).toBeUndefined();
		expect(writes()).toEqual([]);
		expect(rows(outputs[0], 'user', 'status')).toEqual([
			[C, 'would block'],
			[B, 'would unblock'],
		]);
		expect(ctx.sb.blocklist(PHONE_NUMBER_ID)).toEqual(digits([A, B]));
	},
);

test.each([['false'], [' FALSE'], [false], ['']])(
	'Dry Run %j and Unblock Others "true" run for real, unblocking the others',
	async (dryRun) => {
		const { outputs, error } = await syncWith({ dryRun, unblockOthers: 'true' });
		expect(error).toBeUndefined();
		expect(writes().map((r) => [r.method, r.users])).toEqual([
			['POST', [C]],
			['DELETE', [B]],
		]);
		expect(outputs[0].map((i) => i.json.status)).toEqual(['blocked', 'unblocked']);
	},
);

test.each([
	[
		'Dry Run',
		{ dryRun: 'yes', unblockOthers: 'true' } as IDataObject,
		'Dry Run must be true or false, not "yes"',
	],
	['Dry Run', { dryRun: 1, unblockOthers: 'true' }, 'Dry Run must be true or false, not 1'],
	[
		'Unblock Others',
		{ dryRun: 'false', unblockOthers: 'on' },
		'Unblock Others must be true or false, not "on"',
	],
])(
	'%s given as something else stops the node before any request, naming it',
	async (_name, fields, message) => {
		const { outputs, error } = await syncWith(fields);
		expect(outputs).toEqual([]);
		expect(error?.message).toBe(message);
		expect(ctx.sb.requests).toEqual([]);
	},
);

test('Return All given as the text "false" applies the Limit; "true" lists all; "no" stops, naming it', async () => {
	ctx.sb.setBlocklist(PHONE_NUMBER_ID, digits(numbers(30)));
	const list = (returnAll: IDataObject[string]) =>
		ctx.run(
			{ operation: 'list', returnAll: '={{ $json.all }}', limit: 5 },
			{ items: [{ all: returnAll }] },
		);
	expect((await list('false')).outputs[0]).toHaveLength(5);
	expect((await list('True')).outputs[0]).toHaveLength(30);
	const refused = await list('no');
	expect(refused.error?.message).toBe('Return All must be true or false, not "no"');
	expect(refused.error?.description).toMatch(/Item 1/);
});

test.each([
	// eslint-disable-next-line no-loss-of-precision -- a number n8n cannot hold exactly, on purpose
	['a number over 2^53', 1234567890123456789, /too large to be exact.*pass the ID as text/],
	['a float', 1065403522.5, /not a whole number/],
	['a boolean', true, /is true \(a true\/false value\), not digits/],
	['an object', { id: '1' }, /is an object, not digits/],
])(
	'a phone number ID given as %s says what is wrong, never "empty"',
	async (_name, pid, message) => {
		const { error } = await ctx.run(
			{ operation: 'block', users: A, phoneNumberId: '={{ $json.pid }}' },
			{ items: [{ pid }] },
		);
		expect(error?.message).toMatch(message);
		expect(error?.message).not.toMatch(/empty/);
		expect(ctx.sb.requests).toEqual([]);
	},
);

test('a phone number ID given as a safe whole number is used as its digits', async () => {
	ctx.sb.config.phoneNumberIds.push('200000000000002');
	const { outputs } = await ctx.run(
		{ operation: 'block', users: A, phoneNumberId: '={{ $json.pid }}' },
		{ items: [{ pid: 200000000000002 }] },
	);
	expect(outputs[0].map((i) => i.json.phoneNumberId)).toEqual(['200000000000002']);
});
