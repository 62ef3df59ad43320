/**
 * Running as an AI agent's tool. n8n makes a tool variant of this node from `usableAsTool`
 * (type `…whatsAppBlockUsersTool`, no main input, one `ai_tool` output) and, in n8n 2.41,
 * runs it on two paths: AI Agent 3.x hands an engine request to the workflow engine, which
 * runs the node in an ordinary execute context (`isToolExecution()` is false there; the node
 * is marked `rewireOutputLogTo: 'ai_tool'`), while Agent 2.x and agents used as tools call it
 * through a supply-data context (`isToolExecution()` true). On both, the model reads only
 * the first output. So a tool run gives one output of short entries, every item of every
 * output, and a whole-call error as an entry that says what went wrong. The result is resent
 * to the model every turn, so nothing in it grows with the blocklist: a model reads at most
 * `TOOL_MAX_USERS` users it did not give, with their count (List's own path: `toolList`).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { Status } from '../contract';

/** The most users a tool result names that the model did not give (List's blocked users, Sync's other listed users). */
export const TOOL_MAX_USERS = 100;

/** Whether this run is an AI agent's tool call (true on every path n8n 2.41 uses, false in a workflow). */
export function runsAsAgentTool(ctx: IExecuteFunctions): boolean {
	const node = ctx.getNode();
	return (
		node.type.endsWith('Tool') ||
		node.rewireOutputLogTo === NodeConnectionTypes.AiTool ||
		ctx.isToolExecution?.() === true
	);
}

/**
 * Every item of every output, in output order, as the short entries the model reads. Entries
 * about users the model gave are all there: they grow with what it asked, never with the
 * blocklist. Of the users it did not give (items with `"input": null`: Sync's other listed
 * users, up to a whole blocklist), at most `TOOL_MAX_USERS` are kept, the failed ones first,
 * and one last entry counts them all by status.
 */
export function toolResult(
	outputs: INodeExecutionData[][],
	toolEntry: (json: IDataObject) => IDataObject,
): INodeExecutionData[][] {
	const items = outputs.flat();
	const others = items.filter(notGiven);
	const kept = keptOthers(others);
	const result = items
		.filter((item) => !notGiven(item) || kept.has(item))
		.map((item) => ({ json: toolEntry(item.json), pairedItem: item.pairedItem ?? { item: 0 } }));
	if (kept.size < others.length) {
		const summary = {
			total: others.length,
			returned: kept.size,
			truncated: true,
			by_status: countByStatus(others),
		};
		result.push({
			json: { listed_users_not_given: summary },
			pairedItem: others[0].pairedItem ?? { item: 0 },
		});
	}
	return [result];
}

/** An item about a user nobody gave (Sync's other listed users carry `"input": null`). */
function notGiven(item: INodeExecutionData): boolean {
	return item.json.input === null;
}

/** The others the model reads: all of them up to the bound, else the failed ones first, then the rest in output order. */
function keptOthers(others: INodeExecutionData[]): Set<INodeExecutionData> {
	if (others.length <= TOOL_MAX_USERS) return new Set(others);
	const failedFirst = [
		...others.filter((item) => item.json.status === Status.Failed),
		...others.filter((item) => item.json.status !== Status.Failed),
	];
	return new Set(failedFirst.slice(0, TOOL_MAX_USERS));
}

function countByStatus(items: INodeExecutionData[]): IDataObject {
	const counts: Record<string, number> = {};
	for (const { json } of items)
		counts[String(json.status)] = (counts[String(json.status)] ?? 0) + 1;
	return counts;
}

/** A whole-call failure (rejected key, unknown phone number ID) as the one entry the model reads. */
export function toolError(error: unknown): INodeExecutionData[][] {
	const { message, description } = error as { message?: unknown; description?: unknown };
	const json: IDataObject = {
		error: typeof message === 'string' && message !== '' ? message : 'The operation failed',
	};
	if (typeof description === 'string' && description !== '') json.details = description;
	return [[{ json, pairedItem: { item: 0 } }]];
}
