/**
 * Part 2 of `npm run bench`: in a real n8n (the pinned version the end-to-end tests use, through
 * scripts/n8n/run.js), the node against what people build without it, in one `n8n executeBatch`
 * process (warm, like a running n8n): a warm-up round at a tenth of the size (not counted), then
 * `rounds` rounds, the workflows' order rotating. The ways (variant keys for --only):
 *
 *   node-*        Users -> WhatsApp Block Users (Users = {{ $json.phone }} or {{ $json.phones }})
 *   code-http-*   Users -> Code (chunks of 500) -> [Loop Over Items (c)] -> HTTP Request (POST
 *                 block_users, Bearer credential); with the loop of size c at most c requests are
 *                 in flight, like Max Concurrent Requests = c, without it all chunks go at once
 *   per-user-*    Users -> HTTP Request, one request per user (all at once)
 *   sync-node     Users -> WhatsApp Block Users, Sync (Unblock Others on)
 *   sync-compare  what a user builds without Sync:
 *                   Start -> List (Return All, Page Size 1000) -> Compare Datasets (input B)
 *                   Start -> Users --------------------------------> Compare Datasets (input A)
 *                 Compare Datasets (A `phone` = B `user`): "In A only" -> Block, "In B only" -> Unblock
 *   sync-fail-*   the same two on 3,000 users, every GET after the first page answering 500 (Max
 *                 Retries 0); -cof: List set to continue on fail
 *
 * Every workflow starts with Manual Trigger -> "Users" (a Code node making the users); only the
 * nodes after it are timed, from n8n's own run data read from its SQLite database. Every run has
 * a phone number ID of its own, so the sandbox tells each run's requests and its blocklist at the
 * end. Sync's users are digits without '+' (as List gives `user`: Compare Datasets matches values
 * exactly); its blocklist starts with half of them and as many others (bench/users.ts), so both
 * ways send the same requests.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { WfNode, Workflow } from '../scripts/n8n/run';
import { N8N_VERSION, N8nInstance, buildAndPack, makeTempDir } from '../scripts/n8n/run';
import { fmt, median, n, table, type Target } from './format';
import { selected, type BenchOptions, type SandboxProcess } from './processes';
import { listedUsers } from './users';

const ROOT = path.resolve(__dirname, '..');
const NODE_TYPE = 'n8n-nodes-splashify.whatsAppBlockUsers';
const SPLASHIFY = { id: 'benchSplashify01', name: 'Splashify sandbox' };
const BEARER = { id: 'benchBearer00001', name: 'Sandbox bearer' };
const CHUNK = 500;
const USERS = 10_000;
const PER_USER_USERS = 1000;
const SYNC_FAIL_USERS = 3000;
type Kind = readonly [type: string, typeVersion: number];
const MANUAL: Kind = ['n8n-nodes-base.manualTrigger', 1];
const CODE: Kind = ['n8n-nodes-base.code', 2];
const HTTP: Kind = ['n8n-nodes-base.httpRequest', 4.2];
const LOOP: Kind = ['n8n-nodes-base.splitInBatches', 3];
const COMPARE: Kind = ['n8n-nodes-base.compareDatasets', 2.3];
const THEIRS = 'List (Return All) + Compare Datasets + Block ("In A only") + Unblock ("In B only")';

export interface Variant {
	key: string;
	kind: 'node' | 'code+http' | 'per-user' | 'sync' | 'compare';
	/** One user per item ({ phone }), or 100 per item ({ phones }). */
	shape: 'item' | 'list';
	label: string;
	users: number;
	/** Requests in flight at most; undefined = as many as n8n sends at once. */
	concurrency?: number;
	/** Sync ways: every GET after the first page fails; List continues on fail. */
	failPage?: boolean;
	continueOnFail?: boolean;
}

export interface RunFigures {
	variant: string;
	round: number;
	/** From the first timed node's start to the last one's end, ms. */
	spanMs: number;
	/** The whole execution (Users included), ms. */
	executionMs: number;
	/** Requests per method, and in all. */
	methods: Record<string, number>;
	requests: number;
	/** Sync ways: how the blocklist ended, each timed node's time, items per output of our nodes. */
	end?: string;
	perNodeMs: Record<string, number>;
	outputs: Record<string, number[]>;
	status?: string;
	ok: boolean;
	problem?: string;
}

