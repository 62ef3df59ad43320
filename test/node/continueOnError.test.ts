/**
 * On Error > Continue (both modes) when the whole call is refused before anything is sent
 * (a Base URL without a scheme or with a query, a bad API version, an option out of range or
 * not true/false from an expression, a bad Default Country Code, an expression that fails,
 * an operation the node does not have), through n8n-core's WorkflowExecute with a recording
 * node after every output: what reaches each output is asserted, not only what the node
 * returned. Every user of every item comes out once on Failed (`NOT_SENT`, the reason); List
 * (no users) gives one error item per input item, which n8n moves to the error output in
 * the error-output mode. An input item is never passed through, and nothing is sent.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { useSandbox } from '../helpers/sandbox';

const ctx = useSandbox();

const MODES = ['continueRegularOutput', 'continueErrorOutput'] as const;
/** The operations that take users, with the index of their Failed output. */
const USER_OPERATIONS = [
	['block', 1],
	['unblock', 1],
	['check', 2],
	['sync', 2],
] as const;

/** Two input items, three users: item 1 gives two numbers, item 2 a BSUID. */
const ITEMS: IDataObject[] = [
	{ users: '+919999999999, +447700900123', n: 1 },
	{ users: 'US.13491208655302741918', n: 2 },
];
const GIVEN = [
	{ item: 0, input: '+919999999999' },
	{ item: 0, input: '+447700900123' },
	{ item: 1, input: 'US.13491208655302741918' },
];

interface Refusal {
	name: string;
	/** Changes to the credential. */
	credentials?: IDataObject;
	/** The node's options. */
	options?: IDataObject;
	/** Other parameters. */
	parameters?: IDataObject;
	/** The operations it applies to (all when omitted). */
	only?: readonly string[];
	reason: RegExp;
}

const REFUSALS: Refusal[] = [
	{
		name: 'a Base URL without a scheme',
		credentials: { baseUrl: 'example.com' },
		reason: /Base URL "example.com" .* is not a valid URL/,
	},
	{
		name: 'a Base URL with a query',
		credentials: { baseUrl: 'https://example.com/?x=1' },
		reason: /must not contain a user name, password, query or fragment/,
	},
	{
		name: 'the API version V25.0',
		credentials: { apiVersion: 'V25.0' },
		reason: /The API version "V25.0" is not valid/,
	},
	{
		name: 'a Timeout out of range from an expression',
		options: { timeout: '={{ $json.n - 1 }}' },
		reason: /Timeout \(Ms\) must be a whole number from 1 to 600000, not 0/,
	},
	{
		name: 'a Batch Size out of range from an expression',
		options: { batchSize: '={{ $json.n * 1000 }}' },
		only: ['block', 'unblock', 'sync'],
		reason: /Batch Size must be a whole number from 1 to 500, not 1000/,
	},
	{
		name: 'a Page Size out of range from an expression',
		options: { pageSize: '={{ $json.n * 5000 }}' },
		only: ['list'],
		reason: /Page Size must be a whole number from 1 to 1000, not (5000|10000)/,
	},
	{
		name: 'a bad Default Country Code',
		options: { defaultCountryCode: '999' },
		only: ['block', 'unblock', 'check', 'sync'],
		reason: /Default Country Code must be a country calling code in use/,
	},
	{
		name: 'Dry Run "maybe"',
		options: { dryRun: 'maybe' },
		only: ['sync'],
		reason: /Dry Run must be true or false, not "maybe"/,
	},
	{
		name: 'Return All "maybe"',
		parameters: { returnAll: 'maybe' },
		only: ['list'],
		reason: /Return All must be true or false, not "maybe"/,
	},
	{
		name: 'an option whose expression fails',
		options: { maxRetries: '={{ $("Nowhere").item.json.x }}' },
		reason: /Referenced node doesn't exist/,
	},
];

async function refused(operation: string, refusal: Refusal, onError: (typeof MODES)[number]) {
	const run = await ctx.run(
		{
			operation,
			users: '={{ $json.users }}',
			returnAll: true,
			...refusal.parameters,
			options: { ...refusal.options },
		},
		{
			items: ITEMS,
			credentials: { ...ctx.credentials, ...refusal.credentials } as ICredentialDataDecryptedObject,
			onError,
			downstream: true,
		},
	);
	expect(ctx.sb.requests).toHaveLength(0);
	// What reached the nodes after the outputs: never an input item passed through.
	for (const item of run.received.flat()) expect(item.json).not.toHaveProperty('users');
	return run;
}

