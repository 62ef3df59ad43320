/**
 * Regressions found by the property-based fault tests (test/property/*.property.test.ts),
 * kept as plain tests so they run whatever seed the property suite uses.
 */
import { runNode } from '../harness/runNode';
import { PHONE_NUMBER_ID, useSandbox } from '../helpers/sandbox';
import { startWorld } from './support/world';

const PHONE = PHONE_NUMBER_ID;
const ctx = useSandbox();

const credentials = () => ctx.credentials;
const numbers = (n: number) =>
	Array.from({ length: n }, (_, i) => `+9170000${String(i).padStart(5, '0')}`);

describe('options inside the Options collection reach the node', () => {
	// Found by the first property run: Batch Size, Max Concurrent Requests and Page Size had
	// `displayOptions: { show: { operation } }`. Inside a collection a plain name refers to a
	// sibling option, so n8n hid them and dropped their values: every run used 500 / 1 / 100.
	test('Batch Size: 5 users with batch size 2 go out as 3 requests of at most 2', async () => {
		const users = numbers(5);
		const { outputs, error } = await runNode({
			parameters: { operation: 'block', users: users.join(','), options: { batchSize: 2 } },
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(ctx.sb.requests.map((r) => r.users)).toEqual([
			users.slice(0, 2),
			users.slice(2, 4),
			users.slice(4),
		]);
		expect(outputs[0]).toHaveLength(5);
		expect(ctx.sb.blocklist(PHONE)).toHaveLength(5);
	});

	test('Batch Size applies to Unblock too', async () => {
		const users = numbers(3);
		ctx.sb.setBlocklist(PHONE, users);
		await runNode({
			parameters: { operation: 'unblock', users: users.join(','), options: { batchSize: 1 } },
			credentials: credentials(),
		});
		expect(ctx.sb.requests.map((r) => [r.method, r.users])).toEqual(
			users.map((u) => ['DELETE', [u]]),
		);
		expect(ctx.sb.blocklist(PHONE)).toEqual([]);
	});

	test('Max Concurrent Requests: batches overlap on the wire when it is above 1', async () => {
		ctx.sb.config.latencyMs = 100;
		let inFlight = 0;
		let most = 0;
		ctx.sb.behaviour = () => {
			most = Math.max(most, ++inFlight);
			setTimeout(() => inFlight--, 50);
			return undefined;
		};
		await runNode({
			parameters: {
				operation: 'block',
				users: numbers(4).join(','),
				options: { batchSize: 1, maxConcurrency: 4 },
			},
			credentials: credentials(),
		});
		expect(ctx.sb.requests).toHaveLength(4);
		expect(most).toBeGreaterThan(1);
	});

	test('Page Size: List asks for pages of the chosen size', async () => {
		ctx.sb.setBlocklist(PHONE, numbers(7));
		const { outputs } = await runNode({
			parameters: { operation: 'list', returnAll: true, options: { pageSize: 3 } },
			credentials: credentials(),
		});
		expect(ctx.sb.requests.map((r) => r.query.limit)).toEqual(['3', '3', '3']);
		expect(outputs[0].map((i) => i.json.wa_id)).toEqual(ctx.sb.blocklist(PHONE));
	});
});

describe('a negative JS number is not a phone number', () => {
	// Found by the block-unblock property (seed 2): the array element -1000000 was read as the
	// text "-1000000", whose minus the formatting rules strip like a dash, so the node blocked
	// +1000000, a number nobody gave it.
	test('-919999999999 fails as INVALID_NUMBER and nothing is sent; 919999999999 still works', async () => {
		const { outputs, error } = await runNode({
			parameters: { operation: 'block', users: '={{ $json.users }}' },
			items: [{ users: [-919999999999, 919888888888] }],
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(ctx.sb.requests.map((r) => r.users)).toEqual([['+919888888888']]);
		expect(ctx.sb.blocklist(PHONE)).toEqual(['919888888888']);
		expect(outputs[1].map((i) => [i.json.input, (i.json.error as { code: string }).code])).toEqual([
			['-919999999999', 'INVALID_NUMBER'],
		]);
		expect((outputs[1][0].json.error as { message: string }).message).toMatch(/negative.*item 1/);
	});
});

describe('an answer that echoes the Authorization header does not put the key in the outputs', () => {
	// Found by the block-unblock property once answers could echo the request's Authorization
	// header: failures were scrubbed, but a successful answer's per-user error messages (and
	// List's entries) went into the output items as the server wrote them.
	const KEY = 'pk_live_echo_9d0e1f2a3b4c5d6e';
	const run = async (operation: 'block' | 'list', shape: 'provider' | 'meta' | 'mixed400') => {
		const world = await startWorld({
			apiKey: KEY,
			script: [{ behaviour: { kind: 'ok' }, shape, echoKey: true }],
		});
		try {
			world.sb.setBlocklist(PHONE, ['919999999991']);
			world.sb.config.reengagementRequired = ['+919999999992'];
			const result = await runNode({
				parameters:
					operation === 'list'
						? { operation, returnAll: true }
						: { operation, users: '+919999999991, +919999999992, 123' },
				credentials: {
					apiKey: KEY,
					phoneNumberId: PHONE,
					baseUrl: world.sb.url,
					apiVersion: 'v25.0',
				},
			});
			// The server did echo it, so the test can fail.
			expect([...world.answers.values()].some((a) => a.text.includes(KEY))).toBe(true);
			return result;
		} finally {
			await world.close();
		}
	};

	test.each(['provider', 'meta', 'mixed400'] as const)(
		'Block, %s answer with a per-user failure',
		async (shape) => {
			const result = await run('block', shape);
			expect(result.error).toBeUndefined();
			expect(result.outputs[0].map((i) => [i.json.input, i.json.status])).toEqual([
				['+919999999991', 'already blocked'],
			]);
			expect(result.outputs[1].map((i) => i.json.input)).toEqual(['+919999999992', '123']);
			expect(JSON.stringify(result.outputs)).not.toContain(KEY);
			// 131047 on Block: the server's words (with the echo, scrubbed) are kept in details.
			expect((result.outputs[1][0].json.error as { details: string }).details).toContain('***');
		},
	);

	test('List entries', async () => {
		const result = await run('list', 'provider');
		expect(result.outputs[0].map((i) => i.json.wa_id)).toEqual(['919999999991']);
		expect(JSON.stringify(result.outputs)).not.toContain(KEY);
	});
});
