/**
 * `npm run sandbox`: runs the Splashify sandbox on 127.0.0.1 (PORT, default 8790) until Ctrl-C.
 */
import { startSandbox } from './server';

async function main(): Promise<void> {
	const sandbox = await startSandbox({ port: Number(process.env.PORT || 8790) });
	console.log(`Splashify sandbox: Base URL ${sandbox.url}`);
	console.log(`  API key:          ${sandbox.apiKey}`);
	console.log(`  Phone number ID:  ${sandbox.config.phoneNumberIds.join(', ')}`);
	console.log(`  Admin state:      ${sandbox.url}/__sandbox/state`);
	console.log('Press Ctrl+C to stop.');
	const stop = (): void => void sandbox.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
