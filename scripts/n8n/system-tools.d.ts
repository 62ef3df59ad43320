/** Types of system-tools.js, for the TypeScript tests. */
export type ToolName = 'redis' | 'chromium';

export interface System {
	platform: NodeJS.Platform | string;
	arch: string;
	env: Record<string, string | undefined>;
	home: string;
	osRelease: { id: string; like: string[] };
	isRoot: boolean;
	isExecutable(path: string): boolean;
	listDir(dir: string): string[];
	passwordlessSudo: boolean;
	hasAptGet: boolean;
}

export interface Verdict {
	tool: ToolName;
	status: 'run' | 'skip' | 'fail';
	path: string | null;
	line: string;
}

export const TOOLS: Record<
	ToolName,
	{ title: string; missing: string; override: string; tests: string; commands: string[] }
>;
export const CHROMIUM_ARGS: string[];
export function isCi(env: Record<string, string | undefined>): boolean;
export function parseOsRelease(text: string): { id: string; like: string[] };
export function family(
	system: System,
): 'darwin' | 'debian' | 'ubuntu' | 'fedora' | 'arch' | 'other';
export function candidates(tool: ToolName, system: System): string[];
export function findTool(
	tool: ToolName,
	system: System,
): { path: string; problem?: undefined } | { path: null; problem: string };
export function installCommand(tool: ToolName, system: System): string | null;
export function autoInstallArgv(tool: ToolName, system: System): string[] | null;
export function verdict(tool: ToolName, system: System): Verdict;
export function currentSystem(opts?: { probeSudo?: boolean }): System;
