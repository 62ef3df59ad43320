/** Types of with-node24.js, for the TypeScript tests. */
export const NODE_PACKAGE_VERSION: string;
/** The folder of a Node binary of `major` (default 24: a Node >= 24), the running Node's or one installed from the npm registry. */
export function nodeBinDir(major?: number): string;
export function nodePackageFor(p: {
	platform: string;
	arch: string;
	glibc?: boolean;
}): { name: string; unsupported?: undefined } | { name?: undefined; unsupported: string };
export function chooseVersion(
	pinned: string | undefined,
	available: string[],
	major?: number,
): string | null;
