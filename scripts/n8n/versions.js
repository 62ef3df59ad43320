/*
 * Which n8n the scripts install and run, and everything that differs between n8n releases: the one
 * place the e2e harness asks (install.js, run.js, dev.js and the e2e tests read it from here).
 *
 * - `N8N_VERSION` is the pinned release (`npm test`, `npm run dev`) unless the environment names
 *   another: `npm run test:compat -- 1.123.81` (scripts/n8n/compat.js) sets N8N_VERSION, and
 *   every script then installs and runs that release from its own .cache/n8n-<version>/.
 * - The install facts (the Node it needs, npm `overrides` of its install folder) are read from the
 *   registry's metadata of that release by install.js (`installPlan`), not listed by hand.
 * - The behaviour facts (CLI commands, REST bodies, the AI Agent's newest version) are below, by
 *   release, as measured (../shared/notes/n8n-runtime.md and the README's Compatibility table).
 *
 * Built-ins only: .ci/run runs the e2e set-up before `npm ci`.
 */
'use strict';

/** The n8n release `npm test` and `npm run dev` use. */
const PINNED_N8N_VERSION = '2.41.1';

/** The n8n release these scripts drive: N8N_VERSION from the environment, else the pinned one. */
const N8N_VERSION = (process.env.N8N_VERSION || PINNED_N8N_VERSION).trim();
if (!/^\d+\.\d+\.\d+$/.test(N8N_VERSION))
	throw new Error(`N8N_VERSION must be an n8n release such as 1.123.81, not "${N8N_VERSION}"`);

/** [major, minor, patch] of "x.y.z" (a missing part, `x` or `*` is null). */
function parts(version) {
	return String(version)
		.replace(/^v/, '')
		.split('.')
		.slice(0, 3)
		.map((p) => (/^\d+$/.test(p) ? Number(p) : null));
}

/** <0, 0, >0 as a is older, equal, newer than b (x.y.z, missing parts are 0). */
function compareVersions(a, b) {
	const [x, y] = [parts(a), parts(b)];
	for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
	return 0;
}

const atLeast = (version, floor) => compareVersions(version, floor) >= 0;

/**
 * Whether `version` satisfies an npm `engines.node` range, for the forms n8n releases use
 * (`>=18.17 <= 22`, `>=20.19 <= 24.x`, `>=22.16`, `>=24`, alternatives with `||`).
 */
function satisfies(version, range) {
	return String(range)
		.split('||')
		.some((alt) => {
			const comparators = alt
				.trim()
				.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
				.split(/\s+/)
				.filter(Boolean);
			return comparators.every((c) => {
				const m = /^(>=|<=|>|<|=|\^|~)?v?(.*)$/.exec(c);
				const [op = '=', bound] = [m[1], m[2]];
				const p = parts(bound);
				const known = p.filter((n) => n !== null).length;
				// A partial bound (`22`, `24.x`) covers the whole line: `<= 22` is `< 23`, `> 22` is `>= 23`.
				const next = known === 0 ? null : [...p.slice(0, known - 1), p[known - 1] + 1].join('.');
				const low = p.map((n) => n ?? 0).join('.');
				const cmp = (w) => compareVersions(version, w);
				if (op === '>=') return cmp(low) >= 0;
				if (op === '>') return known < 3 ? cmp(next) >= 0 : cmp(low) > 0;
				if (op === '<') return cmp(low) < 0;
				if (op === '<=') return known < 3 ? cmp(next) < 0 : cmp(low) <= 0;
				if (op === '^') return cmp(low) >= 0 && parts(version)[0] === p[0];
				if (op === '~') return cmp(low) >= 0 && cmp([p[0], (p[1] ?? 0) + 1, 0].join('.')) < 0;
				return known === 0 || (cmp(low) >= 0 && (known === 3 || cmp(next) < 0));
			});
		});
}

/**
 * The Node major to run an n8n release on, from its `engines.node`: 24 when allowed (the tools'
 * Node), else the newest line the range allows. A line stands for its newest release, so
 * `>=22.22` accepts 22 (the registry's newest 22.x is later than 22.22).
 */
function nodeMajorFor(enginesNode) {
	if (!enginesNode) return 24;
	const major = [24, 22, 20].find((m) => satisfies(`${m}.99.0`, enginesNode));
	if (!major)
		throw new Error(`no Node line (24, 22, 20) satisfies n8n's engines.node "${enginesNode}"`);
	return major;
}

/**
 * npm `overrides` an n8n release needs in its install folder here: a dependency given as a
 * tarball URL (n8n-nodes-base's `xlsx` from cdn.sheetjs.com in 1.x) cannot be fetched from a
 * closed network; its last release on the npm registry replaces it.
 */
