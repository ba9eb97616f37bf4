#!/usr/bin/env bash
# Installs what the metrics test scrapes the unidler with: Debian's Prometheus server, unless it is
# there already (or PROMETHEUS names another binary). The test runs the binary itself, on loopback,
# with its own configuration and storage; the package's system service is kept from starting and is
# never used. Prints the binary's path on its last line.
set -euo pipefail

PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}

log() { printf '[prometheus] %s\n' "$*" >&2; }
fail() { printf '[prometheus] ERROR: %s\n' "$*" >&2; exit 1; }

if [ ! -x "$PROMETHEUS" ]; then
  command -v apt-get >/dev/null 2>&1 \
    || fail "prometheus missing and apt-get is not available: install Prometheus 2.x, then set PROMETHEUS to its path"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  log "installing Debian's prometheus (for the metrics test; about 100 MB)"
  $SUDO apt-get update -qq >&2
  # The package's postinst starts a system Prometheus on :9090 (and its node exporter on :9100);
  # policy-rc.d keeps them from starting. One already there is left as it is.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    own_policy=yes
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >&2 || status=$?
  [ -z "$own_policy" ] || $SUDO rm -f /usr/sbin/policy-rc.d
  [ "$status" = 0 ] || fail "could not install prometheus"
fi
[ -x "$PROMETHEUS" ] || fail "$PROMETHEUS is still missing after the install: set PROMETHEUS to Prometheus's path"
log "$("$PROMETHEUS" --version 2>&1 | head -1)"
echo "$PROMETHEUS"
