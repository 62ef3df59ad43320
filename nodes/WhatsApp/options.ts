/**
 * The one table of number options: their names in the editor, ranges and defaults. The UI
 * (`minValue` / `maxValue` / `default` of every number field, in `fields.ts`) and
 * the runtime (`readNumbers`) both read it, so what the editor lets a user type is exactly
 * what runs. A value outside its range is refused with the option's name and range, never
 * cut to fit. Pure functions, no n8n types.
 */
import type { Checked } from './types';

export interface NumberLimit {
	/** The field's name in the editor, used in error messages. */
	displayName: string;
	min: number;
	max: number;
	default: number;
}

export const NUMBER_OPTIONS = {
	/** The Block Users endpoint takes at most 500 users per request. */
	batchSize: { displayName: 'Batch Size', min: 1, max: 500, default: 500 },
	maxConcurrency: { displayName: 'Max Concurrent Requests', min: 1, max: 10, default: 1 },
	maxRetries: { displayName: 'Max Retries', min: 0, max: 10, default: 4 },
	retryDelay: { displayName: 'Retry Delay (Ms)', min: 0, max: 60_000, default: 1000 },
	timeout: { displayName: 'Timeout (Ms)', min: 1, max: 600_000, default: 30_000 },
	pageSize: { displayName: 'Page Size', min: 1, max: 1000, default: 100 },
	/** List's Limit: a blocklist holds at most 64,000 users. */
	limit: { displayName: 'Limit', min: 1, max: 64_000, default: 50 },
} as const satisfies Record<string, NumberLimit>;

export type NumberOption = keyof typeof NUMBER_OPTIONS;

/**
 * Reads one number option: the default when it is not set, else a whole number within its
 * range (a number, or text of digits from an expression).
 */
export function readNumber(name: NumberOption, value: unknown): Checked<number> {
	const limit = NUMBER_OPTIONS[name];
	if (value === undefined || value === null || value === '')
		return { ok: true, value: limit.default };
	const number =
		typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
	if (
		typeof number === 'number' &&
		Number.isInteger(number) &&
		number >= limit.min &&
		number <= limit.max
	) {
		return { ok: true, value: number };
	}
	const shown = typeof value === 'string' ? `"${value.slice(0, 20)}"` : String(value);
	return {
		ok: false,
		error: `${limit.displayName} must be a whole number from ${limit.min} to ${limit.max}, not ${shown}`,
	};
}

/** Reads several number options at once; the first one out of range is the reason. */
export function readNumbers<K extends NumberOption>(
	values: Record<string, unknown>,
	names: readonly K[],
): Checked<Record<K, number>> {
	const read = {} as Record<K, number>;
	for (const name of names) {
		const checked = readNumber(name, values[name]);
		if (!checked.ok) return checked;
		read[name] = checked.value;
	}
	return { ok: true, value: read };
}

/**
 * Reads a boolean option, as typed in the editor or given by an expression: true or false,
 * or the texts "true" / "false" (any case, trimmed); the default when it is not set. Anything
 * else is refused with the option's name and what it got, never guessed (a Dry Run read as
 * "off" by mistake would send real changes).
 */
export function readBoolean(
	displayName: string,
	value: unknown,
	fallback: boolean,
): Checked<boolean> {
	if (value === undefined || value === null || value === '') return { ok: true, value: fallback };
	if (typeof value === 'boolean') return { ok: true, value };
	const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
	const shown =
		typeof value === 'string'
			? `"${value.slice(0, 20)}"`
			: typeof value === 'object'
				? JSON.stringify(value)?.slice(0, 20)
				: String(value);
	return { ok: false, error: `${displayName} must be true or false, not ${shown}` };
}
