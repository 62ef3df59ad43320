/**
 * The Sync side of the real-n8n comparison (run by bench/n8n-compare.ts): making a blocklist
 * match a desired list of users, Unblock Others on, two ways:
 *
 *   sync      Users -> WhatsApp Block Users, Sync (Unblock Others on, Users = {{ $json.phone }})
 *   compare   what a user builds without Sync:
 *               Start -> WhatsApp Block Users, List (Return All, Page Size 1000) -> Compare Datasets (input B)
 *               Start -> Users -------------------------------------------------> Compare Datasets (input A)
 *             Compare Datasets (n8n-nodes-base.compareDatasets 2.3, Fields to Match: A `phone` = B `user`)
 *               "In A only" -> WhatsApp Block Users, Block   (Users = {{ $json.phone }})
 *               "In B only" -> WhatsApp Block Users, Unblock (Users = {{ $json.user }})
 *
 * The desired users are numbers given as digits without '+' (as WhatsApp's wa_id, or a CRM
 * export), because List gives `user` in that form and Compare Datasets matches values
 * exactly: with '+' the user would need one more node to strip it. The blocklist starts with
 * half of the desired users and as many others (bench/users.ts, listedUsers), so both ways
 * send the same requests: ceil(n / 1000) GETs, ceil(n/2 / 500) POSTs and as many DELETEs.
 *
 * Failed-page variants (`failPage`): the sandbox answers 500 to every GET of the run's phone
 * number ID after the first page, Max Retries 0, to see what each way does with a blocklist
 * it cannot read completely (`continueOnFail`: List set to "continue (regular output)").
 */
import type { WfNode, Workflow } from '../scripts/n8n/run';
import { listedUsers } from './users';

export const NODE_TYPE = 'n8n-nodes-splashify.whatsAppBlockUsers';
export const SPLASHIFY_CREDENTIAL = { id: 'benchSplashify01', name: 'Splashify sandbox' };
const LIST_PAGE = 1000;
/** Failed-page variants: the GETs answered before every further one fails. */
export const PAGES_BEFORE_FAILURE = 1;

export type SyncKind = 'sync' | 'compare';

export interface SyncVariant {
	key: string;
	kind: SyncKind;
	label: string;
	/** Desired users; the blocklist starts with as many (half of them desired). */
	users: number;
	failPage?: boolean;
	continueOnFail?: boolean;
}

/** The desired users' numbers, digits only: user i is 9170 followed by i in 8 digits. */
export function desiredWaIds(count: number): string[] {
	return Array.from({ length: count }, (_, i) => `9170${String(i).padStart(8, '0')}`);
}

/** The blocklist a run starts from: half the desired users, the rest others (wa_ids). */
export function startingBlocklist(count: number): string[] {
	return listedUsers(count, count).map((user) => user.slice(1));
}

export function syncVariants(users: number, failUsers: number): SyncVariant[] {
	const theirs =
		'List (Return All) + Compare Datasets + Block ("In A only") + Unblock ("In B only")';
	return [
		{
			key: 'sync-node',
			kind: 'sync',
			label: 'WhatsApp Block Users, Sync (Unblock Others on)',
			users,
		},
		{ key: 'sync-compare', kind: 'compare', label: theirs, users },
		{
			key: 'sync-fail-node',
			kind: 'sync',
			label: 'Sync, a page of the blocklist fails',
			users: failUsers,
			failPage: true,
		},
		{
			key: 'sync-fail-compare',
			kind: 'compare',
			label: `${theirs}, a page fails`,
			users: failUsers,
			failPage: true,
		},
		{
			key: 'sync-fail-compare-cof',
			kind: 'compare',
			label: `${theirs}, a page fails, List set to continue on fail`,
			users: failUsers,
			failPage: true,
			continueOnFail: true,
		},
	];
}

/** Users: one item per desired user, `{ phone }` with the number as digits. */
function usersCode(count: number): string {
	return `return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: '9170' + String(i).padStart(8, '0') } }));`;
}

function ourNode(
	name: string,
	position: [number, number],
	phoneNumberId: string,
	parameters: Record<string, unknown>,
): WfNode {
	return {
		id: `${name.toLowerCase()}-id`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position,
		parameters: { phoneNumberId, ...parameters },
		credentials: { splashifyApi: SPLASHIFY_CREDENTIAL },
	};
}

function compareNode(): WfNode {
	return {
		id: 'compare-id',
		name: 'Compare Datasets',
		type: 'n8n-nodes-base.compareDatasets',
		typeVersion: 2.3,
		position: [600, 100],
		parameters: { mergeByFields: { values: [{ field1: 'phone', field2: 'user' }] }, options: {} },
	};
}

