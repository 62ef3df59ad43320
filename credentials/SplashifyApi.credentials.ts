/**
 * The Splashify API credential: the API key (sent as a Bearer token), the phone number ID,
 * the Base URL and the API version, and its connection test.
 *
 * The test is declarative (a credential file holds no code, and a node's credentialTest
 * function may only use the deprecated helpers.request, which n8n's linter and its scanner
 * refuse), so it says what is wrong in two steps:
 * - Before sending, the test URL applies the nodes' own rules (checkBaseUrl and checkApiVersion
 *   of nodes/WhatsApp/transport/connection.ts, nodes/WhatsApp/users/phoneNumberId.ts) as n8n
 *   expressions. A credential the nodes would refuse gets no request: its test URL is a `data:`
 *   URL naming the field, answered inside n8n (by its HTTP client, axios) as a Buffer of the
 *   field's name, and a rule on that answer's first byte gives the field's message. A real
 *   answer is parsed JSON or text, whose `[0]` is never a number. If an n8n stopped answering
 *   data: URLs so, the test would still fail, only less precisely. test/node/credential.test.ts
 *   checks that the expressions agree with the nodes' rules.
 * - After sending, rules name the part an answer points to: 401 the key, 403 the key or the
 *   phone number ID, 404 the phone number ID, and a 2xx passes only when it is a page of the
 *   blocklist (an object with a `data` list), as nodes/WhatsApp/blocklist/listPage.ts reads one.
 */
import type {
	IAuthenticateGeneric,
	Icon,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** The credential's fields as the nodes read them (trimmed; an empty version is v25.0). */
const BASE_URL = 'String($credentials.baseUrl || "").trim()';
const API_VERSION = '(String($credentials.apiVersion || "").trim() || "v25.0")';
const PHONE_NUMBER_ID = 'String($credentials.phoneNumberId || "").trim()';

/**
 * The nodes' rules as regular expressions: a Base URL is http(s) with a host and no user
 * name, password, query or fragment (an empty `?` or `#` at the end is nothing, as for the
 * URL parser); a version is `v` and a version number; a phone number ID is digits only.
 */
const BASE_URL_RULE = String.raw`/^https?:\/\/[^\/?#@\s]+(\/[^?#]*)?\??#?$/i`;
const API_VERSION_RULE = String.raw`/^v\d{1,3}(\.\d{1,3})?$/`;
const PHONE_NUMBER_ID_RULE = String.raw`/^\d{1,32}$/`;

/** The Base URL as the nodes use it: without the empty `?` / `#` and the trailing slashes. */
const NORMALISED_BASE_URL = String.raw`${BASE_URL}.replace(/\??#?$/, "").replace(/\/+$/, "")`;

/** The fields the nodes may refuse; their first letters differ (the rules tell them apart by it). */
type CheckedField = 'baseUrl' | 'apiVersion' | 'phoneNumberId';

/** The URL, answered inside n8n without sending anything, of a field the nodes refuse. */
const problem = (field: CheckedField) => `'data:text/plain,${field}'`;

/** The test's URL: the list of the credential's phone number, or the field the nodes refuse. */
export const TEST_URL = `={{ !${BASE_URL_RULE}.test(${BASE_URL}) ? ${problem('baseUrl')} : !${API_VERSION_RULE}.test(${API_VERSION}) ? ${problem('apiVersion')} : !${PHONE_NUMBER_ID_RULE}.test(${PHONE_NUMBER_ID}) ? ${problem('phoneNumberId')} : ${NORMALISED_BASE_URL} + "/api/" + ${API_VERSION} + "/" + ${PHONE_NUMBER_ID} + "/block_users" }}`;

export const BASE_URL_MESSAGE =
	'Base URL not valid: use the address of the Splashify API, starting with https:// (or http://), without a user name, password, query or fragment, such as https://api.splashifypro.com';
export const API_VERSION_MESSAGE =
	'API version not valid: use a lower-case v and the version number, such as v25.0';
export const PHONE_NUMBER_ID_MESSAGE =
	'Phone number ID not valid: use digits only, the ID of the WhatsApp Business phone number in your Splashify dashboard';
export const ERROR_ENVELOPE_MESSAGE =
	'Splashify answered with an error (HTTP 200) instead of the blocklist: check the API key and the phone number ID, then try again';
export const NOT_A_PAGE_MESSAGE =
	'Base URL not the Splashify API: its answer is not a page of the blocklist (no "data" list; a web page, for example). Check the Base URL';

/** Fails the test with `message` when the answer is the data: URL's of `field` (its first byte). */
function problemRule(field: CheckedField, message: string): IAuthenticateRuleResponseSuccessBody {
	return {
		type: 'responseSuccessBody',
		properties: { key: '0', value: field.charCodeAt(0), message },
	};
}

export class SplashifyApi implements ICredentialType {
	name = 'splashifyApi';

	displayName = 'Splashify API';

	icon: Icon = {
		light: 'file:../nodes/WhatsApp/whatsAppBlockUsers.svg',
		dark: 'file:../nodes/WhatsApp/whatsAppBlockUsers.dark.svg',
	};

	documentationUrl = 'https://github.com/splashify/n8n-nodes-splashify#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'pk_live_...',
			description: 'Your Splashify Pro API key, sent as a Bearer token',
		},
		{
			displayName: 'Phone Number ID',
			name: 'phoneNumberId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '106540352242922',
			description:
				'The ID (digits only) of the WhatsApp Business phone number this key acts for. Nodes may override it.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.splashifypro.com',
			description: 'The address of the Splashify API. Change it only for a sandbox or a proxy.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: 'v25.0',
			description: 'The Graph API version in the request path, such as v25.0',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// One GET of the list (limit=1) for the credential's phone number: it proves the key, the
	// base URL, the version and the phone number ID together, and passes only on a page of the
	// blocklist. How, and why a credential the nodes refuse is answered by a data: URL: above.
	test: ICredentialTestRequest = {
		request: {
			url: TEST_URL,
			method: 'GET',
			qs: { limit: 1 },
			disableFollowRedirect: true,
		},
		// n8n's type wants rules of one kind; its tester reads each rule by its own type, the
		// response codes on an error answer and the bodies on a 2xx, in this order.
		rules: [
			problemRule('baseUrl', BASE_URL_MESSAGE),
			problemRule('apiVersion', API_VERSION_MESSAGE),
			problemRule('phoneNumberId', PHONE_NUMBER_ID_MESSAGE),
			{
				type: 'responseCode',
				properties: { value: 401, message: 'API key rejected: check the API key' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'API key not allowed to act for this phone number ID (HTTP 403): check the API key and the phone number ID',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Phone number ID not found: check the phone number ID, then the path of the Base URL',
				},
			},
			// A 2xx that is no page of the blocklist. n8n's rule compares one value at one path
			// (lodash get): `error.code` 190 is Meta's "access token invalid"; `error.constructor.name`
			// is 'Object' for Meta's error envelope; `data.map` is a function only when `data` is a
			// list, so it is undefined for a web page (text), an object without `data`, a list, or a
			// `data` that is no list.
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 190,
					message: 'API key rejected: check the API key',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.constructor.name',
					value: 'Object',
					message: ERROR_ENVELOPE_MESSAGE,
				},
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'data.map', value: undefined, message: NOT_A_PAGE_MESSAGE },
			},
		] satisfies Array<
			IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody
		> as unknown as ICredentialTestRequest['rules'],
	};
}
