# shellcheck shell=bash
# Helpers shared by Wisp's setup scripts. Sourced, not run.

WISP_HOME="${WISP_HOME:-$HOME/.wisp}"
WISP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export WISP_HOME

say() { printf 'wisp: %s\n' "$*" >&2; }

# die "what went wrong" ["how to fix" ...]
die() {
  printf 'wisp: ERROR: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf 'wisp:   %s\n' "$line" >&2; done
  exit 1
}

# Runs "$@" with its output in a log file; on failure shows the log's tail and dies.
logged() {
  local log="$1"; shift
  mkdir -p "$(dirname "$log")"
  if ! "$@" >"$log" 2>&1; then
    tail -n 25 "$log" | sed 's/^/wisp:   | /' >&2
    die "command failed: $*" "full log: $log"
  fi
}

# Serializes concurrent runs of the same setup step (e.g. two test runs at once).
take_lock() {
  mkdir -p "$WISP_HOME/locks"
  exec 9>"$WISP_HOME/locks/$1.lock"
  flock 9
}

# apt_install PACKAGE... : installs Debian packages, or explains how when not root.
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    die "missing Debian packages: $*" "fix: sudo apt-get update && sudo apt-get install -y --no-install-recommends $*"
  fi
  say "installing $* (apt-get) ..."
  export DEBIAN_FRONTEND=noninteractive
  logged "$WISP_HOME/logs/apt.log" apt-get update
  logged "$WISP_HOME/logs/apt.log" apt-get install -y --no-install-recommends "$@"
}

now_ms() { date +%s%3N; }

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }

# find_jdk [MIN]: prints the home of a JDK (javac included) >= MIN (default 21): $JAVA_HOME, /usr/lib/jvm/*,
# or the javac on the PATH.
find_jdk() {
  local min="${1:-21}" candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* \
      "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# maven_artifact GROUP:ARTIFACT:VERSION : prints the path of the jar, fetched once with Maven (from the local
# repository or Maven Central) into $WISP_HOME/cache/maven.
maven_artifact() {
  local coords="$1" dir="$WISP_HOME/cache/maven" jar jdk group artifact version
  IFS=: read -r group artifact version <<<"$coords"
  jar="$dir/$artifact-$version.jar"
  if [ ! -s "$jar" ]; then
    command -v mvn >/dev/null || die "Maven is missing (needed to fetch $coords)" "fix: apt-get install -y maven"
    jdk=$(find_jdk 21) || die "no JDK >= 21 found (looked at \$JAVA_HOME and /usr/lib/jvm)" \
      "fix: apt-get install -y openjdk-21-jdk-headless, or set JAVA_HOME"
    mkdir -p "$dir"
    local opts="${MAVEN_OPTS:-}"
    [ "$(java_major "$jdk/bin/java")" -ge 23 ] && opts="$opts --sun-misc-unsafe-memory-access=allow"
    JAVA_HOME="$jdk" MAVEN_OPTS="$opts" logged "$WISP_HOME/logs/maven-fetch.log" \
      mvn -B -q -Dstyle.color=never dependency:copy -Dartifact="$coords" -DoutputDirectory="$dir"
  fi
  echo "$jar"
}
