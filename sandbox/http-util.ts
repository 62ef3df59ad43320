/** Small helpers over Node's http module. */
import type { IncomingMessage, ServerResponse } from 'http';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** Reads the whole request body as UTF-8 (DELETE bodies included). */
export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new BodyTooLargeError(`body over ${MAX_BODY_BYTES} bytes`));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

export type Parsed = { ok: true; value: unknown } | { ok: false };

export function parseJson(raw: string): Parsed {
	if (raw.trim() === '') return { ok: false };
	try {
		return { ok: true, value: JSON.parse(raw) as unknown };
	} catch {
		return { ok: false };
	}
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	sendText(res, status, JSON.stringify(body), 'application/json; charset=utf-8', headers);
}

export function sendText(
	res: ServerResponse,
	status: number,
	text: string,
	contentType: string,
	headers: Record<string, string> = {},
): void {
	if (res.destroyed || res.headersSent) return;
	res.writeHead(status, {
		'Content-Type': contentType,
		'Content-Length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

export function queryOf(url: URL): Record<string, string> {
	const query: Record<string, string> = {};
	for (const [key, value] of url.searchParams) query[key] = value;
	return query;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
