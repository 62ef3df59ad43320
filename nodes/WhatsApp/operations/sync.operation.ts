/**
 * Sync: make the blocklist of a phone number match the given users (a CRM's do-not-contact
 * list, say). Reads the whole blocklist first, blocks the users missing from it and, with
 * Unblock Others, unblocks the listed users who were not given. Outputs Changed, Unchanged
 * and Failed. Dry Run shows the plan without changing anything.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { defaultCountryCodeField, numberField, optionsCollection, phoneNumberIdField, requestOptions, usersField } from '../fields';
import { NUMBER_OPTIONS } from '../options';
import { TOOL_MAX_USERS } from './agent';
import { syncBlocklist } from './syncBlocklist';

export { userToolEntry as toolEntry } from '../users/userItem';

export const option = {
	name: 'Sync',
	value: 'sync',
	description: 'Make the blocklist of this phone number match the given users',
	action: 'Sync the blocklist with users',
};

export const toolDescription = `Make the WhatsApp blocklist of this business phone number match a list of users: block those missing from it and, if the node allows it, unblock those not in the list. Give users as phone numbers in international format (such as +919999999999) or as BSUIDs, several separated by commas. Returns one entry per user with its status: blocked, unblocked, already blocked, kept (a listed user that may be a given one, with the reason), would block / would unblock (dry run), or failed with the reason. Of the listed users you did not give, at most ${TOOL_MAX_USERS} have an entry (failed ones first); when there are more, a last entry listed_users_not_given gives their total and their count by status.`;

export const outputs = ['Changed', 'Unchanged', 'Failed'];

const syncOptions: INodeProperties[] = [
	{
		displayName: 'Unblock Others',
		name: 'unblockOthers',
		type: 'boolean',
		default: false,
		description: 'Whether to also unblock the blocked users who are not among the given users, so that the blocklist holds exactly them',
	},
	{
		displayName: 'Allow Emptying the Blocklist',
		name: 'allowEmptyBlocklist',
		type: 'boolean',
		default: false,
		description:
			'Whether Unblock Others may unblock everyone when no valid user is given (an empty export, say). Off: such a run is refused and nothing is changed.',
	},
	{
		displayName: 'Unblock Others Despite Refused Users',
		name: 'unblockDespiteRefused',
		type: 'boolean',
		default: false,
		description:
			'Whether Unblock Others still unblocks when some given users were refused (an invalid number, a parent BSUID...). Off: nobody is unblocked on that phone number ID, since a refused entry may be one of the listed users; they come out on Failed with UNBLOCK_WITHHELD.',
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only read the blocklist and show what would change ("would block", "would unblock"), without changing anything',
	},
];

const properties: INodeProperties[] = [
	{
		displayName:
			'Reads the whole blocklist first and changes nothing if it cannot. Given users are never unblocked. Turn on Dry Run to see the plan first.',
		name: 'syncNotice',
		type: 'notice',
		default: '',
	},
	{ ...usersField, description: `The users who should be blocked: ${String(usersField.description).charAt(0).toLowerCase()}${String(usersField.description).slice(1)}` },
	phoneNumberIdField,
	optionsCollection([
		...syncOptions,
		defaultCountryCodeField,
		numberField('batchSize', `How many users to send in one request (at most ${NUMBER_OPTIONS.batchSize.max})`),
		numberField('maxConcurrency', 'How many batches to send at the same time. Keep 1 to stay clear of rate limits.'),
		...requestOptions,
	]),
];

export const description = updateDisplayOptions({ show: { operation: ['sync'] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await syncBlocklist(this);
}
