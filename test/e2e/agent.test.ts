/**
 * The node as a tool of n8n's AI Agent, inside the pinned real n8n, without the internet.
 *
 * Why: an AI model only knows what n8n hands it of a tool run. The node splits Block and
 * Unblock results over two outputs (Succeeded, Failed), and n8n gives a model only the first
 * output of a tool, so a model could be told that a failed user was blocked or never hear of
 * it. These checks look at exactly what the model receives: the tool it is offered (name,
 * description, parameters) and the tool result, for each operation, a rejected key, and the
 * two agent generations (3.1, whose tool calls run as engine requests, and 2.2, which calls
 * its tools in-process).
 *
 * How: Manual Trigger -> AI Agent, with an OpenAI Chat Model sub-node whose credential points
 * at a scripted Chat Completions server on loopback (fakeOpenAi.ts) and this package's tool
 * variant (`…whatsAppBlockUsersTool`) against the sandbox. The fake model calls the tool once
 * with scripted arguments, then answers with the tool result verbatim. One `n8n execute` per
 * case; what the model received in each case is written to test-results/agent-e2e.json.
 *
 * Seen in n8n 2.41.1: `n8n execute` runs Agent 3.1's tool calls (the agent returns an engine
 * request, the engine runs the tool node as a node of its own with its output rewired to
 * `ai_tool`, then resumes the agent); the model gets that output's first branch as JSON, and a
 * tool that throws as `{"error": message}`. CLI runs do not stream, so the model is called with
 * `stream: false`. SSRF protection is off by default; with N8N_SSRF_PROTECTION_ENABLED=true
 * the loopback model URL is refused ("Connection error.") unless N8N_SSRF_ALLOWED_IP_RANGES
 * allows it (e.g. 127.0.0.1/32).
 */
import * as fs from 'fs';
import * as path from 'path';

import { installDir } from '../../scripts/n8n/install';
import type { ExecuteResult, N8nInstance, WfNode, Workflow } from '../../scripts/n8n/run';
import { newestNodeVersion } from '../../scripts/n8n/versions';
import { operations } from '../../nodes/WhatsApp/operations/operations';
import type { Sandbox } from '../../sandbox/server';
import { startFakeOpenAi, type ChatTool, type Exchange, type FakeOpenAi } from './fakeOpenAi';
import {
	CREDENTIAL_TYPE,
	PN1,
	RESULTS_DIR,
	connect,
	connectAi,
	describeE2e,
	expectSuccess,
	jsonOf,
	manualTrigger,
	newN8n,
	newSandbox,
	sandboxCredential,
	timing,
	workflow,
	type SplashifyParams,
} from './helpers';

const TOOL_TYPE = 'n8n-nodes-splashify.whatsAppBlockUsersTool';
const TOOL_NODE = 'WhatsApp Block Users';
const AGENT_NODE = 'AI Agent';
const MODEL_NODE = 'OpenAI Chat Model';

const GOOD = { id: 'e2eAgentSplGood1', name: 'Splashify sandbox' };
const WRONG_KEY = { id: 'e2eAgentSplWrong', name: 'Splashify wrong key' };
const WRONG_KEY_VALUE = 'pk_test_agent_key_is_wrong_456';
const OPENAI = { id: 'e2eAgentOpenAi01', name: 'Fake OpenAI' };
const OPENAI_KEY = 'sk-fake-e2e-not-a-real-key';

const BLOCK_USERS = '+919812300001, +919812300002, callme-maybe';
const UNBLOCK_USERS = '+919812300001, +919812300002';
/** A blocklist larger than what a model may read: 3,000 users (`TOOL_MAX_USERS` is 100). */
const LISTED = Array.from({ length: 3000 }, (_, i) => `9170${String(i).padStart(8, '0')}`);

// ---- the workflows ----------------------------------------------------------------------------

let counter = 0;
const nodeId = () => `e2e-agent-${(++counter).toString().padStart(4, '0')}`;

function agentNode(typeVersion: number): WfNode {
	return {
		id: nodeId(),
		name: AGENT_NODE,
		type: '@n8n/n8n-nodes-langchain.agent',
		typeVersion,
		position: [250, 0],
		parameters: { promptType: 'define', text: 'Block the users', options: {} },
	};
}

function chatModelNode(): WfNode {
	return {
		id: nodeId(),
		name: MODEL_NODE,
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		typeVersion: 1.3,
		position: [150, 220],
		parameters: {
			model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' },
			responsesApiEnabled: false,
			options: {},
		},
		credentials: { openAiApi: OPENAI },
	};
}