export interface N8nResult {
	n8nVersion: string;
	variants: Variant[];
	runs: RunFigures[];
}

function variants(): Variant[] {
	const v = (
		key: string,
		kind: Variant['kind'],
		label: string,
		more: Partial<Variant> = {},
	): Variant => ({ key, kind, label, shape: 'item', users: USERS, concurrency: 1, ...more });
	const out: Variant[] = [];
	for (const shape of ['item', 'list'] as const) {
		const tag = shape === 'list' ? '-list' : '';
		for (const c of [1, 10]) {
			const loop = `Code (chunks of ${CHUNK}) + Loop Over Items (${c}) + HTTP Request`;
			out.push(
				v(`node${tag}-c${c}`, 'node', `WhatsApp Block Users, Max Concurrent Requests ${c}`, {
					shape,
					concurrency: c,
				}),
			);
			out.push(v(`code-http${tag}-c${c}`, 'code+http', loop, { shape, concurrency: c }));
		}
		const all = `Code (chunks of ${CHUNK}) + HTTP Request (all chunks at once)`;
		if (shape === 'item')
			out.push(v('code-http-all', 'code+http', all, { concurrency: undefined }));
	}
	const few = { users: PER_USER_USERS };
	const failing = { users: SYNC_FAIL_USERS, failPage: true };
	out.push(
		v(`node-${PER_USER_USERS}`, 'node', 'WhatsApp Block Users, Max Concurrent Requests 1', few),
		v(`per-user-${PER_USER_USERS}`, 'per-user', 'HTTP Request per user (all at once)', {
			...few,
			concurrency: undefined,
		}),
		v('sync-node', 'sync', 'WhatsApp Block Users, Sync (Unblock Others on)'),
		v('sync-compare', 'compare', THEIRS),
		v('sync-fail-node', 'sync', 'Sync, a page of the blocklist fails', failing),
		v('sync-fail-compare', 'compare', `${THEIRS}, a page fails`, failing),
		v('sync-fail-compare-cof', 'compare', `${THEIRS}, a page fails, List set to continue on fail`, {
			...failing,
			continueOnFail: true,
		}),
	);
	return out;
}

const isSync = (v: Variant) => v.kind === 'sync' || v.kind === 'compare';

// ---- workflows ------------------------------------------------------------------------------

/** Users: Sync's as digits (as List gives `user`), the block ways' in E.164, one or 100 per item. */
function usersCode(v: Variant, count: number): string {
	const phone = `'${isSync(v) ? '' : '+'}9170' + String(i).padStart(8, '0')`;
	if (v.shape === 'item')
		return `return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: ${phone} } }));`;
	return `const items = [];
for (let start = 0; start < ${count}; start += 100) {
	const phones = [];
	for (let i = start; i < Math.min(${count}, start + 100); i++) phones.push(${phone});
	items.push({ json: { phones } });
}
return items;`;
}

function chunkCode(v: Variant): string {
	return `const users = $input.all().${v.shape === 'item' ? 'map((item) => item.json.phone)' : 'flatMap((item) => item.json.phones)'};
const chunks = [];
for (let i = 0; i < users.length; i += ${CHUNK}) {
	chunks.push({ json: { block_users: users.slice(i, i + ${CHUNK}).map((user) => ({ user })) } });
}
return chunks;`;
}

