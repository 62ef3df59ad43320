/**
 * Part 2 of the benchmark: the same block done in a real n8n (the pinned version that the
 * end-to-end tests use, through scripts/n8n/run.js) three ways, in one n8n process:
 *
 *   node        Users -> WhatsApp Block Users (Users = {{ $json.phone }})
 *   code+http   Users -> Code (chunks of 500) -> [Loop Over Items (c)] -> HTTP Request (POST
 *               block_users, Bearer credential). With Loop Over Items of size c, at most c
 *               requests are in flight, like the node's Max Concurrent Requests = c; without
 *               the loop the HTTP Request node sends all chunks at once (n8n's default).
 *   per-user    Users -> HTTP Request, one request per user (n8n's default: all at once)
 *   sync-*      Sync against List + Compare Datasets + Block + Unblock (bench/n8n-sync.ts)
 *
 * Each workflow starts with Manual Trigger -> "Users" (a Code node making one item per user,
 * { phone }), the same for every variant; only the nodes after "Users" are timed, from n8n's
 * own run data (each node's startTime and executionTime), read from n8n's SQLite database after
 * the run. Every run blocks into a phone number ID of its own, so the sandbox counts each run's
 * requests and its blocklist shows that every user was blocked.
 *
 * All runs happen in one `n8n executeBatch` process (warm, like a running n8n), which runs the
 * workflows one after the other in the order of their IDs: a warm-up round first (not counted),
 * then `rounds` rounds, the variants' order rotating from round to round.
 */
import * as fs from 'fs';
import * as path from 'path';

import { N8N_VERSION, N8nInstance, buildAndPack, makeTempDir } from '../scripts/n8n/run';
import {
	buildSyncWorkflow,
	endProblem,
	endState,
	NODE_TYPE,
	PAGES_BEFORE_FAILURE,
	SPLASHIFY_CREDENTIAL,
	startingBlocklist,
	syncVariants,
	type SyncKind,
	type SyncVariant,
} from './n8n-sync';
import type { SandboxProcess } from './processes';
import type { WfNode, Workflow } from '../scripts/n8n/run';

const ROOT = path.resolve(__dirname, '..');
const BEARER_CREDENTIAL = { id: 'benchBearer00001', name: 'Sandbox bearer' };
const CHUNK = 500;

export type VariantKind = 'node' | 'code+http' | 'per-user' | SyncKind;

/** How the users arrive: one item per user ({ phone }), or items holding a list ({ phones }). */
export type InputShape = 'item' | 'list';

/** Users per item in the `list` shape. */
export const LIST_SHAPE_USERS_PER_ITEM = 100;

export interface Variant {
	key: string;
	kind: VariantKind;
	shape: InputShape;
	label: string;
	users: number;
	/** Requests in flight at most; undefined = as many as n8n sends at once. */
	concurrency?: number;
	/** The Sync comparison's variants (bench/n8n-sync.ts). */
	sync?: SyncVariant;
}

export interface N8nOptions {
	latencyMs: number;
	users: number;
	perUserUsers: number;
	rounds: number;
	concurrencies: number[];
	/** Only the variants whose key matches (all when unset). */
	only?: RegExp;
	/** Extra environment for n8n (e.g. NODE_OPTIONS with --cpu-prof). */
	env?: Record<string, string>;
	/** Keep n8n's user folder (database, logs) after the run. */
	keep?: boolean;
	/** A packed package (.tgz) to install instead of building and packing this checkout. */
	packed?: string;
	log: (line: string) => void;
}

export interface RunFigures {
	variant: string;
	round: number;
	/** From the first timed node's start to the last one's end, ms. */
	spanMs: number;
	/** Sum of the timed nodes' executionTime, ms. */
	nodesMs: number;
	/** The whole execution (Users included), from n8n's execution record, ms. */
	executionMs: number;
	requests: number;
	/** Sync variants: requests per method. */
	methods?: Record<string, number>;
	blocked: number;
	/** Sync variants: how the blocklist ended (n8n-sync.ts, endState), and items per output of each of our nodes. */
	end?: string;
	outputs?: Record<string, number[]>;
	/** Sync variants: each timed node's executionTime, ms. */
	perNodeMs?: Record<string, number>;
	/** n8n's execution status (success, error). */
	status?: string;
	ok: boolean;
	problem?: string;
}

export interface N8nResult {
	n8nVersion: string;
	variants: Variant[];
	runs: RunFigures[];
	batchMs: number;
}

/** Users of the failed-page Sync variants (3 pages of the blocklist). */
const SYNC_FAIL_USERS = 3000;

