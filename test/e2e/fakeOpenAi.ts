/**
 * A scripted OpenAI-compatible Chat Completions server on loopback, to drive n8n's AI Agent
 * without the internet. No dependencies: node:http only.
 *
 * - `POST /v1/chat/completions` (or `/chat/completions`): while the conversation holds no
 *   `role: "tool"` message, the "model" calls the first offered tool once, with the scripted
 *   arguments (`setToolArguments`); a required property the script does not give is filled
 *   with its type's empty value. Once a tool message is present it answers with a final
 *   assistant message whose content is exactly the last tool message's content, so the
 *   agent's output shows what the model was given. `stream: true` answers in OpenAI's SSE
 *   chunks, ending with `data: [DONE]`.
 * - `GET /v1/models` (or `/models`): a small model list.
 *
 * Every request is recorded: `requests` holds the parsed JSON bodies of chat completions,
 * `exchanges` every request as received (method, path, headers, raw body) for leak checks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: unknown[];
	tool_call_id?: string;
	[key: string]: unknown;
}

export interface ChatTool {
	type: string;
	function: { name: string; description?: string; parameters?: JsonSchema; strict?: boolean };
}

export interface JsonSchema {
	type?: string;
	properties?: Record<string, JsonSchema & { description?: string }>;
	required?: string[];
	[key: string]: unknown;
}

export interface ChatRequest {
	model?: string;
	messages: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
	[key: string]: unknown;
}

/** One HTTP request as the server received it. */
export interface Exchange {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

export interface FakeOpenAi {
	/** Base URL for the `openAiApi` credential, `http://127.0.0.1:PORT/v1`. */
	url: string;
	/** Parsed bodies of every chat completion request, in order. */
	requests: ChatRequest[];
	/** Every request received (any path), raw. */
	exchanges: Exchange[];
	/** The arguments the model gives its tool call (replaces the previous script). */
	setToolArguments(args: Record<string, unknown>): void;
	/** The content of every `role: "tool"` message received, as text, each message once, in order. */
	toolResults(): string[];
	/** The `tools` array of every chat completion request that offered tools. */
	toolSchemas(): ChatTool[][];
	/** Forgets what was recorded. */
	reset(): void;
	close(): Promise<void>;
}

const MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'];

/** A message content as text: strings as they are, content parts joined. */
export function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part) =>
				typeof part === 'string' ? part : String((part as { text?: unknown })?.text ?? ''),
			)
			.join('');
	return content === undefined || content === null ? '' : JSON.stringify(content);
}

function emptyValueOf(schema: JsonSchema | undefined): unknown {
	switch (schema?.type) {
		case 'number':
		case 'integer':
			return 0;
		case 'boolean':
			return false;
		case 'array':
			return [];
		case 'object':
			return {};
		default:
			return '';
	}
}

/** The call's arguments: the script's values for the tool's properties, required ones always present. */
export function toolArguments(
	tool: ChatTool,
	script: Record<string, unknown>,
): Record<string, unknown> {
	const schema = tool.function.parameters ?? {};
	const properties = schema.properties ?? {};
	const args: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(script)) if (key in properties) args[key] = value;
	for (const key of schema.required ?? [])
		if (!(key in args)) args[key] = emptyValueOf(properties[key]);
	return args;
}

type Reply =
	| { kind: 'toolCall'; name: string; arguments: string; id: string }
	| { kind: 'text'; content: string };

function replyTo(body: ChatRequest, script: Record<string, unknown>, n: number): Reply {
	const toolMessages = body.messages.filter((m) => m.role === 'tool');
	if (toolMessages.length > 0)
		return { kind: 'text', content: contentText(toolMessages[toolMessages.length - 1].content) };
	const tool = body.tools?.[0];
	if (!tool) return { kind: 'text', content: 'No tool was offered.' };
	return {
		kind: 'toolCall',
		name: tool.function.name,
		arguments: JSON.stringify(toolArguments(tool, script)),
		id: `call_fake_${n}`,
	};
}

