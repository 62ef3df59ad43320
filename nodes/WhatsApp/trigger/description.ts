/**
 * The trigger's parameters: which events start the workflow, the phone number to watch, and
 * the request options it shares with WhatsApp Block Users. n8n adds Poll Times itself (the
 * node is `polling`). Parameter names are a public contract (saved workflows store them).
 */
import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection, phoneNumberIdField, requestOptions } from '../fields';

export const properties: INodeProperties[] = [
	{
		displayName:
			'Each poll reads the whole blocklist (one request per 1,000 blocked users) and starts the workflow with one item per user blocked or unblocked since the last complete read. The first poll after activation only records the blocklist.',
		name: 'pollNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['blocked', 'unblocked'],
		options: [
			{ name: 'Blocked', value: 'blocked', description: 'A user was added to the blocklist' },
			{
				name: 'Unblocked',
				value: 'unblocked',
				description: 'A user was removed from the blocklist',
			},
		],
		description: 'Which changes of the blocklist start the workflow',
	},
	{
		...phoneNumberIdField,
		description:
			'The WhatsApp Business phone number ID (digits only) whose blocklist to watch. Leave empty to use the one in the credential.',
	},
	optionsCollection(requestOptions),
];
