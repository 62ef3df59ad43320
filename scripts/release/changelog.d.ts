/** Types of changelog.js, for the TypeScript tests. */
export function releaseChangelog(
	text: string,
	release: { version: string; date: string; repoUrl: string },
): string;
export function versionNotes(text: string, version: string): string | null;
export function latestVersion(text: string): string | null;
