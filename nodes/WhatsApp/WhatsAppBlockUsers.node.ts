/**
 * WhatsApp Block Users: the node class n8n loads. Its identity is here; its parameters and
 * behaviour live in `operations/` (one file per operation, and the router).
 */
import './n8nVersion';
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { OUTPUTS_EXPRESSION, properties, SUBTITLE } from './operations/properties';
import { router } from './operations/router';
import { CREDENTIAL_TYPE } from './transport/connection';

export class WhatsAppBlockUsers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Block Users',
		name: 'whatsAppBlockUsers',
		icon: { light: 'file:whatsAppBlockUsers.svg', dark: 'file:whatsAppBlockUsers.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: SUBTITLE,
		description:
			"Block, unblock, check, sync and list blocked WhatsApp users through Splashify Pro's Block Users API",
		defaults: { name: 'WhatsApp Block Users' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS_EXPRESSION,
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
