/**
 * Fields that several operations show, defined once: Users, Phone Number ID, and the number
 * options. Each operation's file puts the ones it uses into its own description, with its
 * own display conditions. Parameter names are a public contract (saved workflows store
 * them): never rename one. Number fields take their range and default from the one table,
 * `options.ts`, which the runtime also checks.
 */
import type { INodeProperties } from 'n8n-workflow';

import { NUMBER_OPTIONS, type NumberOption } from './options';

/** A number field whose name, range and default come from the options table. */
export function numberField(name: NumberOption, description: string): INodeProperties {
	const { displayName, min, max, default: fallback } = NUMBER_OPTIONS[name];
	return {
		displayName,
		name,
		type: 'number',
		typeOptions: { minValue: min, maxValue: max },
		default: fallback,
		description,
	};
}

export const usersField: INodeProperties = {
	displayName: 'Users',
	name: 'users',
	type: 'string',
	default: '',
	required: true,
	placeholder: '+919999999999, +919888888888',
	description:
		'Phone numbers in international format, or business-scoped user IDs (BSUIDs, such as US.13491208655302741918) for users who hide their number; usually mapped from a field of the input with an expression. One user, several separated by commas, semicolons or new lines, or an array.',
};

export const phoneNumberIdField: INodeProperties = {
	displayName: 'Phone Number ID',
	name: 'phoneNumberId',
	type: 'string',
	default: '',
	placeholder: "Leave empty to use the credential's",
	description:
		'The WhatsApp Business phone number ID (digits only) to act on. Leave empty to use the one in the credential.',
};

/**
 * The Default Country Code option of the operations that take Users (Block, Unblock, Check,
 * Sync): numbers without a country code are read as national numbers of this country.
 * Not set, a number without one must be a complete international number or is refused.
 */
export const defaultCountryCodeField: INodeProperties = {
	displayName: 'Default Country Code',
	name: 'defaultCountryCode',
	type: 'string',
	default: '',
	placeholder: '91',
	description:
		'The country calling code of numbers given without one, such as 91 for India or 44 for the United Kingdom: "98765 43210" or "09876543210" then means +91 98765 43210. Numbers with a plus or 00 are not affected; give numbers of other countries that way. Leave empty to refuse numbers without a country code.',
};

/** The options every operation has: how requests are retried and how long one may take. */
export const requestOptions: INodeProperties[] = [
	numberField(
		'maxRetries',
		'How many times to retry a request that hit a rate limit, a server error or a network error, waiting longer each time',
	),
	numberField(
		'retryDelay',
		'How long to wait before the first retry, in milliseconds; each further retry waits about twice as long. A Retry-After sent by the server takes precedence.',
	),
	numberField('timeout', 'How long to wait for an answer to one request, in milliseconds'),
];

/** The Options collection of an operation, its fields sorted as n8n's editor lists them. */
export function optionsCollection(fields: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...fields].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** Block and Unblock share these fields; each shows them under its own operation. */
/** Batch Size, for the operations that send users in batches (Block, Unblock, Sync). */
export const batchSizeField = numberField(
	'batchSize',
	`How many users to send in one request (at most ${NUMBER_OPTIONS.batchSize.max})`,
);

export const changeFields: INodeProperties[] = [
	{
		displayName: `Users of all input items are sent together in batches of up to ${NUMBER_OPTIONS.batchSize.max}. Each user comes out as one item: on the Succeeded output (also when the blocklist already was as asked: status "already blocked" or "not blocked"), or on the Failed output with the reason.`,
		name: 'batchingNotice',
		type: 'notice',
		default: '',
	},
	usersField,
	phoneNumberIdField,
	optionsCollection([
		defaultCountryCodeField,
		batchSizeField,
		numberField(
			'maxConcurrency',
			'How many batches to send at the same time. Keep 1 to stay clear of rate limits; raise it to finish large lists faster.',
		),
		...requestOptions,
	]),
];