/** The tool variant n8n makes of the node (`usableAsTool`); its Description left at its default. */
function toolNode(params: SplashifyParams, credential: { id: string; name: string }): WfNode {
	return {
		id: nodeId(),
		name: TOOL_NODE,
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [400, 220],
		parameters: { ...params },
		credentials: { [CREDENTIAL_TYPE]: credential },
	};
}

/**
 * The newest AI Agent and AI Agent Tool of the n8n under test (3.1 and 3 in the pinned 2.41.1 and
 * in 2.3.6; 3 and 2.2 in 1.123.81 and 2.0.3, under `npm run test:compat`).
 */
const AGENT = newestNodeVersion(installDir, 'agent');
const AGENT_TOOL = newestNodeVersion(installDir, 'agentTool');

const fromAi = (verb: string) =>
	`={{ $fromAI('users', 'Phone numbers to ${verb}, comma-separated', 'string') }}`;

interface Case {
	id: string;
	label: string;
	agentVersion: number;
	tool: SplashifyParams;
	credential: { id: string; name: string };
	/** What the fake model passes to the tool. */
	toolArguments: Record<string, unknown>;
	/** The sandbox before the run. */
	arrange: (sandbox: Sandbox) => void;
}

const CASES = {
	block: {
		id: 'e2eAgentBlock031',
		label: `(a) Agent ${AGENT} Block`,
		agentVersion: AGENT,
		tool: { operation: 'block', users: fromAi('block') },
		credential: GOOD,
		toolArguments: { users: BLOCK_USERS },
		arrange: () => undefined,
	},
	unblock: {
		id: 'e2eAgentUnblk031',
		label: `(b) Agent ${AGENT} Unblock`,
		agentVersion: AGENT,
		tool: { operation: 'unblock', users: fromAi('unblock') },
		credential: GOOD,
		toolArguments: { users: UNBLOCK_USERS },
		arrange: (sandbox) => sandbox.setBlocklist(PN1, ['919812300001']),
	},
	list: {
		id: 'e2eAgentList0031',
		label: `(c) Agent ${AGENT} List`,
		agentVersion: AGENT,
		// As the agent example has it: Return All off, Limit at its default (50).
		tool: { operation: 'list' },
		credential: GOOD,
		toolArguments: {},
		arrange: (sandbox) => sandbox.setBlocklist(PN1, LISTED),
	},
	wrongKey: {
		id: 'e2eAgentWrong031',
		label: `(d) Agent ${AGENT} Block, wrong API key`,
		agentVersion: AGENT,
		tool: { operation: 'block', users: fromAi('block') },
		credential: WRONG_KEY,
		toolArguments: { users: BLOCK_USERS },
		arrange: () => undefined,
	},
	blockV22: {
		id: 'e2eAgentBlock022',
		label: '(e) Agent 2.2 Block',
		agentVersion: 2.2,
		tool: { operation: 'block', users: fromAi('block') },
		credential: GOOD,
		toolArguments: { users: BLOCK_USERS },
		arrange: () => undefined,
	},
	nested: {
		id: 'e2eAgentNested31',
		label: `(f) Agent ${AGENT} -> sub-agent (AI Agent Tool ${AGENT_TOOL}) -> Block`,
		agentVersion: AGENT,
		tool: { operation: 'block', users: fromAi('block') },
		credential: GOOD,
		toolArguments: { task: 'Block these users', users: BLOCK_USERS },
		arrange: () => undefined,
	},
} satisfies Record<string, Case>;

const SUB_AGENT_NODE = 'Blocklist Agent';
const SUB_MODEL_NODE = 'Sub-agent Chat Model';

/**
 * Case (f): the newest Agent -> an AI Agent Tool (a sub-agent, its own chat model) -> this node's
 * tool: the node runs under an agent that is itself a tool of another agent.
 */
