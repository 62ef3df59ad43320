/**
 * Property of the Blocklist Trigger: over random sequences of blocklist changes and polls,
 * some failing (a server error or a broken answer on a chosen page, the list changing while
 * paged, a rejected key) and some after an n8n restart, each complete read emits exactly the
 * changes since the last complete read (of the chosen kinds, with the right IDs and block
 * reasons), a failed poll emits nothing and keeps the saved state, and with both kinds
 * chosen the events applied to the first state give exactly the last one. See
 * support/triggerRun.ts for the checks.
 */
import { startSandbox, type Sandbox } from '../../sandbox/server';
import { SHARES, testProperty, usePropertyFile } from './support/settings';
import { PN, runTriggerCase, triggerCaseArb, TriggerStats } from './support/triggerRun';

const { stats, logs } = usePropertyFile('trigger', new TriggerStats());
let sb: Sandbox;

beforeAll(async () => {
	sb = await startSandbox({ phoneNumberIds: [PN] });
});
afterAll(async () => {
	await sb.close();
});

testProperty(
	'a complete read emits exactly the changes since the last one; a failed poll emits nothing and keeps the state',
	SHARES.trigger,
	triggerCaseArb,
	(c) => runTriggerCase(sb, c, stats, logs()),
);
