/**
 * Scale and the blocklist cap: block 64,000 users (the cap), list them all, block past the
 * cap (each extra user fails with 139101, the run does not), unblock them all. Through
 * n8n-core's WorkflowExecute and real HTTP, against the sandbox's 64,000-user cap; every
 * assertion is on the sandbox's recorded state and requests.
 */
import { runNode } from '../harness/runNode';
import {
	DEFAULT_BLOCKLIST_CAP,
	DEFAULT_PHONE_NUMBER_ID,
	startSandbox,
	type Sandbox,
} from '../../sandbox/server';

const PHONE = DEFAULT_PHONE_NUMBER_ID;
const CAP = 64_000;
let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(async () => {
	await sb.close();
});

const credentials = () => ({
	apiKey: sb.apiKey,
	phoneNumberId: PHONE,
	baseUrl: sb.url,
	apiVersion: 'v25.0',
});

/** n distinct E.164 numbers: +4915 then 8 digits. */
const numbers = (n: number, from = 0) =>
	Array.from({ length: n }, (_, i) => `+4915${String(from + i).padStart(8, '0')}`);

/** Spreads users over items of `perItem` users each (as arrays, the way an upstream node maps them). */
const asItems = (users: string[], perItem: number) =>
	Array.from({ length: Math.ceil(users.length / perItem) }, (_, i) => ({
		users: users.slice(i * perItem, (i + 1) * perItem),
	}));

describe('64,000 users: the blocklist cap', () => {
	const users = numbers(CAP);
	const waIds = users.map((u) => u.slice(1));

	test('the sandbox enforces the documented cap', () => {
		expect(DEFAULT_BLOCKLIST_CAP).toBe(CAP);
		expect(sb.config.blocklistCap).toBe(CAP);
	});

	test('Block 64,000 users over 640 items: all succeed, the server holds exactly them', async () => {
		const started = Date.now();
		const { outputs, error } = await runNode({
			parameters: {
				operation: 'block',
				users: '={{ $json.users }}',
				options: { maxConcurrency: 4 },
			},
			items: asItems(users, 100),
			credentials: credentials(),
		});
		const seconds = (Date.now() - started) / 1000;
		expect(error).toBeUndefined();
		const blocked = sb.blocklist(PHONE);
		expect(blocked).toHaveLength(CAP);
		expect(new Set(blocked)).toEqual(new Set(waIds));
		const posts = sb.requests.filter((r) => r.method === 'POST');
		expect(posts).toHaveLength(CAP / 500);
		expect(posts.every((r) => r.status === 200 && r.users?.length === 500)).toBe(true);
		expect(outputs[1]).toHaveLength(0);
		expect(outputs[0]).toHaveLength(CAP);
		expect(new Set(outputs[0].map((i) => i.json.wa_id))).toEqual(new Set(blocked));
		expect(
			outputs[0].every((i, n) => (i.pairedItem as { item: number }).item === Math.floor(n / 100)),
		).toBe(true);
		process.stdout.write(`scale: blocked ${CAP} users in ${seconds.toFixed(1)} s\n`);
	}, 180_000);

	test('the 64,001st and later users fail with 139101 each; the run does not fail; nothing else changes', async () => {
		const extra = numbers(3, CAP);
		sb.requests.length = 0;
		const { outputs, error } = await runNode({
			parameters: { operation: 'block', users: extra.join(', ') },
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(sb.requests.map((r) => r.users)).toEqual([extra]);
		expect(sb.blocklist(PHONE)).toHaveLength(CAP);
		expect(sb.blocklist(PHONE).some((w) => extra.includes(`+${w}`))).toBe(false);
		expect(outputs[0]).toHaveLength(0);
		expect(
			outputs[1].map((i) => [i.json.user, i.json.status, (i.json.error as { code: unknown }).code]),
		).toEqual(extra.map((u) => [u, 'failed', 139101]));
		for (const item of outputs[1])
			expect((item.json.error as { message: string }).message).toMatch(/limit|full/i);
	}, 60_000);

	test('List returns all 64,000, each once, in the server order, over 640 pages', async () => {
		sb.requests.length = 0;
		const started = Date.now();
		const { outputs, error } = await runNode({
			parameters: { operation: 'list', returnAll: true },
			credentials: credentials(),
		});
		const seconds = (Date.now() - started) / 1000;
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json.wa_id)).toEqual(sb.blocklist(PHONE));
		expect(sb.requests.every((r) => r.method === 'GET' && r.status === 200)).toBe(true);
		expect(sb.requests).toHaveLength(CAP / 100);
		process.stdout.write(`scale: listed ${CAP} users in ${seconds.toFixed(1)} s\n`);
	}, 180_000);

	test('Unblock all 64,000 (one item with the whole list as text): all succeed, the blocklist is empty', async () => {
		sb.requests.length = 0;
		const listed = sb.blocklist(PHONE).map((w) => `+${w}`);
		const started = Date.now();
		const { outputs, error } = await runNode({
			parameters: {
				operation: 'unblock',
				users: '={{ $json.users }}',
				options: { maxConcurrency: 4 },
			},
			items: [{ users: listed.join('\n') }],
			credentials: credentials(),
		});
		const seconds = (Date.now() - started) / 1000;
		expect(error).toBeUndefined();
		expect(sb.blocklist(PHONE)).toEqual([]);
		expect(sb.requests.filter((r) => r.method === 'DELETE')).toHaveLength(CAP / 500);
		expect(outputs[1]).toHaveLength(0);
		expect(outputs[0]).toHaveLength(CAP);
		expect(new Set(outputs[0].map((i) => i.json.user))).toEqual(new Set(listed));
		process.stdout.write(`scale: unblocked ${CAP} users in ${seconds.toFixed(1)} s\n`);
	}, 180_000);

	test('one run of 64,001 users from empty: the first 64,000 succeed, the last fails with 139101', async () => {
		sb.requests.length = 0;
		const all = numbers(CAP + 1, 100_000);
		const { outputs, error } = await runNode({
			parameters: {
				operation: 'block',
				users: '={{ $json.users }}',
				options: { maxConcurrency: 1 },
			},
			items: asItems(all, 1000),
			credentials: credentials(),
		});
		expect(error).toBeUndefined();
		expect(sb.blocklist(PHONE)).toHaveLength(CAP);
		expect(sb.blocklist(PHONE)).not.toContain(all[CAP].slice(1));
		expect(outputs[0]).toHaveLength(CAP);
		expect(
			outputs[1].map((i) => [
				i.json.user,
				(i.json.error as { code: unknown }).code,
				(i.pairedItem as { item: number }).item,
			]),
		).toEqual([[all[CAP], 139101, 64]]);
	}, 180_000);
});
