#!/usr/bin/env bash
# `npm run mutation [-- group...]`: mutation testing with Stryker, one group after another
# (default: all), then a summary per file. Stryker needs Node 22: the npm package `node` at a
# pinned version is installed into .mutation-node/ on first use and runs Stryker. It is not a
# devDependency on purpose: npm puts every dependency's binary first on the PATH of npm
# scripts, so a `node` devDependency would run `npm test` and `npm run plan` on Node 22 too.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE22_VERSION="22.23.3"
NODE22_PREFIX=".mutation-node"
NODE22="$NODE22_PREFIX/node_modules/node/bin/node"
STRYKER="node_modules/@stryker-mutator/core/bin/stryker.js"
ALL_GROUPS=(policies iam collector allowlist alertmanager promxy rules)

if [ ! -x "$NODE22" ] || [ "$("$NODE22" --version)" != "v$NODE22_VERSION" ]; then
  echo "mutation: installing Node $NODE22_VERSION for Stryker into $NODE22_PREFIX/ (the system Node stays as it is)"
  npm install --prefix "$NODE22_PREFIX" --no-save --no-package-lock --no-audit --no-fund "node@$NODE22_VERSION" >/dev/null
fi
if [ ! -d node_modules/@stryker-mutator/core ]; then
  echo "mutation: Stryker is missing; run npm ci first" >&2
  exit 2
fi
if [ "$#" -gt 0 ]; then GROUPS_TO_RUN=("$@"); else GROUPS_TO_RUN=("${ALL_GROUPS[@]}"); fi

started=$(date +%s)
for group in "${GROUPS_TO_RUN[@]}"; do
  config="mutation/${group}.stryker.mjs"
  if [ ! -f "$config" ]; then
    echo "mutation: no group \"$group\" (known: ${ALL_GROUPS[*]} smoke)" >&2
    exit 2
  fi
  echo "== mutation group $group ($config)"
  group_started=$(date +%s)
  "$NODE22" "$STRYKER" run "$config"
  echo "== group $group took $(( $(date +%s) - group_started )) s"
done
echo "== mutation run took $(( $(date +%s) - started )) s"

npx ts-node --transpile-only mutation/summary.ts "${GROUPS_TO_RUN[@]}"