export function variantsFor(
	options: Pick<N8nOptions, 'users' | 'perUserUsers' | 'concurrencies'>,
): Variant[] {
	const variants: Variant[] = [];
	const { users } = options;
	for (const shape of ['item', 'list'] as const) {
		const tag = shape === 'list' ? '-list' : '';
		for (const c of options.concurrencies) {
			variants.push({
				key: `node${tag}-c${c}`,
				kind: 'node',
				shape,
				label: `WhatsApp Block Users, Max Concurrent Requests ${c}`,
				users,
				concurrency: c,
			});
			variants.push({
				key: `code-http${tag}-c${c}`,
				kind: 'code+http',
				shape,
				label: `Code (chunks of ${CHUNK}) + Loop Over Items (${c}) + HTTP Request`,
				users,
				concurrency: c,
			});
		}
		if (shape === 'item') {
			variants.push({
				key: 'code-http-all',
				kind: 'code+http',
				shape,
				label: `Code (chunks of ${CHUNK}) + HTTP Request (all chunks at once)`,
				users,
			});
		}
	}
	const few = options.perUserUsers;
	variants.push({
		key: `node-${few}`,
		kind: 'node',
		shape: 'item',
		label: 'WhatsApp Block Users, Max Concurrent Requests 1',
		users: few,
		concurrency: 1,
	});
	variants.push({
		key: `per-user-${few}`,
		kind: 'per-user',
		shape: 'item',
		label: 'HTTP Request per user (all at once)',
		users: few,
	});
	for (const sync of syncVariants(users, SYNC_FAIL_USERS))
		variants.push({
			key: sync.key,
			kind: sync.kind,
			shape: 'item',
			label: sync.label,
			users: sync.users,
			concurrency: 1,
			sync,
		});
	return variants;
}

function userCode(count: number, shape: InputShape): string {
	const phone = "'+9170' + String(i).padStart(8, '0')";
	if (shape === 'item')
		return `return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: ${phone} } }));`;
	return [
		'const items = [];',
		`for (let start = 0; start < ${count}; start += ${LIST_SHAPE_USERS_PER_ITEM}) {`,
		'\tconst phones = [];',
		`\tfor (let i = start; i < Math.min(${count}, start + ${LIST_SHAPE_USERS_PER_ITEM}); i++) phones.push(${phone});`,
		'\titems.push({ json: { phones } });',
		'}',
		'return items;',
	].join('\n');
}

function chunkCode(shape: InputShape): string {
	return [
		shape === 'item'
			? 'const users = $input.all().map((item) => item.json.phone);'
			: 'const users = $input.all().flatMap((item) => item.json.phones);',
		'const chunks = [];',
		`for (let i = 0; i < users.length; i += ${CHUNK}) {`,
		`\tchunks.push({ json: { block_users: users.slice(i, i + ${CHUNK}).map((user) => ({ user })) } });`,
		'}',
		'return chunks;',
	].join('\n');
}

function httpNode(name: string, url: string, jsonBody: string, position: [number, number]): WfNode {
	return {
		id: `${name}-id`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: {
			method: 'POST',
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpBearerAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody,
			options: {},
		},
		credentials: { httpBearerAuth: BEARER_CREDENTIAL },
	};
}

