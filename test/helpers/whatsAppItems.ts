/**
 * Items as n8n's WhatsApp Trigger emits them (Meta's messages webhook `change.value`, plus
 * `field`; n8n-nodes-base's WhatsAppTrigger.node.ts), in the shapes of Meta's payload examples
 * and of api-notes.md: a sender with a number and a BSUID, a sender with a username (only the
 * BSUID), and a status update (no sender).
 */
import { PHONE_NUMBER_ID } from './sandbox';

const metadata = { display_phone_number: '15550001234', phone_number_id: PHONE_NUMBER_ID };

/** A text message from a user whose number WhatsApp shares, with their BSUID beside it. */
export function messageFromNumber(number: string, bsuid: string, body = 'Buy followers now!!!') {
	return {
		messaging_product: 'whatsapp',
		metadata,
		contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: number, user_id: bsuid }],
		messages: [
			{
				from: number,
				from_user_id: bsuid,
				id: `wamid.${number}`,
				timestamp: '1733476800',
				type: 'text',
				text: { body },
			},
		],
		field: 'messages',
	};
}

/** A text message from a user with a username: no `wa_id`, no `from`, only the BSUID. */
export function messageFromUsername(bsuid: string, body = 'Buy followers now!!!') {
	return {
		messaging_product: 'whatsapp',
		metadata,
		contacts: [{ profile: { name: 'Pat', username: '@pat' }, user_id: bsuid }],
		messages: [
			{
				from_user_id: bsuid,
				id: `wamid.${bsuid}`,
				timestamp: '1733476801',
				type: 'text',
				text: { body },
			},
		],
		field: 'messages',
	};
}

/** A delivery receipt of a message the business sent: names nobody to block. */
export function statusUpdate(recipient: string) {
	return {
		messaging_product: 'whatsapp',
		metadata,
		statuses: [
			{ id: 'wamid.out1', status: 'delivered', timestamp: '1733476802', recipient_id: recipient },
		],
		field: 'messages',
	};
}
