/**
 * Shared pieces of the real-n8n end-to-end tests: an n8n instance with the packed package
 * installed, the sandbox on loopback, workflow builders and readers of n8n's run data.
 */
import * as fs from 'fs';
import * as path from 'path';

import { installDir } from '../../scripts/n8n/install';
import {
	N8nInstance,
	buildAndPack,
	makeTempDir,
	sleep,
	type CredentialImport,
	type ExecuteResult,
	type RestClient,
	type WfNode,
	type Workflow,
} from '../../scripts/n8n/run';
import { TOOLS, currentSystem, verdict, type ToolName } from '../../scripts/n8n/system-tools';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server';

export const NODE_TYPE = 'n8n-nodes-splashify.whatsAppBlockUsers';
export const CREDENTIAL_TYPE = 'splashifyApi';
export const PN1 = '100000000000001';
export const PN2 = '100000000000002';
export const PN3 = '100000000000003';
export const ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');

/**
 * The end-to-end files run only under jest.e2e.config.js (its global set-up sets
 * SPLASHIFY_E2E=1): under another config (its 30 s timeout, no n8n install) they would leave
 * n8n processes behind. Elsewhere the whole file is skipped.
 */
export const describeE2e: jest.Describe =
	process.env.SPLASHIFY_E2E === '1' ? describe : describe.skip;

/**
 * False under `npm run test:compat -- <n8n version>` (jest.compat.config.js sets
 * SPLASHIFY_COMPAT=1): the parts that check the pinned n8n only (the editor UI in Chromium)
 * are then not registered at all, so the compatibility run counts no skipped test.
 */
export const FULL_SUITE = process.env.SPLASHIFY_COMPAT !== '1';

/**
 * A describe block (end to end only) whose tests need Redis or Chromium from the machine
 * (scripts/n8n/system-tools.js finds them): it runs with the program's path when there is one;
 * otherwise it is skipped, its one line left in test-results/ for the run's closing summary, and
 * under CI=true it is one failing test with that line instead.
 */
export function describeNeeding(
	tool: ToolName,
	name: string,
	body: (executable: string) => void,
): void {
	if (process.env.SPLASHIFY_E2E !== '1') return describe.skip(name, () => body(''));
	const v = verdict(tool, currentSystem());
	if (v.status === 'run') return describe(name, () => body(v.path as string));
	if (v.status === 'skip') {
		fs.mkdirSync(RESULTS_DIR, { recursive: true });
		fs.writeFileSync(path.join(RESULTS_DIR, `skipped-${tool}.txt`), v.line + '\n');
		return describe.skip(name, () => body(''));
	}
	describe(name, () => {
		test(`needs ${TOOLS[tool].title}`, () => {
			throw new Error(v.line);
		});
	});
}

/** The packed package: built once by the global set-up (or here when a file runs alone). */
export function packedPackage(): string {
	const marker = path.join(ROOT, '.cache', 'e2e', 'pack.json');
	try {
		const { tgz } = JSON.parse(fs.readFileSync(marker, 'utf8')) as { tgz: string };
		if (fs.existsSync(tgz)) return tgz;
	} catch {
		/* not prepared: build now */
	}
	return buildAndPack({ quiet: true });
}

/** An n8n instance in a new temporary user folder, with the package installed. */
export async function newN8n(name: string, env: Record<string, string> = {}): Promise<N8nInstance> {
	const parent = path.join(ROOT, '.cache', 'e2e', 'runs');
	const n8n = await N8nInstance.create({ userFolder: makeTempDir(`${name}-`, parent), env });
	n8n.installPackage(packedPackage());
	return n8n;
}

export async function newSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
	return startSandbox({ phoneNumberIds: [PN1, PN2, PN3], ...opts });
}

export function sandboxCredential(
	sandbox: Sandbox,
	id: string,
	name: string,
	apiKey = sandbox.apiKey,
): CredentialImport {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: { apiKey, phoneNumberId: PN1, baseUrl: sandbox.url, apiVersion: 'v25.0' },
	};
}

// ---- workflow builders --------------------------------------------------------------------

let nodeCounter = 0;
const nodeId = () => `e2e-node-${(++nodeCounter).toString().padStart(4, '0')}`;

export function workflow(id: string, name: string, nodes: WfNode[]): Workflow {
	return { id, name, active: false, nodes, connections: {}, settings: { executionOrder: 'v1' } };
}

/** Connects output `output` of `from` to the (only) input of `to`. */
export function connect(wf: Workflow, from: string, to: string, output = 0): Workflow {
	const outs = ((wf.connections[from] ??= {}).main ??= []);
	while (outs.length <= output) outs.push([]);
	outs[output].push({ node: to, type: 'main', index: 0 });
	return wf;
}

/**
 * Connects sub-node `from` (a chat model, a tool, ...) to the root node `to` (an AI Agent):
 * `type` is the sub-node's only output and the root's input of that type.
 */
export function connectAi(wf: Workflow, from: string, to: string, type: `ai_${string}`): Workflow {
	const outs = ((wf.connections[from] ??= {})[type] ??= [[]]);
	outs[0].push({ node: to, type, index: 0 });
	return wf;
}

export function manualTrigger(name = 'Start', position: [number, number] = [0, 0]): WfNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

export function codeNode(name: string, jsCode: string, position: [number, number]): WfNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position,
		parameters: { jsCode },
	};
}

export function noOp(name: string, position: [number, number]): WfNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

/** A Set (Edit Fields) node that adds string fields computed by expressions. */
export function setNode(
	name: string,
	fields: Record<string, string>,
	position: [number, number],
): WfNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position,
		parameters: {
			mode: 'manual',
			includeOtherFields: true,
			assignments: {
				assignments: Object.entries(fields).map(([field, value], i) => ({
					id: `a${i}`,
					name: field,
					value,
					type: 'string',
				})),
			},
			options: {},
		},
	};
}