const REGISTRY_REPLACEMENTS = { xlsx: '0.18.5' };
function overridesFor(nodesBaseDependencies = {}) {
	const out = {};
	for (const [name, spec] of Object.entries(nodesBaseDependencies)) {
		if (REGISTRY_REPLACEMENTS[name] && /^(https?:|git)/.test(String(spec)))
			out[name] = REGISTRY_REPLACEMENTS[name];
	}
	return out;
}

/**
 * How the harness drives a given n8n release. Measured on 1.123.81, 2.3.6 and 2.41.1 (README,
 * Compatibility). The `differences` are not monotonic: 1.85.4 answers both as 2.41.1 does (its
 * run fails those two checks); a release not measured may need its own entry.
 */
function profileFor(version = N8N_VERSION) {
	const v2 = atLeast(version, '2.0.0');
	return {
		version,
		pinned: version === PINNED_N8N_VERSION,
		/**
		 * `n8n <args>` that activates (2.x: publishes) a saved workflow. In 2.0.x to 2.3.2 an
		 * imported workflow cannot be published from the CLI: their import:workflow writes no
		 * workflow history, and publish:workflow answers `Version "..." not found` (measured on
		 * 2.0.3; the import writes the history from 2.3.6 and 2.4.8 on, read in n8n's import service).
		 */
		activateArgs: (id) =>
			v2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true'],
		/**
		 * What n8n's own code answers where releases differ, measured in the compatibility run; the
		 * e2e tests assert exactly these (docs/testing.md, Where n8n itself answers differently).
		 */
		differences: {
			/**
			 * POST /rest/credentials/test for a rejected key and for an unknown phone number ID.
			 * 2.41.1 answers the credential's own rule messages; 1.123.81 and 2.3.6 answer
			 * NodeApiError's generic message for the status (their tester applies the rules only
			 * when the error carries the HTTP response, which it does not there).
			 */
			credentialTest: {
				...(atLeast(version, '2.41.1')
					? {
							rejectedKey: 'API key rejected: check the API key',
							unknownPhoneNumberId: /^Phone number ID not found/,
						}
					: {
							rejectedKey: 'Authorization failed - please check your credentials',
							unknownPhoneNumberId: /^The resource you are requesting could not be found/,
						}),
				/**
				 * The answer for a field the test refuses before sending (Base URL, API version, phone
				 * number ID): the field's own message where n8n's request helper answers the test's
				 * `data:` URL locally (1.123.81, 2.41.1), a bare "Invalid URL" where it does not (2.3.6;
				 * 2.4 to 2.40 not measured). Nothing is sent either way, and it never passes.
				 */
				refusedField: (message) =>
					atLeast(version, '2.0.0') && !atLeast(version, '2.41.1') ? 'Invalid URL' : message,
			},
			/**
			 * `$('Contacts to block').item.json.name` in the block example's Failed branch: the
			 * contact's name on 2.3.6 and 2.41.1; null in 1.123.81's `n8n execute`, though the node's Failed item
			 * carries the same pairedItem ({ item: 3 }) and `$json` resolves there.
			 */
			failedBranchContact: v2 ? 'Typo in the CRM' : null,
		},
	};
}

/** The AI Agent nodes' files in an n8n install (node_modules/...), by the name the tests use. */
const VERSIONED_NODE_FILES = {
	agent: '@n8n/n8n-nodes-langchain/dist/nodes/agents/Agent/Agent.node.js',
	agentTool: '@n8n/n8n-nodes-langchain/dist/nodes/agents/Agent/AgentTool.node.js',
};

/**
 * The newest version of a versioned node (`agent`: AI Agent, `agentTool`: AI Agent Tool) that an
 * installed n8n has: the largest key of its `nodeVersions` table in the compiled file. Measured:
 * AI Agent 3 and AI Agent Tool 2.2 in 1.123.81 and 2.0.3, 3.1 and 3 in 2.3.6 and 2.41.1.
 */
function newestNodeVersion(installDir, name) {
	const file = require('path').join(installDir, 'node_modules', VERSIONED_NODE_FILES[name]);
	const text = require('fs').readFileSync(file, 'utf8');
	const versions = [...text.matchAll(/^\s*(\d+(?:\.\d+)?): new /gm)].map((m) => Number(m[1]));
	if (versions.length === 0) throw new Error(`no node versions found in ${file}`);
	return Math.max(...versions);
}

/**
 * N8N_DISABLED_MODULES for an installed n8n: the modules the harness turns off that this release
 * has (mcp-registry fetches a server list from api.n8n.io at start-up, 2.x). n8n refuses to start
 * with a module name it does not know ("Unknown module", 1.123.81), so only present ones are named.
 */
function disabledModules(installDir) {
	const fs = require('fs');
	const path = require('path');
	return ['mcp-registry']
		.filter((name) =>
			fs.existsSync(path.join(installDir, 'node_modules', 'n8n', 'dist', 'modules', name)),
		)
		.join(',');
}

module.exports = {
	disabledModules,
	newestNodeVersion,
	N8N_VERSION,
	nodeMajorFor,
	overridesFor,
	profileFor,
};
