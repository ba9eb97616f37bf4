#!/usr/bin/env bash
# Proves the container layout without a Docker engine: extracts the packaged jar exactly as the
# Dockerfile's build stage does, copies the layers into one directory in the Dockerfile's order, starts
# it with the Dockerfile's entry point, and checks that /healthz answers 200 and that the page's own
# assets are served. Stops the process it started, by PID.
#
# Usage: scripts/layered-jar-check.sh [path/to/app.jar]   (default: target/unidler-*.jar)
#
# Kubernetes access: UNIDLER_KUBECONFIG when set, else the test cluster's target/cluster/kubeconfig
# when it exists, else a kubeconfig naming an unreachable API server (the process does not contact the
# API until a wake, so start-up and /healthz do not depend on a cluster).
# Needs JAVA_HOME pointing at a Java 21+ runtime (the Makefile finds one); Java 25+ adds the AOT cache.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/target/layered-jar-check

log() { printf '[layered-jar-check] %s\n' "$*" >&2; }
fail() { printf '[layered-jar-check] ERROR: %s\n' "$*" >&2; exit 1; }

jar=${1:-}
if [ -z "$jar" ]; then
  shopt -s nullglob
  jars=("$ROOT"/target/unidler-*.jar)
  shopt -u nullglob
  [ ${#jars[@]} -eq 1 ] || fail "expected one target/unidler-*.jar, found ${#jars[@]}: run make package"
  jar=${jars[0]}
fi

rm -rf "$WORK"
mkdir -p "$WORK"
# The Dockerfile's build stage and COPY lines, in order, then its training run for the AOT cache:
"$ROOT/scripts/image-jvm.sh" prepare "$jar" "$WORK/app"

kubeconfig=${UNIDLER_KUBECONFIG:-}
real_cluster=true
if [ -z "$kubeconfig" ] && [ -f "$ROOT/target/cluster/kubeconfig" ]; then
  kubeconfig=$ROOT/target/cluster/kubeconfig
fi
if [ -z "$kubeconfig" ]; then
  kubeconfig=$WORK/kubeconfig
  real_cluster=false
  cat >"$kubeconfig" <<'KUBECONFIG'
apiVersion: v1
kind: Config
clusters:
  - name: unreachable
    cluster:
      server: https://127.0.0.1:9
contexts:
  - name: unreachable
    context:
      cluster: unreachable
      user: nobody
current-context: unreachable
users:
  - name: nobody
    user:
      token: not-a-token
KUBECONFIG
  log "no UNIDLER_KUBECONFIG and no target/cluster/kubeconfig: using a kubeconfig with an unreachable API server"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log "starting the extracted app on 127.0.0.1:$port (kubeconfig $kubeconfig)"
# The Dockerfile's ENTRYPOINT, sized as deploy/'s memory limit would size it:
env PORT="$port" UNIDLER_KUBECONFIG="$kubeconfig" SERVER_ADDRESS=127.0.0.1 UNIDLER_ADMIN_PORT=0 UNIDLER_ADMIN_ADDRESS=127.0.0.1 \
  MAX_RAM=512m "$ROOT/scripts/image-jvm.sh" run "$WORK/app" >"$WORK/app.log" 2>&1 &
pid=$!
stop() {
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    log "pid $pid did not stop within 20 s of SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
}
trap stop EXIT

status=""
for _ in $(seq 1 120); do
  kill -0 "$pid" 2>/dev/null || { cat "$WORK/app.log" >&2; fail "the app exited during start-up (log above)"; }
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)
  [ "$status" = 200 ] && break
  sleep 0.5
done
[ "$status" = 200 ] || { cat "$WORK/app.log" >&2; fail "/healthz did not answer 200 within 60 s (last: ${status:-no answer})"; }
grep -q "Using the kubeconfig $kubeconfig" "$WORK/app.log" || { cat "$WORK/app.log" >&2; fail "the app did not use $kubeconfig"; }
# The waiting page, with the stylesheet and script it inlines from the jar's resources.
page=$(curl -s -o "$WORK/page.html" -w '%{http_code}' -H 'Host: no-such-app.example.test' -H 'Accept: text/html' \
  "http://127.0.0.1:$port/" || true)
grep -q "new EventSource(" "$WORK/page.html" 2>/dev/null \
  || { cat "$WORK/app.log" >&2; fail "the waiting page (HTTP ${page:-nothing}) lacks its inlined script"; }
checked="/healthz answered 200, the waiting page carries its inlined script"
if $real_cluster; then
  # A lookup against the API: an app nobody has gets the page with 404.
  [ "$page" = 404 ] || { cat "$WORK/app.log" >&2; fail "the page of an unknown app answered ${page:-nothing}, not 404 (is the cluster of $kubeconfig up?)"; }
  checked+=", an unknown app's page 404 (looked up in the cluster)"
fi
log "OK: the layered app started with the image's entry point; $checked"
stop
trap - EXIT
# Graceful shutdown must end the process on SIGTERM (what Kubernetes sends).
if kill -0 "$pid" 2>/dev/null; then fail "the app did not exit on SIGTERM"; fi
wait "$pid" 2>/dev/null || true
