/**
 * Block: POST the users of all items, in batches of up to 500, to the Block Users endpoint.
 * Outputs [Succeeded, Failed], one item per user occurrence.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeBlocklist } from '../engine/changeBlocklist';
import { changeFields } from './fields';

export const description = updateDisplayOptions({ show: { operation: ['block'] } }, changeFields);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await changeBlocklist(this, 'block');
}
