/** Number and Markdown-table formatting shared by the bench's reports. */

/** A number with `digits` decimals, or a dash when it is not a finite number. */
export function fmt(value: number, digits = 1): string {
	return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** A Markdown table. */
export function table(header: string[], rows: string[][]): string {
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
