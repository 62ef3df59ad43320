/**
 * What one measured call costs in a bench worker process: wall time, CPU, the heap's peak
 * (sampled every 10 ms from v8's heap statistics, which are cheap: process.memoryUsage() also
 * reads the RSS from /proc and showed in profiles) and the RSS high-water mark. The workers run
 * with --expose-gc, so the heap is measured from a collected start.
 */
import { performance } from 'perf_hooks';
import { getHeapStatistics } from 'v8';

export const MB = 1024 * 1024;

/** Two full collections (the workers run with --expose-gc). */
export function gc(): void {
	const collect = (globalThis as { gc?: () => void }).gc;
	if (!collect) throw new Error('run with --expose-gc');
	collect();
	collect();
}

export interface Measurement {
	wallMs: number;
	startedAt: number;
	endedAt: number;
	cpu: NodeJS.CpuUsage;
	heapBefore: number;
	rssBefore: number;
	heapPeak: number;
	maxRssMb: number;
}

/** Runs `body` once, measured; the heap is collected first. */
export async function measure<T>(
	body: () => Promise<T>,
): Promise<{ value: T; measurement: Measurement }> {
	gc();
	const { heapUsed: heapBefore, rss: rssBefore } = process.memoryUsage();
	let heapPeak = heapBefore;
	const sample = () => {
		const used = getHeapStatistics().used_heap_size;
		if (used > heapPeak) heapPeak = used;
	};
	const sampler = setInterval(sample, 10);
	const cpu0 = process.cpuUsage();
	const startedAt = Date.now();
	const t0 = performance.now();
	const value = await body();
	const wallMs = performance.now() - t0;
	const endedAt = Date.now();
	const cpu = process.cpuUsage(cpu0);
	sample();
	clearInterval(sampler);
	const maxRssMb = process.resourceUsage().maxRSS / 1024; // kB -> MB
	return {
		value,
		measurement: { wallMs, startedAt, endedAt, cpu, heapBefore, rssBefore, heapPeak, maxRssMb },
	};
}

/** CPU and wall time of the last call of one method, all instances (the prototype is wrapped once). */
export interface CallWindow {
	cpuMs: number;
	wallMs: number;
}

export function timeMethod<T extends object, K extends keyof T>(prototype: T, name: K): CallWindow {
	const window: CallWindow = { cpuMs: 0, wallMs: 0 };
	const original = prototype[name] as unknown as (...args: unknown[]) => Promise<unknown>;
	const timed = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
		const cpu0 = process.cpuUsage();
		const t0 = performance.now();
		try {
			return await original.apply(this, args);
		} finally {
			const cpu = process.cpuUsage(cpu0);
			window.cpuMs = (cpu.user + cpu.system) / 1000;
			window.wallMs = performance.now() - t0;
		}
	};
	prototype[name] = timed as unknown as T[K];
	return window;
}
