/**
 * `npm run sandbox`: runs the Splashify sandbox until SIGINT / SIGTERM.
 * Env: PORT (default 8790), SANDBOX_HOST (default 127.0.0.1), SANDBOX_API_KEY,
 * SANDBOX_LATENCY_MS, SANDBOX_PHONE_NUMBER_ID (comma-separated for several).
 */
import { startSandbox } from './server';

function envNumber(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0)
		throw new Error(`${name} must be a non-negative number, got "${raw}"`);
	return value;
}

function envList(name: string): string[] | undefined {
	const ids = (process.env[name] ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);
	return ids.length > 0 ? ids : undefined;
}

async function main(): Promise<void> {
	const sandbox = await startSandbox({
		port: envNumber('PORT') ?? 8790,
		host: process.env.SANDBOX_HOST || undefined,
		apiKey: process.env.SANDBOX_API_KEY || undefined,
		latencyMs: envNumber('SANDBOX_LATENCY_MS'),
		phoneNumberIds: envList('SANDBOX_PHONE_NUMBER_ID'),
	});
	console.log(`Splashify sandbox listening on ${sandbox.url}`);
	console.log(`  Base URL:         ${sandbox.url}`);
	console.log(`  API key:          ${sandbox.apiKey}`);
	console.log(`  Phone number ID:  ${sandbox.config.phoneNumberIds.join(', ')}`);
	console.log(`  Admin state:      ${sandbox.url}/__sandbox/state`);
	console.log('Press Ctrl+C to stop.');

	const stop = (signal: string): void => {
		console.log(`\n${signal}: closing the sandbox`);
		sandbox.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
