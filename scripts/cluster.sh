#!/usr/bin/env bash
# npm run cluster -- up | down | status | --help
#
# A real Kubernetes control plane on 127.0.0.1 only, from the binaries that
# `npm run toolchain` built: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, and kwok keeping the fake nodes of scripts/lib/cluster-nodes.json
# Ready (and faking their pods' status). Also holds an other tenant
# (scripts/lib/cluster-tenant.yaml), and registers stand-in CSIDriver objects for the
# local stack's CSI provisioners (scripts/lib/cluster-drivers.yaml) so preflight passes.
#
# Everything lives in .cluster/ (git-ignored): kubeconfig, pki/, etcd/, logs/, pids/.
#   up      start whatever is not running (idempotent; after a crash of one
#           component, `up` restarts just that one with the same data)
#   down    stop every process and remove .cluster/ (verifies nothing is left)
#   status  components, then nodes and the other tenant's pods
# Ports (all on 127.0.0.1; override by environment):
#   CLUSTER_ETCD_PORT=23790 CLUSTER_ETCD_PEER_PORT=23800 CLUSTER_APISERVER_PORT=26443
#   CLUSTER_CONTROLLER_MANAGER_PORT=26457 CLUSTER_SCHEDULER_PORT=26459 CLUSTER_KWOK_PORT=26460
# CLUSTER_WAIT_SECONDS (default 60) bounds each wait. CLUSTER_NODES_FILE replaces the node file.
set -euo pipefail
# shellcheck source=lib/toolchain-lib.sh
source "$(dirname "$0")/lib/toolchain-lib.sh"
# shellcheck source=lib/cli.sh
source "$(dirname "$0")/lib/cli.sh"

STATE=${CLUSTER_DIR:-$TC_ROOT/.cluster}
NODES_FILE=${CLUSTER_NODES_FILE:-$TC_ROOT/scripts/lib/cluster-nodes.json}
TENANT_FILE=$TC_ROOT/scripts/lib/cluster-tenant.yaml
DRIVERS_FILE=$TC_ROOT/scripts/lib/cluster-drivers.yaml
WAIT=${CLUSTER_WAIT_SECONDS:-60}
# Extra kube-apiserver flags (space-separated, no spaces inside one), e.g. to serve an
# older cluster's APIs: --runtime-config=admissionregistration.k8s.io/v1/validatingadmissionpolicies=false
APISERVER_EXTRA_ARGS=${CLUSTER_APISERVER_EXTRA_ARGS:-}
HOST=127.0.0.1
ETCD_PORT=${CLUSTER_ETCD_PORT:-23790}
ETCD_PEER_PORT=${CLUSTER_ETCD_PEER_PORT:-23800}
API_PORT=${CLUSTER_APISERVER_PORT:-26443}
KCM_PORT=${CLUSTER_CONTROLLER_MANAGER_PORT:-26457}
SCHED_PORT=${CLUSTER_SCHEDULER_PORT:-26459}
KWOK_PORT=${CLUSTER_KWOK_PORT:-26460}
# The apiserver listens on 127.0.0.1 only. It must still advertise a non-loopback
# address for the `kubernetes` Service's endpoints; nothing ever dials it (no real
# pods run). Pod IPs (kwok) come from 198.18.0.0/16 likewise; both are in the
# benchmarking range (RFC 2544), neither private nor routed.
ADVERTISE=198.19.0.1
KUBECONFIG_FILE=$STATE/kubeconfig
PKI=$STATE/pki

# Start order; `down` goes in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

say() { printf 'cluster: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

bin_of() {
  case $1 in
    etcd) tc_bin etcd etcd ;;
    kwok) tc_bin kwok kwok ;;
    *) tc_bin kube "$1" ;;
  esac
}
KUBECTL=$(tc_bin kube kubectl)
kubectl() { "$KUBECTL" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=10s "$@"; }

port_of() {
  case $1 in
    etcd) echo "$ETCD_PORT $ETCD_PEER_PORT" ;;
    kube-apiserver) echo "$API_PORT" ;;
    kube-controller-manager) echo "$KCM_PORT" ;;
    kube-scheduler) echo "$SCHED_PORT" ;;
    kwok) echo "$KWOK_PORT" ;;
  esac
}

# pid_of <component>: the recorded pid if that process is alive and is ours.
pid_of() {
  local f=$STATE/pids/$1.pid pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STATE" || return 1
  echo "$pid"
}

