#!/usr/bin/env bash
# npm run local: the main job on the embedded default, end to end, with no cloud
# account and no Pulumi account:
#   1. the toolchain (built once from pinned Go modules, then cached);
#   2. the local control plane (.cluster/), started if it is not running;
#   3. the `local` stack in local state (.state/), previewed with the policy pack,
#      then deployed;
#   4. the stack's outputs (secrets stay hidden) and the tenancy report.
# LOCAL_SKIP_UP=1 stops after the preview.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/pulumi-env.sh

started=$(date +%s)
step() { printf '\n=== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

step "toolchain"
bash scripts/toolchain.sh

step "local cluster"
bash scripts/cluster.sh up

step "policy pack dependencies and build"
[ -d policy/node_modules ] || (cd policy && npm ci --ignore-scripts --no-progress --silent)
npm run --silent build:policy

step "stack local"
pulumi_select_stack local

# --refresh: the local cluster comes and goes (`npm run cluster -- down` deletes it), so
# read what is really there before comparing, instead of trusting .state.
step "pulumi preview --refresh --diff --policy-pack policy"
npx pulumi preview --stack local --refresh --diff --policy-pack policy --non-interactive

if [ "${LOCAL_SKIP_UP:-0}" != 1 ]; then
  step "pulumi up --refresh --policy-pack policy"
  npx pulumi up --stack local --refresh --yes --skip-preview --policy-pack policy --non-interactive

  step "stack outputs"
  npx pulumi stack output --stack local --json

  step "tenancy report"
  mkdir -p .tenancy
  npx tsx scripts/report.ts --stack local --out .tenancy/local-report.md
  cat .tenancy/local-report.md
fi

step "done in $(( $(date +%s) - started ))s"
