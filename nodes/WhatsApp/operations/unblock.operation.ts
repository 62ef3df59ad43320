/**
 * Unblock: DELETE (with the same JSON body as Block) the users of all items, in batches.
 * Outputs [Succeeded, Failed], one item per user occurrence.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeBlocklist } from '../changes/changeBlocklist';
import { changeFields } from '../fields';
import { outputNames } from '../contract';

export { userToolEntry as toolEntry } from '../users/userItem';

export const option = {
	name: 'Unblock',
	value: 'unblock',
	description: 'Unblock users previously blocked on this phone number',
	action: 'Unblock users',
};

export const toolDescription =
	'Unblock WhatsApp users on this business phone number. Give users as phone numbers in international format (such as +919999999999) or as BSUIDs (such as US.13491208655302741918), several separated by commas. Returns one entry per user with its status: unblocked, not blocked (nothing to do), or failed with the reason.';

export const outputs = outputNames('unblock');

export const description = updateDisplayOptions({ show: { operation: ['unblock'] } }, changeFields);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await changeBlocklist(this, 'unblock');
}
