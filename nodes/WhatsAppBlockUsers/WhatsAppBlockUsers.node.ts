import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { OUTPUTS_EXPRESSION, properties } from './description';
import { block } from './operations/block';
import { list } from './operations/list';
import { unblock } from './operations/unblock';

const operations = { block, unblock, list } as const;

export class WhatsAppBlockUsers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Block Users',
		name: 'whatsAppBlockUsers',
		icon: { light: 'file:whatsAppBlockUsers.svg', dark: 'file:whatsAppBlockUsers.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {"block": "Block users", "unblock": "Unblock users", "list": "List blocked users"}[$parameter["operation"]] }}',
		description: "Block, unblock and list blocked WhatsApp users through Splashify Pro's Block Users API",
		defaults: { name: 'WhatsApp Block Users' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS_EXPRESSION,
		credentials: [{ name: 'splashifyApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		if (!Object.prototype.hasOwnProperty.call(operations, operation)) {
			// n8n's editor offers "Custom API Call" on nodes whose credential can sign requests.
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" is not supported by this node`,
				{ description: 'Choose Block, Unblock or List. For other Splashify endpoints, use an HTTP Request node with the Splashify API credential.' },
			);
		}
		const outputs = await operations[operation as keyof typeof operations].call(this);
		// An AI agent reads only the first output of a tool: give it every user, each with its status.
		return this.isToolExecution?.() === true && outputs.length > 1 ? [outputs.flat()] : outputs;
	}
}
