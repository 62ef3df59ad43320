/**
 * Runs the WhatsApp Block Users node the way n8n does: through n8n-core's WorkflowExecute,
 * with n8n-core's real request helper (axios underneath), so the bytes on the wire are what
 * n8n sends. Only the host pieces that live in n8n's server (the node-type registry and the
 * credential store) are stood in for here, applying the credential's `authenticate` the
 * same way n8n's server does.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IConnections,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
} from 'n8n-workflow';
import { ICredentialsHelper, LoggerProxy, NodeHelpers, Workflow } from 'n8n-workflow';

import { SplashifyApi } from '../../credentials/SplashifyApi.credentials';
import { WhatsAppBlockUsers } from '../../nodes/WhatsApp/WhatsAppBlockUsers.node';

// n8n logs node errors; keep test output readable unless asked (SPLASHIFY_TEST_LOGS=1).
// A test that checks the logs calls LoggerProxy.init itself after importing this module.
if (!process.env.SPLASHIFY_TEST_LOGS) {
	const quiet = () => {};
	LoggerProxy.init({
		error: quiet,
		warn: quiet,
		info: quiet,
		debug: quiet,
		scoped: () => LoggerProxy,
	} as never);
}

export const NODE_TYPE = 'n8n-nodes-splashify.whatsAppBlockUsers';
export const NODE_NAME = 'WhatsApp Block Users';

/** The type of the recording nodes a run can put after each output (`downstream`). */
export const RECORDER_TYPE = 'test.recorder';

/** A node that keeps what reached it (items, pairedItem as the node under test gave it), by node name. */
class Recorder implements INodeType {
	readonly seen = new Map<string, INodeExecutionData[]>();

	description: INodeTypeDescription = {
		displayName: 'Recorder',
		name: 'recorder',
		group: ['transform'],
		version: 1,
		description: 'Records what reaches it',
		defaults: { name: 'Recorder' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	/** Keeps a copy of its input under its node's name; outputs nothing. */
	execute = ((seen) =>
		async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			seen.set(this.getNode().name, structuredClone(this.getInputData()));
			return [[]];
		})(this.seen);
}

/** Stands in for n8n's node-type registry: the node type under test (and the recorder). */
export class TestNodeTypes implements INodeTypes {
	readonly recorder = new Recorder();

	constructor(private readonly node: INodeType = new WhatsAppBlockUsers()) {}

	getByName(type?: string): INodeType {
		return type === RECORDER_TYPE ? this.recorder : this.node;
	}

	getByNameAndVersion(type?: string): INodeType {
		return type === RECORDER_TYPE ? this.recorder : this.node;
	}

