import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { changeBlocklist } from './changeBlocklist';

/** Block: POST the users of all items, in batches. Returns [Succeeded, Failed]. */
export async function block(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await changeBlocklist(this, 'block');
}
