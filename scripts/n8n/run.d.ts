/** Types of run.js, for the TypeScript end-to-end tests and the benchmark: what they use. */
import type { ChildProcess } from 'child_process';

export const N8N_VERSION: string;
export const PACKAGE_NAME: string;

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export interface ExecuteResult extends CliResult {
	ok: boolean;
	/** The IRun JSON n8n printed (on success) or logged (on failure). */
	run: any;
	/** run.data.resultData.error when the execution failed. */
	error: any;
}

export interface HttpResult {
	status: number;
	headers: Record<string, any>;
	text: string;
	json: any;
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** A node of a workflow as n8n imports it. */
export interface WfNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	executeOnce?: boolean;
	webhookId?: string;
}

/** A workflow as n8n imports it (`importWorkflow`). */
export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	nodes: WfNode[];
	/** By source node, then by connection type (`main`, `ai_tool`, `ai_languageModel`, ...): per output, the targets. */
	connections: Record<
		string,
		Record<string, Array<Array<{ node: string; type: string; index: number }>>>
	>;
	settings: Record<string, unknown>;
	pinData?: Record<string, unknown>;
}

export class RestClient {
	constructor(baseUrl: string);
	baseUrl: string;
	cookie: string;
	browserId: string;
	request(
		method: string,
		path: string,
		body?: unknown,
		opts?: { expect?: number },
	): Promise<HttpResult>;
	needsOwnerSetup(): Promise<boolean>;
	ensureOwner(
		owner: { email: string; password: string; firstName?: string; lastName?: string },
		opts?: { timeoutMs?: number },
	): Promise<{ created: boolean; user: any }>;
}

export class N8nInstance {
	static create(opts?: {
		userFolder?: string;
		env?: Record<string, string>;
		logPrefix?: string;
		encryptionKey?: string;
	}): Promise<N8nInstance>;
	userFolder: string;
	port: number;
	server: ChildProcess | null;
	serverLog?: string;
	/** Every CLI call: its arguments, duration and exit code (or the signal that ended it). */
	cliLog: Array<{ args: string; ms: number; code: number | string | null }>;
	readonly baseUrl: string;
	readonly dotN8n: string;
	installPackage(tgz: string): string;
	cli(
		args: string[],
		opts?: { env?: Record<string, string>; timeoutMs?: number; allowFailure?: boolean },
	): Promise<CliResult>;
	importCredentials(credentials: CredentialImport | CredentialImport[]): Promise<CliResult>;
	importWorkflow(workflows: object | object[]): Promise<CliResult>;
	execute(
		id: string,
		opts?: { env?: Record<string, string>; timeoutMs?: number },
	): Promise<ExecuteResult>;
	/** Activates (n8n 2.x: publishes) an imported workflow from the CLI, as this n8n release does it. */
	activate(id: string): Promise<CliResult>;
	spawnServer(
		command?: string,
		opts?: { env?: Record<string, string>; args?: string[]; logFile?: string },
	): ChildProcess;
	start(opts?: {
		env?: Record<string, string>;
		logFile?: string;
		timeoutMs?: number;
	}): Promise<N8nInstance>;
	stop(opts?: { graceMs?: number }): Promise<void>;
	rest(): RestClient;
}

export function buildAndPack(opts?: {
	force?: boolean;
	skipBuild?: boolean;
	quiet?: boolean;
}): string;
export function freePort(): Promise<number>;
export function httpRequest(
	url: string,
	opts?: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number },
): Promise<HttpResult>;
export function makeTempDir(prefix?: string, parent?: string): string;
export function stopChild(child: ChildProcess, graceMs?: number): Promise<void>;
export function waitForHttp(
	url: string,
	opts?: {
		timeoutMs?: number;
		child?: ChildProcess;
		logFile?: string;
		okStatus?: (status: number) => boolean;
	},
): Promise<HttpResult>;
export function sleep(ms: number): Promise<void>;
