/**
 * WhatsApp Blocklist Trigger: the polling trigger n8n loads. It starts a workflow when
 * someone is blocked or unblocked on a phone number, by hand in the WhatsApp Business app or
 * by any workflow; the API has no webhook for that. Its parameters are in
 * `trigger/description.ts`, one poll in `trigger/poll.ts`.
 */
import './n8nVersion';
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from './transport/connection';
import { properties } from './trigger/description';
import { pollBlocklist } from './trigger/poll';

export class WhatsAppBlocklistTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Blocklist Trigger',
		name: 'whatsAppBlocklistTrigger',
		icon: {
			light: 'file:whatsAppBlocklistTrigger.svg',
			dark: 'file:whatsAppBlocklistTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(" or ") }}',
		description:
			'Starts the workflow when a WhatsApp user is blocked or unblocked on a Splashify Pro phone number',
		defaults: { name: 'WhatsApp Blocklist Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollBlocklist(this);
	}
}