function applies(refusal: Refusal, operation: string): boolean {
	return refusal.only === undefined || refusal.only.includes(operation);
}

const userCases = MODES.flatMap((mode) =>
	USER_OPERATIONS.flatMap(([operation, failed]) =>
		REFUSALS.filter((r) => applies(r, operation)).map(
			(r) => [operation, mode, r.name, failed, r] as const,
		),
	),
);

test.each(userCases)(
	'%s under %s, %s: every user comes out once on Failed, nothing else reaches any output',
	async (operation, mode, _name, failed, refusal) => {
		const { received, outputs } = await refused(operation, refusal, mode);
		// Failed is the last regular output; under the error-output mode n8n adds one after it.
		expect(received).toHaveLength(failed + 1 + (mode === 'continueErrorOutput' ? 1 : 0));
		received.forEach((items, index) => {
			if (index !== failed) expect(items).toEqual([]);
		});
		const reached = received[failed];
		// n8n gives what reaches the next node its own pairing; the node's output keeps the item's.
		expect(reached.map((item) => item.json)).toEqual(outputs[failed].map((item) => item.json));
		expect(
			outputs[failed].map((item) => ({
				item: (item.pairedItem as { item: number }).item,
				input: item.json.input,
			})),
		).toEqual(GIVEN);
		for (const item of reached) {
			expect(item.json.status).toBe('failed');
			const error = item.json.error as IDataObject;
			expect(error.code).toBe('NOT_SENT');
			expect(String(error.message)).toMatch(refusal.reason);
		}
		expect(outputs.flat()).toHaveLength(GIVEN.length);
	},
);

const listCases = MODES.flatMap((mode) =>
	REFUSALS.filter(
		(r) =>
			(applies(r, 'list') && r.only !== undefined) ||
			[
				'a Base URL without a scheme',
				'the API version V25.0',
				'an option whose expression fails',
			].includes(r.name),
	).map((r) => [mode, r.name, r] as const),
);

test.each(listCases)(
	'list under %s, %s: one error item per input item, on the error output in that mode',
	async (mode, _name, refusal) => {
		const { received, outputs } = await refused('list', refusal, mode);
		const errorOutput = mode === 'continueErrorOutput' ? 1 : 0;
		expect(received).toHaveLength(errorOutput + 1);
		if (errorOutput === 1) expect(received[0]).toEqual([]);
		const reached = received[errorOutput];
		expect(reached).toHaveLength(ITEMS.length);
		expect(
			outputs.flat().map((item: INodeExecutionData) => (item.pairedItem as { item: number }).item),
		).toEqual([0, 1]);
		for (const item of reached) expect(String(item.json.error)).toMatch(refusal.reason);
	},
);

test.each(MODES)(
	'an operation the node does not have, under %s: one error item per input item, nothing passed through',
	async (mode) => {
		const { received } = await refused(
			'customApiCall',
			{ name: 'unknown', reason: /The operation "customApiCall" is not supported/ },
			mode,
		);
		const errorOutput = mode === 'continueErrorOutput' ? 1 : 0;
		expect(received).toHaveLength(errorOutput + 1);
		const reached = received[errorOutput];
		expect(reached).toHaveLength(ITEMS.length);
		for (const item of reached)
			expect(String(item.json.error)).toMatch(/The operation "customApiCall" is not supported/);
	},
);

test('without Continue, a refusal still stops the node with the reason, nothing sent', async () => {
	const { error, received } = await ctx.run(
		{ operation: 'block', users: '={{ $json.users }}' },
		{ items: ITEMS, credentials: { ...ctx.credentials, apiVersion: 'V25.0' }, downstream: true },
	);
	expect(error?.message).toMatch(/The API version "V25.0" is not valid/);
	expect(received.flat()).toEqual([]);
	expect(ctx.sb.requests).toHaveLength(0);
});

test('as an AI agent tool under Continue, a refusal is still the one error entry the model reads', async () => {
	const { outputs, error } = await ctx.run(
		{ operation: 'block', users: '+919999999999' },
		{
			credentials: { ...ctx.credentials, baseUrl: 'example.com' },
			onError: 'continueRegularOutput',
			asTool: true,
		},
	);
	expect(error).toBeUndefined();
	expect(outputs).toEqual([
		[{ json: { error: expect.stringMatching(/Base URL "example.com"/) }, pairedItem: { item: 0 } }],
	]);
	expect(ctx.sb.requests).toHaveLength(0);
});