/** Max Retries 0 for the failed-page variants, so a failed page fails at once. */
function retries(variant: SyncVariant): Record<string, unknown> {
	return variant.failPage ? { maxRetries: 0 } : {};
}

/** The nodes after Users of the way `compare`, and their connections. */
function compareNodes(
	variant: SyncVariant,
	phoneNumberId: string,
	link: (from: string, to: string, output?: number, input?: number) => void,
): WfNode[] {
	const list = ourNode('List', [400, 200], phoneNumberId, {
		operation: 'list',
		returnAll: true,
		options: { pageSize: LIST_PAGE, ...retries(variant) },
	});
	if (variant.continueOnFail) list.onError = 'continueRegularOutput';
	link('Start', 'List');
	link('Users', 'Compare Datasets', 0, 0);
	link('List', 'Compare Datasets', 0, 1);
	link('Compare Datasets', 'Block', 0);
	link('Compare Datasets', 'Unblock', 3);
	return [
		list,
		compareNode(),
		ourNode('Block', [800, 0], phoneNumberId, {
			operation: 'block',
			users: '={{ $json.phone }}',
			options: { maxConcurrency: 1 },
		}),
		ourNode('Unblock', [800, 200], phoneNumberId, {
			operation: 'unblock',
			users: '={{ $json.user }}',
			options: { maxConcurrency: 1 },
		}),
	];
}

/**
 * The workflow of one run. Users sits above List, so that n8n's v1 order runs it (untimed)
 * before the timed nodes start.
 */
export function buildSyncWorkflow(
	id: string,
	variant: SyncVariant,
	users: number,
	phoneNumberId: string,
): { workflow: Workflow; timed: string[] } {
	const nodes: WfNode[] = [
		{
			id: 'start-id',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'users-id',
			name: 'Users',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: usersCode(users) },
		},
	];
	const connections: Workflow['connections'] = {};
	const link = (from: string, to: string, output = 0, input = 0) => {
		const outs = (connections[from] ??= { main: [] }).main;
		while (outs.length <= output) outs.push([]);
		outs[output].push({ node: to, type: 'main', index: input });
	};
	link('Start', 'Users');
	let timed: string[];
	if (variant.kind === 'sync') {
		nodes.push(
			ourNode('Sync', [400, 0], phoneNumberId, {
				operation: 'sync',
				users: '={{ $json.phone }}',
				options: { unblockOthers: true, maxConcurrency: 1, ...retries(variant) },
			}),
		);
		link('Users', 'Sync');
		timed = ['Sync'];
	} else {
		nodes.push(...compareNodes(variant, phoneNumberId, link));
		timed = ['List', 'Compare Datasets', 'Block', 'Unblock'];
	}
	return {
		workflow: {
			id,
			name: `bench ${variant.key} (${id})`,
			active: false,
			nodes,
			connections,
			settings: { executionOrder: 'v1' },
		},
		timed,
	};
}

/** How a run's blocklist ended, against where it started and the desired users. */
export function endState(
	count: number,
	held: string[],
): { exact: boolean; unchanged: boolean; text: string } {
	const start = new Set(startingBlocklist(count));
	const desired = new Set(desiredWaIds(count));
	const now = new Set(held);
	const added = held.filter((key) => !start.has(key)).length;
	const removed = [...start].filter((key) => !now.has(key)).length;
	const missing = [...desired].filter((key) => !now.has(key)).length;
	const extra = held.filter((key) => !desired.has(key)).length;
	const exact = missing === 0 && extra === 0;
	const unchanged = added === 0 && removed === 0;
	const text = exact
		? 'exactly the desired users'
		: unchanged
			? 'unchanged'
			: `+${added} blocked, -${removed} unblocked`;
	return {
		exact,
		unchanged,
		text: `${text} (${held.length} held; ${missing} desired missing, ${extra} not desired)`,
	};
}

/**
 * What a run must end with: the desired users exactly, except on a failed page, where both
 * ways must leave the blocklist unchanged (List continuing on fail is only reported).
 */
export function endProblem(
	variant: SyncVariant,
	state: ReturnType<typeof endState>,
): string | undefined {
	if (variant.continueOnFail) return undefined;
	if (variant.failPage)
		return state.unchanged ? undefined : `blocklist changed after a failed page: ${state.text}`;
	return state.exact ? undefined : `blocklist is not the desired one: ${state.text}`;
}
