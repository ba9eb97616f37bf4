#!/usr/bin/env bash
# `make demo`: the whole wake on one machine, without DNS or Docker.
#
#   1. builds the jar and the test classes (the ingress stand-in lives in src/test/java)
#   2. starts the local control plane (scripts/cluster.sh up, state in .cluster/)
#   3. recreates the namespace of demo/sample-apps.yaml, so its apps are idled again
#   4. runs the unidler on 127.0.0.1:8081 and the ingress stand-in on 127.0.0.1:8080; the stand-in
#      sends a Host to the unidler while that app's Service is ExternalName, and to a stand-in app
#      page once the unidler has restored it to ClusterIP
#
# Ctrl-C stops the two processes it started, by PID, then the cluster if this run started it.
# Ports: DEMO_PORT (default 8080), DEMO_UNIDLER_PORT (default 8081) and DEMO_ADMIN_PORT (the admin
# API, the console and the metrics, default 8082). The admin API and the console take the demo token
# printed at the end (target/demo/tokens.yaml); the metrics need none.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CLUSTER_DIR=.cluster
PORT_FRONT=${DEMO_PORT:-8080}
PORT_UNIDLER=${DEMO_UNIDLER_PORT:-8081}
PORT_ADMIN=${DEMO_ADMIN_PORT:-8082}
# A demo token: anyone on this machine may read it, which is fine for a demo only.
DEMO_TOKEN=demo-token-0123456789abcdef
KUBECONFIG_FILE=$CLUSTER_DIR/kubeconfig
SAMPLES=demo/sample-apps.yaml
LOGS=target/demo

log() { printf '[demo] %s\n' "$*" >&2; }
fail() { printf '[demo] ERROR: %s\n' "$*" >&2; exit 1; }

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
for port in "$PORT_FRONT" "$PORT_UNIDLER" "$PORT_ADMIN"; do
  port_free "$port" || fail "port $port is in use on 127.0.0.1: stop what listens there (ss -ltnp 'sport = :$port'), or set DEMO_PORT / DEMO_UNIDLER_PORT / DEMO_ADMIN_PORT"
done

JAVA_HOME=$(scripts/find-jdk.sh)
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java

log "building the jar and the test classes"
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test
[ -f target/test-classes/dev/unidler/demo/IngressStandIn.class ] \
  || fail "target/test-classes has no dev.unidler.demo.IngressStandIn: the demo needs the ingress stand-in (src/test/java/dev/unidler/demo)"
jar=$(ls target/unidler-*.jar)

tools=$(scripts/install-tools.sh | tail -n 1)
kubectl=$tools/kubectl

started_cluster=false
if scripts/cluster.sh status >/dev/null 2>&1; then
  log "the cluster in $CLUSTER_DIR is already up: using it (and leaving it up)"
else
  started_cluster=true
fi
pids=()
cleanup() {
  local status=$? pid
  trap - INT TERM EXIT
  # Ctrl-C may also have ended a pipe this output goes through (make demo | tee log):
  # stopping the processes matters more than saying so.
  trap '' PIPE
  log "stopping" || true
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if $started_cluster; then
    # Into a file: the terminal or pipe may be gone, and the cluster must stop all the same.
    mkdir -p "$LOGS"
    scripts/cluster.sh down >>"$LOGS/cluster-down.log" 2>&1 || true
    log "cluster stopped (details: $LOGS/cluster-down.log)" || true
  fi
  exit "$status"
}
trap cleanup EXIT
# Ctrl-C is the normal way to end the demo.
trap 'exit 0' INT TERM

scripts/cluster.sh up >/dev/null

log "recreating the sample apps ($SAMPLES), idled"
namespaces=$(awk '/^kind: Namespace/{ns=1} ns && /^  name:/{print $2; ns=0}' "$SAMPLES")
for ns in $namespaces; do
  "$kubectl" --kubeconfig "$KUBECONFIG_FILE" delete namespace "$ns" --ignore-not-found --wait=true --timeout=120s >&2
done
"$kubectl" --kubeconfig "$KUBECONFIG_FILE" apply -f "$SAMPLES" >&2

mkdir -p "$LOGS"
printf 'tokens:\n  - name: demo\n    token: "%s"\n    operations: [wake, idle, restart]\n    apps:\n      - namespace: demo-apps\n' \
  "$DEMO_TOKEN" >"$LOGS/tokens.yaml"