/** The workflow of one run: Start -> Users -> the variant's nodes, and the names of the timed ones. */
function buildWorkflow(
	id: string,
	v: Variant,
	users: number,
	sandboxUrl: string,
	phoneNumberId: string,
) {
	const nodes: WfNode[] = [];
	const connections: Workflow['connections'] = {};
	const add = (name: string, [type, typeVersion]: Kind, x: number, y: number, parameters: object) =>
		nodes.push({
			id: `${name}-id`,
			name,
			type,
			typeVersion,
			position: [x, y],
			parameters,
		} as WfNode);
	const link = (from: string, to: string, output = 0, input = 0) => {
		const outs = (connections[from] ??= { main: [] }).main;
		while (outs.length <= output) outs.push([]);
		outs[output].push({ node: to, type: 'main', index: input });
	};
	const ours = (
		name: string,
		x: number,
		y: number,
		operation: string,
		users: string,
		options: object,
	) => {
		add(name, [NODE_TYPE, 1], x, y, { operation, phoneNumberId, users, options });
		nodes[nodes.length - 1].credentials = { splashifyApi: SPLASHIFY };
	};
	const http = (x: number, y: number, users: string) => {
		const url = `${sandboxUrl}/api/v25.0/${phoneNumberId}/block_users`;
		const jsonBody = `={{ JSON.stringify({ messaging_product: "whatsapp", block_users: ${users} }) }}`;
		const auth = { authentication: 'genericCredentialType', genericAuthType: 'httpBearerAuth' };
		const body = { sendBody: true, specifyBody: 'json', jsonBody, options: {} };
		add('HTTP Request', HTTP, x, y, { method: 'POST', url, ...auth, ...body });
		nodes[nodes.length - 1].credentials = { httpBearerAuth: BEARER };
	};
	// Max Retries 0 on a failed page, so that it fails at once.
	const retries = v.failPage ? { maxRetries: 0 } : {};

	add('Start', MANUAL, 0, 0, {});
	add('Users', CODE, 200, 0, { jsCode: usersCode(v, users) });
	link('Start', 'Users');
	let timed: string[];
	if (v.kind === 'node') {
		const mapped = v.shape === 'item' ? '={{ $json.phone }}' : '={{ $json.phones }}';
		ours('Block', 400, 0, 'block', mapped, { maxConcurrency: v.concurrency });
		link('Users', 'Block');
		timed = ['Block'];
	} else if (v.kind === 'per-user') {
		http(400, 0, '[{ user: $json.phone }]');
		link('Users', 'HTTP Request');
		timed = ['HTTP Request'];
	} else if (v.kind === 'code+http') {
		add('Chunk', CODE, 400, 0, { jsCode: chunkCode(v) });
		link('Users', 'Chunk');
		if (v.concurrency === undefined) {
			http(600, 0, '$json.block_users');
			link('Chunk', 'HTTP Request');
			timed = ['Chunk', 'HTTP Request'];
		} else {
			add('Loop Over Items', LOOP, 600, 0, { batchSize: v.concurrency, options: {} });
			http(800, 100, '$json.block_users');
			link('Chunk', 'Loop Over Items');
			link('Loop Over Items', 'HTTP Request', 1);
			link('HTTP Request', 'Loop Over Items');
			timed = ['Chunk', 'Loop Over Items', 'HTTP Request'];
		}
	} else if (v.kind === 'sync') {
		const options = { unblockOthers: true, maxConcurrency: 1, ...retries };
		ours('Sync', 400, 0, 'sync', '={{ $json.phone }}', options);
		link('Users', 'Sync');
		timed = ['Sync'];
	} else {
		// Users sits above List, so that n8n's v1 order runs it (untimed) before the timed nodes.
		add('List', [NODE_TYPE, 1], 400, 200, {
			operation: 'list',
			phoneNumberId,
			returnAll: true,
			options: { pageSize: 1000, ...retries },
		});
		nodes[nodes.length - 1].credentials = { splashifyApi: SPLASHIFY };
		if (v.continueOnFail) nodes[nodes.length - 1].onError = 'continueRegularOutput';
		const match = { values: [{ field1: 'phone', field2: 'user' }] };
		add('Compare Datasets', COMPARE, 600, 100, { mergeByFields: match, options: {} });
		ours('Block', 800, 0, 'block', '={{ $json.phone }}', { maxConcurrency: 1 });
		ours('Unblock', 800, 200, 'unblock', '={{ $json.user }}', { maxConcurrency: 1 });
		link('Start', 'List');
		link('Users', 'Compare Datasets', 0, 0);
		link('List', 'Compare Datasets', 0, 1);
		link('Compare Datasets', 'Block', 0);
		link('Compare Datasets', 'Unblock', 3);
		timed = ['List', 'Compare Datasets', 'Block', 'Unblock'];
	}
	const settings = { executionOrder: 'v1' };
	return {
		workflow: { id, name: `bench ${v.key} (${id})`, active: false, nodes, connections, settings },
		timed,
	};
}

// ---- running and reading the runs -----------------------------------------------------------

