/**
 * Summarises a V8 .cpuprofile (from `--cpu-prof` or the bench's `--profile`): busy time by kind
 * of code (this package, n8n, HTTP, GC...), self time by function and by file, and the total
 * ("inclusive") time of this package's own functions.
 *
 *   node scripts/with-node24.js ts-node --transpile-only bench/profile-summary.ts <file.cpuprofile> [top=25] [within]
 *
 * `within`: count only samples with a function of that name on the stack (e.g. changeBlocklist).
 */
import { readFileSync } from 'fs';
import * as path from 'path';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

interface Profile {
	nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
	samples: number[];
	timeDeltas: number[];
}

const root = path.resolve(__dirname, '..');

function shortFile(url: string): string {
	if (url === '') return '(native)';
	const file = url.replace(/^file:\/\//, '');
	const inModules = file.lastIndexOf('node_modules/');
	return inModules >= 0
		? file.slice(inModules + 'node_modules/'.length)
		: path.relative(root, file);
}

/** This package's code: its sources (in process, through ts-node) or its build (in n8n). */
function isOwn(url: string): boolean {
	return /^(n8n-nodes-splashify\/dist\/)?(nodes|credentials)\//.test(shortFile(url));
}

const N8N = /^(n8n-workflow|n8n-core|n8n\/|@n8n\/|luxon\/|@n8n_io\/|lodash|jmespath)/;
const HTTP =
	/^(axios|follow-redirects|proxy-from-env|form-data|node:_http|node:http|node:net|node:tls|node:dns|node:url|node:internal\/(streams|stream_base|http|url|dns))/;
const SOCKET_CALLS = ['connect', 'writev', 'writeUtf8String', 'writeBuffer', 'close', 'shutdown'];

/** What kind of code a frame is, for the busy time by kind. */
function category(frame: CallFrame): string {
	const file = shortFile(frame.url);
	if (isOwn(frame.url)) return "this package's code (nodes/)";
	if (frame.functionName === '(garbage collector)') return 'garbage collector';
	if (N8N.test(file))
		return "n8n (expressions, parameters, execution engine, request helper's set-up)";
	if (HTTP.test(file) || SOCKET_CALLS.includes(frame.functionName))
		return 'HTTP (axios, node:http, sockets)';
	if (/^(test\/|bench\/|node:inspector)/.test(file)) return 'bench harness, profiler';
	return 'other (JSON, Node internals, timers, promises)';
}

const frameName = (f: CallFrame) =>
	`${f.functionName || '(anonymous)'} ${shortFile(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;

/** The summary as text, the `top` lines of each list. */
export function summarise(profile: Profile, top = 25, within?: string): string {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const stack = (id: number) => {
		const frames: CallFrame[] = [];
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
			frames.push(byId.get(at)!.callFrame);
		return frames;
	};
	const add = (map: Map<string, number>, key: string, us: number) =>
		map.set(key, (map.get(key) ?? 0) + us);
	// timeDeltas[i] is the time before sample i; the sample's own duration is the next delta.
	const selfUs = new Map<number, number>();
	profile.samples.forEach((id, i) => {
		if (within === undefined || stack(id).some((f) => f.functionName === within))
			selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
	});
	const [kinds, functions, files, ownInclusive] = [0, 0, 0, 0].map(() => new Map<string, number>());
	let [totalUs, idleUs, ownSelfUs] = [0, 0, 0];
	for (const [id, us] of selfUs) {
		const [frame, ...callers] = stack(id);
		totalUs += us;
		if (frame.functionName === '(idle)') idleUs += us;
		else add(kinds, category(frame), us);
		if (isOwn(frame.url)) ownSelfUs += us;
		add(functions, frameName(frame), us);
		add(files, shortFile(frame.url), us);
		// Each own function once per sample's stack.
		const own = new Set([frame, ...callers].filter((f) => isOwn(f.url)).map(frameName));
		for (const name of own) add(ownInclusive, name, us);
	}
	const busyUs = totalUs - idleUs;
	const pct = (us: number) => `${((100 * us) / Math.max(1e-9, busyUs)).toFixed(1)}%`;
	const list = (title: string, map: Map<string, number>) =>
		[title]
			.concat(
				[...map]
					.sort((a, b) => b[1] - a[1])
					.slice(0, top)
					.map(
						([name, us]) =>
							`  ${(us / 1000).toFixed(1).padStart(9)} ms ${pct(us).padStart(6)}  ${name}`,
					),
			)
			.join('\n');
	return [
		`profiled ${(totalUs / 1000).toFixed(0)} ms, of which idle ${(idleUs / 1000).toFixed(0)} ms (shares below are of the busy time)`,
		`self time in this package's code: ${(ownSelfUs / 1000).toFixed(0)} ms (${pct(ownSelfUs)} of busy)`,
		list('Busy time by kind of code:', kinds),
		list('Self time by function:', functions),
		list('Self time by file:', files),
		list("This package's functions, inclusive time:", ownInclusive),
	].join('\n\n');
}

if (require.main === module) {
	const [file, top, within] = process.argv.slice(2);
	if (!file) {
		console.error('usage: profile-summary.ts <file.cpuprofile> [top=25] [within-function]');
		process.exit(2);
	}
	console.log(
		summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(top ?? 25), within),
	);
}
