#!/usr/bin/env bash
# Prints the home of a JDK (with javac) of at least version 21, the project's minimum: $JAVA_HOME when
# it is recent enough, else the `java` on PATH, else the newest JDK under /usr/lib/jvm (or
# /Library/Java/JavaVirtualMachines on macOS). Exits 1 with a message on stderr when there is none.
set -euo pipefail

MIN_VERSION=${MIN_JAVA_VERSION:-21}

# Major version of the JDK at $1 (a JAVA_HOME), or nothing if it is not a usable JDK.
major_version() {
  local home=$1 line version
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  line=$("$home/bin/java" -version 2>&1 | head -n 1) || return 0
  version=$(printf '%s\n' "$line" | sed -n 's/.*version "\([^"]*\)".*/\1/p')
  case $version in
    1.*) version=${version#1.} ;;
  esac
  printf '%s\n' "${version%%[.+-]*}"
}

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v java >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
newest=""
newest_version=0
for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [ -d "$home" ] || continue
  v=$(major_version "$home")
  if [ -n "$v" ] && [ "$v" -gt "$newest_version" ]; then
    newest=$home
    newest_version=$v
  fi
done
[ -n "$newest" ] && candidates+=("$newest")

for home in "${candidates[@]}"; do
  v=$(major_version "$home")
  if [ -n "$v" ] && [ "$v" -ge "$MIN_VERSION" ]; then
    printf '%s\n' "$home"
    exit 0
  fi
done

{
  echo "No JDK $MIN_VERSION or newer found (looked at \$JAVA_HOME, the java on PATH and /usr/lib/jvm/*)."
  echo "Install one (e.g. Temurin 21) and point JAVA_HOME at it."
} >&2
exit 1
