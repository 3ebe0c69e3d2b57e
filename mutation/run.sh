#!/usr/bin/env bash
# `npm run mutation [-- group...]`: mutation testing with Stryker, one group after another
# (default: all), then a summary per file. Stryker needs Node 22; the `node` devDependency
# brings its own binary, so the system Node is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE22="node_modules/node/bin/node"
STRYKER="node_modules/@stryker-mutator/core/bin/stryker.js"
ALL_GROUPS=(policies iam collector allowlist alertmanager promxy rules)

if [ ! -x "$NODE22" ]; then
  echo "mutation: $NODE22 is missing; run npm ci first" >&2
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
