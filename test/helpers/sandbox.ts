/** Starts the in-repo sandbox for a test file and gives the node's credential for it. */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import {
	DEFAULT_PHONE_NUMBER_ID,
	startSandbox,
	type Sandbox,
	type SandboxOptions,
} from '../../sandbox/server';
import { runNode, type RunOptions, type RunResult } from '../harness/runNode';

export const PHONE_NUMBER_ID = DEFAULT_PHONE_NUMBER_ID;

export interface SandboxFixture {
	sb: Sandbox;
	credentials: ICredentialDataDecryptedObject;
	/** The node run once with these parameters, this sandbox's credential unless `extra` gives one. */
	run: (parameters: IDataObject, extra?: Partial<RunOptions>) => Promise<RunResult>;
}

/**
 * One sandbox per test file (two known phone number IDs unless `options` say otherwise),
 * reset before each test.
 */
export function useSandbox(options: SandboxOptions = {}): SandboxFixture {
	const fixture = {
		run: async (parameters, extra = {}) =>
			await runNode({ parameters, credentials: fixture.credentials, ...extra }),
	} as SandboxFixture;
	const phoneNumberIds = options.phoneNumberIds ?? [PHONE_NUMBER_ID, '200000000000002'];
	beforeAll(async () => {
		fixture.sb = await startSandbox({ ...options, phoneNumberIds });
		fixture.credentials = {
			apiKey: fixture.sb.apiKey,
			baseUrl: fixture.sb.url,
			phoneNumberId: PHONE_NUMBER_ID,
			apiVersion: 'v25.0',
		};
	});
	beforeEach(() => {
		fixture.sb.reset();
		fixture.sb.behaviour = undefined;
		fixture.sb.config.phoneNumberIds = [...phoneNumberIds];
	});
	afterAll(async () => {
		await fixture.sb.close();
	});
	return fixture;
}

/** `count` distinct valid E.164 numbers starting at +91 70000 00000 + `offset`. */
export function numbers(count: number, offset = 0): string[] {
	return Array.from({ length: count }, (_, i) => `+917${String(offset + i).padStart(9, '0')}`);
}

/** Fast retries for tests: 1 ms backoff. */
export const FAST_RETRIES = { retryDelay: 1, maxRetries: 3 };
