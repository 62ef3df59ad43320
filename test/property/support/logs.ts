/**
 * Captures every log line a run produces, so a test can search them for the API key:
 * n8n-workflow's LoggerProxy (what n8n-core's WorkflowExecute logs through), n8n's own
 * Logger from the DI container (what `this.logger` in a node context is; it re-points
 * LoggerProxy at itself when it is first built, so it is built first and then wrapped), and
 * the console.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

export interface LogCapture {
	/** Every line since the last `clear()`: level, message and metadata as JSON. */
	readonly lines: string[];
	clear(): void;
	/** Throws if a log sent through LoggerProxy would not reach the capture any more. */
	assertStillCapturing(): void;
	restore(): void;
}

function safeJson(value: unknown): string {
	const seen = new WeakSet<object>();
	try {
		const text = JSON.stringify(value, (_key, v: unknown) => {
			if (v instanceof Error) return { ...v, name: v.name, message: v.message, stack: v.stack };
			if (v !== null && typeof v === 'object') {
				if (seen.has(v)) return '[cycle]';
				seen.add(v);
			}
			return v;
		});
		return text ?? String(value);
	} catch {
		return String(value);
	}
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function captureLogs(): LogCapture {
	const lines: string[] = [];
	const record = (level: string, message: unknown, meta?: unknown) => {
		lines.push(
			`${level} ${typeof message === 'string' ? message : safeJson(message)} ${meta === undefined ? '' : safeJson(meta)}`,
		);
	};

	const n8nLogger = Container.get(Logger) as unknown as Record<string, unknown>;
	const originalLog = n8nLogger.log;
	const originalScoped = n8nLogger.scoped;
	n8nLogger.log = (level: string, message: unknown, meta?: unknown) =>
		record(`n8n:${level}`, message, meta);
	n8nLogger.scoped = () => n8nLogger;

	const proxyTarget = {
		error: (m: unknown, meta?: unknown) => record('proxy:error', m, meta),
		warn: (m: unknown, meta?: unknown) => record('proxy:warn', m, meta),
		info: (m: unknown, meta?: unknown) => record('proxy:info', m, meta),
		debug: (m: unknown, meta?: unknown) => record('proxy:debug', m, meta),
	};
	LoggerProxy.init(proxyTarget as never);

	const spies = CONSOLE_METHODS.map((method) =>
		jest
			.spyOn(console, method)
			.mockImplementation((...args: unknown[]) =>
				record(
					`console:${method}`,
					args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' '),
				),
			),
	);

	return {
		lines,
		clear: () => {
			lines.length = 0;
		},
		assertStillCapturing: () => {
			const marker = `log-capture-probe-${Math.random()}`;
			LoggerProxy.debug(marker);
			(Container.get(Logger) as unknown as { error(m: string): void }).error(marker);
			const found = lines.filter((line) => line.includes(marker)).length;
			if (found !== 2)
				throw new Error(
					'The log capture lost LoggerProxy or n8n Logger: something re-initialised the logger',
				);
			for (let i = lines.length - 1; i >= 0; i--) if (lines[i].includes(marker)) lines.splice(i, 1);
		},
		restore: () => {
			n8nLogger.log = originalLog;
			n8nLogger.scoped = originalScoped;
			LoggerProxy.init(Container.get(Logger));
			for (const spy of spies) spy.mockRestore();
		},
	};
}

/** Serialises anything (errors, cycles included) for searching. */
export function searchable(value: unknown): string {
	if (value instanceof Error) {
		const extra = value as Error & { description?: unknown; context?: unknown; cause?: unknown };
		return [
			value.message,
			String(extra.description ?? ''),
			value.stack ?? '',
			safeJson(value),
			safeJson(extra.context),
			safeJson(extra.cause),
		].join('\n');
	}
	return typeof value === 'string' ? value : safeJson(value);
}
