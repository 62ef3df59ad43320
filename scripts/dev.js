#!/usr/bin/env node
/*
 * `npm run dev`: the whole thing running locally, in one command.
 *
 *  1. builds and packs this package (npm run build, npm pack);
 *  2. installs the pinned n8n on first use (scripts/n8n/install.js, into .cache/);
 *  3. starts the Splashify sandbox API on 127.0.0.1 (sandbox/), with a few users blocked;
 *  4. prepares n8n's user folder .cache/n8n-dev/ (SQLite, fixed encryption key): installs the package
 *     there the way n8n installs community packages, imports a "Splashify sandbox" credential
 *     pointing at the sandbox and the example workflows of examples/workflows/ (when they
 *     changed), and publishes the webhook example and the Blocklist Trigger example;
 *  5. starts n8n on 127.0.0.1, sets up an owner account on first run and prints how to log in;
 *  6. on Ctrl-C (SIGINT) or SIGTERM stops n8n and the sandbox.
 *
 * Options: --port <n> (n8n, default 5678), --sandbox-port <n> (default 8790), --reset (start
 * over with an empty .cache/n8n-dev/). Environment: N8N_DEV_PORT, SANDBOX_PORT.
 * Nothing is written outside .cache/, which git ignores.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { ensureN8n, N8N_VERSION } = require('./n8n/install');
const { N8nInstance, DEFAULT_OWNER, buildAndPack, freePort, httpRequest } = require('./n8n/run');

const root = path.resolve(__dirname, '..');
const EXAMPLES_DIR = path.join(root, 'examples', 'workflows');
const CREDENTIAL = { id: 'splashifySandbox', name: 'Splashify sandbox' };
const SANDBOX_PHONE_NUMBER_ID = '100000000000001';
/** Blocked in the sandbox at start, so that List and Unblock have something to show. */
const SEED_BLOCKED = ['919888800001', '919888800002', '919888800003'];
/**
 * Examples activated: the CRM webhook (so its production webhook answers) and the Blocklist
 * Trigger one (so a user blocked through the webhook, or any other way, starts it within a
 * minute).
 */
const PUBLISHED_EXAMPLES = ['splashifyExCrmWh', 'splashifyExTrigr'];

function log(msg) {
	console.log(`[dev] ${msg}`);
}

function parseArgs(argv) {
	const opts = {
		port: Number(process.env.N8N_DEV_PORT) || 5678,
		sandboxPort: Number(process.env.SANDBOX_PORT) || 8790,
		reset: false,
	};
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--port') opts.port = Number(argv[++i]);
		else if (argv[i] === '--sandbox-port') opts.sandboxPort = Number(argv[++i]);
		else if (argv[i] === '--reset') opts.reset = true;
		else if (argv[i] === '--help' || argv[i] === '-h') {
			console.log('usage: npm run dev -- [--port 5678] [--sandbox-port 8790] [--reset]');
			process.exit(0);
		} else throw new Error(`unknown option ${argv[i]}`);
	}
	return opts;
}

/** The wanted port if it is free on 127.0.0.1, else a free one. */
function portOr(wanted) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => freePort().then(resolve));
		srv.listen(wanted, '127.0.0.1', () => srv.close(() => resolve(wanted)));
	});
}

function readExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({
			file: f,
			workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')),
		}));
}

function examplesHash(examples) {
	const h = crypto.createHash('sha256');
	for (const { file, workflow } of examples) h.update(file).update(JSON.stringify(workflow));
	return h.digest('hex');
}

/**
 * Prepares an n8n user folder for the demo: the package installed, the sandbox credential and
 * the example workflows imported (examples only when new or changed), PUBLISHED_EXAMPLES
 * published. Returns the N8nInstance, not started. Used by `npm run dev` and the e2e tests.
 */
async function prepareDevInstance({ userFolder, port, sandbox, tgz, say = log }) {
	fs.mkdirSync(userFolder, { recursive: true });
	const n8n = await N8nInstance.create({ userFolder });
	n8n.port = port;
	say(
		`installing ${path.basename(tgz)} into ${path.relative(root, path.join(n8n.dotN8n, 'nodes'))}`,
	);
	n8n.installPackage(tgz);

	say('importing the "Splashify sandbox" credential');
	await n8n.importCredentials([
		{
			...CREDENTIAL,
			type: 'splashifyApi',
			data: {
				apiKey: sandbox.apiKey,
				phoneNumberId: sandbox.phoneNumberId,
				baseUrl: sandbox.url,
				apiVersion: 'v25.0',
			},
		},
	]);

	const examples = readExamples();
	const marker = path.join(userFolder, 'examples-imported.sha256');
	const hash = examplesHash(examples);
	if (!fs.existsSync(marker) || fs.readFileSync(marker, 'utf8').trim() !== hash) {
		say(`importing ${examples.length} example workflows from examples/workflows/`);
		await n8n.importWorkflow(examples.map((e) => e.workflow));
		for (const id of PUBLISHED_EXAMPLES) {
			if (examples.some((e) => e.workflow.id === id)) await n8n.activate(id);
		}
		fs.writeFileSync(marker, `${hash}\n`);
	} else {
		say('example workflows already imported (unchanged)');
	}
	return n8n;
}

