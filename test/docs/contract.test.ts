/**
 * The public contract (nodes/WhatsApp/contract.ts) against what users read: the README's table
 * of statuses per operation and output, and its table of the node's own error codes. A status,
 * an output or a code added to the contract without its README line (or a README line for one
 * that does not exist) fails here. Also: the node's outputs as the editor builds them follow the
 * contract, and no code in nodes/ assigns an error code of its own outside the contract.
 */
import * as fs from 'fs';
import * as path from 'path';

import { ErrorCode, OUTPUTS, type OutputContract } from '../../nodes/WhatsApp/contract';
import { operations } from '../../nodes/WhatsApp/operations/operations';

const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
/** The README names operations as the selector does: "Block" for `block`. */
const OPERATION_NAMES = Object.fromEntries(
	Object.entries(operations).map(([key, operation]) => [operation.option.name, key]),
) as Record<string, keyof typeof OUTPUTS>;

/** The rows of the first Markdown table after `heading`, as cells. */
function tableAfter(heading: string): string[][] {
	const start = readme.indexOf(heading);
	expect(start).toBeGreaterThanOrEqual(0);
	const lines = readme.slice(start).split('\n');
	const first = lines.findIndex((line) => line.startsWith('|'));
	const rows: string[][] = [];
	for (const line of lines.slice(first + 2)) {
		if (!line.startsWith('|')) break;
		rows.push(
			line
				.split('|')
				.slice(1, -1)
				.map((cell) => cell.trim()),
		);
	}
	return rows;
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe("README's statuses table", () => {
	const rows = tableAfter('## Errors and statuses').map(([ops, output, statuses]) => ({
		ops: ops.split(',').map((op) => OPERATION_NAMES[op.trim()]),
		output,
		statuses: backticked(statuses),
	}));

	test('names only operations, outputs and statuses the contract has', () => {
		for (const row of rows) {
			for (const op of row.ops) {
				expect(op).toBeDefined();
				const output = (OUTPUTS[op] as readonly OutputContract[]).find(
					(o) => o.name === row.output,
				);
				expect(output).toBeDefined();
			}
			for (const status of row.statuses) {
				const somewhere = row.ops.some((op) =>
					(OUTPUTS[op] as readonly OutputContract[])
						.find((o) => o.name === row.output)
						?.statuses.includes(status as never),
				);
				expect([row.output, status, somewhere]).toEqual([row.output, status, true]);
			}
		}
	});

	test('documents every status of every output of every operation', () => {
		for (const [op, outputs] of Object.entries(OUTPUTS) as Array<
			[keyof typeof OUTPUTS, readonly OutputContract[]]
		>) {
			for (const output of outputs) {
				for (const status of output.statuses) {
					const row = rows.find(
						(r) => r.ops.includes(op) && r.output === output.name && r.statuses.includes(status),
					);
					expect([op, output.name, status, row !== undefined]).toEqual([
						op,
						output.name,
						status,
						true,
					]);
				}
			}
		}
	});
});

test("the README's error codes table is the contract's codes, no more, no fewer", () => {
	const documented = tableAfter('### Error codes').map(([code]) => backticked(code)[0]);
	expect([...documented].sort()).toEqual(Object.values(ErrorCode).sort());
});

test("each operation's outputs are the contract's", () => {
	for (const [name, operation] of Object.entries(operations)) {
		expect([name, operation.outputs]).toEqual([
			name,
			OUTPUTS[name as keyof typeof OUTPUTS].map((o: OutputContract) => o.name),
		]);
	}
});

test('no code in nodes/ assigns an error code of its own outside the contract', () => {
	const files = (dir: string): string[] =>
		fs
			.readdirSync(dir, { withFileTypes: true })
			.flatMap((e) =>
				e.isDirectory()
					? files(path.join(dir, e.name))
					: e.name.endsWith('.ts')
						? [path.join(dir, e.name)]
						: [],
			);
	// A code the node makes up itself; network codes it passes on (axios's ERR_CANCELED) are not its own.
	const PASSED_ON = new Set(['ERR_CANCELED']);
	const own: string[] = [];
	for (const file of files(path.join(root, 'nodes'))) {
		if (file.endsWith('contract.ts')) continue;
		for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bcode: '([A-Z][A-Z_]{3,})'/g))
			if (!PASSED_ON.has(m[1])) own.push(`${path.relative(root, file)}: ${m[1]}`);
	}
	expect(own).toEqual([]);
});
