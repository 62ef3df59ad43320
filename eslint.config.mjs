// Lint rules that n8n applies to community packages: eslint-plugin-n8n-nodes-base (community,
// credentials and nodes rule sets) and @n8n/eslint-plugin-community-nodes (recommended).
import n8nCommunityNodes from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const { configs } = n8nNodesBase;
const parser = { languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] } } };

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', '.n8n-dev/**', 'coverage/**', 'test/**', 'sandbox/**', 'scripts/**', 'bench/**', 'examples/**', '**/*.js', '**/*.mjs'] },
	{
		...parser,
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: configs.community.rules,
	},
	{
		...parser,
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...configs.credentials.rules,
			// The rule wants a main-repository doc slug; a community credential links a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		...parser,
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...configs.nodes.rules,
			// These two predate NodeConnectionTypes: they want the string 'main', which the community-nodes
			// plugin (node-connection-type-literal) forbids in favour of NodeConnectionTypes.Main.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		...parser,
		...n8nCommunityNodes.configs.recommended,
		files: ['package.json', 'credentials/**/*.ts', 'nodes/**/*.ts'],
	},
];
