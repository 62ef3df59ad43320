/**
 * n8n Cloud eligibility as `n8n-node cloud-support` decides it (@n8n/node-cli): strict mode on
 * in package.json (`n8n.strict: true`) and the root eslint.config.mjs equal, whitespace aside, to
 * node-cli's template, the file `n8n-node lint` compares it with in strict mode. Rules for the
 * support code live in its folders' own configs (eslint.support.config.mjs), never in the root
 * one: a rule added there would make the package "NOT eligible" while `npm run lint` still passes.
 */
import { readFileSync } from 'fs';
import path from 'path';

const root = path.join(__dirname, '..', '..');
const normalised = (text: string) => text.replace(/\s+/g, ' ').trim();

test('strict mode is on in package.json', () => {
	const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
	expect(pkg.n8n.strict).toBe(true);
});

test("the root eslint.config.mjs is @n8n/node-cli's template, unchanged", () => {
	const configs = path.dirname(require.resolve('@n8n/node-cli/eslint'));
	const template = path.join(configs, '../template/templates/shared/default/eslint.config.mjs');
	const ours = readFileSync(path.join(root, 'eslint.config.mjs'), 'utf8');
	expect(normalised(ours)).toBe(normalised(readFileSync(template, 'utf8')));
});
