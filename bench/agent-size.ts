/**
 * `npm run bench:agent`: how much an AI model reads when the node runs as an agent's tool,
 * against what a workflow's output items hold, per user. Tokens cost money and context, so
 * the tool result is kept to a short entry per user; this measures it (figures in
 * BENCHMARKS.md). In process (scripts/n8n/runNode.ts) against the sandbox, no latency.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { startSandbox } from '../sandbox/server';
import { runNode } from '../scripts/n8n/runNode';

const PHONE_ID = '100000000000001';
const USERS = 1000;

/** 1,000 entries: 900 new numbers, 50 already blocked, 50 that are not numbers. */
function users(): { input: string[]; alreadyBlocked: string[] } {
	const number = (i: number) => `+9198${String(i).padStart(8, '0')}`;
	const input = Array.from({ length: USERS }, (_, i) => (i % 20 === 19 ? `not-a-number-${i}` : number(i)));
	const alreadyBlocked = input.filter((_, i) => i % 20 === 9).map((u) => u.slice(1));
	return { input, alreadyBlocked };
}

const bytes = (outputs: INodeExecutionData[][]) => Buffer.byteLength(JSON.stringify(outputs.flat().map((i) => i.json)));

async function main(): Promise<void> {
	const sandbox = await startSandbox({ phoneNumberIds: [PHONE_ID] });
	const credentials = { apiKey: sandbox.apiKey, baseUrl: sandbox.url, phoneNumberId: PHONE_ID, apiVersion: 'v25.0' };
	const { input, alreadyBlocked } = users();
	const rows: string[] = [];
	for (const [label, parameters, prepare] of [
		['Block 1,000 (900 new, 50 already blocked, 50 invalid)', { operation: 'block', users: input.join(',') }, () => sandbox.setBlocklist(PHONE_ID, alreadyBlocked)],
		['List 1,000 blocked users', { operation: 'list', returnAll: true }, () => sandbox.setBlocklist(PHONE_ID, input.slice(0, USERS).map((_, i) => `9197${String(i).padStart(8, '0')}`))],
	] as const) {
		const sizes: number[] = [];
		for (const asTool of [false, true]) {
			sandbox.reset();
			prepare();
			const { outputs, error } = await runNode({ parameters, credentials, asTool });
			if (error) throw error;
			sizes.push(bytes(outputs));
		}
		const [workflow, tool] = sizes;
		rows.push(`| ${label} | ${workflow} (${(workflow / USERS).toFixed(0)}) | ${tool} (${(tool / USERS).toFixed(0)}) | ${(tool / workflow).toFixed(2)} |`);
	}
	await sandbox.close();
	console.log('| case | workflow items: JSON bytes (per user) | tool result the model reads: bytes (per user) | tool / workflow |');
	console.log('| --- | --- | --- | --- |');
	for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
