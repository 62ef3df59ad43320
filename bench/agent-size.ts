/**
 * `npm run bench:agent`: how much an AI model reads when the node runs as an agent's tool,
 * against what a workflow's output items hold, per call. Tokens cost money and context, and a
 * tool result is sent again with every later turn, so the tool result is kept to a short entry
 * per user the model gave, and whatever grows with the blocklist (List's users, Sync's other
 * listed users) is cut to TOOL_MAX_USERS with the counts; this measures it (figures in
 * BENCHMARKS.md), up to a full blocklist of 64,000 users. In process (test/harness/runNode.ts)
 * against the sandbox, no latency.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox/server';
import { runNode } from '../test/harness/runNode';

const PHONE_ID = '100000000000001';

/** The i-th number of a list of blocked users, as the list holds it (no plus). */
const listed = (i: number) => `9197${String(i).padStart(8, '0')}`;
const blocklist = (count: number) => Array.from({ length: count }, (_, i) => listed(i));

/** 1,000 entries: 900 new numbers, 50 already blocked, 50 that are not numbers. */
function blockUsers(): { input: string[]; alreadyBlocked: string[] } {
	const number = (i: number) => `+9198${String(i).padStart(8, '0')}`;
	const input = Array.from({ length: 1000 }, (_, i) =>
		i % 20 === 19 ? `not-a-number-${i}` : number(i),
	);
	const alreadyBlocked = input.filter((_, i) => i % 20 === 9).map((u) => u.slice(1));
	return { input, alreadyBlocked };
}

interface Case {
	label: string;
	parameters: IDataObject;
	/** The blocklist before the run. */
	prepare: (sandbox: Sandbox) => void;
}

function cases(): Case[] {
	const { input, alreadyBlocked } = blockUsers();
	const syncOthers = { unblockOthers: true, dryRun: true };
	const list = (count: number, parameters: IDataObject, label: string): Case => ({
		label,
		parameters: { operation: 'list', ...parameters },
		prepare: (sandbox) => sandbox.setBlocklist(PHONE_ID, blocklist(count)),
	});
	return [
		{
			label: 'Block 1,000 given (900 new, 50 already blocked, 50 invalid)',
			parameters: { operation: 'block', users: input.join(',') },
			prepare: (sandbox) => sandbox.setBlocklist(PHONE_ID, alreadyBlocked),
		},
		list(1000, { returnAll: true }, 'List, 1,000 blocked, Return All'),
		list(3000, { returnAll: true }, 'List, 3,000 blocked, Return All'),
		list(64_000, { returnAll: true }, 'List, 64,000 blocked, Return All'),
		list(64_000, {}, 'List, 64,000 blocked, Limit 50 (the default)'),
		{
			label: 'Sync, 64,000 listed, 1 given, Unblock Others, Dry Run (63,999 would unblock)',
			parameters: { operation: 'sync', users: `+${listed(0)}`, options: syncOthers },
			prepare: (sandbox) => sandbox.setBlocklist(PHONE_ID, blocklist(64_000)),
		},
		{
			label:
				'Sync, 64,000 listed, 1 given + 1 invalid, Unblock Others, Dry Run (63,999 withheld, each with its reason)',
			parameters: { operation: 'sync', users: `+${listed(0)}, callme-maybe`, options: syncOthers },
			prepare: (sandbox) => sandbox.setBlocklist(PHONE_ID, blocklist(64_000)),
		},
	];
}

const bytes = (outputs: INodeExecutionData[][]) =>
	Buffer.byteLength(JSON.stringify(outputs.flat().map((i) => i.json)));
const thousands = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<void> {
	const sandbox = await startSandbox({ phoneNumberIds: [PHONE_ID] });
	const credentials = {
		apiKey: sandbox.apiKey,
		baseUrl: sandbox.url,
		phoneNumberId: PHONE_ID,
		apiVersion: 'v25.0',
	};
	const rows: string[] = [];
	for (const { label, parameters, prepare } of cases()) {
		const measured: Array<{ bytes: number; items: number; requests: number; ms: number }> = [];
		for (const asTool of [false, true]) {
			sandbox.reset();
			prepare(sandbox);
			const started = performance.now();
			const { outputs, error } = await runNode({ parameters, credentials, asTool });
			const ms = performance.now() - started;
			if (error) throw error;
			measured.push({
				bytes: bytes(outputs),
				items: outputs.flat().length,
				requests: sandbox.requests.length,
				ms,
			});
		}
		const [workflow, tool] = measured;
		const cells = [
			thousands(workflow.items),
			thousands(workflow.bytes),
			thousands(tool.items),
			thousands(tool.bytes),
			(tool.bytes / workflow.bytes).toFixed(3),
		];
		rows.push(`| ${label} | ${cells.join(' | ')} | ${tool.requests}, ${tool.ms.toFixed(0)} ms |`);
	}
	await sandbox.close();
	console.log(
		'| case | workflow: items | workflow: JSON bytes | tool: entries | tool result the model reads: bytes | tool / workflow | tool run: requests, time |',
	);
	console.log('| --- | --- | --- | --- | --- | --- | --- |');
	for (const row of rows) console.log(row);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
