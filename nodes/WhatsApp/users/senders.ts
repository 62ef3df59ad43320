/**
 * The senders of a WhatsApp messages webhook value, as n8n's WhatsApp Trigger emits it (one
 * item per `change.value`, plus `field`): who sent `messages[]` (`from`, the number without
 * its plus, missing for a user who hides it behind a username; `from_user_id`, the BSUID) and
 * who `contacts[]` names (`wa_id`, `user_id`). "Block the sender" maps the whole item to
 * Users. One user per sender: the number when there is one (sent as `user`, Meta's precedence)
 * with the BSUID kept beside it, else the BSUID. Parent BSUIDs are never taken: WhatsApp
 * refuses them for blocking. A value with only `statuses` (delivery receipts of messages the
 * business sent) names nobody to block. Pure functions.
 */

/** A sender: the number (a WhatsApp ID: digits without the plus) and/or the BSUID, as the webhook gives them. */
export interface Sender {
	number?: string;
	bsuid?: string;
}

/** What a webhook value yields: its senders, or why it names nobody. */
export type Senders = { senders: Sender[] } | { nobody: string };

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function records(value: unknown): Record<string, unknown>[] {
	return Array.isArray(value)
		? value.filter(
				(entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
			)
		: [];
}

/** Whether an object is a WhatsApp webhook value (it holds `messages`, `contacts` or `statuses` lists). */
export function isWebhookValue(value: Record<string, unknown>): boolean {
	return (
		Array.isArray(value.messages) || Array.isArray(value.contacts) || Array.isArray(value.statuses)
	);
}

/** A WhatsApp ID as the webhook gives it, without a plus some tools add. */
function waIdOf(waId: string | undefined): string | undefined {
	return waId?.replace(/^\+/, '');
}

/** Adds a sender, merged with one already seen that shares its number or its BSUID. */
function addSender(senders: Sender[], sender: Sender): void {
	if (sender.number === undefined && sender.bsuid === undefined) return;
	const same = senders.find(
		(known) =>
			(sender.number !== undefined && known.number === sender.number) ||
			(sender.bsuid !== undefined && known.bsuid === sender.bsuid),
	);
	if (same === undefined) senders.push({ ...sender });
	else {
		same.number ??= sender.number;
		same.bsuid ??= sender.bsuid;
	}
}

/** The senders of a webhook value, in order (messages first, then contacts not already met). */
export function sendersOf(value: Record<string, unknown>): Senders {
	const senders: Sender[] = [];
	for (const message of records(value.messages))
		addSender(senders, { number: waIdOf(text(message.from)), bsuid: text(message.from_user_id) });
	for (const contact of records(value.contacts))
		addSender(senders, { number: waIdOf(text(contact.wa_id)), bsuid: text(contact.user_id) });
	if (senders.length > 0) return { senders };
	if (records(value.statuses).length > 0 && records(value.messages).length === 0) {
		return {
			nobody:
				'This WhatsApp item holds only message status updates (statuses: sent, delivered, read), not a message, so it names nobody to block. In the WhatsApp Trigger, leave status updates out (Options > Receive Message Status Updates) or filter on messages',
		};
	}
	return {
		nobody:
			'This WhatsApp item names no sender: none of its messages or contacts has a number (from, wa_id) or a BSUID (from_user_id, user_id)',
	};
}