/** The workflow of one run: Start -> Users -> the variant's nodes (the timed ones). */
export function buildWorkflow(
	id: string,
	variant: Variant,
	users: number,
	sandboxUrl: string,
	phoneNumberId: string,
): { workflow: Workflow; timed: string[] } {
	if (variant.sync) return buildSyncWorkflow(id, variant.sync, users, phoneNumberId);
	const url = `${sandboxUrl}/api/v25.0/${phoneNumberId}/block_users`;
	const nodes: WfNode[] = [
		{
			id: 'start-id',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'users-id',
			name: 'Users',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: userCode(users, variant.shape) },
		},
	];
	const connections: Workflow['connections'] = {};
	const link = (from: string, to: string, output = 0) => {
		const outs = (connections[from] ??= { main: [] }).main;
		while (outs.length <= output) outs.push([]);
		outs[output].push({ node: to, type: 'main', index: 0 });
	};
	link('Start', 'Users');
	let timed: string[];
	if (variant.kind === 'node') {
		nodes.push({
			id: 'block-id',
			name: 'Block',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [400, 0],
			parameters: {
				operation: 'block',
				users: variant.shape === 'item' ? '={{ $json.phone }}' : '={{ $json.phones }}',
				phoneNumberId,
				options: { maxConcurrency: variant.concurrency ?? 1 },
			},
			credentials: { splashifyApi: SPLASHIFY_CREDENTIAL },
		});
		link('Users', 'Block');
		timed = ['Block'];
	} else if (variant.kind === 'per-user') {
		nodes.push(
			httpNode(
				'HTTP Request',
				url,
				'={{ JSON.stringify({ messaging_product: "whatsapp", block_users: [{ user: $json.phone }] }) }}',
				[400, 0],
			),
		);
		link('Users', 'HTTP Request');
		timed = ['HTTP Request'];
	} else {
		nodes.push({
			id: 'chunk-id',
			name: 'Chunk',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [400, 0],
			parameters: { jsCode: chunkCode(variant.shape) },
		});
		const body =
			'={{ JSON.stringify({ messaging_product: "whatsapp", block_users: $json.block_users }) }}';
		link('Users', 'Chunk');
		if (variant.concurrency === undefined) {
			nodes.push(httpNode('HTTP Request', url, body, [600, 0]));
			link('Chunk', 'HTTP Request');
			timed = ['Chunk', 'HTTP Request'];
		} else {
			nodes.push({
				id: 'loop-id',
				name: 'Loop Over Items',
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				position: [600, 0],
				parameters: { batchSize: variant.concurrency, options: {} },
			});
			nodes.push(httpNode('HTTP Request', url, body, [800, 100]));
			link('Chunk', 'Loop Over Items');
			link('Loop Over Items', 'HTTP Request', 1);
			link('HTTP Request', 'Loop Over Items');
			timed = ['Chunk', 'Loop Over Items', 'HTTP Request'];
		}
	}
	return {
		workflow: {
			id,
			name: `bench ${variant.key} (${id})`,
			active: false,
			nodes,
			connections,
			settings: { executionOrder: 'v1' },
		},
		timed,
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

interface TaskData {
	startTime: number;
	executionTime: number;
	executionStatus?: string;
	error?: { message?: string };
	data?: { main?: Array<unknown[] | null> };
}

/** Reads each execution's per-node timings and status from n8n's SQLite database. */
function readExecutions(
	dotN8n: string,
): Map<string, { status: string; executionMs: number; runData: Record<string, TaskData[]> }> {
	// node:sqlite is built into Node 24 (which runs the bench); n8n stores run data with flatted,
	// taken from n8n's own installation.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { installDir } = require('../scripts/n8n/install') as { installDir: string };
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(path.join(installDir, 'node_modules', 'flatted')) as {
		parse: (text: string) => any;
	};
	const db = new DatabaseSync(path.join(dotN8n, 'database.sqlite'), { readOnly: true });
	try {
		const rows = db
			.prepare(
				'select e.workflowId as workflowId, e.status as status, e.startedAt as startedAt, e.stoppedAt as stoppedAt, d.data as data from execution_entity e join execution_data d on d.executionId = e.id',
			)
			.all() as Array<{
			workflowId: string;
			status: string;
			startedAt: string;
			stoppedAt: string;
			data: string;
		}>;
		const byWorkflow = new Map<
			string,
			{ status: string; executionMs: number; runData: Record<string, TaskData[]> }
		>();
		for (const row of rows) {
			const data = flatted.parse(row.data);
			const executionMs =
				Date.parse(`${row.stoppedAt.replace(' ', 'T')}Z`) -
				Date.parse(`${row.startedAt.replace(' ', 'T')}Z`);
			byWorkflow.set(row.workflowId, {
				status: row.status,
				executionMs,
				runData: data?.resultData?.runData ?? {},
			});
		}
		return byWorkflow;
	} finally {
		db.close();
	}
}

/** What a run's phone number ID starts with: empty, or for Sync half the desired users and others (and, on a failed page, failing GETs). */
async function prepareBlocklist(
	sandbox: SandboxProcess,
	variant: Variant,
	phoneNumberId: string,
	users: number,
): Promise<void> {
	if (!variant.sync) {
		await sandbox.fill(phoneNumberId, 0);
		return;
	}
	await sandbox.set(phoneNumberId, startingBlocklist(users));
	if (variant.sync.failPage) await sandbox.failReads(phoneNumberId, PAGES_BEFORE_FAILURE);
}

type Execution = ReturnType<typeof readExecutions> extends Map<string, infer E> ? E : never;
type Stats = Awaited<ReturnType<SandboxProcess['stats']>>;

/** From the first timed node's start to the last one's end, and the errors of the timed nodes. */
function timedSpan(
	execution: Execution,
	timed: string[],
): { spanMs: number; nodesMs: number; perNodeMs: Record<string, number>; errors: string[] } {
	let first = Number.POSITIVE_INFINITY;
	let last = 0;
	let nodesMs = 0;
	const perNodeMs: Record<string, number> = {};
	const errors: string[] = [];
	for (const name of timed) {
		for (const task of execution.runData[name] ?? []) {
			first = Math.min(first, task.startTime);
			last = Math.max(last, task.startTime + task.executionTime);
			nodesMs += task.executionTime;
			perNodeMs[name] = (perNodeMs[name] ?? 0) + task.executionTime;
			if (task.error) errors.push(`${name}: ${task.error.message}`);
		}
	}
	return { spanMs: last - first, nodesMs, perNodeMs, errors };
}

/** Items per output of each of our nodes that ran (Sync; List, Block, Unblock). */
function ourOutputs(execution: Execution): Record<string, number[]> {
	const out: Record<string, number[]> = {};
	for (const name of ['Sync', 'List', 'Block', 'Unblock']) {
		const tasks = execution.runData[name];
		// A node that threw has no output data: [] (shown as "error").
		if (tasks) out[name] = (tasks[0]?.data?.main ?? []).map((items) => items?.length ?? 0);
	}
	return out;
}

/**
 * The figures of a Sync-comparison run: its requests per method, how its blocklist ended
 * (n8n-sync.ts), and whether the execution ended as it must (only the Compare Datasets way
 * without continue-on-fail stops with an error, at List, on a failed page).
 */
async function syncFigures(
	sandbox: SandboxProcess,
	p: Planned,
	execution: Execution | undefined,
	before: Stats,
	after: Stats,
): Promise<RunFigures> {
	const sync = p.variant.sync as SyncVariant;
	const methods: Record<string, number> = {};
	for (const method of ['GET', 'POST', 'DELETE'])
		methods[method] =
			(after.byTarget[`${method} ${p.phoneNumberId}`] ?? 0) -
			(before.byTarget[`${method} ${p.phoneNumberId}`] ?? 0);
	const requests = methods.GET + methods.POST + methods.DELETE;
	const held = await sandbox.contents(p.phoneNumberId);
	const state = endState(p.users, held);
	const base = {
		variant: p.variant.key,
		round: p.round,
		requests,
		methods,
		blocked: held.length,
		end: state.text,
	};
	if (!execution)
		return {
			...base,
			spanMs: NaN,
			nodesMs: NaN,
			executionMs: NaN,
			ok: false,
			problem: 'no execution saved',
		};
	const { spanMs, nodesMs, perNodeMs, errors } = timedSpan(execution, p.timed);
	const wantStatus =
		sync.failPage && sync.kind === 'compare' && !sync.continueOnFail ? 'error' : 'success';
	const problems = wantStatus === 'success' ? [...errors] : [];
	if (execution.status !== wantStatus)
		problems.push(`execution ${execution.status}, expected ${wantStatus}`);
	const wrongEnd = endProblem(sync, state);
	if (wrongEnd) problems.push(wrongEnd);
	const outputs = ourOutputs(execution);
	return {
		...base,
		spanMs,
		nodesMs,
		perNodeMs,
		executionMs: execution.executionMs,
		outputs,
		status: execution.status,
		ok: problems.length === 0,
		problem: problems.join('; ') || undefined,
	};
}

function pad(n: number, width: number): string {
	return String(n).padStart(width, '0');
}

/** Runs the comparison; the sandbox must already run (its URL is put into the workflows). */
export async function runN8nComparison(
	sandbox: SandboxProcess,
	options: N8nOptions,
): Promise<N8nResult> {
	const { log } = options;
	const variants = variantsFor(options).filter((v) => !options.only || options.only.test(v.key));

	let packed = options.packed;
	if (packed === undefined) {
		log(`[n8n] n8n ${N8N_VERSION}: building and packing the package ...`);
		packed = buildAndPack({ quiet: true });
	}
	const runsDir = path.join(ROOT, '.cache', 'bench', 'n8n-runs');
	fs.rmSync(runsDir, { recursive: true, force: true });
	const n8n = await N8nInstance.create({ userFolder: makeTempDir('bench-', runsDir) });
	n8n.installPackage(packed);
	await n8n.importCredentials([
		{
			...SPLASHIFY_CREDENTIAL,
			type: 'splashifyApi',
			data: {
				apiKey: sandbox.apiKey,
				phoneNumberId: '100000000000001',
				baseUrl: sandbox.url,
				apiVersion: 'v25.0',
			},
		},
		{ ...BEARER_CREDENTIAL, type: 'httpBearerAuth', data: { token: sandbox.apiKey } },
	]);

	// Round 0 warms n8n up (the JIT, the Code node's task runner) with a tenth of the users.
	const planned: Planned[] = [];
	const workflows: Workflow[] = [];
	let order = 0;
	for (let round = 0; round <= options.rounds; round++) {
		const rotation = round === 0 ? 0 : (round - 1) % variants.length;
		const inRound = [...variants.slice(rotation), ...variants.slice(0, rotation)];
		for (const variant of inRound) {
			order++;
			const id =
				`bench${pad(order, 4)}r${round}${variant.kind === 'node' ? 'n' : variant.kind === 'per-user' ? 'u' : 'h'}${pad(variant.concurrency ?? 0, 2)}${pad(variants.indexOf(variant), 2)}`.slice(
					0,
					16,
				);
			const phoneNumberId = `3${pad(order, 14)}`;
			const users =
				round === 0 && !variant.sync?.failPage
					? Math.max(CHUNK, Math.round(variant.users / 10))
					: variant.users;
			const { workflow, timed } = buildWorkflow(id, variant, users, sandbox.url, phoneNumberId);
			workflows.push(workflow);
			planned.push({ id, variant, round, phoneNumberId, users, timed });
			await prepareBlocklist(sandbox, variant, phoneNumberId, users);
		}
	}
	const sortedIds = planned.map((p) => p.id);
	if ([...sortedIds].sort().join() !== sortedIds.join())
		throw new Error('workflow IDs must sort in run order');
	await n8n.importWorkflow(workflows);

	log(
		`[n8n] running ${planned.length} workflows (${options.rounds} rounds + warm-up) in one n8n executeBatch ...`,
	);
	const before = await sandbox.stats();
	const started = Date.now();
	const batch = await n8n.cli(
		['executeBatch', `--ids=${sortedIds.join(',')}`, '--retries=0', '--shortOutput'],
		{
			timeoutMs: 30 * 60 * 1000,
			env: options.env,
		},
	);
	const batchMs = Date.now() - started;
	const after = await sandbox.stats();
	const expectsError = variants.some(
		(v) => v.sync?.failPage && v.sync.kind === 'compare' && !v.sync.continueOnFail,
	);
	if (batch.code !== 0)
		log(
			`[n8n] executeBatch exited with ${batch.code}${expectsError ? ' (expected: sync-fail-compare stops with an error at List)' : ''}: ${batch.stderr.slice(-2000)}`,
		);

	const executions = readExecutions(n8n.dotN8n);
	const sizes = await sandbox.sizes(planned.map((p) => p.phoneNumberId));
	const runs: RunFigures[] = [];
	for (const p of planned) {
		const execution = executions.get(p.id);
		if (p.variant.sync) {
			runs.push(await syncFigures(sandbox, p, execution, before, after));
			continue;
		}
		const requests =
			(after.byTarget[`POST ${p.phoneNumberId}`] ?? 0) -
			(before.byTarget[`POST ${p.phoneNumberId}`] ?? 0);
		const blocked = sizes[p.phoneNumberId] ?? 0;
		if (!execution) {
			runs.push({
				variant: p.variant.key,
				round: p.round,
				spanMs: NaN,
				nodesMs: NaN,
				executionMs: NaN,
				requests,
				blocked,
				ok: false,
				problem: 'no execution saved',
			});
			continue;
		}
		let first = Number.POSITIVE_INFINITY;
		let last = 0;
		let nodesMs = 0;
		const problems: string[] = [];
		for (const name of p.timed) {
			for (const task of execution.runData[name] ?? []) {
				first = Math.min(first, task.startTime);
				last = Math.max(last, task.startTime + task.executionTime);
				nodesMs += task.executionTime;
				if (task.error) problems.push(`${name}: ${task.error.message}`);
			}
		}
		if (execution.status !== 'success') problems.push(`execution ${execution.status}`);
		if (blocked !== p.users) problems.push(`blocked ${blocked} of ${p.users}`);
		runs.push({
			variant: p.variant.key,
			round: p.round,
			spanMs: last - first,
			nodesMs,
			executionMs: execution.executionMs,
			requests,
			blocked,
			ok: problems.length === 0,
			problem: problems.join('; ') || undefined,
		});
	}
	if (options.keep) log(`[n8n] kept n8n's user folder: ${path.relative(ROOT, n8n.userFolder)}`);
	else fs.rmSync(runsDir, { recursive: true, force: true });
	return { n8nVersion: N8N_VERSION, variants, runs, batchMs };
}