interface TaskData {
	startTime: number;
	executionTime: number;
	error?: { message?: string };
	data?: { main?: Array<unknown[] | null> };
}

interface Execution {
	status: string;
	executionMs: number;
	runData: Record<string, TaskData[]>;
}

/** Each execution's status, time and per-node run data from n8n's SQLite database, by workflow. */
function readExecutions(dotN8n: string): Map<string, Execution> {
	// node:sqlite is built into Node 24 (which runs the bench); n8n stores run data with flatted,
	// taken from n8n's own installation.
	/* eslint-disable @typescript-eslint/no-require-imports */
	const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
	const { installDir } = require('../scripts/n8n/install') as { installDir: string };
	const flatted = require(path.join(installDir, 'node_modules', 'flatted')) as {
		parse: (text: string) => any;
	};
	/* eslint-enable @typescript-eslint/no-require-imports */
	const db = new DatabaseSync(path.join(dotN8n, 'database.sqlite'), { readOnly: true });
	try {
		const rows = db
			.prepare(
				'select e.workflowId as workflowId, e.status as status, e.startedAt as startedAt, e.stoppedAt as stoppedAt, d.data as data from execution_entity e join execution_data d on d.executionId = e.id',
			)
			.all() as Array<Record<'workflowId' | 'status' | 'startedAt' | 'stoppedAt' | 'data', string>>;
		const time = (sqlite: string) => Date.parse(`${sqlite.replace(' ', 'T')}Z`);
		return new Map(
			rows.map((row) => [
				row.workflowId,
				{
					status: row.status,
					executionMs: time(row.stoppedAt) - time(row.startedAt),
					runData: flatted.parse(row.data)?.resultData?.runData ?? {},
				},
			]),
		);
	} finally {
		db.close();
	}
}

/** How a Sync way's blocklist ended, against where it started (listedUsers) and the desired users. */
function endState(
	count: number,
	held: string[],
): { exact: boolean; unchanged: boolean; text: string } {
	const start = new Set(listedUsers(count, count).map((user) => user.slice(1)));
	const desired = new Set(
		Array.from({ length: count }, (_, i) => `9170${String(i).padStart(8, '0')}`),
	);
	const now = new Set(held);
	const added = held.filter((key) => !start.has(key)).length;
	const removed = [...start].filter((key) => !now.has(key)).length;
	const missing = [...desired].filter((key) => !now.has(key)).length;
	const extra = held.filter((key) => !desired.has(key)).length;
	const exact = missing === 0 && extra === 0;
	const unchanged = added === 0 && removed === 0;
	const text = exact
		? 'exactly the desired users'
		: unchanged
			? 'unchanged'
			: `+${added} blocked, -${removed} unblocked`;
	return {
		exact,
		unchanged,
		text: `${text} (${held.length} held; ${missing} desired missing, ${extra} not desired)`,
	};
}

interface Planned {
	id: string;
	variant: Variant;
	round: number;
	phoneNumberId: string;
	users: number;
	timed: string[];
}

/**
 * A run's figures and whether it did what it must: the block ways block every user, with a
 * successful execution; the Sync ways end with exactly the desired users, or on a failed page
 * with the blocklist unchanged (List continuing on fail is only reported), and only the Compare
 * Datasets way without continue-on-fail ends its execution with an error (at List).
 */
