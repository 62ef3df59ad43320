/**
 * Builds the connection settings of one item: the credential's base URL, API version and
 * phone number ID (or the node's override), the timeout and the retry policy, each checked
 * before anything is put into a URL.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { checkPhoneNumberId } from '../phone';
import type { Connection } from './request';
import { DEFAULT_RETRY_POLICY } from './retry';

export const DEFAULT_TIMEOUT_MS = 30_000;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The base URL must be http(s) with a host; a trailing slash is dropped. */
export function checkBaseUrl(value: unknown): Checked<string> {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') return { ok: false, reason: 'The Base URL in the Splashify API credential is empty' };
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { ok: false, reason: `The Base URL "${text}" in the Splashify API credential is not a valid URL` };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return { ok: false, reason: `The Base URL must start with https:// (or http://), not ${url.protocol}` };
	}
	if (url.username || url.password || url.search || url.hash) {
		return { ok: false, reason: 'The Base URL must not contain a user name, password, query or fragment' };
	}
	return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** The API version goes into the path: `v` and a version number only. */
export function checkApiVersion(value: unknown): Checked<string> {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : 'v25.0';
	return /^v\d{1,3}(\.\d{1,3})?$/.test(text)
		? { ok: true, value: text }
		: { ok: false, reason: `The API version "${text}" is not valid: use the form v25.0` };
}

function numberOption(options: IDataObject, name: string, fallback: number, min: number, max: number): number {
	const value = options[name];
	if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
	return Math.min(max, Math.max(min, Math.floor(value)));
}

/** Everything but the phone number ID, shared by all items of an execution. */
export function buildConnection(
	credentials: ICredentialDataDecryptedObject,
	options: IDataObject,
): Checked<Omit<Connection, 'phoneNumberId'>> {
	const baseUrl = checkBaseUrl(credentials.baseUrl);
	if (!baseUrl.ok) return baseUrl;
	const apiVersion = checkApiVersion(credentials.apiVersion);
	if (!apiVersion.ok) return apiVersion;
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	return {
		ok: true,
		value: {
			baseUrl: baseUrl.value,
			apiVersion: apiVersion.value,
			timeoutMs: numberOption(options, 'timeout', DEFAULT_TIMEOUT_MS, 1, 600_000),
			retry: {
				...DEFAULT_RETRY_POLICY,
				maxRetries: numberOption(options, 'maxRetries', DEFAULT_RETRY_POLICY.maxRetries, 0, 10),
				baseDelayMs: numberOption(options, 'retryDelay', DEFAULT_RETRY_POLICY.baseDelayMs, 0, 60_000),
			},
			secrets: apiKey.trim() === '' ? [] : [apiKey, apiKey.trim()],
		},
	};
}

/** The phone number ID of an item: the node's override if set, else the credential's. */
export function resolvePhoneNumberId(override: unknown, credentials: ICredentialDataDecryptedObject): Checked<string> {
	const chosen = typeof override === 'string' && override.trim() === '' ? credentials.phoneNumberId : (override ?? credentials.phoneNumberId);
	const checked = checkPhoneNumberId(chosen);
	return checked.ok ? { ok: true, value: checked.id } : checked;
}
