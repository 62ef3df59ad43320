/**
 * The credential's connection test, resolved the way n8n's CredentialsTester runs a
 * declarative test (its URL expression evaluated with $credentials by n8n-workflow, the request
 * sent by n8n-core's HTTP client, the rules applied in their order: response codes on an error
 * answer, lodash `get` on the body of a 2xx), against the sandbox. Its expressions are checked
 * against the nodes' own rules for the Base URL, the API version and the phone number ID. The
 * end-to-end suite (test/e2e/credential.test.ts) runs the same test through a real n8n's REST API.
 */
import { Container } from '@n8n/di';
import { OutboundHttp } from '@n8n/backend-network';
import type { ICredentialDataDecryptedObject, INode, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import {
	API_VERSION_MESSAGE,
	BASE_URL_MESSAGE,
	ERROR_ENVELOPE_MESSAGE,
	NOT_A_PAGE_MESSAGE,
	PHONE_NUMBER_ID_MESSAGE,
	SplashifyApi,
} from '../../credentials/SplashifyApi.credentials';
import { checkApiVersion, checkBaseUrl } from '../../nodes/WhatsApp/transport/connection';
import { checkPhoneNumberId } from '../../nodes/WhatsApp/users/phoneNumberId';
import { useSandbox } from '../helpers/sandbox';

/** lodash's get, as n8n's tester reads a body rule (lodash has no types here). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const get = require('lodash/get') as (object: unknown, path: string) => unknown;

const ctx = useSandbox();
const credentialType = new SplashifyApi();

const node: INode = {
	id: '1',
	name: 'test',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const nodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });

function resolve(value: string, credentials: ICredentialDataDecryptedObject): string {
	return String(
		workflow.expression.getSimpleParameterValue(node, value, 'internal', {
			$credentials: credentials,
		}),
	);
}

type Verdict = { status: 'OK' | 'Error'; message: string; url: string };

/** n8n's verdict on a 2xx: the first body rule whose value is at its key fails the test. */
function bodyVerdict(body: unknown, url: string): Verdict {
	// n8n's routing node makes one item per entry of a list answer, and the tester reads the first.
	const json = Array.isArray(body) ? body[0] : body;
	const undefinedJson = "Cannot read properties of undefined (reading 'json')";
	if (json === undefined) return { status: 'Error', message: undefinedJson, url };
	for (const rule of credentialType.test.rules ?? []) {
		if (
			rule.type === 'responseSuccessBody' &&
			get(json, rule.properties.key) === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message, url };
		}
	}
	return { status: 'OK', message: 'Connection successful!', url };
}

/** Runs the credential's test request and applies its rules; returns n8n's verdict. */
async function testCredential(credentials: ICredentialDataDecryptedObject): Promise<Verdict> {
	const { request, rules } = credentialType.test;
	const url = resolve(String(request.url), credentials);
	const authorization = resolve(
		credentialType.authenticate.properties.headers!.Authorization as string,
		credentials,
	);
	const response = (await Container.get(OutboundHttp)
		.requests()
		.request({
			url,
			method: 'GET',
			qs: request.qs,
			headers: { Authorization: authorization },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
		})) as { statusCode: number; body: unknown };
	if (response.statusCode >= 200 && response.statusCode < 300)
		return bodyVerdict(response.body, url);
	for (const rule of rules ?? []) {
		if (rule.type === 'responseCode' && rule.properties.value === response.statusCode) {
			return { status: 'Error', message: rule.properties.message, url };
		}
	}
	return { status: 'Error', message: `HTTP ${response.statusCode}`, url };
}

test('the credential sends the API key as a Bearer token', () => {
	expect(
		resolve(credentialType.authenticate.properties.headers!.Authorization as string, {
			apiKey: 'pk_live_x',
		}),
	).toBe('Bearer pk_live_x');
});

test('passes against the sandbox and lists with limit=1 for the credential phone number', async () => {
	const result = await testCredential({ ...ctx.credentials, baseUrl: `${ctx.sb.url}/` });
	expect(result.status).toBe('OK');
	expect(ctx.sb.requests).toHaveLength(1);
	expect(ctx.sb.requests[0]).toMatchObject({
		method: 'GET',
		path: `/api/v25.0/${ctx.credentials.phoneNumberId}/block_users`,
		query: { limit: '1' },
		authorized: true,
	});
});

test.each([
	['a wrong key', { apiKey: 'pk_live_wrong' }, undefined, /^API key rejected/],
	['an error envelope with code 190 in a 200', {}, 190, /^API key rejected/],
	[
		'an unknown phone number ID',
		{ phoneNumberId: '424242' },
		undefined,
		/^Phone number ID not found/,
	],
] as const)('%s fails the test, saying so', async (_name, change, code190, message) => {
	if (code190) ctx.sb.enqueue({ kind: 'errorIn200', code: code190 });
	expect(await testCredential({ ...ctx.credentials, ...change })).toMatchObject({
		status: 'Error',
		message: expect.stringMatching(message),
	});
});

