/** Types of install.js, for the TypeScript end-to-end tests. */
export const N8N_VERSION: string;
export const NATIVE_MODULES: string[];
/** .cache/n8n-<version>/ */
export const installDir: string;
export function n8nBinPath(): string;
export function isInstalled(): boolean;
export function ensureN8n(opts?: { force?: boolean }): string;
export function node24Env(extra?: Record<string, string>): NodeJS.ProcessEnv;
