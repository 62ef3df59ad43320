/**
 * Scrubbing the API key out of anything the node outputs or throws: error texts, and whole
 * answers (a server or proxy may echo the Authorization header). Pure functions.
 */

/** Replaces every secret in a text with asterisks. */
export function scrub(text: string, secrets: readonly string[]): string {
	let clean = text;
	for (const secret of secrets) {
		if (secret.length >= 4 && clean.includes(secret)) clean = clean.split(secret).join('***');
	}
	return clean;
}

/**
 * A JSON value with every secret scrubbed from its strings, field names included. Parts that contain no secret are
 * returned as they are (no copy), so scrubbing a large answer that holds no key costs a walk.
 */
export function scrubValue<T>(value: T, secrets: readonly string[]): T {
	if (typeof value === 'string') return scrub(value, secrets) as T;
	if (value === null || typeof value !== 'object') return value;
	// Plain loops: no array of entries, no closure per value (a page of 1,000 entries is walked each time).
	if (Array.isArray(value)) {
		let copy: unknown[] | undefined;
		for (let index = 0; index < value.length; index++) {
			const element: unknown = value[index];
			const clean = scrubValue(element, secrets);
			if (clean !== element) (copy ??= value.slice())[index] = clean;
		}
		return (copy ?? value) as T;
	}
	const record = value as Record<string, unknown>;
	let copy: Record<string, unknown> | undefined;
	for (const key of Object.keys(record)) {
		const element = record[key];
		const clean = scrubValue(element, secrets);
		const cleanKey = scrub(key, secrets);
		if (clean === element && cleanKey === key) continue;
		copy ??= { ...record };
		// A field name can echo the key too (a proxy that turns headers into fields).
		if (cleanKey !== key) delete copy[key];
		copy[cleanKey] = clean;
	}
	return (copy ?? value) as T;
}
