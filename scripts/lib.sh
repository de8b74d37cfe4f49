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
