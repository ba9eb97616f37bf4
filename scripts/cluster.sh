#!/usr/bin/env bash
# A real Kubernetes control plane on loopback for the tests and the demo: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kwok (fake nodes that run fake pods), started as plain
# processes by kwokctl's binary runtime from the binaries scripts/install-tools.sh provides.
#
# Usage: scripts/cluster.sh up|down|status|kubeconfig-path
#
#   up               start the cluster (idempotent: a healthy cluster is left alone), write the admin
#                    kubeconfig to $CLUSTER_DIR/kubeconfig and print its path on stdout
#   down             stop exactly the processes `up` recorded, wait for them, remove $CLUSTER_DIR
#   status           exit 0 and describe the cluster when it is up and healthy, exit 1 otherwise
#   kubeconfig-path  print $CLUSTER_DIR/kubeconfig (exit 1 when the cluster is not up)
#
# Environment:
#   CLUSTER_DIR      state directory (default: .cluster in the repository root; relative paths are
#                    taken from the current directory). Each directory is an independent cluster.
#   CLUSTER_NODES    number of fake nodes (default 2)
#   CLUSTER_ETCD_PORT, CLUSTER_ETCD_PEER_PORT, CLUSTER_APISERVER_PORT, CLUSTER_CONTROLLER_MANAGER_PORT,
#   CLUSTER_SCHEDULER_PORT, CLUSTER_KWOK_PORT
#                    fixed ports (default: free ports picked at random in 20000-32767)
#
# Everything listens on 127.0.0.1 only. The apiserver writes an audit log of every write
# (create/update/patch/delete, Metadata level) to $CLUSTER_DIR/audit.log, and of every request, reads
# and watches too, of the ServiceAccounts of namespace unidler-bench (the benchmark's unidler).
# Progress goes to stderr, prefixed [cluster].
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLUSTER_DIR=${CLUSTER_DIR:-$REPO_ROOT/.cluster}
case $CLUSTER_DIR in
  /*) ;;
  *) CLUSTER_DIR=$PWD/$CLUSTER_DIR ;;
esac
CLUSTER_DIR=${CLUSTER_DIR%/}
CLUSTER_NAME=unidler
CLUSTER_NODES=${CLUSTER_NODES:-2}
KWOK_WORKDIR_PATH=$CLUSTER_DIR/kwok
KWOK_CLUSTER_DIR=$KWOK_WORKDIR_PATH/clusters/$CLUSTER_NAME
MARKER=$CLUSTER_DIR/.unidler-cluster
PIDS_FILE=$CLUSTER_DIR/pids
KUBECONFIG_FILE=$CLUSTER_DIR/kubeconfig
ENV_FILE=$CLUSTER_DIR/cluster.env
AUDIT_LOG=$CLUSTER_DIR/audit.log
BIND_ADDRESS=127.0.0.1

log() { printf '[cluster] %s\n' "$*" >&2; }
fail() {
  printf '[cluster] ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

now_ms() { date +%s%3N; }

# --- process bookkeeping -------------------------------------------------------------------------

# Prints "name pid" for every process recorded for this cluster: the consolidated list written by
# `up`, plus kwokctl's own pid files (both live in $CLUSTER_DIR), without duplicates.
recorded_pids() {
  {
    [ -f "$PIDS_FILE" ] && cat "$PIDS_FILE"
    if [ -d "$KWOK_CLUSTER_DIR/pids" ]; then
      local f
      for f in "$KWOK_CLUSTER_DIR"/pids/*.pid; do
        [ -f "$f" ] || continue
        printf '%s %s\n' "$(basename "$f" .pid)" "$(tr -dc '0-9' <"$f")"
      done
    fi
  } | awk 'NF == 2 && $2 != "" && !seen[$2]++'
}

# True when pid is alive and is one of the processes started for this cluster (its command line
# names a binary under $CLUSTER_DIR), so a recycled PID is never touched.
is_ours() {
  local pid=$1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$KWOK_CLUSTER_DIR/"
}

all_recorded_alive() {
  local name pid count=0
  while read -r name pid; do
    is_ours "$pid" || return 1
    count=$((count + 1))
  done < <(recorded_pids)
  [ "$count" -ge 5 ]
}

stop_processes() {
  local name pid alive=() deadline
  while read -r name pid; do
    if is_ours "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      alive+=("$pid")
      log "stopping $name (pid $pid)"
    fi
  done < <(recorded_pids)
  [ ${#alive[@]} -gt 0 ] || return 0
  deadline=$(($(date +%s) + 20))
  while :; do
    local still=()
    for pid in "${alive[@]}"; do
      is_ours "$pid" && still+=("$pid")
    done
    [ ${#still[@]} -gt 0 ] || break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "killing ${still[*]} (did not exit within 20 s of SIGTERM)"
      for pid in "${still[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
      sleep 0.5
      deadline=$(($(date +%s) + 10))
      alive=("${still[@]}")
      continue
    fi
    alive=("${still[@]}")
    sleep 0.2
  done
}

remove_state() {
  [ -d "$CLUSTER_DIR" ] || return 0
  if [ -f "$MARKER" ]; then
    rm -rf "$CLUSTER_DIR"
  else
    fail "$CLUSTER_DIR does not look like a cluster state directory (no $(basename "$MARKER")); not removing it"
  fi
}

# --- health ---------------------------------------------------------------------------------------

tools_dir_from_env() {
  [ -f "$ENV_FILE" ] && sed -n 's/^TOOLS_DIR=//p' "$ENV_FILE"
}

kubectl_for_status() {
  local tools
  tools=$(tools_dir_from_env)
  [ -n "$tools" ] && [ -x "$tools/kubectl" ] || return 1
  "$tools/kubectl" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=5s "$@"
}

is_healthy() {
  [ -f "$MARKER" ] && [ -f "$KUBECONFIG_FILE" ] && all_recorded_alive \
    && [ "$(kubectl_for_status get --raw /readyz 2>/dev/null)" = ok ]
}

# --- ports ----------------------------------------------------------------------------------------

USED_PORTS=""
port_in_use() {
  local port=$1
  case " $USED_PORTS " in *" $port "*) return 0 ;; esac
  ss -Htan 2>/dev/null | awk '{print $4}' | grep -qE "[:.]$port\$"
}

# Picks a port no socket uses (listening or connected), in 20000-32767, below Linux's ephemeral range.
# Nothing is bound to probe, so no address other than loopback is ever touched.
pick_port() {
  local var=$1 port tries=0
  port=${!var:-}
  if [ -n "$port" ]; then
    port_in_use "$port" && fail "$var=$port is already in use"
  else
    command -v ss >/dev/null 2>&1 || fail "ss (iproute2) is needed to find free ports; install iproute2 or set all CLUSTER_*_PORT variables"
    while :; do
      port=$((20000 + RANDOM % 12768))
      port_in_use "$port" || break
      tries=$((tries + 1))
      [ "$tries" -lt 200 ] || fail "could not find a free port"
    done
  fi
  USED_PORTS="$USED_PORTS $port"
  printf -v "$var" '%s' "$port"
}

# --- commands -------------------------------------------------------------------------------------

cmd_status() {
  if [ ! -f "$MARKER" ]; then
    log "no cluster in $CLUSTER_DIR"
    return 1
  fi
  if is_healthy; then
    local server
    server=$(sed -n 's/^APISERVER_URL=//p' "$ENV_FILE")
    log "up: $server, kubeconfig $KUBECONFIG_FILE, audit log $AUDIT_LOG"
    recorded_pids | while read -r name pid; do log "  $name pid $pid"; done
    kubectl_for_status get nodes -o wide >&2 || true
    return 0
  fi
  log "cluster in $CLUSTER_DIR is not healthy (processes gone or API not answering); run: CLUSTER_DIR=$CLUSTER_DIR $0 down && CLUSTER_DIR=$CLUSTER_DIR $0 up"
  return 1
}

cmd_kubeconfig_path() {
  [ -f "$KUBECONFIG_FILE" ] || fail "no kubeconfig at $KUBECONFIG_FILE: start the cluster with: CLUSTER_DIR=$CLUSTER_DIR $0 up"
  echo "$KUBECONFIG_FILE"
}

cmd_down() {
  if [ ! -d "$CLUSTER_DIR" ]; then
    log "no cluster in $CLUSTER_DIR"
    return 0
  fi
  [ -f "$MARKER" ] || fail "$CLUSTER_DIR is not a cluster state directory (no $(basename "$MARKER")); refusing to touch it"
  stop_processes
  remove_state
  log "cluster in $CLUSTER_DIR stopped and removed"
}

wait_for() {
  # wait_for <seconds> <description> <command...>
  local timeout=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "timed out after ${timeout} s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}

UP_STARTED=0
UP_DONE=0
on_up_exit() {
  local rc=$?
  if [ "$UP_STARTED" = 1 ] && [ "$UP_DONE" = 0 ]; then
    log "start-up failed; last lines of the component logs:"
    local f
    for f in "$CLUSTER_DIR/kwokctl.log" "$KWOK_CLUSTER_DIR"/logs/*.log; do
      [ -f "$f" ] || continue
      [ "$(basename "$f")" = audit.log ] && continue
      printf '[cluster] ---- %s\n' "$f" >&2
      tail -n 15 "$f" | sed 's/^/[cluster]   /' >&2
    done
    stop_processes || true
    rm -f "$KUBECONFIG_FILE"
    log "stopped what was started; logs are kept in $CLUSTER_DIR (remove with: CLUSTER_DIR=$CLUSTER_DIR $0 down)"
    [ "$rc" = 0 ] && rc=1
  fi
  exit "$rc"
}

cmd_up() {
  local start
  start=$(now_ms)
  if [ -f "$MARKER" ]; then
    if is_healthy; then
      log "already up ($(sed -n 's/^APISERVER_URL=//p' "$ENV_FILE")), kubeconfig $KUBECONFIG_FILE"
      echo "$KUBECONFIG_FILE"
      return 0
    fi
    log "found a stale cluster in $CLUSTER_DIR: cleaning it up first"
    cmd_down
  elif [ -e "$CLUSTER_DIR" ] && [ -n "$(ls -A "$CLUSTER_DIR" 2>/dev/null)" ]; then
    fail "$CLUSTER_DIR exists, is not empty and is not a cluster state directory; choose another CLUSTER_DIR"
  fi

  case $CLUSTER_NODES in
    '' | *[!0-9]* | 0) fail "CLUSTER_NODES must be a positive number, not '$CLUSTER_NODES'" ;;
  esac
  local tools
  [ -x "$REPO_ROOT/scripts/install-tools.sh" ] || fail "$REPO_ROOT/scripts/install-tools.sh is missing or not executable"
  log "getting the tools (scripts/install-tools.sh; the first run builds Kubernetes, ~7 min on 2 cores)"
  tools=$("$REPO_ROOT/scripts/install-tools.sh" | tail -n 1) \
    || fail "scripts/install-tools.sh failed (see its messages above): it needs Go 1.26+, apt-get or etcd, and kubectl 1.33"
  local b
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok kwokctl kubectl; do
    [ -x "$tools/$b" ] || fail "$b is missing in $tools: run scripts/install-tools.sh"
  done
  command -v curl >/dev/null 2>&1 || fail "curl is needed to check the scheduler's and controller-manager's health"

  local CLUSTER_ETCD_PORT=${CLUSTER_ETCD_PORT:-} CLUSTER_ETCD_PEER_PORT=${CLUSTER_ETCD_PEER_PORT:-}
  local CLUSTER_APISERVER_PORT=${CLUSTER_APISERVER_PORT:-} CLUSTER_CONTROLLER_MANAGER_PORT=${CLUSTER_CONTROLLER_MANAGER_PORT:-}
  local CLUSTER_SCHEDULER_PORT=${CLUSTER_SCHEDULER_PORT:-} CLUSTER_KWOK_PORT=${CLUSTER_KWOK_PORT:-}
  pick_port CLUSTER_ETCD_PORT
  pick_port CLUSTER_ETCD_PEER_PORT
  pick_port CLUSTER_APISERVER_PORT
  pick_port CLUSTER_CONTROLLER_MANAGER_PORT
  pick_port CLUSTER_SCHEDULER_PORT
  pick_port CLUSTER_KWOK_PORT

  mkdir -p "$CLUSTER_DIR"
  touch "$MARKER"
  UP_STARTED=1
  trap on_up_exit EXIT

  cat >"$CLUSTER_DIR/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages:
- RequestReceived
rules:
# Every request of the benchmark's unidler (ServiceAccount unidler in namespace unidler-bench), reads
# and watches included, so that `make bench` can count its API requests by verb and resource.
- level: Metadata
  userGroups: ["system:serviceaccounts:unidler-bench"]
- level: Metadata
  verbs: ["create", "update", "patch", "delete"]
- level: None
EOF

  cat >"$CLUSTER_DIR/kwokctl.yaml" <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: $BIND_ADDRESS
  etcdPort: $CLUSTER_ETCD_PORT
  etcdPeerPort: $CLUSTER_ETCD_PEER_PORT
  kubeApiserverPort: $CLUSTER_APISERVER_PORT
  kubeControllerManagerPort: $CLUSTER_CONTROLLER_MANAGER_PORT
  kubeSchedulerPort: $CLUSTER_SCHEDULER_PORT
  kwokControllerPort: $CLUSTER_KWOK_PORT
componentsPatches:
- name: kube-apiserver
  extraArgs:
  - key: audit-policy-file
    value: $CLUSTER_DIR/audit-policy.yaml
  - key: audit-log-path
    value: $AUDIT_LOG
  - key: audit-log-mode
    value: blocking
  - key: endpoint-reconciler-type
    value: none
  - key: service-cluster-ip-range
    value: 10.96.0.0/16
- name: kube-controller-manager
  extraArgs:
  - key: leader-elect
    value: "false"
  - key: controllers
    value: deployment-controller,replicaset-controller,statefulset-controller,node-lifecycle-controller,endpoints-controller,endpointslice-controller,endpointslice-mirroring-controller,garbage-collector-controller,namespace-controller,serviceaccount-controller,serviceaccount-token-controller,root-ca-certificate-publisher-controller,pod-garbage-collector-controller
- name: kwok-controller
  extraArgs:
  - key: cidr
    value: 10.244.0.1/16
- name: kube-scheduler
  extraArgs:
  - key: leader-elect
    value: "false"
EOF

  log "starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on $BIND_ADDRESS (apiserver port $CLUSTER_APISERVER_PORT)"
  # --kubeconfig "": never touch the user's ~/.kube/config.
  if ! KWOK_WORKDIR=$KWOK_WORKDIR_PATH "$tools/kwokctl" --config "$CLUSTER_DIR/kwokctl.yaml" --name "$CLUSTER_NAME" \
    create cluster \
    --runtime binary \
    --kubeconfig "" \
    --etcd-binary "$tools/etcd" \
    --kube-apiserver-binary "$tools/kube-apiserver" \
    --kube-controller-manager-binary "$tools/kube-controller-manager" \
    --kube-scheduler-binary "$tools/kube-scheduler" \
    --kwok-controller-binary "$tools/kwok" \
    --disable-qps-limits \
    --kube-admission=true \
    --kube-authorization=true \
    --timeout 120s \
    --wait 90s \
    >"$CLUSTER_DIR/kwokctl.log" 2>&1; then
    fail "kwokctl could not start the cluster"
  fi
  recorded_pids >"$PIDS_FILE.tmp"
  mv "$PIDS_FILE.tmp" "$PIDS_FILE"
  [ "$(wc -l <"$PIDS_FILE")" -ge 5 ] || fail "kwokctl did not record the five component PIDs in $KWOK_CLUSTER_DIR/pids"

  local kc="$KWOK_CLUSTER_DIR/kubeconfig.yaml"
  local kubectl=("$tools/kubectl" --kubeconfig "$kc" --request-timeout=10s)
  wait_for 60 "the API server's /readyz" "${kubectl[@]}" get --raw /readyz || fail "the API server did not become ready"

  log "creating $CLUSTER_NODES KWOK nodes"
  local i nodes=""
  for ((i = 0; i < CLUSTER_NODES; i++)); do
    nodes+="---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: \"0\"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: \"\"
    type: kwok
status:
  allocatable: {cpu: \"32\", memory: 256Gi, pods: \"110\"}
  capacity: {cpu: \"32\", memory: 256Gi, pods: \"110\"}
"
  done
  printf '%s' "$nodes" | "${kubectl[@]}" apply -f - >/dev/null || fail "could not create the nodes"
  "${kubectl[@]}" wait --for=condition=Ready node --all --timeout=60s >/dev/null || fail "the KWOK nodes did not become Ready"
  # New nodes carry the node.kubernetes.io/not-ready taint until the node-lifecycle controller sees
  # them Ready; until then nothing can be scheduled.
  nodes_untainted() { [ -z "$("${kubectl[@]}" get nodes -o jsonpath='{.items[*].spec.taints}')" ]; }
  wait_for 60 "the not-ready taint to leave the nodes" nodes_untainted || fail "the nodes kept their not-ready taint (is the node-lifecycle controller running?)"

  wait_for 60 "the controller-manager (ServiceAccount default/default)" \
    "${kubectl[@]}" get serviceaccount default -n default || fail "kube-controller-manager is not working"
  wait_for 60 "kube-scheduler's /healthz" \
    curl -ksf --max-time 2 "https://$BIND_ADDRESS:$CLUSTER_SCHEDULER_PORT/healthz" || fail "kube-scheduler is not healthy"
  wait_for 60 "kube-controller-manager's /healthz" \
    curl -ksf --max-time 2 "https://$BIND_ADDRESS:$CLUSTER_CONTROLLER_MANAGER_PORT/healthz" || fail "kube-controller-manager is not healthy"

  # Only loopback: every socket our processes listen on must be bound to 127.0.0.1.
  local pid_re listening
  pid_re=$(awk '{printf "%spid=%s,", (NR > 1 ? "|" : ""), $2}' "$PIDS_FILE")
  listening=$(ss -Htlnp 2>/dev/null | grep -E "$pid_re" || true)
  if [ -n "$listening" ] && printf '%s\n' "$listening" | awk '{print $4}' | grep -vqE "^127\.0\.0\.1:[0-9]+$"; then
    printf '%s\n' "$listening" >&2
    fail "a component listens on a non-loopback address"
  fi

  "$tools/kubectl" --kubeconfig "$kc" config view --raw --flatten >"$KUBECONFIG_FILE.tmp"
  chmod 600 "$KUBECONFIG_FILE.tmp"
  mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
  cat >"$ENV_FILE" <<EOF
TOOLS_DIR=$tools
APISERVER_URL=https://$BIND_ADDRESS:$CLUSTER_APISERVER_PORT
ETCD_PORT=$CLUSTER_ETCD_PORT
ETCD_PEER_PORT=$CLUSTER_ETCD_PEER_PORT
APISERVER_PORT=$CLUSTER_APISERVER_PORT
CONTROLLER_MANAGER_PORT=$CLUSTER_CONTROLLER_MANAGER_PORT
SCHEDULER_PORT=$CLUSTER_SCHEDULER_PORT
KWOK_PORT=$CLUSTER_KWOK_PORT
KUBECONFIG=$KUBECONFIG_FILE
AUDIT_LOG=$AUDIT_LOG
EOF
  UP_DONE=1
  local elapsed_ms=$(($(now_ms) - start))
  log "cluster ready in $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)) | cut -c1) s: https://$BIND_ADDRESS:$CLUSTER_APISERVER_PORT, $CLUSTER_NODES nodes, kubeconfig $KUBECONFIG_FILE"
  echo "$KUBECONFIG_FILE"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  kubeconfig-path) cmd_kubeconfig_path ;;
  -h | --help | help) usage ;;
  *)
    printf '[cluster] ERROR: unknown command "%s"\n' "${1:-}" >&2
    usage
    ;;
esac
