/**
 * Block and Unblock read a Users or Phone Number ID mapped as exactly {{ $json.field }}
 * straight from the item (n8n's expression engine costs about 0.5 ms an item). These tests
 * hold that shortcut to what n8n's own evaluation gives: the same values mapped with an
 * expression the shortcut does not recognise must produce the same outputs and requests.
 */
import { useSandbox } from '../helpers/sandbox';

const ctx = useSandbox();

const items = [
	{ v: '+919999999999' },
	{ v: 919888888888 },
	{ v: ['+14155559876', '+14155559877'] },
	{ v: [{ user: '+14155559878' }] },
	{ v: '+919777777777; +919666666666' },
	{ v: null },
	{ other: 'no v here' },
	{ v: '' },
	{ v: { user: '+919555555555' } },
	{ v: 'nonsense' },
	{ v: -919999999999 },
];

async function outputsFor(users: string, phoneNumberId: string) {
	ctx.sb.reset();
	const result = await ctx.run(
		{ operation: 'block', users, phoneNumberId },
		{ items: items.map((json) => ({ ...json, pid: json.v === '' ? '200000000000002' : '' })) },
	);
	return {
		outputs: result.outputs,
		requests: ctx.sb.requests.map((r) => [r.path, r.users]),
		error: result.error,
	};
}

test.each([
	['$json.v', '[$json.v][0]'],
	['$json["v"]', '[$json["v"]][0]'],
])('{{ %s }} gives what n8n evaluates for {{ %s }}', async (shortcut, evaluated) => {
	const fast = await outputsFor(`={{ ${shortcut} }}`, '={{ $json.pid }}');
	const slow = await outputsFor(`={{ ${evaluated} }}`, '={{ [$json.pid][0] }}');
	expect(fast.error).toBeUndefined();
	expect(fast).toEqual(slow);
	expect(fast.outputs[0].length + fast.outputs[1].length).toBe(13);
	expect(fast.requests.length).toBeGreaterThan(0);
});
