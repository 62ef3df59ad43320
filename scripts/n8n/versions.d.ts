/** Types of versions.js, for the TypeScript end-to-end tests. */
export const N8N_VERSION: string;
export function nodeMajorFor(enginesNode: string | undefined): number;
export function overridesFor(
	nodesBaseDependencies?: Record<string, string>,
): Record<string, string>;
export interface N8nProfile {
	version: string;
	pinned: boolean;
	activateArgs(id: string): string[];
	/** What n8n's own code answers where releases differ (measured; asserted as they are). */
	differences: {
		credentialTest: {
			rejectedKey: string;
			unknownPhoneNumberId: RegExp;
			refusedField: (message: string) => string;
		};
		failedBranchContact: string | null;
	};
}
export function profileFor(version?: string): N8nProfile;
/** The newest version of the AI Agent (`agent`) or AI Agent Tool (`agentTool`) node in an installed n8n. */
export function newestNodeVersion(installDir: string, name: 'agent' | 'agentTool'): number;
/** N8N_DISABLED_MODULES for an installed n8n ('' when it has none of those the harness turns off). */
export function disabledModules(installDir: string): string;
