#!/usr/bin/env bash
# npm test [-- <mocha options>]: the fast tier (scripts/fastTier.ts: the type check and the
# specs side by side), on the Node.js the toolchain pins (toolchain/node), whatever Node
# started npm: the same Node the engine runs the program on. The first run fetches it from the npm registry
# (seconds); after that it is found cached without waiting for a toolchain build.
set -euo pipefail
# shellcheck source=lib/toolchain-lib.sh
source "$(dirname "$0")/lib/toolchain-lib.sh"

case "${1:-}" in
  -h|--help)
    cat <<EOF2
usage: npm test [-- <mocha options>]   the fast tier: the type check and every spec not tagged
                                       @slow (.mocharc.fast.json), side by side, on the
                                       toolchain's Node; e.g. npm test -- --grep consumer
The slow tier (specs that start processes): npm run test:slow. One file: npx mocha test/x.spec.ts
exit codes: the type check's when it fails, else mocha's (0 all passed); 1 if the Node cannot be fetched
EOF2
    exit 0 ;;
esac

bash "$(dirname "$0")/toolchain.sh" node
PATH="$(tc_node_dir):$PATH"
export PATH
echo "fast tier on node $(node --version) ($(tc_node_dir))" >&2
exec "$TC_ROOT/node_modules/.bin/tsx" "$TC_ROOT/scripts/fastTier.ts" "$@"
