/**
 * What `npm pack` puts in the published package: exactly package.json, README.md, LICENSE,
 * CHANGELOG.md and dist/ with one compiled .js per source of nodes/ and credentials/ and the
 * icons and codex file of each node (WhatsApp Block Users, WhatsApp Blocklist Trigger); no
 * source maps (the sources are not shipped), no .ts or .d.ts, no test file. It builds a copy of the checkout in a temporary folder (about 10 s) and runs
 * `npm pack --dry-run --json` there, so the checkout's own dist/ is neither needed nor touched;
 * a decoy *.test.ts beside the node sources proves that test files are left out of the build.
 */
import { execFileSync } from 'child_process';
import {
	cpSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import path from 'path';

const root = path.join(__dirname, '..', '..');
const LEFT_OUT = new Set(['node_modules', 'dist', '.cache', '.git', 'test-results', 'coverage']);
const ALLOWED = [
	/^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/,
	/^dist\/credentials\/[A-Za-z]+\.credentials\.js$/,
	/^dist\/nodes\/WhatsApp\/(transport|users|blocklist|changes|operations|trigger)\/[A-Za-z]+(\.operation)?\.js$/,
	/^dist\/nodes\/WhatsApp\/(WhatsAppBlockUsers\.node|WhatsAppBlocklistTrigger\.node|contract|types|options|fields|n8nVersion)\.js$/,
	/^dist\/nodes\/WhatsApp\/(WhatsAppBlockUsers\.node\.json|whatsAppBlockUsers(\.dark)?\.svg)$/,
	/^dist\/nodes\/WhatsApp\/(WhatsAppBlocklistTrigger\.node\.json|whatsAppBlocklistTrigger(\.dark)?\.svg)$/,
];

let work: string;
let packed: string[];

/** Files under dir (relative, with /), recursively. */
function filesUnder(dir: string): string[] {
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) =>
			path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
		);
}

/** What the package must hold, from the sources: each .ts (not a test) as .js, and the assets. */
function expectedFiles(): string[] {
	const sources = ['credentials', 'nodes'].flatMap((dir) =>
		filesUnder(path.join(root, dir)).map((file) => `${dir}/${file}`),
	);
	const built = sources
		.filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
		.map((file) => `dist/${file.replace(/\.ts$/, '.js')}`);
	const assets = sources
		.filter((file) => /^nodes\/.*\.(png|svg|json)$/.test(file))
		.map((file) => `dist/${file}`);
	return ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', ...built, ...assets].sort();
}

beforeAll(() => {
	work = mkdtempSync(path.join(tmpdir(), 'splashify-pack-'));
	for (const entry of readdirSync(root)) {
		if (!LEFT_OUT.has(entry) && !entry.endsWith('.tgz'))
			cpSync(path.join(root, entry), path.join(work, entry), { recursive: true });
	}
	symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
	writeFileSync(path.join(work, 'nodes', 'WhatsApp', 'decoy.test.ts'), 'export const decoy = 1;\n');
	execFileSync('npm', ['run', 'build'], { cwd: work, stdio: 'ignore' });
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json'], {
			cwd: work,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	);
	packed = (pack.files as { path: string }[]).map((file) => file.path).sort();
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

it('holds exactly the docs, package.json and one .js per source, with the assets', () => {
	expect(packed).toEqual(expectedFiles());
});

it('holds only files of the allowed patterns: no maps, no .ts, no tests', () => {
	expect(packed.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)))).toEqual([]);
	expect(packed.filter((file) => /\.map$|\.ts$|test/i.test(file))).toEqual([]);
});

it("holds every node and credential that package.json's n8n section names", () => {
	const { n8n } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	expect(packed).toEqual(expect.arrayContaining([...n8n.nodes, ...n8n.credentials]));
});

it('ships compiled code that points at no source map', () => {
	const withMapComment = packed.filter(
		(file) =>
			file.endsWith('.js') &&
			readFileSync(path.join(work, file), 'utf8').includes('sourceMappingURL'),
	);
	expect(withMapComment).toEqual([]);
});
