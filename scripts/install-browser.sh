#!/usr/bin/env bash
# Installs what the browser tests drive: Debian's Chromium and its chromedriver, unless they are
# there already (or CHROMIUM and CHROMEDRIVER name other binaries). Nothing is downloaded by the
# tests themselves. Prints the two paths on its last line.
set -euo pipefail

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}

log() { printf '[browser] %s\n' "$*" >&2; }
fail() { printf '[browser] ERROR: %s\n' "$*" >&2; exit 1; }

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
[ -x "$CHROMEDRIVER" ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 \
    || fail "${missing[*]} missing and apt-get is not available: install Chromium and chromedriver, then set CHROMIUM and CHROMEDRIVER"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  log "installing Debian's ${missing[*]} (for the browser tests; about 300 MB)"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || fail "could not install ${missing[*]}"
fi
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is still missing after the install: set CHROMIUM to Chromium's path"
[ -x "$CHROMEDRIVER" ] || fail "$CHROMEDRIVER is still missing after the install: set CHROMEDRIVER to chromedriver's path"
log "$("$CHROMIUM" --version 2>/dev/null | head -1); $("$CHROMEDRIVER" --version 2>/dev/null | head -1)"
echo "$CHROMIUM $CHROMEDRIVER"
