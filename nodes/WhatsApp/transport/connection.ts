/**
 * The connection settings of a request: the credential's base URL and API version, the
 * phone number ID (chosen per item), the timeout and the retry policy, each checked before
 * anything is put into a URL. Owns the credential's name.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { readNumbers } from '../options';
import type { Checked } from '../types';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

/** The credential type every request is signed with (`credentials/SplashifyApi.credentials.ts`). */
export const CREDENTIAL_TYPE = 'splashifyApi';

export interface Connection {
	baseUrl: string;
	apiVersion: string;
	phoneNumberId: string;
	timeoutMs: number;
	retry: RetryPolicy;
	/** Strings to scrub from anything the node outputs or throws (the API key). */
	secrets: string[];
}

/** A connection before its phone number ID is chosen (shared by all items of an execution). */
export type ConnectionSettings = Omit<Connection, 'phoneNumberId'>;

/** The base URL must be http(s) with a host; a trailing slash is dropped. */
export function checkBaseUrl(value: unknown): Checked<string> {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '')
		return { ok: false, error: 'The Base URL in the Splashify API credential is empty' };
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return {
			ok: false,
			error: `The Base URL "${text}" in the Splashify API credential is not a valid URL`,
		};
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return {
			ok: false,
			error: `The Base URL must start with https:// (or http://), not ${url.protocol}`,
		};
	}
	if (url.username || url.password || url.search || url.hash) {
		return {
			ok: false,
			error: 'The Base URL must not contain a user name, password, query or fragment',
		};
	}
	return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** The API version goes into the path: `v` and a version number only. */
export function checkApiVersion(value: unknown): Checked<string> {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : 'v25.0';
	return /^v\d{1,3}(\.\d{1,3})?$/.test(text)
		? { ok: true, value: text }
		: { ok: false, error: `The API version "${text}" is not valid: use the form v25.0` };
}

/**
 * Everything but the phone number ID: the credential's parts and the node's Timeout, Max
 * Retries and Retry Delay options (refused when out of range).
 */
export function buildConnection(
	credentials: ICredentialDataDecryptedObject,
	options: IDataObject,
): Checked<ConnectionSettings> {
	const baseUrl = checkBaseUrl(credentials.baseUrl);
	if (!baseUrl.ok) return baseUrl;
	const apiVersion = checkApiVersion(credentials.apiVersion);
	if (!apiVersion.ok) return apiVersion;
	const numbers = readNumbers(options, ['timeout', 'maxRetries', 'retryDelay']);
	if (!numbers.ok) return numbers;
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	return {
		ok: true,
		value: {
			baseUrl: baseUrl.value,
			apiVersion: apiVersion.value,
			timeoutMs: numbers.value.timeout,
			retry: {
				...DEFAULT_RETRY_POLICY,
				maxRetries: numbers.value.maxRetries,
				baseDelayMs: numbers.value.retryDelay,
			},
			secrets: apiKey.trim() === '' ? [] : [apiKey, apiKey.trim()],
		},
	};
}
