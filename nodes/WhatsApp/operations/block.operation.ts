/**
 * Block: POST the users of all items, in batches of up to 500, to the Block Users endpoint.
 * Outputs [Succeeded, Failed], one item per user occurrence.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeBlocklist } from '../changes/changeBlocklist';
import { changeFields } from '../fields';
import { outputNames } from '../contract';

export { userToolEntry as toolEntry } from '../users/userItem';

export const option = {
	name: 'Block',
	value: 'block',
	description: 'Block users from messaging this phone number',
	action: 'Block users',
};

export const toolDescription =
	'Block WhatsApp users on this business phone number. Give users as phone numbers in international format (such as +919999999999) or as BSUIDs (such as US.13491208655302741918), several separated by commas. Returns one entry per user with its status: blocked, already blocked (nothing to do), or failed with the reason.';

export const outputs = outputNames('block');

export const description = updateDisplayOptions({ show: { operation: ['block'] } }, changeFields);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await changeBlocklist(this, 'block');
}
