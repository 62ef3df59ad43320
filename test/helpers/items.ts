/** Reading the node's output items in a test: their users, error codes and messages, as rows. */
import type { INodeExecutionData } from 'n8n-workflow';

type Item = Pick<INodeExecutionData, 'json' | 'pairedItem'>;

const errorOf = (item: Item) => (item.json.error ?? {}) as { code?: unknown; message?: string };

/** One field of an item: `code` and `message` are its error's, `pairedItem` its pairing. */
function field(item: Item, key: string): unknown {
	if (key === 'code' || key === 'message') return errorOf(item)[key];
	return key === 'pairedItem' ? item.pairedItem : item.json[key];
}

/** Each item's `user`. */
export const usersOf = (items: Item[]) => items.map((i) => i.json.user);
/** Each item's error code. */
export const codesOf = (items: Item[]) => items.map((i) => errorOf(i).code);
/** An item's error message. */
export const messageOf = (item: Item) => String(errorOf(item).message);
/** Each item as the row of its `keys` (see `field`). */
export const rows = (items: Item[], ...keys: string[]) =>
	items.map((i) => keys.map((key) => field(i, key)));
