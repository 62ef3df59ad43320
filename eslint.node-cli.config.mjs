// n8n's own lint configuration for community nodes, exactly as @n8n/node-cli exports it (the
// config `n8n-node lint` runs, with the same rule sets and overrides as n8n's verification
// scanner). `npm run lint:node-cli` runs it over what the package is built from: package.json,
// credentials/ and nodes/. It applies to every .ts file, so it is not run over test/, bench/,
// sandbox/ or scripts/, which are not shipped (console output and timers are their job).
import { config } from '@n8n/node-cli/eslint';

export default config;
