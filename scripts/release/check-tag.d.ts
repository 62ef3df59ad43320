/** Types of check-tag.js, for the TypeScript tests. */
export function tagProblem(tag: string, version: string, changelog: string): string | null;
