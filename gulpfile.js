const { task, src, dest } = require('gulp');

/** Copies the icons and codex files of the nodes next to their compiled code in dist/. */
function copyNodeAssets() {
	return src('nodes/**/*.{png,svg,json}', { encoding: false }).pipe(dest('dist/nodes'));
}

task('build:icons', copyNodeAssets);
