/**
 * The router: runs the chosen operation (`operations.ts`), and refuses one the node does not
 * have (n8n's editor offers "Custom API Call" on nodes whose credential can sign requests).
 * Run as an AI agent's tool, every operation's outputs become the one result the model reads
 * (`agent.ts`), or the operation runs its own tool path (List's whole read, `toolExecute`).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runsAsAgentTool, toolError, toolResult } from './agent';
import { isOperationName, type Operation, operations } from './operations';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const name = this.getNodeParameter('operation', 0) as string;
	if (!isOperationName(name)) {
		throw new NodeOperationError(this.getNode(), `The operation "${name}" is not supported by this node`, {
			description:
				'Choose Block, Unblock or List. For other Splashify endpoints, use an HTTP Request node with the Splashify API credential.',
		});
	}
	const operation: Operation = operations[name];
	if (!runsAsAgentTool(this)) return await operation.execute.call(this);
	try {
		if (operation.toolExecute) return await operation.toolExecute.call(this);
		return toolResult(await operation.execute.call(this), operation.toolEntry);
	} catch (error) {
		return toolError(error);
	}
}
