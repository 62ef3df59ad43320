/**
 * The node's parameters, subtitle and outputs, made from the table of operations: the
 * Operation selector, each operation's own fields, and, in the tool variant only, the
 * description the AI model reads.
 */
import type { INodeProperties } from 'n8n-workflow';

import { type Operation, operations, selectorOptions } from './operations';

const all: Array<[string, Operation]> = Object.entries(operations);

const byOperation = (value: (op: Operation) => unknown) =>
	JSON.stringify(Object.fromEntries(all.map(([name, op]) => [name, value(op)])));

/** The subtitle under the node: the chosen operation's action ("Block users"). */
export const SUBTITLE = `={{ ${byOperation((op) => op.option.action)}[$parameter["operation"]] }}`;

/**
 * Each operation's outputs, evaluated by n8n from the operation parameter as the Switch node
 * does; one plain output for an operation the node does not have, where its refusal goes
 * under On Error > Continue (without one, n8n's error output would drop it).
 */
export const OUTPUTS_EXPRESSION: `={{${string}}}` = `={{ ${byOperation((op) =>
	op.outputs.length === 0
		? [{ type: 'main' }]
		: op.outputs.map((displayName) => ({ type: 'main', displayName })),
)}[$parameter["operation"]] ?? [{ "type": "main" }] }}`;

/**
 * The tool variant's description of itself (n8n reads a node's own `toolDescription` instead
 * of adding its "Set Automatically" choice, which names the operation only for nodes with a
 * resource): one parameter per operation, each shown under its operation, so its default is
 * the chosen operation's plain sentence. Plain text, not an expression: n8n 1.x hands the
 * parameter to the model as it is, unevaluated.
 */
const toolDescriptions: INodeProperties[] = all.map(([name, { toolDescription }]) => ({
	displayName: 'Description',
	name: 'toolDescription',
	type: 'string',
	typeOptions: { rows: 3 },
	required: true,
	default: toolDescription,
	description:
		'What the AI model is told this tool does. It follows the operation; write your own to guide the model.',
	displayOptions: { show: { '@tool': [true], operation: [name] } },
}));

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: selectorOptions,
		default: 'block',
	},
	...toolDescriptions,
	...all.flatMap(([, op]) => op.description),
];
