/** Types of version.js, for the TypeScript tests. */
export function nextVersion(
	current: string,
	arg: string,
	options?: { currentReleased?: boolean },
): string;
export function withVersion(text: string, version: string): string;
export function repoWebUrl(repository: string | { url?: string } | undefined): string;
export function tagFor(version: string): string;
