/**
 * Summarises a V8 .cpuprofile (from `--cpu-prof` or the bench's `--profile`): self time by
 * function and by file, and the total ("inclusive") time of this package's own functions.
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

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

export interface ProfileLine {
	name: string;
	ms: number;
	share: number;
}

export interface ProfileSummary {
	totalMs: number;
	idleMs: number;
	selfByFunction: ProfileLine[];
	selfByFile: ProfileLine[];
	/** Inclusive time of functions defined in this package (nodes/, credentials/). */
	ownInclusive: ProfileLine[];
	/** Self time of all of this package's code together. */
	ownSelfMs: number;
	/** Busy self time by kind of code: this package, n8n, HTTP, GC... */
	byCategory: ProfileLine[];
}

/** What kind of code a frame is, for the by-category split. */
export function category(callFrame: CallFrame): string {
	const file = shortFile(callFrame.url);
	if (isOwn(callFrame.url)) return "this package's code (nodes/)";
	if (callFrame.functionName === '(garbage collector)') return 'garbage collector';
	if (/^(n8n-workflow|n8n-core|n8n\/|@n8n\/|luxon\/|@n8n_io\/|lodash|jmespath)/.test(file))
		return "n8n (expressions, parameters, execution engine, request helper's set-up)";
	if (
		/^(axios|follow-redirects|proxy-from-env|form-data|node:_http|node:http|node:net|node:tls|node:dns|node:url|node:internal\/(streams|stream_base|http|url|dns))/.test(
			file,
		) ||
		['connect', 'writev', 'writeUtf8String', 'writeBuffer', 'close', 'shutdown'].includes(
			callFrame.functionName,
		)
	)
		return 'HTTP (axios, node:http, sockets)';
	if (file.startsWith('test/') || file.startsWith('bench/') || file.startsWith('node:inspector'))
		return 'bench harness, profiler';
	return 'other (JSON, Node internals, timers, promises)';
}

const root = path.resolve(__dirname, '..');

function shortFile(url: string): string {
	if (url === '') return '(native)';
	const file = url.replace(/^file:\/\//, '');
	const inModules = file.lastIndexOf('node_modules/');
	if (inModules >= 0) return file.slice(inModules + 'node_modules/'.length);
	return path.relative(root, file);
}

/** This package's code: its sources (in process, through ts-node) or its build (in n8n). */
function isOwn(url: string): boolean {
	const file = shortFile(url).replace(/^n8n-nodes-splashify\/dist\//, '');
	return file.startsWith('nodes/') || file.startsWith('credentials/');
}

/**
 * Summarises a profile. With `within`, only the samples whose stack holds a function of that
 * name count (e.g. "changeBlocklist": the node's synchronous work and what it calls).
 */
export function summarise(profile: Profile, top = 25, within?: string): ProfileSummary {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);

	const inScope = (id: number): boolean => {
		if (within === undefined) return true;
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			if ((byId.get(at) as ProfileNode).callFrame.functionName === within) return true;
		}
		return false;
	};
	const selfUs = new Map<number, number>();
	// timeDeltas[i] is the time before sample i; the sample's own duration is the next delta.
	profile.samples.forEach((id, i) => {
		if (inScope(id)) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
	});
	const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

	const catSelf = new Map<string, number>();
	const fnSelf = new Map<string, number>();
	const fileSelf = new Map<string, number>();
	const ownIncl = new Map<string, number>();
	let idleUs = 0;
	let ownSelfUs = 0;
	for (const [id, us] of selfUs) {
		const { callFrame } = byId.get(id) as ProfileNode;
		if (callFrame.functionName === '(idle)') idleUs += us;
		if (isOwn(callFrame.url)) ownSelfUs += us;
		if (callFrame.functionName !== '(idle)')
			catSelf.set(category(callFrame), (catSelf.get(category(callFrame)) ?? 0) + us);
		const file = shortFile(callFrame.url);
		const fn = `${callFrame.functionName || '(anonymous)'} ${file}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
		fnSelf.set(fn, (fnSelf.get(fn) ?? 0) + us);
		fileSelf.set(file, (fileSelf.get(file) ?? 0) + us);
		// Inclusive time of own functions: walk up, count each own function once per sample stack.
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const frame = (byId.get(at) as ProfileNode).callFrame;
			if (!isOwn(frame.url)) continue;
			const key = `${frame.functionName || '(anonymous)'} ${shortFile(frame.url)}:${frame.lineNumber + 1}`;
			if (seen.has(key)) continue;
			seen.add(key);
			ownIncl.set(key, (ownIncl.get(key) ?? 0) + us);
		}
	}
	const busyUs = totalUs - idleUs;
	const lines = (map: Map<string, number>) =>
		[...map]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
	return {
		totalMs: totalUs / 1000,
		idleMs: idleUs / 1000,
		selfByFunction: lines(fnSelf),
		selfByFile: lines(fileSelf),
		ownInclusive: lines(ownIncl),
		ownSelfMs: ownSelfUs / 1000,
		byCategory: lines(catSelf),
	};
}

export function formatSummary(summary: ProfileSummary): string {
	const pct = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(6);
	const table = (title: string, rows: ProfileLine[]) =>
		[
			title,
			...rows.map((row) => `  ${row.ms.toFixed(1).padStart(9)} ms ${pct(row.share)}  ${row.name}`),
		].join('\n');
	return [
		`profiled ${summary.totalMs.toFixed(0)} ms, of which idle ${summary.idleMs.toFixed(0)} ms (shares below are of the busy time)`,
		`self time in this package's code: ${summary.ownSelfMs.toFixed(0)} ms (${pct(summary.ownSelfMs / Math.max(1e-9, summary.totalMs - summary.idleMs)).trim()} of busy)`,
		table('Busy time by kind of code:', summary.byCategory),
		table('Self time by function:', summary.selfByFunction),
		table('Self time by file:', summary.selfByFile),
		table("This package's functions, inclusive time:", summary.ownInclusive),
	].join('\n\n');
}

if (require.main === module) {
	const [file, top, within] = process.argv.slice(2);
	if (!file) {
		console.error('usage: profile-summary.ts <file.cpuprofile> [top=25] [within-function]');
		process.exit(2);
	}
	const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
	console.log(formatSummary(summarise(profile, top ? Number(top) : 25, within)));
}
