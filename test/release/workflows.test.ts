/**
 * The GitHub Actions workflows: `npm run lint:workflows` (actionlint) passes on them and fails
 * on a broken copy; CI runs the checks on Node 24 and on the engines floor; Publish runs only
 * on version tags, with just the permissions provenance needs, checks the tag and runs the
 * checks before it publishes with provenance.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const ci = read('.github/workflows/ci.yml');
const publish = read('.github/workflows/publish.yml');
const lintWorkflows = (...args: string[]) =>
	spawnSync(process.execPath, [path.join(root, 'scripts', 'lint-workflows.js'), ...args], {
		cwd: root,
		encoding: 'utf8',
	});

describe('npm run lint:workflows', () => {
	it('passes on the workflows', () => {
		const run = lintWorkflows();
		expect(run.stderr).toBe('');
		expect(run.stdout).toContain('no problem in ci.yml, publish.yml');
		expect(run.status).toBe(0);
	});

	it('fails on a broken workflow, naming the problem', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'splashify-workflows-'));
		try {
			writeFileSync(
				path.join(dir, 'publish.yml'),
				publish.replace('id-token: write', 'id-token: writ'),
			);
			const run = lintWorkflows(dir);
			expect(run.status).toBe(1);
			expect(run.stderr).toContain('"writ" is invalid for permission of scope "id-token"');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('ci.yml', () => {
	it.each([
		'npm ci',
		'npm run lint',
		'npm run lint:workflows',
		'npm run build',
		'npm run typecheck',
		'npm run test:fast',
		'npm run scan',
	])('runs %s', (command) => {
		expect(ci).toContain(`- run: ${command}\n`);
	});

	it("builds on Node 24 and on the floor of package.json's engines", () => {
		const { engines } = JSON.parse(read('package.json')) as { engines: { node: string } };
		expect(ci).toContain('node-version: 24\n');
		expect(ci).toContain(`node-version: '${engines.node.replace('>=', '')}'\n`);
	});
});

describe('publish.yml', () => {
	it('runs only on a version tag, with id-token: write and contents: read', () => {
		expect(publish).toMatch(/\non:\n {2}push:\n {4}tags: \['v\*'\]\n\n/);
		expect(publish).toMatch(/\npermissions:\n {2}contents: read\n {2}id-token: write\n\n/);
	});

	it('checks the tag, then every check, then publishes with provenance', () => {
		const order = [
			'check-tag.js "$GITHUB_REF_NAME"',
			'npm ci',
			'npm run lint',
			'npm run typecheck',
			'npm run test:fast',
			'npm run scan',
			'npm publish --provenance --access public',
		];
		const at = order.map((step) => publish.indexOf(step));
		expect(at.every((index) => index > 0)).toBe(true);
		expect([...at].sort((a, b) => a - b)).toEqual(at);
	});
});
