// Nothing under .cache/ is linted: n8n installs, the end-to-end runs' user folders (n8n writes
// its editor's JavaScript there) and the dev n8n's. `n8n-node lint` runs a plain `eslint .` with
// n8n's template config, which cannot be changed in strict mode and ignores only dist/; ESLint
// uses this file for what is under .cache/ because it looks configs up from each file
// (ESLINT_FLAGS=unstable_config_lookup_from_file, the default from ESLint 10).
export default [{ ignores: ['**/*'] }];