function completion(body: ChatRequest, reply: Reply, n: number): object {
	const message =
		reply.kind === 'text'
			? { role: 'assistant', content: reply.content, refusal: null }
			: {
					role: 'assistant',
					content: null,
					refusal: null,
					tool_calls: [
						{
							id: reply.id,
							type: 'function',
							function: { name: reply.name, arguments: reply.arguments },
						},
					],
				};
	return {
		id: `chatcmpl-fake-${n}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? MODELS[0],
		choices: [
			{
				index: 0,
				message,
				logprobs: null,
				finish_reason: reply.kind === 'text' ? 'stop' : 'tool_calls',
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
	};
}

/** The same answer as OpenAI's streamed chunks (role, then the content or the tool call, then the finish). */
function chunks(body: ChatRequest, reply: Reply, n: number): object[] {
	const base = {
		id: `chatcmpl-fake-${n}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? MODELS[0],
	};
	const chunk = (delta: object, finish: string | null = null) => ({
		...base,
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
	});
	const out: object[] =
		reply.kind === 'text'
			? [
					chunk({ role: 'assistant', content: '' }),
					chunk({ content: reply.content }),
					chunk({}, 'stop'),
				]
			: [
					chunk({
						role: 'assistant',
						content: null,
						tool_calls: [
							{
								index: 0,
								id: reply.id,
								type: 'function',
								function: { name: reply.name, arguments: '' },
							},
						],
					}),
					chunk({ tool_calls: [{ index: 0, function: { arguments: reply.arguments } }] }),
					chunk({}, 'tool_calls'),
				];
	const options = body.stream_options as { include_usage?: boolean } | undefined;
	if (options?.include_usage)
		out.push({
			...base,
			choices: [],
			usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
		});
	return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

function sendSse(res: ServerResponse, events: object[]): void {
	res.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`);
	res.end('data: [DONE]\n\n');
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const parts: Buffer[] = [];
		req.on('data', (c: Buffer) => parts.push(c));
		req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
		req.on('error', reject);
	});
}

/** Each tool message once (a later request repeats the conversation so far), in order. */
function toolResultsOf(requests: ChatRequest[]): string[] {
	const seen = new Map<string, string>();
	for (const message of requests.flatMap((r) => r.messages ?? [])) {
		if (message.role !== 'tool') continue;
		const text = contentText(message.content);
		seen.set(`${message.tool_call_id ?? ''}\u0000${text}`, text);
	}
	return [...seen.values()];
}

const route = (path: string) => path.replace(/^\/v1(?=\/)/, '').replace(/\/+$/, '');

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
	const requests: ChatRequest[] = [];
	const exchanges: Exchange[] = [];
	let script: Record<string, unknown> = {};

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const path = (req.url ?? '/').split('?')[0];
		const raw = await readBody(req);
		exchanges.push({ method: req.method ?? '', path, headers: { ...req.headers }, body: raw });
		if (req.method === 'GET' && route(path) === '/models') {
			return sendJson(res, 200, {
				object: 'list',
				data: MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
			});
		}
		if (req.method !== 'POST' || route(path) !== '/chat/completions') {
			return sendJson(res, 404, {
				error: {
					message: `fake OpenAI: no route ${req.method} ${path}`,
					type: 'invalid_request_error',
				},
			});
		}
		let body: ChatRequest;
		try {
			body = JSON.parse(raw) as ChatRequest;
		} catch {
			return sendJson(res, 400, {
				error: { message: 'fake OpenAI: body is not JSON', type: 'invalid_request_error' },
			});
		}
		requests.push(body);
		const n = requests.length;
		const reply = replyTo({ ...body, messages: body.messages ?? [] }, script, n);
		return body.stream
			? sendSse(res, chunks(body, reply, n))
			: sendJson(res, 200, completion(body, reply, n));
	}

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) =>
			sendJson(res, 500, { error: { message: String(error), type: 'server_error' } }),
		);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		exchanges,
		setToolArguments: (args) => void (script = { ...args }),
		toolResults: () => toolResultsOf(requests),
		toolSchemas: () =>
			requests
				.filter((r) => Array.isArray(r.tools) && r.tools.length > 0)
				.map((r) => r.tools as ChatTool[]),
		reset: () => {
			requests.length = 0;
			exchanges.length = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