function figures(
	p: Planned,
	execution: Execution | undefined,
	byTarget: Record<string, number>,
	held: string[],
): RunFigures {
	const v = p.variant;
	const methods = Object.fromEntries(
		['GET', 'POST', 'DELETE'].map((m) => [m, byTarget[`${m} ${p.phoneNumberId}`] ?? 0]),
	);
	const base = {
		variant: v.key,
		round: p.round,
		methods,
		requests: methods.GET + methods.POST + methods.DELETE,
	};
	if (!execution)
		return {
			...base,
			spanMs: NaN,
			executionMs: NaN,
			perNodeMs: {},
			outputs: {},
			ok: false,
			problem: 'no execution saved',
		};
	let [first, last] = [Infinity, 0];
	const perNodeMs: Record<string, number> = {};
	const errors: string[] = [];
	for (const name of p.timed)
		for (const task of execution.runData[name] ?? []) {
			first = Math.min(first, task.startTime);
			last = Math.max(last, task.startTime + task.executionTime);
			perNodeMs[name] = (perNodeMs[name] ?? 0) + task.executionTime;
			if (task.error) errors.push(`${name}: ${task.error.message}`);
		}
	// Items per output of each of our nodes that ran; a node that threw has none ("error").
	const outputs: Record<string, number[]> = {};
	for (const name of ['Sync', 'List', 'Block', 'Unblock'])
		if (execution.runData[name])
			outputs[name] = (execution.runData[name][0]?.data?.main ?? []).map(
				(items) => items?.length ?? 0,
			);
	const wantStatus = v.failPage && v.kind === 'compare' && !v.continueOnFail ? 'error' : 'success';
	const problems = wantStatus === 'success' ? errors : [];
	if (execution.status !== wantStatus)
		problems.push(`execution ${execution.status}, expected ${wantStatus}`);
	let end: string | undefined;
	if (isSync(v)) {
		const state = endState(p.users, held);
		end = state.text;
		if (v.failPage && !v.continueOnFail && !state.unchanged)
			problems.push(`blocklist changed after a failed page: ${end}`);
		if (!v.failPage && !state.exact) problems.push(`blocklist is not the desired one: ${end}`);
	} else if (held.length !== p.users) problems.push(`blocked ${held.length} of ${p.users}`);
	const ok = problems.length === 0;
	const run = {
		spanMs: last - first,
		executionMs: execution.executionMs,
		perNodeMs,
		outputs,
		end,
		status: execution.status,
	};
	return { ...base, ...run, ok, problem: problems.join('; ') || undefined };
}

/** Runs the variants --only selects (none: no n8n is started); `packed`: a packed build (.tgz) to install instead of packing this checkout. */
export async function runN8nComparison(
	sandbox: SandboxProcess,
	o: BenchOptions,
	packed?: string,
): Promise<N8nResult | undefined> {
	const chosen = variants().filter((v) => selected(o, v.key));
	if (chosen.length === 0) return undefined;
	if (packed === undefined) {
		o.log(`[n8n] n8n ${N8N_VERSION}: building and packing the package ...`);
		packed = buildAndPack({ quiet: true }) as string;
	}
	const runsDir = path.join(ROOT, '.cache', 'bench', 'n8n-runs');
	fs.rmSync(runsDir, { recursive: true, force: true });
	const n8n = await N8nInstance.create({ userFolder: makeTempDir('bench-', runsDir) });
	n8n.installPackage(packed);
	const data = {
		apiKey: sandbox.apiKey,
		phoneNumberId: '100000000000001',
		baseUrl: sandbox.url,
		apiVersion: 'v25.0',
	};
	await n8n.importCredentials([
		{ ...SPLASHIFY, type: 'splashifyApi', data },
		{ ...BEARER, type: 'httpBearerAuth', data: { token: sandbox.apiKey } },
	]);

	// Round 0 warms n8n up (the JIT, the Code node's task runner) with a tenth of the users.
	const planned: Planned[] = [];
	const lists: Record<string, string[]> = {};
	const failReads: Record<string, number> = {};
	for (let round = 0; round <= o.rounds; round++) {
		const rotation = round === 0 ? 0 : (round - 1) % chosen.length;
		for (const variant of [...chosen.slice(rotation), ...chosen.slice(0, rotation)]) {
			// IDs sort in run order: executeBatch runs the workflows in the order of their IDs.
			const order = String(planned.length + 1);
			const phoneNumberId = `3${order.padStart(14, '0')}`;
			const warm = round === 0 && !variant.failPage;
			const users = warm ? Math.max(CHUNK, Math.round(variant.users / 10)) : variant.users;
			const id = `bench${order.padStart(11, '0')}`;
			planned.push({ id, variant, round, phoneNumberId, users, timed: [] });
			lists[phoneNumberId] = isSync(variant)
				? listedUsers(users, users).map((u) => u.slice(1))
				: [];
			if (variant.failPage) failReads[phoneNumberId] = 1;
		}
	}
	const built = planned.map((p) =>
		buildWorkflow(p.id, p.variant, p.users, sandbox.url, p.phoneNumberId),
	);
	built.forEach(({ timed }, i) => (planned[i].timed = timed));
	await n8n.importWorkflow(built.map((b) => b.workflow));
	await sandbox.reset({ lists, failReads });

	o.log(
		`[n8n] running ${planned.length} workflows (${o.rounds} rounds + warm-up) in one n8n executeBatch ...`,
	);
	const ids = `--ids=${planned.map((p) => p.id).join(',')}`;
	const batch = await n8n.cli(['executeBatch', ids, '--retries=0', '--shortOutput'], {
		timeoutMs: 30 * 60 * 1000,
	});
	// sync-fail-compare is expected to stop with an error at List.
	if (batch.code !== 0)
		o.log(`[n8n] executeBatch exited with ${batch.code}: ${batch.stderr.slice(-2000)}`);
	const { byTarget } = await sandbox.stats();
	const executions = readExecutions(n8n.dotN8n);
	const runs: RunFigures[] = [];
	for (const p of planned)
		runs.push(figures(p, executions.get(p.id), byTarget, await sandbox.contents(p.phoneNumberId)));
	fs.rmSync(runsDir, { recursive: true, force: true });
	return { n8nVersion: N8N_VERSION, variants: chosen, runs };
}

