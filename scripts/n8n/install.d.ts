/** Types of install.js, for the TypeScript end-to-end tests. */
/** The n8n release installed and run: N8N_VERSION from the environment, else the pinned one (versions.js). */
export const N8N_VERSION: string;
/** .cache/n8n-<version>/ */
export const installDir: string;
export function n8nBinPath(): string;
export function ensureN8n(opts?: { force?: boolean }): string;
/** The environment with the release's Node first on PATH (major: its Node line, default the installed one's). */
export function n8nEnv(extra?: Record<string, string>, major?: number): NodeJS.ProcessEnv;
/** The folder of the Node binary that runs this n8n release. */
export function n8nNodeBinDir(): string;
