// Runs n8n's own verification scanner (@n8n/scan-community-package, the check n8n applies
// before it lists a community package) on this package before anything is published, with
// the two legs the real scan of a published version runs: the source leg (package.json and
// the node and credential sources of this checkout, SOURCE_FILE_PATTERNS) and the tarball
// leg (the compiled .js and package.json of `npm pack` of the build, unpacked into a
// temporary folder). The real scan also checks the npm provenance statement, which only a
// published version has. Exits non-zero on any violation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Packs the package into `work` and returns the folder it unpacks to. */
function unpackTarball(work) {
	execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
	execFileSync('tar', ['xzf', tarball], { cwd: work });
	return path.join(work, 'package');
}

/** Runs one leg of the scan and reports it; returns whether it passed. */
async function scanLeg(name, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	if (result.passed) console.log(`n8n community package scan, ${name}: passed`);
	else
		console.error(
			`n8n community package scan, ${name}: FAILED: ${result.message}\n${result.details ?? ''}`,
		);
	return result.passed;
}

const work = mkdtempSync(path.join(tmpdir(), 'splashify-scan-'));
try {
	const packageDir = unpackTarball(work);
	console.log(`files in the package: ${readdirSync(packageDir).join(', ')}`);
	const source = await scanLeg(
		'source (package.json, nodes/, credentials/)',
		root,
		SOURCE_FILE_PATTERNS,
	);
	const tarball = await scanLeg('tarball (compiled .js, package.json)', packageDir, [
		'**/*.js',
		'package.json',
	]);
	if (!source || !tarball) process.exitCode = 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}
