/**
 * What one measured call costs in a bench worker process: wall time, CPU (of the process, and
 * inside one method of the node), the heap's peak (sampled every 10 ms from v8's heap
 * statistics, which are cheap: process.memoryUsage() also reads the RSS from /proc and showed in
 * profiles), the heap still held after a full GC with the result referenced, and the RSS
 * high-water mark. The workers run with --expose-gc, so the heap is measured from a collected start.
 */
import { performance } from 'perf_hooks';
import { getHeapStatistics } from 'v8';

const MB = 1024 * 1024;

/** Two full collections (the workers run with --expose-gc). */
export function gc(): void {
	const collect = (globalThis as { gc?: () => void }).gc;
	if (!collect) throw new Error('run with --expose-gc');
	collect();
	collect();
}

/** CPU time of the last call of one method (all instances: the prototype is wrapped once). */
export function timeMethod<T extends object>(prototype: T, name: keyof T): { cpuMs: number } {
	const window = { cpuMs: 0 };
	const original = prototype[name] as (...args: unknown[]) => Promise<unknown>;
	const timed = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
		const cpu0 = process.cpuUsage();
		try {
			return await original.apply(this, args);
		} finally {
			const cpu = process.cpuUsage(cpu0);
			window.cpuMs = (cpu.user + cpu.system) / 1000;
		}
	};
	prototype[name] = timed as T[keyof T];
	return window;
}

export interface Figures {
	wallMs: number;
	/** Date.now() when the run started and ended (to line up with the sandbox's timeline). */
	startedAt: number;
	endedAt: number;
	/** CPU of the whole process during the run, and inside the timed method (execute(), poll()). */
	cpuMs: number;
	innerCpuMs: number;
	/** Highest heap seen while running, garbage included. */
	heapPeakDeltaMb: number;
	/** After a full GC with the run's result still referenced: the floor of what it needs. */
	heapHeldDeltaMb: number;
	/** The kernel's high-water mark of RSS minus the RSS before the run. */
	rssPeakDeltaMb: number;
}

/** Runs `body` once, measured; `inner` is the timed method's window (timeMethod). */
export async function measure<T>(
	body: () => Promise<T>,
	inner: { cpuMs: number },
): Promise<{ value: T; figures: Figures }> {
	gc();
	const { heapUsed: heap0, rss: rss0 } = process.memoryUsage();
	let heapPeak = heap0;
	const sample = () => {
		heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
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
	gc();
	const figures: Figures = {
		wallMs,
		startedAt,
		endedAt,
		cpuMs: (cpu.user + cpu.system) / 1000,
		innerCpuMs: inner.cpuMs,
		heapPeakDeltaMb: (heapPeak - heap0) / MB,
		heapHeldDeltaMb: (process.memoryUsage().heapUsed - heap0) / MB,
		rssPeakDeltaMb: maxRssMb - rss0 / MB,
	};
	return { value, figures };
}
