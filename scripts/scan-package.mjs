// Runs n8n's own verification scanner (@n8n/scan-community-package, the check n8n applies
// before it lists a community package) on this package exactly as npm would publish it:
// `npm pack` of the build, unpacked into a temporary folder. Exits non-zero on any violation.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const work = mkdtempSync(path.join(tmpdir(), 'splashify-scan-'));
try {
	execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
	execFileSync('tar', ['xzf', tarball], { cwd: work });
	const packageDir = path.join(work, 'package');
	console.log(`files in the package: ${readdirSync(packageDir).join(', ')}`);
	const result = await analyzePackage(packageDir);
	if (!result.passed) {
		console.error(`n8n community package scan FAILED: ${result.message}\n${result.details ?? ''}`);
		process.exitCode = 1;
	} else {
		console.log('n8n community package scan passed');
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
