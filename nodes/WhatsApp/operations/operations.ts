/**
 * The node's operations. Each is one `*.operation.ts` file that exports the parts below;
 * the Operation selector, the subtitle, the outputs and the router are all made from this
 * table, so adding an operation is adding its file and one line here.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import * as block from './block.operation';
import * as check from './check.operation';
import * as list from './list.operation';
import * as sync from './sync.operation';
import * as unblock from './unblock.operation';

export interface Operation {
	/** Its entry in the Operation selector (`action`: its name in the node panel and the subtitle on the canvas). */
	option: INodePropertyOptions & { action: string };
	/** What the node tells an AI model it does as a tool: what it takes and what it gives back. */
	toolDescription: string;
	/** The names of its outputs, in order ([] for one plain output). */
	outputs: string[];
	/** Its fields, each shown only under this operation. */
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
	/** What an AI model reads of one of its output items: short, nothing but what matters. */
	toolEntry(json: IDataObject): IDataObject;
	/**
	 * How it runs as an AI agent's tool, when that is not `execute` read through `toolEntry`
	 * (List: a whole read, counted, and a bounded answer): the one output the model reads.
	 */
	toolExecute?(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

export const operations = { block, check, list, sync, unblock } satisfies Record<string, Operation>;

export type OperationName = keyof typeof operations;

export function isOperationName(value: string): value is OperationName {
	return Object.prototype.hasOwnProperty.call(operations, value);
}

/** The Operation selector's entries, in the order it shows them (by name). */
export const selectorOptions = Object.values(operations)
	.map((operation: Operation) => operation.option)
	.sort((a, b) => a.name.localeCompare(b.name));
