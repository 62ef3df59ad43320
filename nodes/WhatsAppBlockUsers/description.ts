/**
 * The node's UI: its operations and parameters. Parameter names are a public contract:
 * saved workflows store them, so never rename one.
 */
import type { INodeProperties } from 'n8n-workflow';

import { MAX_BATCH_SIZE } from './batching';
import { MAX_CONCURRENCY } from './operations/changeBlocklist';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './operations/list';

const blockOrUnblock = { show: { operation: ['block', 'unblock'] } };
const listOnly = { show: { operation: ['list'] } };
/**
 * The same conditions for fields inside the Options collection: there a plain name refers to
 * a sibling option, so the operation must be named from the root (`/operation`). Without the
 * slash n8n hides the option and drops its value.
 */
const blockOrUnblockOption = { show: { '/operation': ['block', 'unblock'] } };
const listOnlyOption = { show: { '/operation': ['list'] } };

/**
 * Block and Unblock route results to two outputs, Succeeded and Failed; List has one.
 * Evaluated by n8n from the operation parameter, as the Switch node does.
 */
export const OUTPUTS_EXPRESSION =
	'={{ $parameter["operation"] === "list" ? [{ "type": "main" }] : [{ "type": "main", "displayName": "Succeeded" }, { "type": "main", "displayName": "Failed" }] }}';

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Block',
				value: 'block',
				description: 'Block users from messaging this phone number',
				action: 'Block users',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the users blocked on this phone number',
				action: 'List blocked users',
			},
			{
				name: 'Unblock',
				value: 'unblock',
				description: 'Unblock users previously blocked on this phone number',
				action: 'Unblock users',
			},
		],
		default: 'block',
	},
	{
		displayName:
			'Users of all input items are sent together in batches of up to 500. Each user comes out as one item: on the Succeeded output, or on the Failed output with the reason.',
		name: 'batchingNotice',
		type: 'notice',
		default: '',
		displayOptions: blockOrUnblock,
	},
	{
		displayName: 'Users',
		name: 'users',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+919999999999, +919888888888',
		description:
			'Phone numbers in international format, usually mapped from a field of the input with an expression. One number, several separated by commas, semicolons or new lines, or an array.',
		displayOptions: blockOrUnblock,
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: listOnly,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { operation: ['list'], returnAll: [false] } },
	},
	{
		displayName: 'Phone Number ID',
		name: 'phoneNumberId',
		type: 'string',
		default: '',
		placeholder: "Leave empty to use the credential's",
		description:
			"The WhatsApp Business phone number ID (digits only) to act on. Leave empty to use the one in the credential.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
				default: MAX_BATCH_SIZE,
				description: `How many users to send in one request (at most ${MAX_BATCH_SIZE})`,
				displayOptions: blockOrUnblockOption,
			},
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				default: 1,
				description:
					'How many batches to send at the same time. Keep 1 to stay clear of rate limits; raise it to finish large lists faster.',
				displayOptions: blockOrUnblockOption,
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 4,
				description:
					'How many times to retry a request that hit a rate limit, a server error or a network error, waiting longer each time',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
				default: DEFAULT_PAGE_SIZE,
				description: 'How many blocked users to ask for in one request',
				displayOptions: listOnlyOption,
			},
			{
				displayName: 'Retry Delay (Ms)',
				name: 'retryDelay',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1000,
				description:
					'How long to wait before the first retry, in milliseconds; each further retry waits about twice as long. A Retry-After sent by the server takes precedence.',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30000,
				description: 'How long to wait for an answer to one request, in milliseconds',
			},
		],
	},
];
