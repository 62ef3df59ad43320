import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SplashifyApi implements ICredentialType {
	name = 'splashifyApi';

	displayName = 'Splashify API';

	icon: Icon = {
		light: 'file:../nodes/WhatsAppBlockUsers/whatsAppBlockUsers.svg',
		dark: 'file:../nodes/WhatsAppBlockUsers/whatsAppBlockUsers.dark.svg',
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

	// Lists one blocked user of the credential's phone number: it proves the key, the base
	// URL, the version and the phone number ID together. Path parts are URL-encoded.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.baseUrl || "").trim().replace(/\\/+$/, "") }}',
			url: '=/api/{{ encodeURIComponent(String($credentials.apiVersion || "v25.0").trim()) }}/{{ encodeURIComponent(String($credentials.phoneNumberId || "").trim()) }}/block_users',
			method: 'GET',
			qs: { limit: 1 },
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'API key rejected: check the API key',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Phone number ID not found: check the phone number ID, base URL and API version',
				},
			},
		],
	};
}
