/**
 * Queue mode, n8n's way of running on several machines: Redis (the machine's redis-server, found
 * by scripts/n8n/system-tools.js, started here on a free loopback port), an n8n main and one worker sharing the database. The block
 * workflow is triggered through the main's production webhook; the main only enqueues it and
 * the worker runs it. Two executions run at the same time on the worker (concurrency 2), each
 * for its own phone number ID: the node keeps no state between executions, so both must give
 * exactly the results a single run gives.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

import { installDir } from '../../scripts/n8n/install';
import {
	freePort,
	httpRequest,
	stopChild,
	waitForHttp,
	type N8nInstance,
	type RestClient,
	type WfNode,
} from '../../scripts/n8n/run';
import type { Sandbox } from '../../sandbox/server';
import {
	PN1,
	PN2,
	codeNode,
	connect,
	newN8n,
	newSandbox,
	noOp,
	numbers,
	sandboxCredential,
	setNode,
	splashifyNode,
	timing,
	workflow,
	describeNeeding,
	until,
} from './helpers';

// n8n stores run data in the `flatted` format; its own copy reads it back.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flatted = require(path.join(installDir, 'node_modules', 'flatted')) as {
	parse(text: string): any;
};

const GOOD = { id: 'e2eQueueSandbox1', name: 'Splashify sandbox' };
const OWNER = { email: 'queue-owner@example.com', password: 'Queue-Owner-1' };
const WORKFLOW_ID = 'e2eQueueBlock001';
const HOOK_PATH = 'e2e/queue-block';

describeNeeding('redis', 'queue mode', (redisServer) => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let redis: ChildProcess;
	let worker: ChildProcess;
	let workerLog: string;
	let rest: RestClient;

	/** 1,201 unique users (plus one invalid entry) in three items, as in the CLI test. */
	const ITEM_USERS = [numbers(0, 400), numbers(400, 400), [...numbers(800, 401), 'not-a-number']];
	const REENGAGEMENT = [numbers(5, 1)[0], numbers(1100, 1)[0]];

	function queueWorkflow() {
		const webhook: WfNode = {
			id: 'e2e-queue-webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			parameters: { httpMethod: 'POST', path: HOOK_PATH, responseMode: 'onReceived', options: {} },
			webhookId: '0f7e6a52-6d1c-4c55-9b8e-2f1f5e0a0001',
		};
		const wf = workflow(WORKFLOW_ID, 'E2E queue-mode block', [
			webhook,
			codeNode(
				'Make users',
				`return ${JSON.stringify(ITEM_USERS.map((phones, i) => ({ json: { batch: i + 1, phones } })))};`,
				[200, 0],
			),
			splashifyNode(
				'Block users',
				{
					operation: 'block',
					users: '={{ $json.phones }}',
					phoneNumberId: "={{ $('Webhook').first().json.body.phoneNumberId }}",
					options: {},
				},
				GOOD,
				[400, 0],
			),
			noOp('On Succeeded', [600, -100]),
			setNode('On Failed', { reason: '={{ $json.error.message }}' }, [600, 100]),
		]);
		connect(wf, 'Webhook', 'Make users');
		connect(wf, 'Make users', 'Block users');
		connect(wf, 'Block users', 'On Succeeded', 0);
		connect(wf, 'Block users', 'On Failed', 1);
		return wf;
	}

	function startRedis(port: number, dir: string): ChildProcess {
		const log = fs.openSync(path.join(dir, 'redis.log'), 'a');
		const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
		const noPersistence = ['--save', '', '--appendonly', 'no'];
		const options: SpawnOptions = { stdio: ['ignore', log, log], detached: true };
		const child = spawn(redisServer, [...args, ...noPersistence], options);
		fs.closeSync(log);
		return child;
	}

	const pingRedis = (port: number) =>
		new Promise<true | undefined>((resolve) => {
			const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
			socket.once('data', (d) => {
				socket.destroy();
				resolve(d.toString().startsWith('+PONG') || undefined);
			});
			socket.once('error', () => resolve(undefined));
		});
	const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
	/** The last 3,000 characters of a log, for a failure's message. */
	const tail = (file: string) => read(file).slice(-3000) || '(no log)';
	/** `until`, its error followed by the tail of `log`. */
	const untilLogged = <T>(log: string, ...args: Parameters<typeof until<T>>) =>
		until(...args).catch((e: Error) => {
			throw new Error(`${e.message}\n${log}:\n${tail(log)}`);
		});

	interface Execution {
		id: string;
		status: string;
		mode: string;
	}

	async function executionsOfWorkflow(): Promise<Execution[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: WORKFLOW_ID }));
		const { json } = await rest.request('GET', `/executions?filter=${filter}`, undefined, {
			expect: 200,
		});
		return json.data.results as Execution[];
	}

	async function waitForExecutions(count: number): Promise<Execution[]> {
		const done = (e: Execution) => !['new', 'running', 'waiting'].includes(e.status);
		const finished = async () => {
			const all = await executionsOfWorkflow();
			return all.length >= count && all.every(done) ? all : undefined;
		};
		return await untilLogged(workerLog, `${count} finished executions`, finished, 180_000);
	}

	async function runDataOf(executionId: string): Promise<any> {
		const { json } = await rest.request('GET', `/executions/${executionId}`, undefined, {
			expect: 200,
		});
		return flatted.parse(json.data.data);
	}

	const outputUsers = (run: any, node: string, index = 0): string[] =>
		(run.resultData.runData[node]?.[0]?.data?.main?.[index] ?? []).map(
			(i: { json: { user: string | null } }) => i.json.user,
		);

	beforeAll(async () => {
		const t = Date.now();
		sandbox = await newSandbox();
		sandbox.config.reengagementRequired = REENGAGEMENT;
		const redisPort = await freePort();
		n8n = await newN8n('queue', {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			QUEUE_BULL_PREFIX: `e2e${redisPort}`,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
		redis = startRedis(redisPort, n8n.userFolder);
		await n8n.importCredentials([sandboxCredential(sandbox, GOOD.id, GOOD.name)]);
		await n8n.importWorkflow(queueWorkflow());
		await n8n.activate(WORKFLOW_ID);
		await until(`redis on port ${redisPort} to answer PING`, () => pingRedis(redisPort), 20_000);
		timing('queue: user folder, imports, publish, redis', Date.now() - t);

		const t2 = Date.now();
		await n8n.start({ logFile: path.join(n8n.userFolder, 'main.log') });
		workerLog = path.join(n8n.userFolder, 'worker.log');
		const workerHealthPort = await freePort();
		worker = n8n.spawnServer('worker', {
			args: ['--concurrency=2'],
			env: {
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_PORT: String(workerHealthPort),
			},
			logFile: workerLog,
		});
		await waitForHttp(`http://127.0.0.1:${workerHealthPort}/healthz`, {
			child: worker,
			logFile: workerLog,
			timeoutMs: 180000,
		});
		const ready = () => /worker is now ready/i.test(read(workerLog)) || undefined;
		await untilLogged(workerLog, 'the worker to be ready', ready, 120_000);
		rest = n8n.rest();
		await rest.ensureOwner(OWNER);
		timing('queue: main + worker started', Date.now() - t2);
	});

	afterAll(async () => {
		await n8n?.stop();
		if (worker) await stopChild(worker);
		if (redis) await stopChild(redis);
		await sandbox?.close();
	});

	test('two block executions triggered through the main run on the worker at the same time, each with exactly the single-run results', async () => {
		sandbox.requests.length = 0;
		const hook = `${n8n.baseUrl}/webhook/${HOOK_PATH}`;
		const answers = await Promise.all(
			[PN1, PN2].map((phoneNumberId) =>
				httpRequest(hook, { method: 'POST', body: { phoneNumberId } }),
			),
		);
		for (const a of answers)
			expect([a.status, a.json]).toEqual([200, { message: 'Workflow was started' }]);

		const executions = await waitForExecutions(2);
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);

		// The worker ran both; the main only enqueued them.
		const workerText = fs.readFileSync(workerLog, 'utf8');
		const mainText = fs.readFileSync(path.join(n8n.userFolder, 'main.log'), 'utf8');
		for (const e of executions) {
			expect(workerText).toMatch(new RegExp(`Worker started execution ${e.id} `));
			expect(workerText).toMatch(new RegExp(`Worker finished execution ${e.id} `));
			expect(mainText).toMatch(new RegExp(`Enqueued execution ${e.id} `));
		}

		const failing = new Set(REENGAGEMENT);
		const valid = ITEM_USERS.flat().filter((u) => u.startsWith('+'));
		for (const pn of [PN1, PN2]) {
			const posts = sandbox.requests.filter(
				(r) => r.method === 'POST' && r.path.includes(`/${pn}/`),
			);
			expect(posts.map((r) => r.users?.length)).toEqual([500, 500, 201]);
			expect(sandbox.blocklist(pn)).toHaveLength(1201 - REENGAGEMENT.length);
		}

		const runs = await Promise.all(executions.map((e) => runDataOf(e.id)));
		const byPn = Object.fromEntries(
			runs.map((run) => [
				run.resultData.runData['Block users'][0].data.main[0][0].json.phoneNumberId,
				run,
			]),
		);
		expect(Object.keys(byPn).sort()).toEqual([PN1, PN2]);
		for (const pn of [PN1, PN2]) {
			const run = byPn[pn];
			expect(outputUsers(run, 'Block users', 0)).toEqual(valid.filter((u) => !failing.has(u)));
			expect(outputUsers(run, 'On Succeeded')).toEqual(valid.filter((u) => !failing.has(u)));
			expect(outputUsers(run, 'Block users', 1)).toEqual([...REENGAGEMENT, null]);
			const onFailed = run.resultData.runData['On Failed'][0].data.main[0].map(
				(i: { json: Record<string, string> }) => i.json,
			);
			expect(onFailed.map((j: Record<string, string>) => j.input)).toEqual([
				...REENGAGEMENT,
				'not-a-number',
			]);
			expect(onFailed[0].reason).toMatch(
				/^WhatsApp lets a business block only users who messaged this phone number in the last 24 hours/,
			);
			const everyItem = run.resultData.runData['Block users'][0].data.main.flat();
			expect(
				everyItem.every((i: { json: { phoneNumberId: string } }) => i.json.phoneNumberId === pn),
			).toBe(true);
		}
	});
});
