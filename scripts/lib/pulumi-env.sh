# shellcheck shell=bash
# Source me: the environment every script runs the Pulumi CLI in. Local state in
# .state/ (git-ignored), secrets encrypted with a passphrase, no update checks and
# no plugin downloads (the toolchain put the plugins in place).
export PULUMI_SKIP_UPDATE_CHECK=true
# The npm launcher finds the CLI under $HOME, the CLI finds plugins under the passwd home;
# naming the folder once keeps both on the one the toolchain filled.
export PULUMI_HOME=${PULUMI_HOME:-$HOME/.pulumi}
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$(pwd)/.state}
# A local-only passphrase: the local stack's only secret is a kubeconfig path on this machine.
# Real stacks set PULUMI_CONFIG_PASSPHRASE (or another secrets provider) themselves.
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE-domino-tenancy-local}
mkdir -p "${PULUMI_BACKEND_URL#file://}"
# The toolchain's Node first: the language host runs the program (and the dynamic-provider
# plugin and the policy pack) with the first `node` on PATH.
# shellcheck source=toolchain-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain-lib.sh"
if [ -x "$(tc_node_dir)/node" ]; then
  PATH="$(tc_node_dir):$PATH"
  export PATH
else
  echo "pulumi-env: the toolchain's Node is not in $(tc_node_dir); run: npm run toolchain -- node" >&2
  return 1
fi

# pulumi_select_stack <name>: select the stack, creating it in local state on first use.
pulumi_select_stack() {
  npx pulumi stack select "$1" --non-interactive 2>/dev/null || npx pulumi stack init "$1" --non-interactive
}
