/**
 * Running as an AI agent's tool. n8n makes a tool variant of this node from `usableAsTool`
 * (type `…whatsAppBlockUsersTool`, no main input, one `ai_tool` output) and, in n8n 2.41,
 * runs it on two paths: AI Agent 3.x hands an engine request to the workflow engine, which
 * runs the node in an ordinary execute context (`isToolExecution()` is false there; the node
 * is marked `rewireOutputLogTo: 'ai_tool'`), while Agent 2.x and agents used as tools call it
 * through a supply-data context (`isToolExecution()` true). On both, the model reads only
 * the first output. So a tool run gives one output of short entries, every item of every
 * output, and a whole-call error as an entry that says what went wrong.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** Whether this run is an AI agent's tool call (true on every path n8n 2.41 uses, false in a workflow). */
export function runsAsAgentTool(ctx: IExecuteFunctions): boolean {
	const node = ctx.getNode();
	return node.type.endsWith('Tool') || node.rewireOutputLogTo === NodeConnectionTypes.AiTool || ctx.isToolExecution?.() === true;
}

/** Every item of every output, in output order, as the short entries the model reads. */
export function toolResult(outputs: INodeExecutionData[][], toolEntry: (json: IDataObject) => IDataObject): INodeExecutionData[][] {
	return [outputs.flat().map((item) => ({ json: toolEntry(item.json), pairedItem: item.pairedItem ?? { item: 0 } }))];
}

/** A whole-call failure (rejected key, unknown phone number ID) as the one entry the model reads. */
export function toolError(error: unknown): INodeExecutionData[][] {
	const { message, description } = error as { message?: unknown; description?: unknown };
	const json: IDataObject = { error: typeof message === 'string' && message !== '' ? message : 'The operation failed' };
	if (typeof description === 'string' && description !== '') json.details = description;
	return [[{ json, pairedItem: { item: 0 } }]];
}
