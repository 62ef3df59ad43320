/**
 * The credential's connection test, resolved the way n8n resolves a declarative credential
 * test (expressions evaluated with $credentials by n8n-workflow, the request sent by
 * n8n-core's HTTP helper), against the sandbox. The end-to-end suite runs the same test
 * through a real n8n's REST API.
 */
import { Container } from '@n8n/di';
import { OutboundHttp } from '@n8n/backend-network';
import type { ICredentialDataDecryptedObject, INode, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { SplashifyApi } from '../../credentials/SplashifyApi.credentials';
import { useSandbox } from '../helpers/sandbox';

const ctx = useSandbox();
const credentialType = new SplashifyApi();

const node: INode = { id: '1', name: 'test', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
const nodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });

function resolve(value: string, credentials: ICredentialDataDecryptedObject): string {
	return String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }));
}

/** Runs the credential's test request and applies its rules; returns n8n's verdict. */
async function testCredential(credentials: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string; url: string }> {
	const { request, rules } = credentialType.test;
	const url = resolve(request.baseURL as string, credentials) + resolve(request.url as string, credentials);
	const authorization = resolve(credentialType.authenticate.properties.headers!.Authorization as string, credentials);
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
		})) as { statusCode: number };
	for (const rule of rules ?? []) {
		if (rule.type === 'responseCode' && rule.properties.value === response.statusCode) {
			return { status: 'Error', message: rule.properties.message, url };
		}
	}
	return response.statusCode < 400
		? { status: 'OK', message: 'Connection tested successfully', url }
		: { status: 'Error', message: `HTTP ${response.statusCode}`, url };
}

test('the credential sends the API key as a Bearer token', () => {
	expect(resolve(credentialType.authenticate.properties.headers!.Authorization as string, { apiKey: 'pk_live_x' })).toBe(
		'Bearer pk_live_x',
	);
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

test('a wrong key gives "API key rejected"', async () => {
	const result = await testCredential({ ...ctx.credentials, apiKey: 'pk_live_wrong' });
	expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/^API key rejected/) });
});

test('an unknown phone number ID gives "phone number ID not found"', async () => {
	const result = await testCredential({ ...ctx.credentials, phoneNumberId: '424242' });
	expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/^Phone number ID not found/) });
});

test('path parts are URL-encoded: a phone number ID with a slash cannot reach another path', async () => {
	const result = await testCredential({ ...ctx.credentials, phoneNumberId: `${ctx.credentials.phoneNumberId}/../x` });
	expect(result.url).toContain('%2F..%2Fx/block_users');
	expect(result.status).toBe('Error');
});
