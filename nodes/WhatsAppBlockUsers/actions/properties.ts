/**
 * The node's parameters and outputs: the Operation selector, then each operation's own
 * fields (from its `*.operation.ts`, shown only under it).
 */
import type { INodeProperties } from 'n8n-workflow';

import * as block from './block.operation';
import * as list from './list.operation';
import * as unblock from './unblock.operation';

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
	...block.description,
	...unblock.description,
	...list.description,
];
