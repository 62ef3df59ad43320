import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { changeBlocklist } from './changeBlocklist';

/** Unblock: DELETE (with a JSON body) the users of all items, in batches. Returns [Succeeded, Failed]. */
export async function unblock(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await changeBlocklist(this, 'unblock');
}
