/**
 * Check: which of the given users are blocked. Reads the whole blocklist of each phone
 * number ID once and sorts the users of all items onto Blocked, Not Blocked and Failed,
 * one item per occurrence. Never blocks or unblocks anyone.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { defaultCountryCodeField, optionsCollection, phoneNumberIdField, requestOptions, usersField } from '../fields';
import { checkBlocklist } from './checkBlocklist';

export { userToolEntry as toolEntry } from '../users/userItem';

export const option = {
	name: 'Check',
	value: 'check',
	description: 'Find out which of the given users are blocked on this phone number',
	action: 'Check whether users are blocked',
};

export const toolDescription =
	'Check which WhatsApp users are blocked on this business phone number, without changing anything. Give users as phone numbers in international format (such as +919999999999) or as BSUIDs (such as US.13491208655302741918), several separated by commas. Returns one entry per user with its status: blocked, not blocked, or failed with the reason (then nothing is known about it).';

export const outputs = ['Blocked', 'Not Blocked', 'Failed'];

const properties: INodeProperties[] = [
	{
		displayName:
			'Reads the whole blocklist of the phone number, then puts each user on Blocked or Not Blocked. If the blocklist cannot be read completely, every user goes to Failed: a partial read is never taken for the whole list.',
		name: 'checkNotice',
		type: 'notice',
		default: '',
	},
	usersField,
	phoneNumberIdField,
	optionsCollection([defaultCountryCodeField, ...requestOptions]),
];

export const description = updateDisplayOptions({ show: { operation: ['check'] } }, properties);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await checkBlocklist(this);
}
