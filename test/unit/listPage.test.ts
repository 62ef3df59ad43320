/**
 * Reading one list page (`nodes/WhatsApp/blocklist/listPage.ts`): what counts as a page and as a listed user,
 * and where a page says the list goes on.
 */
import { pageEntries, pagingOf } from '../../nodes/WhatsApp/blocklist/listPage';

const PN = '100000000000001';
/** A page whose `data` holds `entries`, read. */
const page = (...entries: unknown[]) => pageEntries({ data: entries }, PN);
const BSUID = 'US.13491208655302741918';

describe('pageEntries', () => {
	test('the provider shape, Meta shape and the grouped shape give the same users', () => {
		const provider = page(
			{ user: '919999999999', block_reason: 'spam' },
			{ user_id: BSUID, block_reason: 'manual' },
		);
		const meta = page(
			{ messaging_product: 'whatsapp', wa_id: '919999999999' },
			{ messaging_product: 'whatsapp', user_id: BSUID },
		);
		const grouped = page({
			block_users: [
				{ input: '+919999999999', wa_id: '919999999999' },
				{ input: BSUID, user_id: BSUID },
			],
		});
		for (const read of [provider, meta, grouped]) {
			expect(read.ok).toBe(true);
			if (!read.ok) return;
			expect(read.value.map((e) => [e.user, e.wa_id, e.user_id, e.phoneNumberId])).toEqual([
				['919999999999', '919999999999', null, PN],
				[BSUID, null, BSUID, PN],
			]);
		}
		expect(provider.ok && provider.value[0].block_reason).toBe('spam');
	});

	test("BSUIDs by Meta's grammar: letters and digits, up to 128 after the period; parent BSUIDs listed too", () => {
		const long = `BR.${'aB3'.repeat(42)}xy`;
		expect(long.length - 3).toBe(128);
		const listed = [long, 'US.ENT.11815799212886844830', 'IN.abcDEF123'];
		const read = page({ user_id: long }, { user: listed[1] }, { user_id: listed[2] });
		expect(read.ok && read.value.map((e) => e.user)).toEqual(listed);
		expect(page({ user_id: `${long}z` }).ok).toBe(false);
	});

	test.each([
		['an entry naming nobody', { data: [{ user: '919999999999' }, { block_reason: 'spam' }] }],
		['a user that is neither a number nor a BSUID', { data: [{ user: 'call me' }] }],
		['a wa_id that is not digits', { data: [{ wa_id: '91-abc' }] }],
		[
			'a user_id that is not a BSUID',
			{ data: [{ wa_id: '919999999999', user_id: 'hello world' }] },
		],
		['a text entry', { data: ['919999999999'] }],
		['a null entry', { data: [null] }],
		['an object with other fields', { data: [{ id: '123', name: 'x' }] }],
		['a grouped entry with an unknown inner entry', { data: [{ block_users: [{ input: 'x' }] }] }],
	])('%s refuses the page, naming the entry by its fields, never its values', (_name, body) => {
		const read = pageEntries(body, PN);
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(read.error.code).toBe('UNRECOGNISED_ANSWER');
		expect(read.error.message).toMatch(/does not recognise \(entry \d+ of the page/);
		expect(read.error.message).not.toMatch(/call me|91-abc|hello world/);
	});

	test.each([
		['{}', {}],
		['[]', []],
		['an error-free object without data', { paging: { cursors: { after: 'x' } } }],
		['data that is not a list', { data: { user: '919999999999' } }],
		['a text', '<html>'],
		['nothing', undefined],
	])('%s is not a page', (_name, body) => {
		const read = pageEntries(body, PN);
		expect(read.ok).toBe(false);
		expect(pagingOf(body).ok).toBe(false);
	});
});

describe('pagingOf', () => {
	test('the after cursor, and whether paging.next says there is more', () => {
		expect(pagingOf({ data: [{}, {}], paging: { cursors: { before: 'a', after: 'b' } } })).toEqual({
			ok: true,
			value: { hasNext: false, after: 'b', size: 2 },
		});
		const noAfter = { data: [{}], paging: { cursors: { before: 'a' } } };
		expect(pagingOf(noAfter)).toEqual({ ok: true, value: { hasNext: false, size: 1 } });
		expect(
			pagingOf({ data: [], paging: { cursors: { after: 'b' }, next: 'https://x/y?after=b' } }),
		).toEqual({ ok: true, value: { hasNext: true, after: 'b', size: 0 } });
	});

	test('a next URL without cursors gives its after parameter (decoded); grouped entries are counted one by one', () => {
		const body = {
			data: [{ block_users: [{ wa_id: '1' }, { wa_id: '2' }, { wa_id: '3' }] }],
			paging: {
				next: 'https://x/v25.0/1/block_users?limit=3&after=QUFB%3D%3D',
				previous: 'https://x?before=z',
			},
		};
		expect(pagingOf(body)).toEqual({
			ok: true,
			value: { hasNext: true, after: 'QUFB==', size: 3 },
		});
		const noAfter = { data: [], paging: { next: 'https://x/y?limit=3' } };
		expect(pagingOf(noAfter)).toEqual({ ok: true, value: { hasNext: true, size: 0 } });
	});
});
