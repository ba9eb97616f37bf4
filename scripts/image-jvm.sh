#!/usr/bin/env bash
# How the container image lays out and starts the unidler's JVM: one definition, used by the
# Dockerfile (build and entry point), scripts/layered-jar-check.sh and `make bench`, so that what is
# measured and checked here is what runs in a cluster.
#
#   scripts/image-jvm.sh prepare <jar> <dir>   extract the jar's layers into <dir> in the Dockerfile's
#                                              order (<dir>/app.jar and <dir>/lib), then build the
#                                              JVM's AOT cache (<dir>/app.aot)
#                                              with a training run that starts the application
#                                              context and exits before it touches the network
#   scripts/image-jvm.sh train <dir>           only the training run, in layers already in place
#   scripts/image-jvm.sh run <dir> [args...]   exec java in <dir> with the image's options
#   scripts/image-jvm.sh options               print those options
#
# The options:
#   -XX:AOTCache=app.aot     classes loaded and linked ahead of time (JEP 483/514): start-up to a
#                            healthy answer in about half the time; used only when the file is there
#                            and was made by this JVM
#   -XX:+UseSerialGC         the pod has one CPU (deploy/ limits it to 1): the smallest, simplest
#                            collector; pauses stay short because the live heap is small
#   -XX:MaxRAMPercentage=50  half the container's memory limit for the heap (256 MiB of deploy/'s
#                            512 MiB); the rest is the AOT cache, code, threads and Netty's buffers
#   MALLOC_ARENA_MAX=2       glibc otherwise keeps up to 8 malloc arenas per core, tens of MiB of
#                            RSS the JVM never uses
# Outside a container the JVM sizes itself to the whole machine: set MAX_RAM (e.g. 512m) to size it
# as deploy/'s limit would (-XX:MaxRAM).
#
# JAVA_HOME selects the JVM (default: the java on PATH). The AOT cache needs Java 25 or later; on an
# older JVM `prepare` skips it and `run` starts without it.
set -euo pipefail

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
LAYERS=(dependencies spring-boot-loader snapshot-dependencies application)
# Spring Boot's layout for class data sharing: the application's own jar, whose manifest names the
# libraries in lib/, run with -jar, so that the JVM's application class loader loads (and the AOT cache
# holds) every class. Spring Boot's launcher would load the libraries with a class loader of its own,
# whose classes the cache holds fewer of (about 1,300 classes more loaded at every start).
APP_JAR=app.jar

log() { printf '[image-jvm] %s\n' "$*" >&2; }
fail() { printf '[image-jvm] ERROR: %s\n' "$*" >&2; exit 1; }

java_feature() {
  "$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }'
}

options() {
  local dir=$1
  local opts=(-XX:+UseSerialGC -XX:MaxRAMPercentage=50)
  if [ -n "${MAX_RAM:-}" ]; then opts+=("-XX:MaxRAM=$MAX_RAM"); fi
  if [ -f "$dir/app.aot" ]; then opts+=(-XX:AOTCache=app.aot); fi
  printf '%s\n' "${opts[@]}"
}

prepare() {
  local jar=$1 dir=$2
  [ -f "$jar" ] || fail "no jar at $jar"
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  "$JAVA" -Djarmode=tools -jar "$jar" extract --layers --application-filename "$APP_JAR" \
    --destination "$work/extracted" >/dev/null
  mkdir -p "$dir"
  for layer in "${LAYERS[@]}"; do
    [ -d "$work/extracted/$layer" ] || fail "the jar has no layer $layer"
    cp -R "$work/extracted/$layer/." "$dir/"
  done
  [ -f "$dir/$APP_JAR" ] && [ -d "$dir/lib" ] || fail "no $APP_JAR and lib/ in the extracted layers"
  train "$dir"
}

train() {
  local dir=$1 work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  rm -f "$dir/app.aot"
  if [ "$(java_feature)" -lt 25 ]; then
    log "Java $(java_feature) has no AOT cache (Java 25+): the image starts without one"
    return
  fi
  # The training run: the whole application context is built (every bean, template and route), then
  # Spring exits before the lifecycle starts, so no cluster is contacted. The kubeconfig only has to
  # parse.
  cat >"$work/kubeconfig" <<'KUBECONFIG'
apiVersion: v1
kind: Config
clusters: [{name: training, cluster: {server: "https://127.0.0.1:9"}}]
contexts: [{name: training, context: {cluster: training, user: training}}]
current-context: training
users: [{name: training, user: {token: training}}]
KUBECONFIG
  local opts
  mapfile -t opts < <(options "$dir")
  (cd "$dir" && MALLOC_ARENA_MAX=2 UNIDLER_KUBECONFIG="$work/kubeconfig" PORT=0 \
    "$JAVA" "${opts[@]}" -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar "$APP_JAR") >"$work/training.log" 2>&1 \
    || { cat "$work/training.log" >&2; fail "the training run failed"; }
  [ -f "$dir/app.aot" ] || { cat "$work/training.log" >&2; fail "the training run wrote no AOT cache"; }
  log "AOT cache: $dir/app.aot ($(du -m "$dir/app.aot" | cut -f1) MiB)"
}

run() {
  local dir=$1
  shift
  local opts
  mapfile -t opts < <(options "$dir")
  cd "$dir"
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  exec "$JAVA" "${opts[@]}" -jar "$APP_JAR" "$@"
}

case "${1:-}" in
  prepare) [ $# -eq 3 ] || fail "usage: $0 prepare <jar> <dir>"; prepare "$2" "$3" ;;
  train) [ $# -eq 2 ] || fail "usage: $0 train <dir>"; train "$2" ;;
  run) [ $# -ge 2 ] || fail "usage: $0 run <dir> [args...]"; shift; run "$@" ;;
  options) options "${2:-.}" ;;
  *) fail "usage: $0 prepare <jar> <dir> | train <dir> | run <dir> [args...] | options [<dir>]" ;;
esac