/** Starts n8n, makes sure an owner exists; returns what to print. */
async function startDevServer(n8n, { owner = DEFAULT_OWNER, say = log } = {}) {
	say(
		`starting n8n ${N8N_VERSION} on ${n8n.baseUrl} (log: ${path.relative(root, path.join(n8n.userFolder, 'n8n.log'))}) ...`,
	);
	await n8n.start({ logFile: path.join(n8n.userFolder, 'n8n.log') });
	const rest = n8n.rest();
	try {
		const { created } = await rest.ensureOwner(owner);
		return {
			editorUrl: `${n8n.baseUrl}/home/workflows`,
			owner,
			ownerCreated: created,
			ownerKnown: true,
			rest,
		};
	} catch (err) {
		// The owner was set up with other credentials (in the editor): they still work.
		say(`could not log in as ${owner.email} (${err.message.split('\n')[0]})`);
		return {
			editorUrl: `${n8n.baseUrl}/home/workflows`,
			owner,
			ownerCreated: false,
			ownerKnown: false,
			rest,
		};
	}
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const userFolder = path.join(root, '.cache', 'n8n-dev');
	if (opts.reset) {
		log('--reset: removing .cache/n8n-dev/');
		fs.rmSync(userFolder, { recursive: true, force: true });
	}

	log('building and packing the package ...');
	const tgz = buildAndPack({ quiet: true });
	ensureN8n();

	// The sandbox runs in this process (TypeScript through ts-node).
	require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
	const { startSandbox } = require(path.join(root, 'sandbox', 'server'));
	const sandboxPort = await portOr(opts.sandboxPort);
	const sb = await startSandbox({ port: sandboxPort, phoneNumberIds: [SANDBOX_PHONE_NUMBER_ID] });
	sb.setBlocklist(SANDBOX_PHONE_NUMBER_ID, SEED_BLOCKED);
	const sandbox = { url: sb.url, apiKey: sb.apiKey, phoneNumberId: SANDBOX_PHONE_NUMBER_ID };
	log(`sandbox API on ${sb.url} (key ${sb.apiKey}, phone number ID ${SANDBOX_PHONE_NUMBER_ID})`);

	let n8n;
	let stopping = false;
	const stop = async (signal) => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping n8n and the sandbox ...`);
		try {
			if (n8n) await n8n.stop();
			await sb.close();
		} finally {
			log('stopped.');
			process.exit(0);
		}
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));

	try {
		const port = await portOr(opts.port);
		n8n = await prepareDevInstance({ userFolder, port, sandbox, tgz });
		const { editorUrl, owner, ownerCreated, ownerKnown } = await startDevServer(n8n);
		n8n.server.on('exit', (code, signal) => {
			if (!stopping) {
				log(`n8n exited unexpectedly (${code ?? signal}); see .cache/n8n-dev/n8n.log`);
				void stop('n8n exit');
			}
		});
		const hookUrl = `${n8n.baseUrl}/webhook/splashify/crm-block`;
		const triggerExample = readExamples().find((e) => e.workflow.id === 'splashifyExTrigr')
			?.workflow.name;
		console.log(`
  n8n ${N8N_VERSION} with n8n-nodes-splashify is running.

  Editor:     ${editorUrl}
  Log in:     ${ownerKnown ? `${owner.email} / ${owner.password}${ownerCreated ? '   (owner account just created)' : ''}` : 'with the owner account you created in this n8n (npm run dev -- --reset starts over)'}
  Sandbox:    ${sb.url}   (state: ${sb.url}/__sandbox/state)
  Workflows:  ${readExamples()
		.map((e) => e.workflow.name)
		.join('\n              ')}
  Webhook:    curl -s -X POST ${hookUrl} -H 'content-type: application/json' -d '{"contactId":"c-42","phone":"+919777700042"}'
  Trigger:    "${triggerExample}" polls the sandbox every minute: a user blocked
              (by the webhook above, or any other way) shows up in its executions within a minute

  Press Ctrl-C to stop.
`);
	} catch (err) {
		log(`failed: ${err.message}`);
		await stop('error');
	}
	// Keep running until a signal arrives.
	await new Promise(() => {});
}

if (require.main === module) {
	main().catch((err) => {
		console.error(err);
		process.exit(1);
	});
}

module.exports = {
	prepareDevInstance,
	startDevServer,
	readExamples,
	CREDENTIAL,
	SEED_BLOCKED,
	SANDBOX_PHONE_NUMBER_ID,
	PUBLISHED_EXAMPLES,
	httpRequest,
};