// ---- tables and targets ---------------------------------------------------------------------

interface Summary {
	variant: Variant;
	/** The median run by time, and every counted run. */
	spanMs: number;
	runs: RunFigures[];
	ok: boolean;
}

function summarise(result: N8nResult): Map<string, Summary> {
	return new Map(
		result.variants.map((variant) => {
			const runs = result.runs.filter((r) => r.variant === variant.key && r.round > 0);
			const spanMs = median(runs.map((r) => r.spanMs));
			return [variant.key, { variant, spanMs, runs, ok: runs.every((r) => r.ok) }];
		}),
	);
}

const time = (s: Summary) =>
	`**${fmt(s.spanMs, 0)}** (${s.runs.map((r) => fmt(r.spanMs, 0)).join(', ')})`;
const okText = (s: Summary) =>
	s.ok
		? 'yes'
		: `NO: ${s.runs
				.filter((r) => !r.ok)
				.map((r) => `round ${r.round}: ${r.problem}`)
				.join('; ')}`;
const distinct = (values: string[]) => [...new Set(values)].join(', ');

export function n8nTables(result: N8nResult): string {
	const s = summarise(result);
	const blockRows = [...s.values()]
		.filter(({ variant: v }) => !isSync(v))
		.map((x) => {
			const v = x.variant;
			const perUser = s.get(`per-user-${v.users}`);
			const codeHttp = s.get(v.key.replace(/^node/, 'code-http'));
			let ratio = '';
			if (v.kind === 'node' && perUser)
				ratio = `${fmt(perUser.spanMs / x.spanMs, 0)}x faster than per-user`;
			else if (v.kind === 'node')
				ratio = `${codeHttp ? `${fmt(x.spanMs / codeHttp.spanMs, 2)}x` : '–'} of Code + HTTP`;
			return [
				n(v.users),
				v.shape === 'item' ? '1 per item' : '100 per item',
				v.label,
				v.concurrency === undefined ? 'all at once' : String(v.concurrency),
				x.runs.map((r) => r.requests).join(', '),
				time(x),
				fmt(median(x.runs.map((r) => r.executionMs)), 0),
				fmt((x.spanMs * 1000) / v.users, 0),
				ratio,
				okText(x),
			];
		});
	const syncRows = [...s.values()]
		.filter(({ variant: v }) => isSync(v))
		.map((x) => {
			const v = x.variant;
			const theirs = v.kind === 'sync' && !v.failPage ? s.get('sync-compare') : undefined;
			const mid = x.runs.find((r) => r.spanMs === x.spanMs) ?? x.runs[0];
			const methods = (r: RunFigures) =>
				`${r.methods.GET} / ${r.methods.POST} / ${r.methods.DELETE}`;
			const items = ([name, counts]: [string, number[]]) =>
				`${name} ${counts.length > 0 ? counts.join('/') : 'error'}`;
			return [
				`${n(v.users)} desired vs ${n(v.users)} listed (half in both)`,
				v.label,
				distinct(x.runs.map(methods)),
				time(x),
				Object.entries(mid?.perNodeMs ?? {})
					.map(([name, ms]) => `${name} ${fmt(ms, 0)}`)
					.join(', '),
				theirs ? `${fmt(x.spanMs / theirs.spanMs, 2)}x of List + Compare Datasets` : '',
				[...new Set(x.runs.map((r) => `${r.status}: ${r.end}`))].join('; '),
				Object.entries(x.runs[0]?.outputs ?? {})
					.map(items)
					.join(', '),
				okText(x),
			];
		});
	const blockHeader =
		'users | input | workflow | in flight | requests per run | time ms: median (runs) | whole execution ms | µs/user | ratio | all blocked';
	const syncHeader =
		'data | workflow | GET / POST / DELETE per run | time ms: median (runs) | per node ms (median run) | ratio | execution: blocklist at the end | items per output (first round) | as it must';
	return [
		blockRows.length > 0 ? table(blockHeader, blockRows) : '',
		syncRows.length > 0 ? table(syncHeader, syncRows) : '',
	]
		.filter(Boolean)
		.join('\n\n');
}

