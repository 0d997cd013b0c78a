#!/usr/bin/env bash
# Build the VS Code extension offline: npm ci, type-check, unit tests, esbuild bundle, vsce package.
# Output: vscode-extension/ariadne.vsix. Called by `make ext`; needs Node >= 20 and npm (registry reachable
# for `npm ci`, or a warm npm cache).
#   SKIP_NPM_CI=1  reuse node_modules when it is already in sync with package-lock.json
set -euo pipefail
cd "$(dirname "$0")"

t0=$(date +%s)
if [ "${SKIP_NPM_CI:-}" = 1 ] && [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "== npm ci (skipped: node_modules is up to date)"
else
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "== npm test (tsc --noEmit, unit tests)"
npm test --silent
echo "== vsce package (its vscode:prepublish script bundles src/ with esbuild into dist/extension.js)"
rm -rf dist
rm -f ariadne.vsix
npx --no-install vsce package --no-dependencies --allow-missing-repository --out ariadne.vsix
echo "== built $(pwd)/ariadne.vsix in $(( $(date +%s) - t0 ))s"
