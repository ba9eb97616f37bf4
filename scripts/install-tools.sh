#!/usr/bin/env bash
# Installs the binaries of a real Kubernetes control plane for tests and the demo, without Docker and
# without downloading prebuilt binaries: kube-apiserver, kube-controller-manager and kube-scheduler are
# built from the Go module proxy, kwok and kwokctl with `go install`, etcd comes from Debian and kubectl
# from the machine image. Everything is cached per version; a second run builds nothing.
#
# Prints the directory holding the tools on its last line of stdout (progress goes to stderr).
# KUBEBUILDER_ASSETS, when it points at a directory with ready binaries, is used as is.
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.33.13}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
CACHE_ROOT="${UNIDLER_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/unidler-tools}"
TOOLS_DIR="$CACHE_ROOT/kubernetes-$KUBE_VERSION-kwok-$KWOK_VERSION"
KUBE_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler)

log() { printf '[tools] %s\n' "$*" >&2; }
fail() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }

have_all() {
  local dir=$1 b
  for b in "${KUBE_BINARIES[@]}" etcd kwok kwokctl kubectl; do
    [ -x "$dir/$b" ] || return 1
  done
}

# envtest users already have apiserver, etcd and kubectl there; take what is ready, build the rest.
if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -d "$KUBEBUILDER_ASSETS" ]; then
  log "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS: using the binaries found there"
fi

mkdir -p "$TOOLS_DIR"

link_from_assets() {
  local name=$1
  if [ -n "${KUBEBUILDER_ASSETS:-}" ] && [ -x "$KUBEBUILDER_ASSETS/$name" ] && [ ! -x "$TOOLS_DIR/$name" ]; then
    ln -sf "$KUBEBUILDER_ASSETS/$name" "$TOOLS_DIR/$name"
    log "$name: from KUBEBUILDER_ASSETS"
  fi
}
for b in "${KUBE_BINARIES[@]}" etcd kubectl kwok kwokctl; do link_from_assets "$b"; done

if have_all "$TOOLS_DIR"; then
  log "all tools present in $TOOLS_DIR"
  echo "$TOOLS_DIR"
  exit 0
fi

# --- etcd (Debian) ---------------------------------------------------------------------------------
if [ ! -x "$TOOLS_DIR/etcd" ]; then
  if ! command -v etcd >/dev/null 2>&1 && [ ! -x /usr/bin/etcd ]; then
    command -v apt-get >/dev/null 2>&1 || fail "etcd is missing and apt-get is not available: install etcd 3.4+ and put it on PATH"
    log "installing Debian's etcd-server"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >&2
    # etcd-server's postinst starts a system etcd on :2379; policy-rc.d keeps it from starting.
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends etcd-server >&2 || {
      $SUDO rm -f /usr/sbin/policy-rc.d; fail "could not install etcd-server"; }
    $SUDO rm -f /usr/sbin/policy-rc.d
  fi
  ln -sf "$(command -v etcd || echo /usr/bin/etcd)" "$TOOLS_DIR/etcd"
  log "etcd: $("$TOOLS_DIR/etcd" --version 2>/dev/null | head -1)"
fi

# --- kubectl (machine image) -----------------------------------------------------------------------
if [ ! -x "$TOOLS_DIR/kubectl" ]; then
  minor=$(echo "$KUBE_VERSION" | cut -d. -f1-2 | tr -d v)
  found=""
  for candidate in "/usr/lib/google-cloud-sdk/bin/kubectl.$minor" "$(command -v "kubectl.$minor" 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then found=$candidate; break; fi
  done
  if [ -z "$found" ]; then
    log "no kubectl $minor on this machine: building it from the module proxy with the other binaries"
    KUBE_BINARIES+=(kubectl)
  else
    ln -sf "$found" "$TOOLS_DIR/kubectl"
    log "kubectl: $found"
  fi
fi

command -v go >/dev/null 2>&1 || fail "Go is required to build the Kubernetes binaries (go 1.26+ on PATH)"

# --- kube-apiserver, kube-controller-manager, kube-scheduler (Go module proxy) ----------------------
missing=()
for b in "${KUBE_BINARIES[@]}"; do [ -x "$TOOLS_DIR/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "building ${missing[*]} $KUBE_VERSION from the Go module proxy (cold: ~15 min on 2 cores)"
  start=$(date +%s)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  staging_version="v0.${KUBE_VERSION#v1.}"
  gomod=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$gomod" ] || fail "could not download k8s.io/kubernetes@$KUBE_VERSION"
  {
    echo "module unidler.local/kubetools"
    echo
    echo "go 1.24"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    grep -E '^[[:space:]]*k8s.io/[^ ]+ => \./staging/' "$gomod" | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
  } >"$work/go.mod"
  log "wrapper module replaces $(grep -c '^replace' "$work/go.mod") staging modules with $staging_version"
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1"
  ldflags+=" -X k8s.io/component-base/version.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2) -X k8s.io/component-base/version.gitTreeState=clean"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitMinor=$(echo "$KUBE_VERSION" | cut -d. -f2)"
  for b in "${missing[@]}"; do
    pkg="k8s.io/kubernetes/cmd/$b"
    [ "$b" = kubectl ] && pkg="k8s.io/kubectl"
    log "go build $b ..."
    (cd "$work" && GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 go build -ldflags "$ldflags" -o "$TOOLS_DIR/$b.partial" "$pkg") >&2 \
      || fail "go build of $b failed"
    mv "$TOOLS_DIR/$b.partial" "$TOOLS_DIR/$b"
    log "$b built ($(( $(date +%s) - start )) s so far)"
  done
  log "Kubernetes binaries built in $(( $(date +%s) - start )) s"
fi

# --- kwok, kwokctl ---------------------------------------------------------------------------------
for b in kwok kwokctl; do
  if [ ! -x "$TOOLS_DIR/$b" ]; then
    log "go install sigs.k8s.io/kwok/cmd/$b@$KWOK_VERSION ..."
    GOBIN="$TOOLS_DIR" GOTOOLCHAIN=local CGO_ENABLED=0 go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/$b@$KWOK_VERSION" >&2 \
      || fail "go install of $b failed"
  fi
done

have_all "$TOOLS_DIR" || fail "some tools are still missing in $TOOLS_DIR"
log "tools ready in $TOOLS_DIR ($(du -sh "$TOOLS_DIR" 2>/dev/null | cut -f1) excluding etcd/kubectl links)"
echo "$TOOLS_DIR"