/** The counted runs of the node's block workflows: how many, and those that did not send ceil(users / 500) requests. */
export function n8nNodeRequests(result: N8nResult | undefined): {
	checked: number;
	wrong: string[];
} {
	const runs = (result?.runs ?? []).filter(
		(r) => r.round > 0 && result?.variants.find((v) => v.key === r.variant)?.kind === 'node',
	);
	const users = (r: RunFigures) => result?.variants.find((v) => v.key === r.variant)?.users ?? 0;
	return {
		checked: runs.length,
		wrong: runs.filter((r) => r.requests !== Math.ceil(users(r) / CHUNK)).map((r) => r.variant),
	};
}

export function n8nTargets(result: N8nResult): Target[] {
	const s = summarise(result);
	const out: Target[] = [];
	const ours = s.get('sync-node');
	const theirs = s.get('sync-compare');
	if (ours && theirs) {
		const ratio = ours.spanMs / theirs.spanMs;
		const requests = (x: Summary) => x.runs.map((r) => r.requests).join(', ');
		out.push(
			{
				name: `n8n: Sync ≤ 1.0x (aim 0.5x) of List + Compare Datasets + Block + Unblock (${n(USERS)} vs ${n(USERS)}, half changed)`,
				holds: ratio <= 1,
				detail: `${fmt(ours.spanMs, 0)} ms vs ${fmt(theirs.spanMs, 0)} ms = ${fmt(ratio, 2)}x; requests ${requests(ours)} vs ${requests(theirs)}`,
			},
			{
				name: 'n8n: both ways end with the same blocklist (exactly the desired users)',
				holds: ours.ok && theirs.ok,
				detail: `Sync: ${distinct(ours.runs.map((r) => r.end ?? ''))}; theirs: ${distinct(theirs.runs.map((r) => r.end ?? ''))}`,
			},
		);
	}
	for (const [key, x] of s) {
		const other = s.get(key.replace(/^node/, 'code-http'));
		if (x.variant.kind !== 'node' || x.variant.users !== USERS || !other) continue;
		const ratio = x.spanMs / other.spanMs;
		out.push({
			name: `n8n: node ≤ 1.0x Code + HTTP Request at ${x.variant.concurrency} in flight, ${x.variant.shape === 'item' ? 'one user per item' : '100 users per item'}`,
			holds: ratio <= 1,
			detail: `${fmt(x.spanMs, 0)} ms vs ${fmt(other.spanMs, 0)} ms = ${fmt(ratio, 2)}x`,
		});
	}
	const node = s.get(`node-${PER_USER_USERS}`);
	const perUser = s.get(`per-user-${PER_USER_USERS}`);
	if (node && perUser) {
		const times = perUser.spanMs / node.spanMs;
		out.push({
			name: `n8n: node far faster than an HTTP Request per user (${n(PER_USER_USERS)} users)`,
			holds: times >= 5,
			detail: `${fmt(node.spanMs, 0)} ms vs ${fmt(perUser.spanMs, 0)} ms: ${fmt(times, 1)}x faster, ${perUser.runs[0]?.requests} requests vs ${node.runs[0]?.requests}`,
		});
	}
	return out;
}
