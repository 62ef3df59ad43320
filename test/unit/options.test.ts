/**
 * The one table of number options: the editor's fields and the runtime agree on every
 * range and default, and a value outside its range is refused, never cut.
 */
import type { INodeProperties } from 'n8n-workflow';

import { NUMBER_OPTIONS, readNumber, readNumbers, readBoolean } from '../../nodes/WhatsApp/options';
import { WhatsAppBlockUsers } from '../../nodes/WhatsApp/WhatsAppBlockUsers.node';

/** Every field of the node's description, options of collections included. */
function allFields(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => [
		p,
		...allFields((p.type === 'collection' ? p.options : []) as INodeProperties[]),
	]);
}

const numberFields = allFields(new WhatsAppBlockUsers().description.properties).filter(
	(p) => p.type === 'number',
);

test('every number field of the node has the range and default of the table', () => {
	expect(new Set(numberFields.map((p) => p.name))).toEqual(new Set(Object.keys(NUMBER_OPTIONS)));
	for (const field of numberFields) {
		const limit = NUMBER_OPTIONS[field.name as keyof typeof NUMBER_OPTIONS];
		expect({
			name: field.name,
			displayName: field.displayName,
			...field.typeOptions,
			default: field.default,
		}).toEqual({
			name: field.name,
			displayName: limit.displayName,
			minValue: limit.min,
			maxValue: limit.max,
			default: limit.default,
		});
	}
});

test('the ranges that matter', () => {
	expect(NUMBER_OPTIONS.batchSize).toMatchObject({ min: 1, max: 500, default: 500 });
	expect(NUMBER_OPTIONS.maxRetries).toMatchObject({ min: 0, max: 10 });
	expect(NUMBER_OPTIONS.retryDelay.min).toBeLessThanOrEqual(100);
	expect(NUMBER_OPTIONS.pageSize.default).toBe(100);
});

test('an unset option takes its default; a whole number in range, or its digits as text, is kept', () => {
	expect(readNumber('batchSize', undefined)).toEqual({ ok: true, value: 500 });
	expect(readNumber('batchSize', '')).toEqual({ ok: true, value: 500 });
	expect(readNumber('batchSize', 1)).toEqual({ ok: true, value: 1 });
	expect(readNumber('batchSize', 500)).toEqual({ ok: true, value: 500 });
	expect(readNumber('retryDelay', 0)).toEqual({ ok: true, value: 0 });
	expect(readNumber('maxConcurrency', ' 4 ')).toEqual({ ok: true, value: 4 });
});

test.each([
	['batchSize', 501, 'Batch Size must be a whole number from 1 to 500, not 501'],
	['batchSize', 0, 'Batch Size must be a whole number from 1 to 500, not 0'],
	['batchSize', 17.9, 'Batch Size must be a whole number from 1 to 500, not 17.9'],
	['maxConcurrency', 11, 'Max Concurrent Requests must be a whole number from 1 to 10, not 11'],
	['maxRetries', -1, 'Max Retries must be a whole number from 0 to 10, not -1'],
	['retryDelay', 60_001, 'Retry Delay (Ms) must be a whole number from 0 to 60000, not 60001'],
	['timeout', 0, 'Timeout (Ms) must be a whole number from 1 to 600000, not 0'],
	['pageSize', 1001, 'Page Size must be a whole number from 1 to 1000, not 1001'],
	['limit', 64_001, 'Limit must be a whole number from 1 to 64000, not 64001'],
	['batchSize', 'lots', 'Batch Size must be a whole number from 1 to 500, not "lots"'],
	['batchSize', Number.NaN, 'Batch Size must be a whole number from 1 to 500, not NaN'],
	['batchSize', true, 'Batch Size must be a whole number from 1 to 500, not true'],
] as const)('%s = %j is refused with its name and range', (name, value, reason) => {
	expect(readNumber(name, value)).toEqual({ ok: false, error: reason });
});

test('readNumbers reads several and names the first one out of range', () => {
	const names = ['batchSize', 'maxConcurrency'] as const;
	const value = { batchSize: 10, maxConcurrency: 1 };
	expect(readNumbers({ batchSize: 10 }, names)).toEqual({ ok: true, value });
	expect(readNumbers({ batchSize: 10, maxConcurrency: 50 }, names)).toMatchObject({
		ok: false,
		error: expect.stringMatching(/^Max Concurrent Requests/),
	});
});

describe('readBoolean', () => {
	test.each([
		[true, true],
		[false, false],
		['true', true],
		[' TRUE ', true],
		['False', false],
		[undefined, false],
		[null, false],
		['', false],
	])('%j reads as %j (default false)', (value, expected) => {
		expect(readBoolean('Dry Run', value, false)).toEqual({ ok: true, value: expected });
	});

	test('the default applies only when unset', () => {
		expect(readBoolean('Dry Run', undefined, true)).toEqual({ ok: true, value: true });
		expect(readBoolean('Dry Run', 'false', true)).toEqual({ ok: true, value: false });
	});

	test.each([
		['yes', 'Dry Run must be true or false, not "yes"'],
		['1', 'Dry Run must be true or false, not "1"'],
		[1, 'Dry Run must be true or false, not 1'],
		[0, 'Dry Run must be true or false, not 0'],
		[{ on: true }, 'Dry Run must be true or false, not {"on":true}'],
		[['true'], 'Dry Run must be true or false, not ["true"]'],
	])('%j is refused, naming the option and the value', (value, reason) => {
		expect(readBoolean('Dry Run', value, false)).toEqual({ ok: false, error: reason });
	});
});
