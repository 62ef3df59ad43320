/**
 * The credential's connection test in a real n8n, as the editor runs it (POST
 * /rest/credentials/test), for every way a credential can be wrong: it passes only where the
 * nodes then work, and says which field to fix. The sandbox answers the test's request as a
 * web site (an HTML page) and as a proxy that hides errors (Meta's error envelope in a 200)
 * would. test/node/credential.test.ts checks the same rules without n8n.
 */
import { N8N_VERSION } from '../../scripts/n8n/install';
import { profileFor } from '../../scripts/n8n/versions';
import type { RestClient, N8nInstance } from '../../scripts/n8n/run';
import type { Behaviour, Sandbox } from '../../sandbox/server';
import {
	API_VERSION_MESSAGE,
	BASE_URL_MESSAGE,
	ERROR_ENVELOPE_MESSAGE,
	NOT_A_PAGE_MESSAGE,
	PHONE_NUMBER_ID_MESSAGE,
} from '../../credentials/SplashifyApi.credentials';
import {
	CREDENTIAL_TYPE,
	PN1,
	describeE2e,
	newN8n,
	newSandbox,
	sandboxCredential,
	timing,
} from './helpers';

/** Where the n8n under test answers differently from the pinned one (scripts/n8n/versions.js). */
const { differences } = profileFor(N8N_VERSION);

const CREDENTIAL = { id: 'splashCredTest01', name: 'Splashify credential test' };
const OWNER = { email: 'owner@example.com', password: 'Splashify-Cred-1' };

describeE2e('credential connection test (POST /rest/credentials/test)', () => {
	let sandbox: Sandbox;
	let n8n: N8nInstance;
	let rest: RestClient;
	let good: Record<string, string>;

	beforeAll(async () => {
		const t = Date.now();
		sandbox = await newSandbox({ phoneNumberIds: [PN1] });
		n8n = await newN8n('credential');
		await n8n.importCredentials([sandboxCredential(sandbox, CREDENTIAL.id, CREDENTIAL.name)]);
		await n8n.start();
		rest = n8n.rest();
		await rest.ensureOwner(OWNER);
		good = sandboxCredential(sandbox, CREDENTIAL.id, CREDENTIAL.name).data as Record<
			string,
			string
		>;
		timing('credential: n8n start + owner set-up', Date.now() - t);
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	});

	beforeEach(() => {
		sandbox.requests.length = 0;
	});

	/** The test as the editor's credential modal runs it, with `data` in place of the saved fields. */
	async function testWith(change: Record<string, string>, answer?: Behaviour) {
		if (answer) sandbox.enqueue(answer);
		const credentials = { ...CREDENTIAL, type: CREDENTIAL_TYPE, data: { ...good, ...change } };
		const res = await rest.request('POST', '/credentials/test', { credentials });
		return {
			status: res.status,
			result: res.json?.data as { status: string; message: string } | undefined,
		};
	}

	test('a good credential passes, with one GET of limit=1 for its phone number', async () => {
		expect(await testWith({})).toEqual({
			status: 200,
			result: { status: 'OK', message: 'Connection successful!' },
		});
		expect(await testWith({ baseUrl: `${sandbox.url}/`, apiVersion: '' })).toMatchObject({
			result: { status: 'OK' },
		});
		expect(sandbox.requests.map((r) => [r.method, r.path, r.query.limit, r.status])).toEqual([
			['GET', `/api/v25.0/${PN1}/block_users`, '1', 200],
			['GET', `/api/v25.0/${PN1}/block_users`, '1', 200],
		]);
	});

	test('a wrong key fails: "API key rejected" (n8n 1.x: its own message for a 401)', async () => {
		expect((await testWith({ apiKey: 'pk_wrong_key_123' })).result).toEqual({
			status: 'Error',
			message: differences.credentialTest.rejectedKey,
		});
	});

	test('an unknown phone number ID fails: "Phone number ID not found"', async () => {
		const { result } = await testWith({ phoneNumberId: '424242' });
		expect(result).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(differences.credentialTest.unknownPhoneNumberId),
		});
	});

	test('a Base URL that serves a web page fails: not the Splashify API', async () => {
		expect((await testWith({}, { kind: 'bogus200', body: 'html' })).result).toEqual({
			status: 'Error',
			message: NOT_A_PAGE_MESSAGE,
		});
		expect((await testWith({}, { kind: 'bogus200', body: 'object' })).result).toEqual({
			status: 'Error',
			message: NOT_A_PAGE_MESSAGE,
		});
		expect(sandbox.requests.map((r) => r.status)).toEqual([200, 200]);
	});

	test('a 200 with an error envelope fails: an error, or the key for code 190', async () => {
		expect((await testWith({}, { kind: 'errorIn200' })).result).toEqual({
			status: 'Error',
			message: ERROR_ENVELOPE_MESSAGE,
		});
		expect((await testWith({}, { kind: 'errorIn200', code: 190 })).result).toEqual({
			status: 'Error',
			message: 'API key rejected: check the API key',
		});
	});

	test("a 200 with a list instead of a page is not a pass (n8n's tester fails on it: HTTP 500)", async () => {
		const { status, result } = await testWith({}, { kind: 'bogus200', body: 'array' });
		expect(status).toBe(500);
		expect(result?.status).not.toBe('OK');
	});

	test.each([
		['a Base URL with a query', { baseUrl: 'SANDBOX/?x=1' }, BASE_URL_MESSAGE],
		['a Base URL without a scheme', { baseUrl: 'NOSCHEME' }, BASE_URL_MESSAGE],
		['API version V25.0', { apiVersion: 'V25.0' }, API_VERSION_MESSAGE],
		[
			'a phone number ID that is not digits',
			{ phoneNumberId: `${PN1}/../x` },
			PHONE_NUMBER_ID_MESSAGE,
		],
	])('%s fails, naming the field, and sends nothing', async (_name, change, message) => {
		const data = Object.fromEntries(
			Object.entries(change).map(([field, value]) => [
				field,
				value
					.replace('SANDBOX', sandbox.url)
					.replace('NOSCHEME', sandbox.url.replace(/^https?:\/\//, '')),
			]),
		);
		expect((await testWith(data)).result).toEqual({
			status: 'Error',
			message: differences.credentialTest.refusedField(message),
		});
		expect(sandbox.requests).toEqual([]);
	});
});
