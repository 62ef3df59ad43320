/** The connection: Base URL, API version and phone number ID checked, options read, the key scrubbed. */
import { resolvePhoneNumberId } from '../../nodes/WhatsApp/users/phoneNumberId';
import { SplashifyApi } from '../../credentials/SplashifyApi.credentials';
import {
	buildConnection,
	checkApiVersion,
	checkBaseUrl,
	CREDENTIAL_TYPE,
} from '../../nodes/WhatsApp/transport/connection';
import { WhatsAppBlockUsers } from '../../nodes/WhatsApp/WhatsAppBlockUsers.node';
import { blockUsersUrl } from '../../nodes/WhatsApp/transport/request';
import { scrub, scrubValue } from '../../nodes/WhatsApp/transport/scrub';

const KEY = 'pk_live_secret';

test('checkBaseUrl accepts http(s) and drops the trailing slash', () => {
	for (const url of ['https://api.splashifypro.com', 'http://127.0.0.1:8790/proxy'])
		expect(checkBaseUrl(`${url}/`)).toEqual({ ok: true, value: url });
});

test.each([
	'ftp://x.example',
	'file:///etc/passwd',
	'javascript:alert(1)',
	'not a url',
	'',
	'https://u:p@x.example',
	'https://x.example/?a=1',
])('checkBaseUrl refuses %j', (value) => {
	expect(checkBaseUrl(value).ok).toBe(false);
});

test('checkApiVersion', () => {
	expect(checkApiVersion('v25.0')).toEqual({ ok: true, value: 'v25.0' });
	expect(checkApiVersion('')).toEqual({ ok: true, value: 'v25.0' });
	expect(checkApiVersion('v25.0/../x').ok).toBe(false);
});

test("the node's phone number ID overrides the credential's, and both are checked", () => {
	expect(resolvePhoneNumberId('', { phoneNumberId: '111' })).toEqual({ ok: true, value: '111' });
	expect(resolvePhoneNumberId('222', { phoneNumberId: '111' })).toEqual({ ok: true, value: '222' });
	expect(resolvePhoneNumberId('', { phoneNumberId: '1/2' }).ok).toBe(false);
	expect(resolvePhoneNumberId('../x', { phoneNumberId: '111' }).ok).toBe(false);
});

test('buildConnection reads the options, and refuses one out of range instead of cutting it', () => {
	const credentials = { apiKey: KEY, baseUrl: 'https://api.splashifypro.com', apiVersion: 'v25.0' };
	expect(
		buildConnection(credentials, { timeout: 5000, maxRetries: 10, retryDelay: 10 }),
	).toMatchObject({
		ok: true,
		value: {
			timeoutMs: 5000,
			retry: { maxRetries: 10, baseDelayMs: 10 },
			secrets: [KEY, KEY],
		},
	});
	expect(buildConnection(credentials, {})).toMatchObject({
		ok: true,
		value: { timeoutMs: 30000, retry: { maxRetries: 4, baseDelayMs: 1000 } },
	});
	expect(buildConnection(credentials, { timeout: 5000, maxRetries: 99, retryDelay: 10 })).toEqual({
		ok: false,
		error: 'Max Retries must be a whole number from 0 to 10, not 99',
	});
	expect(
		blockUsersUrl({ baseUrl: 'https://a.example', apiVersion: 'v25.0', phoneNumberId: '123' }),
	).toBe('https://a.example/api/v25.0/123/block_users');
});

test('scrub removes the key from text and nested values', () => {
	expect(scrub('bad token pk_live_secret!', ['pk_live_secret'])).toBe('bad token ***!');
	const nested = { a: ['x pk_live_secret'], b: { c: 'pk_live_secret' }, n: 1 };
	expect(scrubValue(nested, [KEY])).toEqual({ a: ['x ***'], b: { c: '***' }, n: 1 });
});

test('scrubValue returns parts without a secret as they are, and copies only what it changes', () => {
	const clean = { data: [{ user: '1' }], paging: { cursors: { after: 'x' } } };
	expect(scrubValue(clean, ['pk_live_secret'])).toBe(clean);
	const dirty = { data: [{ user: '1' }, { note: 'pk_live_secret' }], other: { a: 1 } };
	const scrubbed = scrubValue(dirty, ['pk_live_secret']);
	expect(scrubbed).toEqual({ data: [{ user: '1' }, { note: '***' }], other: { a: 1 } });
	expect(dirty.data[1].note).toBe('pk_live_secret');
	expect(scrubbed.other).toBe(dirty.other);
	expect(scrubbed.data[0]).toBe(dirty.data[0]);
});

test("requests are signed with the package's own credential type", () => {
	expect(new SplashifyApi().name).toBe(CREDENTIAL_TYPE);
	expect(new WhatsAppBlockUsers().description.credentials).toEqual([
		{ name: CREDENTIAL_TYPE, required: true },
	]);
});
