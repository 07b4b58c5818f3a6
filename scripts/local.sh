#!/usr/bin/env bash
# npm run local: the main job on the embedded default, end to end, with no cloud
# account and no Pulumi account:
#   1. the toolchain (built once from pinned Go modules, then cached);
#   2. the local control plane (.cluster/), started if it is not running;
#   3. the `local` stack in local state (.state/), previewed with the policy pack,
#      then deployed;
#   4. the stack's outputs (secrets stay hidden) and the tenancy report.
# LOCAL_SKIP_UP=1 stops after the preview.
# npm run local -- --help: usage.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/cli.sh
source scripts/lib/cli.sh

usage() {
  cat <<'EOF'
usage: npm run local [-- --help]

The main job on the embedded default, end to end, on a local control plane (no
cloud account, no Pulumi account):
  1. the toolchain (npm run toolchain: built once from pinned Go modules, ~20 min the
     first time, then cached);
  2. the local cluster (npm run cluster -- up), started if it is not running;
  3. the policy pack's dependencies, the `local` stack in local state (.state/),
     pulumi preview --refresh --diff with the policy pack, then pulumi up;
  4. the stack's outputs (secrets hidden) and the tenancy report
     (.tenancy/local-report.md).

options:
  -h, --help     this text (starts, builds and installs nothing)

environment:
  LOCAL_SKIP_UP=1            stop after the preview
  DOMINO_TOOLCHAIN_CACHE     toolchain cache (default ~/.cache/domino-tenancy/toolchain)
  PULUMI_CONFIG_PASSPHRASE   passphrase of the local stack (a local-only default)

examples:
  npm run local
  LOCAL_SKIP_UP=1 npm run local
  npm run cluster -- down      # afterwards: stop the cluster and remove .cluster/

exit codes: 0 done; non-zero: the step shown last failed (its own exit code);
            2 usage error
EOF
}

for a in "$@"; do
  case $a in
    -h|--help) usage; exit 0 ;;
    -*) cli_unknown local.sh option "$a" --help ;;
    *) cli_unknown local.sh argument "$a" --help ;;
  esac
done

# shellcheck source=lib/pulumi-env.sh
source scripts/lib/pulumi-env.sh

started=$(date +%s)
step() { printf '\n=== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

step "toolchain"
bash scripts/toolchain.sh

step "local cluster"
bash scripts/cluster.sh up

step "policy pack dependencies"
[ -d policy/node_modules ] || (cd policy && npm ci --ignore-scripts --no-progress --silent)

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
