/**
 * Unblock: DELETE (with the same JSON body as Block) the users of all items, in batches.
 * Outputs [Succeeded, Failed], one item per user occurrence.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeBlocklist } from '../engine/changeBlocklist';
import { changeFields } from './fields';

export const description = updateDisplayOptions({ show: { operation: ['unblock'] } }, changeFields);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await changeBlocklist(this, 'unblock');
}
