/**
 * The router: runs the chosen operation, and refuses one the node does not have (n8n's
 * editor offers "Custom API Call" on nodes whose credential can sign requests). Adding an
 * operation is one file in this folder and one line in `operations`.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as block from './block.operation';
import * as list from './list.operation';
import * as unblock from './unblock.operation';

export const operations = { block, unblock, list } as const;

/**
 * What an AI agent reads: only the first output of a tool. When run as a tool, every item
 * of every output (Succeeded and Failed) goes on that one, each with its status.
 */
function forAgent(ctx: IExecuteFunctions, outputs: INodeExecutionData[][]): INodeExecutionData[][] {
	return ctx.isToolExecution?.() === true && outputs.length > 1 ? [outputs.flat()] : outputs;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (!Object.prototype.hasOwnProperty.call(operations, operation)) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported by this node`, {
			description:
				'Choose Block, Unblock or List. For other Splashify endpoints, use an HTTP Request node with the Splashify API credential.',
		});
	}
	const outputs = await operations[operation as keyof typeof operations].execute.call(this);
	return forAgent(this, outputs);
}
