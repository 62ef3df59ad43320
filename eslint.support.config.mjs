// ESLint for the support code (test/, bench/, sandbox/, scripts/): nothing in these folders is
// shipped. The root eslint.config.mjs is n8n's template, unchanged (`n8n-node cloud-support`
// requires it), and it lints every .ts file with the rules for node code run on n8n Cloud: no
// process, timers, file system, child processes or console. Support code needs all of those,
// and its test data holds fake API keys on purpose. Each support folder's eslint.config.mjs
// re-exports this config, which ESLint uses for the files under it when it looks configs up
// from each file (`npm run lint` sets ESLINT_FLAGS=unstable_config_lookup_from_file; the
// default from ESLint 10). It keeps the template's base (ESLint's, typescript-eslint's and
// import-x's recommended rules, with the same plugins and resolver) and turns off the rules of
// n8n's two plugins and no-console, which are about node code, and no-explicit-any (the tests
// read n8n's REST and CLI answers as untyped JSON). A rest sibling may drop the keys it omits.
import { config } from '@n8n/node-cli/eslint';

const forNodeCode = (rule) =>
	rule.startsWith('@n8n/community-nodes/') ||
	rule.startsWith('n8n-nodes-base/') ||
	rule === 'no-console';

const offForSupport = Object.fromEntries(
	config
		.flatMap((block) => Object.keys(block.rules ?? {}))
		.filter(forNodeCode)
		.map((rule) => [rule, 'off']),
);

export default [
	...config,
	{
		files: ['**/*.ts'],
		rules: {
			...offForSupport,
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
		},
	},
];