# Our processes are exactly those run from the toolchain cache whose command line
# names our state dir (pgrep only finds them; nothing is killed by name).
stray_pids() {
  local pid
  for pid in $(pgrep -f -- "$STATE/" 2>/dev/null); do
    case $(readlink "/proc/$pid/exe" 2>/dev/null) in "$TC_CACHE"/*) echo "$pid" ;; esac
  done
}

port_busy() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

# wait_for <what> <command...>: retry until it succeeds or $WAIT seconds pass.
wait_for() {
  local what=$1 deadline=$(( $(date +%s) + WAIT )); shift
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "timed out after ${WAIT}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

https_ok() { # https_ok <port> <path>
  curl -fsS --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://$HOST:$1$2" | grep -qx ok
}
https_ok_insecure() { curl -fsSk --max-time 3 "https://$HOST:$1$2" | grep -qx ok; }

healthy() {
  case $1 in
    etcd) curl -fsS --max-time 3 "http://$HOST:$ETCD_PORT/health" | grep -q '"health":"true"' ;;
    kube-apiserver) https_ok "$API_PORT" /readyz ;;
    kube-controller-manager) https_ok_insecure "$KCM_PORT" /healthz ;;
    kube-scheduler) https_ok_insecure "$SCHED_PORT" /healthz ;;
    kwok) curl -fsS --max-time 3 "http://$HOST:$KWOK_PORT/healthz" | grep -qx ok ;;
  esac
}

# ---- pki + kubeconfig (made once per cluster; `down` removes them) -------------

make_pki() {
  [ -f "$PKI/.done" ] && return 0
  command -v openssl >/dev/null || die "openssl is needed to make the cluster's certificates"
  rm -rf "$PKI"; mkdir -p "$PKI"; chmod 700 "$PKI"
  (
    cd "$PKI"
    key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
    key ca.key
    openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=domino-tenancy-local-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt 2>/dev/null
    sign() { # sign <name> <subject> <extensions>
      key "$1.key"
      openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
      printf '%s\n' "$3" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -sha256 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    sign apiserver "/CN=kube-apiserver" \
      "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature,keyEncipherment"
    sign admin "/O=system:masters/CN=admin" "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature,keyEncipherment"
    # Service account token signing key.
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key 2>/dev/null
    openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
  ) || die "could not make certificates in $PKI"
  b64() { base64 -w0 <"$1"; }
  cat >"$KUBECONFIG_FILE.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://$HOST:$API_PORT
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(b64 "$PKI/admin.crt")
    client-key-data: $(b64 "$PKI/admin.key")
contexts:
- name: local
  context:
    cluster: local
    user: admin
current-context: local
EOF
  chmod 600 "$KUBECONFIG_FILE.tmp"; mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
  touch "$PKI/.done"
}

# ---- components ----------------------------------------------------------------

# shellcheck disable=SC2086 # CLUSTER_APISERVER_EXTRA_ARGS is word-split on purpose, like every flag here
args_of() {
  local kc=$KUBECONFIG_FILE
  case $1 in
    etcd) echo --name=local --data-dir="$STATE/etcd" \
      --listen-client-urls="http://$HOST:$ETCD_PORT" --advertise-client-urls="http://$HOST:$ETCD_PORT" \
      --listen-peer-urls="http://$HOST:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://$HOST:$ETCD_PEER_PORT" \
      --initial-cluster="local=http://$HOST:$ETCD_PEER_PORT" --initial-cluster-state=new \
      --unsafe-no-fsync --log-level=warn ;;
    kube-apiserver) echo --etcd-servers="http://$HOST:$ETCD_PORT" \
      --bind-address=$HOST --advertise-address="$ADVERTISE" --secure-port="$API_PORT" \
      --cert-dir="$STATE/apiserver" \
      --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
      --client-ca-file="$PKI/ca.crt" \
      --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
      --service-account-issuer=https://kubernetes.default.svc.cluster.local \
      --service-cluster-ip-range=10.96.0.0/16 \
      --authorization-mode=Node,RBAC \
      --enable-admission-plugins=NodeRestriction,PodSecurity \
      --allow-privileged=true --profiling=false --event-ttl=1h $APISERVER_EXTRA_ARGS ;;
    # kwok renews the fake nodes' leases; on a loaded 2-core machine a renewal can lag,
    # and a NotReady flip would make the controllers rewrite every tenant's pod status.
    kube-controller-manager) echo --kubeconfig="$kc" \
      --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
      --bind-address=$HOST --secure-port="$KCM_PORT" --leader-elect=false \
      --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
      --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
      --use-service-account-credentials=true --profiling=false \
      --node-monitor-grace-period=10m ;;
    kube-scheduler) echo --kubeconfig="$kc" \
      --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
      --bind-address=$HOST --secure-port="$SCHED_PORT" --leader-elect=false --profiling=false ;;
    kwok) echo --kubeconfig="$kc" --config="$STATE/kwok.yaml" \
      --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
      --server-address="$HOST:$KWOK_PORT" --node-ip=$HOST --cidr=198.18.0.0/16 ;;
  esac
}

start() {
  local c=$1 bin pid p
  bin=$(bin_of "$c")
  [ -x "$bin" ] || die "$c is not built ($bin missing): run npm run toolchain"
  for p in $(port_of "$c"); do
    port_busy "$p" && die "$c: port $p on $HOST is already in use (set the CLUSTER_*_PORT variables)"
  done
  mkdir -p "$STATE/logs" "$STATE/pids"
  # shellcheck disable=SC2046 # args are word-split on purpose (no spaces in them)
  setsid "$bin" $(args_of "$c") >>"$STATE/logs/$c.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$STATE/pids/$c.pid"
  if ! wait_for "$c to be healthy" healthy "$c"; then
    say "$c: last lines of $STATE/logs/$c.log:"
    tail -n 20 "$STATE/logs/$c.log" | sed 's/^/    /' >&2
    return 1
  fi
  say "$c: up (pid $pid, port $(port_of "$c" | tr ' ' ','))"
}

# node_manifests: Node objects for every entry of the node file.
node_manifests() {
  node -e '
    const doc = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const items = doc.nodes.map((n) => ({
      apiVersion: "v1", kind: "Node",
      metadata: {
        name: n.name,
        annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
        labels: { "kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                  type: "kwok", ...n.labels },
      },
      spec: { taints: n.taints ?? [] },
      status: { capacity: n.capacity, allocatable: n.capacity },
    }));
    process.stdout.write(JSON.stringify({ apiVersion: "v1", kind: "List", items }));
  ' "$NODES_FILE"
}

ensure_objects() {
  local n
  node_manifests | kubectl apply -f - >/dev/null || die "could not create the nodes of $NODES_FILE"
  n=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).nodes.length' "$NODES_FILE")
  wait_for "$n nodes to be Ready" kubectl wait --for=condition=Ready node --all --timeout=5s || die "nodes not Ready"
  say "nodes: $n Ready"
  wait_for "the default service account" kubectl -n default get serviceaccount default || die "no default service account"
  kubectl apply -f "$TENANT_FILE" >/dev/null || die "could not apply $TENANT_FILE"
  kubectl apply -f "$DRIVERS_FILE" >/dev/null || die "could not apply $DRIVERS_FILE"
  wait_for "acme-web to roll out" kubectl -n acme rollout status deployment/acme-web --timeout=5s || die "acme-web not available"
  wait_for "acme-agent to roll out" kubectl -n acme rollout status daemonset/acme-agent --timeout=5s || die "acme-agent not available"
  say "other tenant: acme workloads running"
}

cmd_up() {
  local c started=0 t0
  t0=$(date +%s)
  for c in "${COMPONENTS[@]}"; do [ -x "$(bin_of "$c")" ] || die "$c is not built: run npm run toolchain"; done
  [ -x "$KUBECTL" ] || die "kubectl is not built: run npm run toolchain"
  mkdir -p "$STATE"
  make_pki
  [ -f "$STATE/kwok.yaml" ] || printf 'kind: KwokConfiguration\napiVersion: config.kwok.x-k8s.io/v1alpha1\noptions: {}\n' >"$STATE/kwok.yaml"
  for c in "${COMPONENTS[@]}"; do
    if pid_of "$c" >/dev/null; then continue; fi
    start "$c" || die "$c failed to start"
    started=$((started + 1))
  done
  if [ "$started" -eq 0 ]; then
    say "already up (kubeconfig: $KUBECONFIG_FILE)"
  fi
  ensure_objects
  say "up in $(( $(date +%s) - t0 ))s; kubeconfig: $KUBECONFIG_FILE (server https://$HOST:$API_PORT)"
}

alive() { # alive <pid>: running and not a zombie
  [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# stop_pids <pid>...: SIGTERM them together, SIGKILL whatever is left after 10s.
stop_pids() {
  local pid deadline=$(( $(date +%s) + 10 ))
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for pid in "$@"; do
    while alive "$pid" && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.1; done
    if alive "$pid"; then say "pid $pid ignored SIGTERM for 10s: killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  done
}

cmd_down() {
  local c pid first=() strays=() left t0
  t0=$(date +%s)
  # Everything that talks to the apiserver and the apiserver itself first, etcd
  # last (an apiserver whose etcd is gone hangs in its shutdown).
  for c in kwok kube-scheduler kube-controller-manager kube-apiserver; do
    pid=$(pid_of "$c") || continue
    first+=("$pid"); say "$c: stopping (pid $pid)"
  done
  stop_pids "${first[@]}"
  if pid=$(pid_of etcd); then say "etcd: stopping (pid $pid)"; stop_pids "$pid"; fi
  # Anything of ours without a pid file (a crashed `up`, a lost pid file).
  for pid in $(stray_pids); do
    strays+=("$pid"); say "stray process $pid: stopping ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-80))"
  done
  stop_pids "${strays[@]}"
  left=""
  for pid in $(stray_pids); do alive "$pid" && left="$left $pid"; done
  [ -z "$left" ] || die "processes still running:$left"
  rm -rf "$STATE"
  say "down in $(( $(date +%s) - t0 ))s: no process left, $STATE removed"
}

cmd_status() {
  local c pid state rc=0
  for c in "${COMPONENTS[@]}"; do
    if pid=$(pid_of "$c"); then
      if healthy "$c"; then state="running, healthy"; else state="running, NOT healthy"; rc=1; fi
      printf '  %-24s pid %-8s port %-12s %s\n' "$c" "$pid" "$(port_of "$c" | tr ' ' ',')" "$state"
    else
      printf '  %-24s %s\n' "$c" "stopped"; rc=1
    fi
  done
  if pid_of kube-apiserver >/dev/null; then
    echo "kubeconfig: $KUBECONFIG_FILE"
    kubectl get nodes -L dominodatalab.com/node-pool -L tenant -L nvidia.com/gpu 2>&1 || true
    kubectl -n acme get pods -o custom-columns=POD:.metadata.name,STATUS:.status.phase,NODE:.spec.nodeName 2>&1 || true
  fi
  return $rc
}

usage() {
  cat <<EOF
usage: npm run cluster -- <command>

A real Kubernetes control plane on 127.0.0.1 only (etcd, kube-apiserver,
kube-controller-manager, kube-scheduler, kwok's fake nodes and an other tenant),
from the binaries \`npm run toolchain\` built. State, logs and kubeconfig in $STATE.

commands:
  up         start whatever is not running (idempotent), create the nodes and the
             other tenant, wait until all is Ready
  down       stop every process and remove the state dir (checks nothing is left)
  status     components, nodes and the other tenant's pods
  -h, --help this text

environment:
  CLUSTER_WAIT_SECONDS   bound of each wait (default 60)
  CLUSTER_NODES_FILE     node file (default scripts/lib/cluster-nodes.json)
  CLUSTER_DIR            state dir (default .cluster/)
  CLUSTER_APISERVER_EXTRA_ARGS  extra kube-apiserver flags, space-separated
  CLUSTER_ETCD_PORT=23790 CLUSTER_ETCD_PEER_PORT=23800 CLUSTER_APISERVER_PORT=26443
  CLUSTER_CONTROLLER_MANAGER_PORT=26457 CLUSTER_SCHEDULER_PORT=26459 CLUSTER_KWOK_PORT=26460

examples:
  npm run cluster -- up
  eval "\$(npm run --silent toolchain -- env)" && kubectl --kubeconfig .cluster/kubeconfig get nodes
  npm run cluster -- status
  npm run cluster -- down

exit codes: 0 done (status: every component running and healthy)
            1 a component failed, or status found one stopped or unhealthy
            2 usage error
EOF
}

if [ $# -ne 1 ]; then
  if [ $# -eq 0 ]; then echo "cluster.sh: a command is needed: up, down or status (see --help)" >&2
  else echo "cluster.sh: one command expected, got $# arguments: $* (see --help)" >&2; fi
  exit 2
fi
case $1 in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  -h|--help|help) usage ;;
  -*) cli_unknown cluster.sh option "$1" --help ;;
  *) cli_unknown cluster.sh command "$1" up down status ;;
esac
