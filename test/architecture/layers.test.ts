/**
 * The import edges of the product code (CONTRIBUTING, "The folders and what each owns"): every
 * import of every module under nodes/WhatsApp/ and credentials/, read with the TypeScript
 * compiler's own pre-parser (imports, `import type`, re-exports and side-effect imports alike),
 * must be an edge the table below allows. Lower folders never import higher ones, the trigger
 * never reaches the action node's operations (its UI and behaviour), `transport/` takes nothing
 * of ours but the shapes and the number-option table, no operation imports another's file, and
 * the product imports no package but n8n-workflow. A new folder or root file under nodes/WhatsApp/ fails until it has a row here.
 */
import { readdirSync, readFileSync } from 'fs';
import path from 'path';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..');
const home = path.join(root, 'nodes', 'WhatsApp');

/**
 * What each unit (a folder, or a file at the top of nodes/WhatsApp/) may import besides itself,
 * bottom to top. A unit never imports one listed after it.
 */
const ALLOWED: Record<string, readonly string[]> = {
	'contract.ts': [],
	'types.ts': [],
	'n8nVersion.ts': [],
	'options.ts': ['types.ts'],
	'transport/': ['contract.ts', 'types.ts', 'options.ts'],
	'users/': ['contract.ts', 'types.ts'],
	'fields.ts': ['options.ts'],
	'blocklist/': ['contract.ts', 'types.ts', 'transport/', 'users/'],
	'changes/': ['contract.ts', 'types.ts', 'options.ts', 'transport/', 'users/'],
	'operations/': [
		'contract.ts',
		'types.ts',
		'options.ts',
		'fields.ts',
		'transport/',
		'users/',
		'blocklist/',
		'changes/',
	],
	'trigger/': [
		'contract.ts',
		'types.ts',
		'options.ts',
		'fields.ts',
		'transport/',
		'users/',
		'blocklist/',
	],
	'WhatsAppBlockUsers.node.ts': ['n8nVersion.ts', 'transport/', 'operations/'],
	'WhatsAppBlocklistTrigger.node.ts': ['n8nVersion.ts', 'transport/', 'trigger/'],
	'credentials/': [],
};

/** The only packages the product code may import (no runtime dependencies). */
const PACKAGES = new Set(['n8n-workflow']);

interface Edge {
	from: string;
	to: string;
}

/** The unit of a source file, or undefined when it is outside the product code. */
function unitOf(file: string): string | undefined {
	const relative = path.relative(home, file).split(path.sep);
	if (relative[0] !== '..') return relative.length === 1 ? relative[0] : `${relative[0]}/`;
	const fromRoot = path.relative(root, file).split(path.sep);
	return fromRoot[0] === 'credentials' ? 'credentials/' : undefined;
}

/** The .ts files under a folder, recursively. */
function sources(dir: string): string[] {
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
		.map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every import of a file: the unit it reaches (a relative import), or the package it names. */
function importsOf(file: string): Array<{ file: string; specifier: string; target?: string }> {
	const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
	return importedFiles.map(({ fileName: specifier }) => {
		if (!specifier.startsWith('.')) return { file, specifier };
		const resolved = path.resolve(path.dirname(file), specifier);
		return { file, specifier, target: resolved.endsWith('.json') ? resolved : `${resolved}.ts` };
	});
}

/** The edges between units that the table does not allow (imports inside a unit always are). */
function forbidden(edges: readonly Edge[]): string[] {
	return edges
		.filter(({ from, to }) => from !== to && !(ALLOWED[from] ?? []).includes(to))
		.map(({ from, to }) => `${from} -> ${to}`);
}

const files = [...sources(home), ...sources(path.join(root, 'credentials'))];
const imports = files.flatMap(importsOf);
const edges: Array<Edge & { where: string }> = imports
	.filter((i) => i.target !== undefined)
	.map((i) => ({
		from: unitOf(i.file) as string,
		to: unitOf(i.target as string) ?? `outside: ${path.relative(root, i.target as string)}`,
		where: path.relative(root, i.file),
	}));

it('knows every folder and top-level file of the integration', () => {
	const units = new Set(files.map(unitOf));
	expect([...units].filter((unit) => unit === undefined || !(unit in ALLOWED))).toEqual([]);
	// The reader sees real files: a table row with no file behind it is a stale row.
	expect(Object.keys(ALLOWED).filter((unit) => !units.has(unit))).toEqual([]);
});

it('has only the import edges the table allows', () => {
	const broken = edges
		.filter((edge) => forbidden([edge]).length > 0)
		.map((edge) => `${edge.where}: ${edge.from} -> ${edge.to}`);
	expect(broken).toEqual([]);
});

it('imports an operation file only from the table of operations, never from another operation', () => {
	// A step two operations need goes down into users/, blocklist/ or changes/ (as Sync's sender did).
	const table = path.join(home, 'operations', 'operations.ts');
	const reaching = imports.filter((i) => i.target?.endsWith('.operation.ts') && i.file !== table);
	expect(
		reaching.map(
			(i) => `${path.relative(root, i.file)} -> ${path.relative(root, i.target as string)}`,
		),
	).toEqual([]);
});

it('imports no package but n8n-workflow', () => {
	const packages = imports.filter((i) => i.target === undefined && !PACKAGES.has(i.specifier));
	expect(packages.map((i) => `${path.relative(root, i.file)}: ${i.specifier}`)).toEqual([]);
});

it('reads the edges it checks (the import reader is not blind)', () => {
	// A few edges the code has today, so an edge list that came out empty cannot pass.
	const seen = new Set(edges.map(({ from, to }) => `${from} -> ${to}`));
	for (const edge of [
		'operations/ -> changes/',
		'trigger/ -> blocklist/',
		'blocklist/ -> transport/',
		'WhatsAppBlockUsers.node.ts -> n8nVersion.ts',
	]) {
		expect([...seen]).toContain(edge);
	}
});

it.each([
	['a lower folder importing a higher one', 'transport/', 'users/'],
	['the page reader importing the changes', 'blocklist/', 'changes/'],
	['the trigger importing the action node’s operations', 'trigger/', 'operations/'],
	['the action node importing the trigger', 'WhatsAppBlockUsers.node.ts', 'trigger/'],
	['a shared folder importing an operation', 'changes/', 'operations/'],
	['the credential importing node code', 'credentials/', 'transport/'],
])('refuses %s', (_, from, to) => {
	expect(forbidden([{ from, to }])).toEqual([`${from} -> ${to}`]);
});
