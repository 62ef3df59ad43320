/** Reading untyped JSON from answers safely. Pure functions. */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The objects of a JSON array (anything else in it is skipped); [] for a non-array. */
export function recordsOf(value: unknown): JsonRecord[] {
	return Array.isArray(value) ? value.filter(isRecord) : [];
}
