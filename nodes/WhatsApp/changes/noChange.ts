/**
 * Recognising a per-user "failure" that only says the blocklist already was as asked: a
 * user blocked who is already blocked, or unblocked who is not blocked. A re-run of a
 * blocking workflow meets these for every user, so they are successes (`already blocked`,
 * `not blocked`), not failures. Neither Splashify nor Meta documents their code or wording,
 * so the test is deliberately narrow:
 * - the code is 100 (invalid parameter) or 139100 (some users failed), as a number or text;
 * - the message or the details say so, in one of the wordings below (any case, any
 *   spacing): "already blocked", "already on/in the blocklist", "blocked already" for
 *   Block; "not blocked", "isn't/wasn't blocked", "not on/in the blocklist", "already
 *   unblocked" for Unblock.
 * Anything else (131047 re-engagement, an invalid number, a full blocklist, an unknown
 * code) stays a failure. Pure function.
 */
import type { BlockAction, UserError } from '../types';

const NO_CHANGE_CODES = new Set([100, 139100]);

const BLOCKLIST = String.raw`block[\s-]*list`;

const WORDINGS: Record<BlockAction, RegExp> = {
	block: new RegExp(
		String.raw`\balready\s+(?:been\s+)?blocked\b|\bblocked\s+already\b|\balready\s+(?:on|in)\s+(?:the\s+|your\s+)?${BLOCKLIST}`,
		'i',
	),
	unblock: new RegExp(
		String.raw`\bnot\s+(?:currently\s+|yet\s+)?blocked\b|\b(?:isn't|wasn't|aren't)\s+blocked\b|\bnot\s+(?:on|in)\s+(?:the\s+|your\s+)?${BLOCKLIST}|\balready\s+unblocked\b`,
		'i',
	),
};

/** Whether the server's per-user error for this action means "nothing to change". */
export function isNoChange(action: BlockAction, error: UserError): boolean {
	const code =
		typeof error.code === 'string' && /^\d+$/.test(error.code.trim())
			? Number(error.code)
			: error.code;
	if (typeof code !== 'number' || !NO_CHANGE_CODES.has(code)) return false;
	return WORDINGS[action].test(`${error.message} ${error.details ?? ''}`);
}