# Own sessions (setsid), so Ctrl-C reaches this script only and the processes stop in order.
log "starting the unidler on 127.0.0.1:$PORT_UNIDLER (log: $LOGS/unidler.log)"
PORT=$PORT_UNIDLER SERVER_ADDRESS=127.0.0.1 KUBECONFIG=$KUBECONFIG_FILE \
  UNIDLER_ADMIN_PORT=$PORT_ADMIN UNIDLER_ADMIN_ADDRESS=127.0.0.1 UNIDLER_ACCESS_TOKENSFILE=$LOGS/tokens.yaml \
  setsid "$JAVA" -jar "$jar" >"$LOGS/unidler.log" 2>&1 </dev/null &
pids+=($!)
log "starting the ingress stand-in on 127.0.0.1:$PORT_FRONT (log: $LOGS/ingress.log)"
setsid "$JAVA" -cp "$(cat target/classpath.txt):target/classes:target/test-classes" dev.unidler.demo.IngressStandIn \
  --port="$PORT_FRONT" --unidler="http://127.0.0.1:$PORT_UNIDLER" --kubeconfig="$KUBECONFIG_FILE" \
  >"$LOGS/ingress.log" 2>&1 </dev/null &
pids+=($!)

for _ in $(seq 1 120); do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || fail "a process exited during start-up; see $LOGS/unidler.log and $LOGS/ingress.log"
  done
  if curl -sf -o /dev/null "http://127.0.0.1:$PORT_UNIDLER/healthz" && ! port_free "$PORT_FRONT"; then
    break
  fi
  sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT_UNIDLER/healthz" || fail "the unidler did not answer within 60 s; see $LOGS/unidler.log"

echo
echo "Three sample apps are idled. Open one (any *.localhost name reaches 127.0.0.1 in most browsers):"
for host in $(awk '$1 == "host:" {print $2}' "$SAMPLES" | sort -u | grep -v '^reports\.'); do
  echo "  http://$host:$PORT_FRONT/"
done
first=$(awk '$1 == "host:" {print $2}' "$SAMPLES" | sort -u | head -n 1)
echo
echo "Or watch a wake without DNS or a browser:"
echo "  curl -N -H 'Host: $first' -H 'Accept: text/event-stream' http://127.0.0.1:$PORT_FRONT/events"
echo
echo "Put $first back to sleep once you have woken it (then open it again: the page wakes it):"
echo "  curl --fail-with-body -X POST -H 'Authorization: Bearer $DEMO_TOKEN' -H 'Content-Type: application/json' \\"
echo "    -d '{\"host\":\"$first\"}' 'http://127.0.0.1:$PORT_ADMIN/idle?wait=1m'"
echo "(app3.localhost idles itself every 5 minutes: its idle schedule.)"
echo
echo "Restart the awake app reports.localhost as a pipeline would, failing unless every pod is replaced:"
echo "  curl --fail-with-body -X POST -H 'Authorization: Bearer $DEMO_TOKEN' -H 'Content-Type: application/json' \\"
echo "    -d '{\"host\":\"reports.localhost\",\"reason\":\"demo\"}' 'http://127.0.0.1:$PORT_ADMIN/restart?wait=2m'"
echo
echo "The console (every app, its state, live; wake, idle, restart, repair), signed in with the demo token:"
echo "  http://127.0.0.1:$PORT_ADMIN/console    token: $DEMO_TOKEN"
echo
echo "Prometheus metrics (admin port only, no token): wakes, idles and restarts by outcome, wake phases:"
echo "  curl -s http://127.0.0.1:$PORT_ADMIN/metrics | grep '^unidler_'"
echo
echo "Logs: $LOGS/unidler.log, $LOGS/ingress.log. kubectl: $kubectl --kubeconfig $KUBECONFIG_FILE get deploy,svc -n demo-apps"
echo "Ctrl-C stops everything."
# Wait for Ctrl-C, or for either process to exit on its own.
while kill -0 "${pids[0]}" 2>/dev/null && kill -0 "${pids[1]}" 2>/dev/null; do
  sleep 1
done
fail "a process stopped on its own; see $LOGS/unidler.log and $LOGS/ingress.log"
