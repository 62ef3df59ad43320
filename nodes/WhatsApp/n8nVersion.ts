/**
 * The oldest n8n these nodes run on, checked when n8n loads them: imported first by both node
 * files, it throws on an older n8n, whose n8n-workflow lacks what the nodes use, with a message
 * that names the n8n needed. n8n catches a community package's load error per package and
 * logs it, so its other nodes still load.
 */
import * as n8nWorkflow from 'n8n-workflow';

/**
 * The first n8n whose n8n-workflow (1.83.0) has every name below: 1.85.3, the first 1.85 on
 * npm. The compatibility run passed on 1.85.4, which has the same n8n-workflow (README,
 * Compatibility).
 */
export const OLDEST_N8N = '1.85.3';

/** What the nodes take from n8n-workflow at run time (NodeConnectionTypes: n8n 1.85 and later). */
const NEEDED = [
	'NodeConnectionTypes',
	'updateDisplayOptions',
	'sleep',
	'NodeApiError',
	'NodeOperationError',
];

const missing = NEEDED.filter(
	(name) => (n8nWorkflow as unknown as Record<string, unknown>)[name] === undefined,
);
if (missing.length > 0) {
	throw new Error(
		`n8n-nodes-splashify needs n8n ${OLDEST_N8N} or later: this n8n's n8n-workflow has no ${missing.join(', ')}. Update n8n to use the WhatsApp Block Users and WhatsApp Blocklist Trigger nodes.`,
	);
}
