/** Number and Markdown-table formatting shared by the bench's reports, and the median they show. */

/** A number with `digits` decimals, or a dash when it is not a finite number. */
export function fmt(value: number, digits = 1): string {
	return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** 64,000 */
export const n = (value: number) => value.toLocaleString('en-US');

/** A Markdown table; `header` is written as its line is, the cells joined by ' | '. */
export function table(header: string, rows: string[][]): string {
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	const cells = header.split(' | ');
	return [line(cells), line(cells.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The median element by `by` (the lower one of an even count). */
export function median<T>(values: T[], by: (v: T) => number = (v) => v as number): T {
	const sorted = [...values].sort((a, b) => by(a) - by(b));
	return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** `shown` and, when there are several runs, their range: `612 (606–631)`. */
export function withRange(shown: number, all: number[], digits = 0): string {
	if (all.length < 2) return fmt(shown, digits);
	return `${fmt(shown, digits)} (${fmt(Math.min(...all), digits)}–${fmt(Math.max(...all), digits)})`;
}

/** A goal or target row: what, whether it holds (undefined: not known), the figures. */
export interface Target {
	name: string;
	holds: boolean | undefined;
	detail: string;
}

export function targetTable(targets: Target[], what = 'target'): string {
	const holds = (t: Target) => (t.holds === undefined ? '?' : t.holds ? 'yes' : '**no**');
	return table(
		`${what} | holds | measured`,
		targets.map((t) => [t.name, holds(t), t.detail]),
	);
}