test.each([
	['a web page', { kind: 'bogus200', body: 'html' }, NOT_A_PAGE_MESSAGE],
	['an object without data', { kind: 'bogus200', body: 'object' }, NOT_A_PAGE_MESSAGE],
	['paging without data', { kind: 'bogus200', body: 'noData' }, NOT_A_PAGE_MESSAGE],
	['an error envelope', { kind: 'errorIn200' }, ERROR_ENVELOPE_MESSAGE],
] as const)('a 200 with %s fails the test, saying so', async (_name, behaviour, message) => {
	ctx.sb.enqueue(behaviour);
	expect(await testCredential(ctx.credentials)).toMatchObject({ status: 'Error', message });
	expect(ctx.sb.requests).toHaveLength(1);
});

test.each([
	['a Base URL with a query', { baseUrl: 'SANDBOX/?x=1' }, BASE_URL_MESSAGE],
	['a Base URL without a scheme', { baseUrl: 'NOSCHEME' }, BASE_URL_MESSAGE],
	['an empty Base URL', { baseUrl: '' }, BASE_URL_MESSAGE],
	['API version V25.0', { apiVersion: 'V25.0' }, API_VERSION_MESSAGE],
	[
		'a phone number ID with a slash',
		{ phoneNumberId: '100000000000001/../x' },
		PHONE_NUMBER_ID_MESSAGE,
	],
] as const)(
	'%s: the nodes refuse it, so the test fails naming the field, and sends nothing',
	async (_name, change, message) => {
		const credentials = { ...ctx.credentials } as Record<string, string>;
		for (const [field, value] of Object.entries(change)) {
			credentials[field] = value
				.replace('SANDBOX', ctx.sb.url)
				.replace('NOSCHEME', ctx.sb.url.replace(/^https?:\/\//, ''));
		}
		const result = await testCredential(credentials);
		expect(result).toMatchObject({ status: 'Error', message });
		expect(result.url).toMatch(/^data:/);
		expect(ctx.sb.requests).toHaveLength(0);
	},
);

describe("the test URL applies the nodes' rules", () => {
	const urlOf = (credentials: ICredentialDataDecryptedObject) =>
		resolve(String(credentialType.test.request.url), {
			apiKey: 'k',
			baseUrl: 'https://api.splashifypro.com',
			apiVersion: 'v25.0',
			phoneNumberId: '1',
			...credentials,
		});

	test.each([
		'https://api.splashifypro.com',
		'https://api.splashifypro.com/',
		'https://api.splashifypro.com//',
		'  http://127.0.0.1:8080/proxy/splashify/  ',
		'HTTPS://API.SPLASHIFYPRO.COM',
		'https://api.splashifypro.com?',
		'https://api.splashifypro.com/#',
		'https://api.splashifypro.com/a@b',
		'https://api.splashifypro.com?x=1',
		'https://api.splashifypro.com/#top',
		'https://user:pw@api.splashifypro.com',
		'https://user@api.splashifypro.com',
		'api.splashifypro.com',
		'ftp://api.splashifypro.com',
		'file:///etc/passwd',
		'https://',
		'',
		'   ',
	])('Base URL %j: the test and the nodes agree', (baseUrl) => {
		const checked = checkBaseUrl(baseUrl);
		const url = urlOf({ baseUrl });
		if (checked.ok)
			expect(url.toLowerCase()).toBe(`${checked.value}/api/v25.0/1/block_users`.toLowerCase());
		else expect(url).toBe('data:text/plain,baseUrl');
	});

	test.each([
		'v25.0',
		' v25.0 ',
		'v1',
		'v123.456',
		'',
		'V25.0',
		'25.0',
		'v25.0.1',
		'v1234',
		'v25.',
		'v25.0/../x',
		'latest',
	])('API version %j: the test and the nodes agree', (apiVersion) => {
		const checked = checkApiVersion(apiVersion);
		const url = urlOf({ apiVersion });
		expect(url).toBe(
			checked.ok
				? `https://api.splashifypro.com/api/${checked.value}/1/block_users`
				: 'data:text/plain,apiVersion',
		);
	});

	test.each([
		'106540352242922',
		' 106540352242922 ',
		'1'.repeat(32),
		'1'.repeat(33),
		'',
		'10654-0352',
		'+106540352242922',
		'1/../x',
		'abc',
	])('phone number ID %j: the test and the nodes agree', (phoneNumberId) => {
		const checked = checkPhoneNumberId(phoneNumberId);
		const url = urlOf({ phoneNumberId });
		expect(url).toBe(
			checked.ok
				? `https://api.splashifypro.com/api/v25.0/${checked.value}/block_users`
				: 'data:text/plain,phoneNumberId',
		);
	});

	test('the fields are checked in order: Base URL, API version, phone number ID', () => {
		expect(urlOf({ baseUrl: 'x', apiVersion: 'x', phoneNumberId: 'x' })).toBe(
			'data:text/plain,baseUrl',
		);
		expect(urlOf({ apiVersion: 'x', phoneNumberId: 'x' })).toBe('data:text/plain,apiVersion');
	});
});