	getKnownTypes() {
		return {};
	}
}

/** Stands in for n8n's credential store; applies `authenticate` as n8n's server does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly credentialType = new SplashifyApi();

	constructor(private readonly credentials: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: WorkflowType,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { properties } = this.credentialType.authenticate;
		for (const [where, values] of Object.entries(properties)) {
			const target = ((requestOptions as unknown as Record<string, IDataObject>)[where] ??= {});
			for (const [key, value] of Object.entries(values as IDataObject)) {
				target[key] = workflow.expression.getSimpleParameterValue(
					node,
					value as string,
					'internal',
					{
						$credentials: credentials,
					},
				) as string;
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by this node');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.credentials };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return this.credentialType.properties;
	}

	isCredentialUsableByNode() {
		return true;
	}
}

/** What n8n's server gives an execution (URLs, the credential store, hooks), for tests. */
export function testAdditionalData(
	credentials: ICredentialDataDecryptedObject,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		executeWorkflow: async () => ({ data: [], executionId: '' }),
		restApiUrl: 'http://127.0.0.1',
		instanceBaseUrl: 'http://127.0.0.1',
		formWaitingBaseUrl: 'http://127.0.0.1',
		webhookBaseUrl: 'http://127.0.0.1',
		webhookWaitingBaseUrl: 'http://127.0.0.1',
		webhookTestBaseUrl: 'http://127.0.0.1',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => ({ ok: false }),
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test',
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunOptions {
	parameters: IDataObject;
	/** Input items' JSON (one item with {} when omitted). */
	items?: IDataObject[];
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	/** The node's On Error setting (overrides `continueOnFail`). */
	onError?: INode['onError'];
	/** The node's other settings: Retry On Fail (and its tries and wait), Always Output Data, Execute Once. */
	settings?: Pick<
		INode,
		'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'alwaysOutputData' | 'executeOnce'
	>;
	/**
	 * Puts a recording node after each of the node's outputs (the error output too, under
	 * On Error > Continue (using error output)), so that `received` is what reached each one
	 * after n8n's engine routed the node's output.
	 */
	downstream?: boolean;
	/**
	 * Run the node's tool variant (`…whatsAppBlockUsersTool`), as n8n's AI Agent 3.x does
	 * through an engine request: an ordinary execute context whose node is the tool type.
	 */
	asTool?: boolean;
	/** Cancels the execution this many milliseconds after it starts, as n8n's Stop button does. */
	cancelAfterMs?: number;
	/**
	 * The node setting Retry On Fail: n8n-core runs the node again, up to `maxTries` times in all
	 * (2 to 5), when it throws. The wait between tries is 1 ms unless given.
	 */
	retryOnFail?: { maxTries: number; waitBetweenTries?: number };
	/** Called each time n8n-core starts the node's `execute` (more than once under Retry On Fail). */
	onTry?: () => void;
}

export interface RunResult {
	/** One array per output: [Succeeded, Failed] for Block/Unblock, [items] for List. */
	outputs: INodeExecutionData[][];
	/** With `downstream`: per output of the node (as n8n counts them), the items that reached the node after it. */
	received: INodeExecutionData[][];
	/** The error n8n recorded for the node, if it failed. */
	error?: Error & { description?: string | null; context?: IDataObject; httpCode?: string | null };
	run: IRun;
	/** How many times n8n-core ran the node's `execute` (1, or more under Retry On Fail). */
	tries: number;
}

/** The node type, its `execute` counted (n8n-core runs it again under Retry On Fail). */
function countedNodeType(onTry: () => void): INodeType {
	const nodeType = new WhatsAppBlockUsers();
	const execute = nodeType.execute;
	nodeType.execute = async function (this: IExecuteFunctions) {
		onTry();
		return await execute.call(this);
	};
	return nodeType;
}

/** Executes the node once over `items`, as a one-node workflow, and returns what it output. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	let tries = 0;
	const node: INode = {
		id: 'b0c1d2e3-0000-4000-8000-000000000001',
		name: NODE_NAME,
		type: options.asTool ? `${NODE_TYPE}Tool` : NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: { splashifyApi: { id: '1', name: 'Splashify sandbox' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.onError ? { onError: options.onError } : {}),
		...(options.retryOnFail
			? {
					retryOnFail: true,
					maxTries: options.retryOnFail.maxTries,
					waitBetweenTries: options.retryOnFail.waitBetweenTries ?? 1,
				}
			: {}),
		...options.settings,
	};
	const nodeTypes = new TestNodeTypes(
		countedNodeType(() => {
			tries++;
			options.onTry?.();
		}),
	);
	const recorders = options.downstream ? recordersAfter(node, nodeTypes) : [];
	const connections: IConnections =
		recorders.length === 0
			? {}
			: {
					[NODE_NAME]: {
						main: recorders.map(({ name }) => [{ node: name, type: 'main', index: 0 }]),
					},
				};
	const nodes = [node, ...recorders];
	const workflow = new Workflow({
		id: 'test',
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: {},
	});

	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: 'test',
		name: 'test',
		nodes,
		connections,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let finish: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));

	const additionalData = testAdditionalData(options.credentials, hooks);

	const items = (options.items ?? [{}]).map((json) => ({ json }));
	const runExecutionData: IRunExecutionData = {
		version: 1,
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node, data: { main: [items] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;

	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const running = execute.processRunExecutionData(workflow);
	const canceller =
		options.cancelAfterMs === undefined
			? undefined
			: setTimeout(() => running.cancel(), options.cancelAfterMs);
	await running;
	clearTimeout(canceller);
	const run = await finished;

	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	const outputs = (task?.data?.main ?? []).map((output) => output ?? []);
	const error = (task?.error ?? run.data.resultData.error) as RunResult['error'];
	const received = recorders.map(({ name }) => nodeTypes.recorder.seen.get(name) ?? []);
	return { outputs, received, error, run, tries };
}

/** One recording node per main output of `node`, as n8n's engine counts them (with the error output). */
function recordersAfter(node: INode, nodeTypes: TestNodeTypes): INode[] {
	const alone = new Workflow({
		id: 'outputs',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
		settings: {},
	});
	const outputs = NodeHelpers.getNodeOutputs(alone, node, nodeTypes.getByName().description);
	return outputs.map((_, index) => ({
		id: `b0c1d2e3-0000-4000-8000-1000000000${String(index).padStart(2, '0')}`,
		name: `Output ${index}`,
		type: RECORDER_TYPE,
		typeVersion: 1,
		position: [300, index * 200] as [number, number],
		parameters: {},
	}));
}