function nestedWorkflow(c: Case): Workflow {
	const subAgent: WfNode = {
		id: nodeId(),
		name: SUB_AGENT_NODE,
		type: '@n8n/n8n-nodes-langchain.agentTool',
		typeVersion: AGENT_TOOL,
		position: [400, 220],
		parameters: {
			toolDescription: 'Manages the WhatsApp blocklist',
			text: "={{ $fromAI('task', 'What to do with the blocklist', 'string') }}",
			options: {},
		},
	};
	const subModel = {
		...chatModelNode(),
		name: SUB_MODEL_NODE,
		position: [300, 440] as [number, number],
	};
	const tool = { ...toolNode(c.tool, c.credential), position: [500, 440] as [number, number] };
	const wf = workflow(c.id, `E2E agent ${c.label}`, [
		manualTrigger(),
		agentNode(c.agentVersion),
		chatModelNode(),
		subAgent,
		subModel,
		tool,
	]);
	connect(wf, 'Start', AGENT_NODE);
	connectAi(wf, MODEL_NODE, AGENT_NODE, 'ai_languageModel');
	connectAi(wf, SUB_AGENT_NODE, AGENT_NODE, 'ai_tool');
	connectAi(wf, SUB_MODEL_NODE, SUB_AGENT_NODE, 'ai_languageModel');
	connectAi(wf, TOOL_NODE, SUB_AGENT_NODE, 'ai_tool');
	return wf;
}

function agentWorkflow(c: Case): Workflow {
	const wf = workflow(c.id, `E2E agent ${c.label}`, [
		manualTrigger(),
		agentNode(c.agentVersion),
		chatModelNode(),
		toolNode(c.tool, c.credential),
	]);
	connect(wf, 'Start', AGENT_NODE);
	connectAi(wf, MODEL_NODE, AGENT_NODE, 'ai_languageModel');
	connectAi(wf, TOOL_NODE, AGENT_NODE, 'ai_tool');
	return wf;
}

// ---- what the model received --------------------------------------------------------------------

interface Seen {
	label: string;
	res: ExecuteResult;
	/** Wall time of the `n8n execute` call. */
	ms: number;
	/** The `stream` flag of each chat completion request. */
	streamed: Array<boolean | undefined>;
	tools: ChatTool[];
	toolResults: string[];
	/** The tool results, parsed when they are JSON. */
	parsedResults: unknown[];
	exchanges: Exchange[];
	agentOutput: unknown;
	/** How many runs each node has in the run data (Agent 3.x resumes in the same run after its engine request). */
	nodeRuns: Record<string, number>;
}