export interface SplashifyParams {
	operation: 'block' | 'unblock' | 'list' | 'check' | 'sync';
	users?: unknown;
	phoneNumberId?: string;
	returnAll?: boolean;
	limit?: number;
	options?: Record<string, unknown>;
}

export function splashifyNode(
	name: string,
	params: SplashifyParams,
	credential: { id: string; name: string },
	position: [number, number],
	settings: Pick<WfNode, 'onError' | 'executeOnce'> = {},
): WfNode {
	return {
		id: nodeId(),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position,
		parameters: { ...params },
		credentials: { [CREDENTIAL_TYPE]: credential },
		...settings,
	};
}

// ---- reading n8n's run data ---------------------------------------------------------------

interface Item {
	json: Record<string, any>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number }>;
}

function taskOf(run: any, nodeName: string, runIndex = 0): any {
	const runData = run?.data?.resultData?.runData ?? {};
	const tasks = runData[nodeName];
	if (!tasks)
		throw new Error(
			`node "${nodeName}" did not run; nodes that ran: ${Object.keys(runData).join(', ')}`,
		);
	return tasks[runIndex];
}

/** The items a node put on one of its outputs (`[]` when the output exists but is empty). */
export function output(run: any, nodeName: string, outputIndex = 0): Item[] {
	const task = taskOf(run, nodeName);
	if (task.error) throw new Error(`node "${nodeName}" failed: ${task.error.message}`);
	return (task.data?.main?.[outputIndex] ?? []) as Item[];
}

export const jsonOf = (run: any, nodeName: string, outputIndex = 0) =>
	output(run, nodeName, outputIndex).map((i) => i.json);

/** How many outputs a node produced in this run. */
export function outputCount(run: any, nodeName: string): number {
	return (taskOf(run, nodeName).data?.main ?? []).length;
}

export function nodeRan(run: any, nodeName: string): boolean {
	return !!run?.data?.resultData?.runData?.[nodeName];
}

export function nodeError(run: any, nodeName: string): any {
	return taskOf(run, nodeName).error;
}

/** A readable failure message for an execution that should have succeeded. */
export function describeFailure(res: ExecuteResult): string {
	if (res.ok) return '';
	const err = res.error ?? {};
	const lines = [
		`n8n execute exited with ${res.code ?? res.signal}`,
		`error: ${err.message ?? '(none parsed)'}${err.description ? ` — ${err.description}` : ''}`,
		`node: ${err.node?.name ?? res.run?.data?.resultData?.lastNodeExecuted ?? '?'}`,
	];
	if (!res.run)
		lines.push(
			`stdout tail:\n${res.stdout.slice(-3000)}`,
			`stderr tail:\n${res.stderr.slice(-3000)}`,
		);
	return lines.join('\n');
}

/** Asserts an execution succeeded, with n8n's own error in the message when it did not. */
export function expectSuccess(res: ExecuteResult): void {
	if (!res.ok) throw new Error(describeFailure(res));
}

/** Numbers +9199XXXXXXXX, from `from`, `count` of them (valid E.164). */
export function numbers(from: number, count: number, prefix = '+9199'): string[] {
	return Array.from({ length: count }, (_, i) => `${prefix}${String(from + i).padStart(8, '0')}`);
}

export function timing(label: string, ms: number): void {
	process.stderr.write(`[e2e timing] ${label}: ${(ms / 1000).toFixed(1)}s\n`);
}

/** Asks `probe` every 250 ms until it gives a value, or fails after `timeoutMs` naming `what`. */
export async function until<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(250);
	}
}

// n8n stores run data in the `flatted` format; its own copy reads it back.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flatted = require(path.join(installDir, 'node_modules', 'flatted')) as {
	parse(text: string): any;
};

/**
 * Runs a saved workflow as the editor's "Execute workflow" does (POST /rest/workflows/:id/run
 * from `trigger`, on its pinned data when it has some) and waits for the end. 1.x takes the
 * workflow in the body; 2.x reads it from the database and drops the field.
 */
export async function runAsEditor(
	n8n: N8nInstance,
	rest: RestClient,
	id: string,
	{ trigger = 'Start', timeoutMs = 60_000 } = {},
): Promise<{ status: string; run: any }> {
	const workflowData = (await rest.request('GET', `/workflows/${id}`, undefined, { expect: 200 }))
		.json.data;
	const started = await rest.request(
		'POST',
		`/workflows/${id}/run`,
		{ workflowData, triggerToStartFrom: { name: trigger } },
		{ expect: 200 },
	);
	const executionId = started.json.data.executionId as string;
	if (executionId === undefined)
		throw new Error(`workflow ${id} did not start: ${JSON.stringify(started.json.data)}`);
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		const r = await rest.request('GET', `/executions/${executionId}`, undefined, { expect: 200 });
		const e = r.json.data as { status: string; data: string };
		last = e.status;
		if (['success', 'error', 'crashed', 'canceled'].includes(e.status))
			return { status: e.status, run: { data: flatted.parse(e.data) } };
		await sleep(200);
	}
	throw new Error(
		`execution ${executionId} of workflow ${id} not finished within ${timeoutMs} ms (last status: ${last}); n8n log: ${n8n.serverLog}`,
	);
}

/** Fails with n8n's own error when an execution run through the REST API did not succeed. */
export function expectRunSucceeded(res: { status: string; run: any }): void {
	if (res.status !== 'success') {
		const error = res.run?.data?.resultData?.error;
		throw new Error(
			`execution ended with status ${res.status}: ${error?.message ?? '(no error)'}${error?.description ? ` — ${error.description}` : ''}`,
		);
	}
}
