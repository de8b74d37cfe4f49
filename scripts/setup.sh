#!/usr/bin/env bash
# Installs and starts everything Wisp needs on this machine (Debian, root): the Docker engine,
# the action runtime images, PouchDB Server, Chromium for the console's browser tests. Idempotent: a few hundred
# ms when all is in place.
# usage: scripts/setup.sh [--verify]   (--verify: also smoke-test the images and PouchDB Server)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

verify=()
case "${1:-}" in
  "") ;;
  --verify) verify=(--verify) ;;
  *) die "unknown option: $1" "usage: $0 [--verify]" ;;
esac

start=$(now_ms)
step() {
  local name="$1"; shift
  "$@" || die "setup step '$name' failed (see the lines above)" "retry: $WISP_ROOT/scripts/setup.sh"
}
step docker "$WISP_ROOT/scripts/ensure-docker.sh"
export WISP_DOCKER_ANSWERED=1 # for the steps below, which would each ask again (0.1 s)
# openssl: the edge tests make a throwaway certificate for the gateway's HTTPS listener
command -v openssl >/dev/null || step openssl apt_install openssl
# chromium: the web console's browser tests (ConsoleIT) drive Debian's headless Chromium, never a downloaded one
[ -x /usr/bin/chromium ] || step chromium apt_install chromium
step images "$WISP_ROOT/runtimes/build.sh" "${verify[@]}"
step pouchdb "$WISP_ROOT/scripts/ensure-pouchdb.sh" "${verify[@]}"
say "setup done in $(( $(now_ms) - start )) ms (state in $WISP_HOME)"