function parseMaybe(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** The entries of a tool result: its items when it is an array, else the result itself. */
function entriesOf(seen: Seen): unknown[] {
	return seen.parsedResults.flatMap((r) => (Array.isArray(r) ? (r as unknown[]) : [r]));
}

/** The entry that names `user` (as given, or its digits as a WhatsApp ID). */
function entryFor(seen: Seen, user: string): Record<string, unknown> | undefined {
	const digits = user.replace(/^\+/, '');
	return entriesOf(seen).find((e): e is Record<string, unknown> => {
		if (typeof e !== 'object' || e === null) return false;
		return Object.values(e).some(
			(v) => typeof v === 'string' && (v === user || v.replace(/^\+/, '') === digits),
		);
	});
}

/** A failure's reason, wherever the entry carries it (`reason`, `error.message`, `error`, `message`). */
function reasonOf(entry: Record<string, unknown> | undefined): string {
	const error = entry?.error;
	const candidates = [
		entry?.reason,
		typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : error,
		entry?.message,
	];
	return String(candidates.find((c) => typeof c === 'string' && c.trim() !== '') ?? '');
}

/**
 * Asserts the tool result has an entry for `user`, with a status matching `status` and a
 * non-empty reason when asked; the failure shows the whole result the model received.
 */
function expectEntry(
	seen: Seen,
	user: string,
	{ status, withReason = false }: { status?: RegExp; withReason?: boolean } = {},
): void {
	const entry = entryFor(seen, user);
	if (
		entry &&
		(!status || status.test(String(entry.status))) &&
		(!withReason || reasonOf(entry) !== '')
	)
		return;
	const wanted = `an entry for ${user}${status ? ` with status ${status}` : ''}${withReason ? ' and a reason' : ''}`;
	throw new Error(
		`${wanted} is not in the tool result the model received:\n${JSON.stringify(seen.parsedResults, null, 2)}`,
	);
}

function agentOutputOf(res: ExecuteResult): unknown {
	try {
		return jsonOf(res.run, AGENT_NODE)[0]?.output;
	} catch (error) {
		return `(no output: ${(error as Error).message})`;
	}
}

function nodeRunsOf(res: ExecuteResult): Record<string, number> {
	const runData: Record<string, unknown[]> = res.run?.data?.resultData?.runData ?? {};
	return Object.fromEntries(Object.entries(runData).map(([name, tasks]) => [name, tasks.length]));
}

function summary(seen: Seen): object {
	return {
		case: seen.label,
		ok: seen.res.ok,
		error: seen.res.error?.message,
		seconds: Number((seen.ms / 1000).toFixed(1)),
		nodeRuns: seen.nodeRuns,
		chatCompletionRequests: seen.streamed.length,
		streamed: seen.streamed,
		tools: seen.tools.map((t) => ({
			name: t.function.name,
			description: t.function.description,
			parameters: t.function.parameters,
		})),
		toolResults: seen.parsedResults,
		agentOutput: seen.agentOutput,
	};
}

// ---- the checks -----------------------------------------------------------------------------------

describeE2e('the node as an AI Agent tool (fake OpenAI model on loopback)', () => {
	let n8n: N8nInstance;
	let sandbox: Sandbox;
	let model: FakeOpenAi;
	const report: object[] = [];

	beforeAll(async () => {
		const started = Date.now();
		[sandbox, model] = await Promise.all([newSandbox(), startFakeOpenAi()]);
		n8n = await newN8n('agent');
		await n8n.importCredentials([
			sandboxCredential(sandbox, GOOD.id, GOOD.name),
			sandboxCredential(sandbox, WRONG_KEY.id, WRONG_KEY.name, WRONG_KEY_VALUE),
			{
				id: OPENAI.id,
				name: OPENAI.name,
				type: 'openAiApi',
				data: { apiKey: OPENAI_KEY, url: model.url },
			},
		]);
		await n8n.importWorkflow(
			Object.values(CASES).map((c) => (c === CASES.nested ? nestedWorkflow(c) : agentWorkflow(c))),
		);
		timing('agent: sandbox + fake model + n8n user folder + imports', Date.now() - started);
	});

	afterAll(async () => {
		fs.mkdirSync(RESULTS_DIR, { recursive: true });
		fs.writeFileSync(
			path.join(RESULTS_DIR, 'agent-e2e.json'),
			JSON.stringify(report, null, 2) + '\n',
		);
		await n8n?.stop();
		await Promise.all([sandbox?.close(), model?.close()]);
	});

	/** Runs one case's workflow and keeps what the model server received. */
	async function run(c: Case): Promise<Seen> {
		sandbox.reset();
		c.arrange(sandbox);
		model.reset();
		model.setToolArguments(c.toolArguments);
		const res = await n8n.execute(c.id);
		const toolResults = model.toolResults();
		const seen: Seen = {
			label: c.label,
			res,
			ms: res.ms,
			streamed: model.requests.map((r) => r.stream),
			tools: model.toolSchemas()[0] ?? [],
			toolResults,
			parsedResults: toolResults.map(parseMaybe),
			exchanges: [...model.exchanges],
			agentOutput: agentOutputOf(res),
			nodeRuns: nodeRunsOf(res),
		};
		timing(`agent: ${c.label}`, res.ms);
		process.stderr.write(
			`[e2e agent] ${c.label}: what the model received\n${JSON.stringify(summary(seen), null, 2)}\n`,
		);
		report.push(summary(seen));
		return seen;
	}

	/** The checks every case shares: the run completed, the tool was offered and called, no key leaked. */
	function commonChecks(
		get: () => Seen,
		{ usersProperty, operation }: { usersProperty: boolean; operation: keyof typeof operations },
	): void {
		test('the execution succeeds and the agent answers with the tool result', () => {
			const seen = get();
			expectSuccess(seen.res);
			expect(seen.toolResults).toHaveLength(1);
			expect(seen.agentOutput).toBe(seen.toolResults[0]);
		});

		test(`the model is offered the tool${usersProperty ? ', with a required users property' : ''}`, () => {
			const { tools } = get();
			expect(tools).toHaveLength(1);
			const [tool] = tools;
			expect(tool.type).toBe('function');
			expect(tool.function.name).toBe('WhatsApp_Block_Users');
			// The tool's own Description, left at its default: the chosen operation's text.
			expect(tool.function.description).toBe(operations[operation].toolDescription);
			if (usersProperty) {
				expect(tool.function.parameters?.properties?.users).toMatchObject({ type: 'string' });
				expect(tool.function.parameters?.required).toContain('users');
			}
		});

		test('no Splashify API key reaches the model server', () => {
			const everything = JSON.stringify(get().exchanges);
			expect(everything).not.toContain(sandbox.apiKey);
			expect(everything).not.toContain(WRONG_KEY_VALUE);
		});
	}

	function blockChecks(get: () => Seen): void {
		commonChecks(get, { usersProperty: true, operation: 'block' });

		test('the tool result names every user: the two numbers blocked, callme-maybe failed with a reason', () => {
			const seen = get();
			expectEntry(seen, '+919812300001', { status: /^blocked$/ });
			expectEntry(seen, '+919812300002', { status: /^blocked$/ });
			expectEntry(seen, 'callme-maybe', { status: /fail/i, withReason: true });
			expect(entriesOf(seen)).toEqual([
				{ user: '+919812300001', status: 'blocked' },
				{ user: '+919812300002', status: 'blocked' },
				{
					user: 'callme-maybe',
					status: 'failed',
					reason: expect.stringMatching(/is neither a phone number nor a business-scoped user ID/),
				},
			]);
		});
	}

	describe(CASES.block.label, () => {
		let seen: Seen;
		beforeAll(async () => void (seen = await run(CASES.block)));
		blockChecks(() => seen);
	});

	describe(CASES.unblock.label, () => {
		let seen: Seen;
		beforeAll(async () => void (seen = await run(CASES.unblock)));
		commonChecks(() => seen, { usersProperty: true, operation: 'unblock' });

		test('the tool result names every user with its status: one unblocked, one not blocked (nothing to do)', () => {
			expectEntry(seen, '+919812300001', { status: /^unblocked$/ });
			expectEntry(seen, '+919812300002', { status: /^not blocked$/ });
		});
	});

	describe(CASES.list.label, () => {
		let seen: Seen;
		beforeAll(async () => void (seen = await run(CASES.list)));
		commonChecks(() => seen, { usersProperty: false, operation: 'list' });

		test('the tool result is bounded and honest: the total of 3,000, the first 50 users, truncated', () => {
			expect(entriesOf(seen)).toEqual([
				{
					total: LISTED.length,
					returned: 50,
					truncated: true,
					note: expect.stringMatching(/^Only 50 of the 3000 blocked users .*use Check\.$/),
					users: LISTED.slice(0, 50).map((user) => ({ user, block_reason: 'manual' })),
				},
			]);
			expect(Buffer.byteLength(seen.toolResults[0])).toBeLessThan(5000);
		});
	});

	describe(CASES.wrongKey.label, () => {
		let seen: Seen;
		beforeAll(async () => void (seen = await run(CASES.wrongKey)));
		commonChecks(() => seen, { usersProperty: true, operation: 'block' });

		test('the tool result says clearly that Splashify rejected the API key', () => {
			expect(seen.toolResults.join('\n')).toMatch(/rejected the API key/i);
			expect(entriesOf(seen)).toEqual([
				{
					error: expect.stringMatching(/^Splashify rejected the API key/),
					details: expect.stringMatching(/Item 1/),
				},
			]);
			expect(seen.res.stdout + seen.res.stderr).not.toContain(WRONG_KEY_VALUE);
		});
	});

	describe(CASES.blockV22.label, () => {
		let seen: Seen;
		beforeAll(async () => void (seen = await run(CASES.blockV22)));
		blockChecks(() => seen);
	});

	describe(CASES.nested.label, () => {
		let seen: Seen;
		beforeAll(async () => void (seen = await run(CASES.nested)));

		test('the execution succeeds; the sub-agent is offered this tool with its description', () => {
			expectSuccess(seen.res);
			const offered = model
				.toolSchemas()
				.flat()
				.map((t) => t.function);
			expect(offered.map((t) => t.name)).toEqual(
				expect.arrayContaining(['Blocklist_Agent', 'WhatsApp_Block_Users']),
			);
			expect(offered.find((t) => t.name === 'WhatsApp_Block_Users')?.description).toBe(
				operations.block.toolDescription,
			);
		});

		test("the sub-agent's model hears every user: the two numbers blocked, callme-maybe failed with a reason", () => {
			// The first tool message is this node's result (to the sub-agent's model); the next is the sub-agent's answer.
			expect(seen.parsedResults[0]).toEqual([
				{ user: '+919812300001', status: 'blocked' },
				{ user: '+919812300002', status: 'blocked' },
				{
					user: 'callme-maybe',
					status: 'failed',
					reason: expect.stringMatching(/is neither a phone number nor a business-scoped user ID/),
				},
			]);
			expect(sandbox.blocklist(PN1)).toEqual(
				expect.arrayContaining(['919812300001', '919812300002']),
			);
		});

		test('no Splashify API key reaches the model server', () => {
			expect(JSON.stringify(seen.exchanges)).not.toContain(sandbox.apiKey);
		});
	});
});
