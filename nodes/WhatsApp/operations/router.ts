/**
 * The router: runs the chosen operation (`operations.ts`), and refuses one the node does not
 * have (n8n's editor offers "Custom API Call" on nodes whose credential can sign requests).
 * Run as an AI agent's tool, every operation's outputs become the one result the model reads
 * (`agent.ts`), or the operation runs its own tool path (List's whole read, `toolExecute`).
 * Under On Error > Continue, a whole call refused becomes outcomes (`refused.ts`):
 * thrown, n8n would pass the input items through as if they had succeeded.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runsAsAgentTool, toolError, toolResult } from './agent';
import { isOperationName, type Operation, operations, selectorOptions } from './operations';
import { refusedOutputs } from './refused';

/** The operations' names as the selector shows them: "Block, Check, List, Sync or Unblock". */
function operationNames(): string {
	const names = selectorOptions.map((option) => option.name);
	return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function chosen(ctx: IExecuteFunctions): Operation {
	const name = ctx.getNodeParameter('operation', 0) as string;
	if (isOperationName(name)) return operations[name];
	throw new NodeOperationError(
		ctx.getNode(),
		`The operation "${name}" is not supported by this node`,
		{
			description: `Choose ${operationNames()}. For other Splashify endpoints, use an HTTP Request node with the Splashify API credential.`,
		},
	);
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const asTool = runsAsAgentTool(this);
	if (!asTool && !this.continueOnFail()) return await chosen(this).execute.call(this);
	let operation: Operation | undefined;
	try {
		operation = chosen(this);
		if (asTool && operation.toolExecute) return await operation.toolExecute.call(this);
		const outputs = await operation.execute.call(this);
		return asTool ? toolResult(outputs, operation.toolEntry) : outputs;
	} catch (error) {
		return asTool
			? toolError(error)
			: await refusedOutputs(this, operation?.outputs.length ?? 0, error);
	}
}
