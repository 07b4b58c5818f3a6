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

# pulumi_select_stack <name>: select the stack, creating it in local state on first use.
pulumi_select_stack() {
  npx pulumi stack select "$1" --non-interactive 2>/dev/null || npx pulumi stack init "$1" --non-interactive
}
