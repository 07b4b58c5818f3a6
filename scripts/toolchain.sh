#!/usr/bin/env bash
# npm run toolchain [-- component...]   build + install the pinned toolchain
# npm run toolchain -- env              print `export PATH=...` for the built tools
#
# Builds every tool pinned in toolchain/<component>/go.mod (+ go.sum) from the Go
# module proxy into $TC_CACHE/<component>-<version>/bin, once: a component whose
# stamp (pins + recipe + Go version) matches is not rebuilt. Then installs
#   - pulumi + pulumi-language-nodejs into $PULUMI_HOME/versions/<v>/bin, where the
#     official `pulumi` npm launcher looks (`npx pulumi` works unchanged);
#   - the Kubernetes provider into $PULUMI_HOME/plugins/resource-kubernetes-v<v>/.
# See toolchain/README.md for why each pin is what it is.
set -euo pipefail
source "$(dirname "$0")/lib/toolchain-lib.sh"

export GOFLAGS=-mod=mod CGO_ENABLED=0
GO_P=${TOOLCHAIN_GO_P:-2}   # parallel compile jobs; the machines have 2 cores
LOG_DIR=$TC_CACHE/logs

say() { printf 'toolchain: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
now() { date +%s; }

command -v go >/dev/null || die "go is not on PATH"
command -v node >/dev/null || die "node is not on PATH"
GO_VERSION=$(go env GOVERSION)

# The recipe of each component: bump RECIPE_REV when a build step changes.
RECIPE_REV=1
stamp_of() {
  local c=$1
  { echo "recipe=$RECIPE_REV go=$GO_VERSION component=$c version=$(tc_version "$c")"
    cat "$TC_DIR/$c/go.mod" "$TC_DIR/$c/go.sum"
    if [ "$c" = provider ]; then echo "stamp=$TC_PROVIDER_VERSION"; fi
  } | sha256sum | cut -c1-32
}

# ---- per-component build steps; each writes binaries into $1/bin -------------

build_pulumi() {
  local v; v=$(tc_version pulumi)
  (cd "$TC_DIR/pulumi" && go build -p "$GO_P" -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v" \
    -o "$1/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
}

# The v3.68 host predates RunPlugin, which CLIs from v3.221 on use to start a local
# Node.js policy pack. Build it from a scratch copy of its main package with the stub
# replaced by ours (toolchain/langhost/patch/runplugin.go).
build_langhost() {
  local out=$1 v mod=github.com/pulumi/pulumi/sdk/v3 dir src
  v=$(tc_pin langhost $mod)
  src=$out/src
  mkdir -p "$src/cmd/pulumi-language-nodejs"
  cp "$TC_DIR/langhost/go.mod" "$TC_DIR/langhost/go.sum" "$src/"
  (cd "$TC_DIR/langhost" && go mod download "$mod") || { echo "cannot download $mod"; return 1; }
  dir=$(cd "$TC_DIR/langhost" && go list -m -f '{{.Dir}}' "$mod")/nodejs/cmd/pulumi-language-nodejs
  [ -f "$dir/main.go" ] || { echo "language host source not found ($dir)"; return 1; }
  cp "$dir"/*.go "$src/cmd/pulumi-language-nodejs/"
  rm -f "$src"/cmd/pulumi-language-nodejs/*_test.go
  chmod -R u+w "$src"
  cp "$TC_DIR/langhost/patch/runplugin.go" "$src/cmd/pulumi-language-nodejs/"
  # Drop the stub: from its signature to the first closing brace at column 0.
  awk '/^func \(host \*nodeLanguageHost\) RunPlugin\(/ { skip = 1 } !skip { print } skip && /^}/ { skip = 0 }' \
    "$dir/main.go" > "$src/cmd/pulumi-language-nodejs/main.go"
  grep -q 'RunPlugin(' "$src/cmd/pulumi-language-nodejs/main.go" && { echo "could not remove the RunPlugin stub from main.go"; return 1; }
  (cd "$src" && go build -p "$GO_P" -trimpath -tags osusergo,grpcnotrace,tclanghostpatch \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v" \
    -o "$out/bin/pulumi-language-nodejs" ./cmd/pulumi-language-nodejs)
}

# The provider's main package embeds schema-embed.json and terraform-mapping-embed.json,
# which its repo generates (they are not in the module). Assemble the main package in a
# scratch copy of our module: main.go from the pinned module, plus the two files made the
# way its generate.go makes them (schema with .version set; mapping compacted).
build_provider() {
  local out=$1 mod=github.com/pulumi/pulumi-kubernetes/provider/v4 src dir
  src=$out/src
  mkdir -p "$src/cmd/pulumi-resource-kubernetes"
  cp "$TC_DIR/provider/go.mod" "$TC_DIR/provider/go.sum" "$src/"
  # On a fresh machine the module is not in the module cache yet: download it first.
  (cd "$TC_DIR/provider" && go mod download "$mod") || { echo "cannot download $mod"; return 1; }
  dir=$(cd "$TC_DIR/provider" && go list -m -f '{{.Dir}}' "$mod")
  [ -n "$dir" ] && [ -f "$dir/cmd/pulumi-resource-kubernetes/main.go" ] || { echo "provider module source not found ($dir)"; return 1; }
  cp "$dir/cmd/pulumi-resource-kubernetes/main.go" "$src/cmd/pulumi-resource-kubernetes/"
  chmod -R u+w "$src"
  node -e '
    const fs = require("fs"), [from, to, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(from + "/schema.json", "utf8"));
    schema.version = version;
    fs.writeFileSync(to + "/schema-embed.json", JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(from + "/terraform-mapping.json", "utf8"));
    fs.writeFileSync(to + "/terraform-mapping-embed.json", JSON.stringify(mapping));
  ' "$dir/cmd/pulumi-resource-kubernetes" "$src/cmd/pulumi-resource-kubernetes" "$TC_PROVIDER_VERSION"
  (cd "$src" && go build -p "$GO_P" -trimpath \
    -ldflags "-s -w -X $mod/pkg/version.Version=$TC_PROVIDER_VERSION" \
    -o "$out/bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes)
  rm -rf "$src"
}

build_etcd() {
  (cd "$TC_DIR/etcd" && go build -p "$GO_P" -trimpath -ldflags "-s -w" \
    -o "$1/bin/etcd" go.etcd.io/etcd/server/v3)
}

build_kube() {
  local v minor ld="-s -w" p
  v=$(tc_version kube); minor=${v#v1.}; minor=${minor%%.*}
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$TC_DIR/kube" && go build -p "$GO_P" -trimpath -ldflags "$ld" -o "$1/bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
}

build_kwok() {
  local v; v=$(tc_version kwok)
  (cd "$TC_DIR/kwok" && go build -p "$GO_P" -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$v" \
    -o "$1/bin/kwok" sigs.k8s.io/kwok/cmd/kwok)
}

# ---- driver ------------------------------------------------------------------

# ensure <component>: build unless the cache already holds this exact stamp.
ensure() {
  local c=$1 v out stamp t0 log
  v=$(tc_version "$c"); out=$(tc_out "$c"); stamp=$(stamp_of "$c")
  if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
    say "$c $v: cached ($out)"
    return 0
  fi
  mkdir -p "$LOG_DIR"; log=$LOG_DIR/$c-$v.log
  say "$c $v: building (log: $log)"
  t0=$(now)
  rm -rf "$out.tmp"; mkdir -p "$out.tmp/bin"
  if ! "build_$c" "$out.tmp" >"$log" 2>&1; then
    say "$c $v: FAILED after $(( $(now) - t0 ))s; last lines of $log:"
    tail -n 25 "$log" | sed 's/^/    /' >&2
    rm -rf "$out.tmp"
    die "$c: build failed (see above)"
  fi
  echo "$stamp" >"$out.tmp/.stamp"
  rm -rf "$out"; mv "$out.tmp" "$out"
  say "$c $v: built in $(( $(now) - t0 ))s"
}

# install_file <src> <dst>: copy unless identical (cheap: size+mtime via cmp on change only).
install_file() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then return 0; fi
  mkdir -p "$(dirname "$2")"
  cp -f "$1" "$2.tmp.$$" && chmod 0755 "$2.tmp.$$" && mv -f "$2.tmp.$$" "$2"
}

install_cli() {
  local v=$1 dir alias_v target
  v=${v#v}; dir=$TC_PULUMI_HOME/versions/$v/bin
  install_file "$(tc_bin pulumi pulumi)" "$dir/pulumi"
  install_file "$(tc_bin langhost pulumi-language-nodejs)" "$dir/pulumi-language-nodejs"
  say "pulumi CLI v$v + language host installed in $dir"
  # The npm launcher runs $PULUMI_HOME/versions/<its own version>/bin/pulumi. The
  # launcher's newest release has no CLI version the module proxy serves, so point
  # its version's folder at ours (only if that folder is ours or absent).
  alias_v=$(node -p 'require(process.argv[1]).version' "$TC_ROOT/node_modules/pulumi/package.json" 2>/dev/null || true)
  if [ -n "$alias_v" ] && [ "$alias_v" != "$v" ]; then
    target=$TC_PULUMI_HOME/versions/$alias_v
    if [ -L "$target" ] || [ ! -e "$target" ]; then
      ln -sfn "$v" "$target"
      say "npm launcher pulumi@$alias_v -> $target -> versions/$v"
    else
      say "warning: $target exists and is not ours; npx pulumi will run it, not v$v"
    fi
  fi
}

install_provider() {
  local dir=$TC_PULUMI_HOME/plugins/resource-kubernetes-v$TC_PROVIDER_VERSION
  install_file "$(tc_bin provider pulumi-resource-kubernetes)" "$dir/pulumi-resource-kubernetes"
  rm -f "$dir.partial"
  say "kubernetes provider v$TC_PROVIDER_VERSION installed in $dir"
}

print_env() {
  local d=""
  for c in etcd kube kwok; do d="$d:$(tc_out "$c")/bin"; done
  echo "export PATH=\"${d#:}:\$PATH\""
}

main() {
  if [ "${1:-}" = env ]; then print_env; return; fi
  local want=("$@") t0 c
  [ ${#want[@]} -gt 0 ] || want=("${TC_COMPONENTS[@]}")
  for c in "${want[@]}"; do tc_version "$c" >/dev/null || die "unknown component '$c' (known: ${TC_COMPONENTS[*]})"; done
  t0=$(now)
  say "cache: $TC_CACHE ($GO_VERSION, -p $GO_P)"
  for c in "${want[@]}"; do ensure "$c"; done
  if [[ " ${want[*]} " == *" pulumi "* || " ${want[*]} " == *" langhost "* ]]; then
    [ -f "$(tc_bin pulumi pulumi)" ] && [ -f "$(tc_bin langhost pulumi-language-nodejs)" ] \
      && install_cli "$(tc_version pulumi)"
  fi
  if [[ " ${want[*]} " == *" provider "* ]]; then install_provider; fi
  say "done in $(( $(now) - t0 ))s"
}

main "$@"
