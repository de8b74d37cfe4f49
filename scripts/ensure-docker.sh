#!/usr/bin/env bash
# Makes sure a Docker engine answers `docker info`: installs Debian's docker.io if dockerd is missing
# and starts dockerd in the background (there is no systemd), detached so it outlives this script.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

docker_ok() { command -v docker >/dev/null && timeout 10 docker info >/dev/null 2>&1; }

# set by setup.sh for its own steps, once it has asked
[ "${WISP_DOCKER_ANSWERED:-}" = 1 ] && exit 0
docker_ok && exit 0

take_lock docker
docker_ok && exit 0

if ! command -v dockerd >/dev/null; then
  apt_install docker.io
fi
command -v docker >/dev/null || die "the docker CLI is missing" "fix: apt-get install -y docker.io"

pidfile=/var/run/docker.pid
sock=/var/run/docker.sock
if [ -S "$sock" ] && [ ! -w "$sock" ]; then
  die "the Docker engine is running but $(id -un) may not use $sock" \
    "fix: sudo usermod -aG docker $(id -un)   (then log in again), or run as root"
elif [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  say "dockerd is running (pid $(cat "$pidfile")) but not answering yet; waiting ..."
elif [ "$(id -u)" != 0 ]; then
  die "the Docker engine is not running and only root can start it here" \
    "fix: sudo $0   (or start dockerd, and add $(id -un) to the docker group)"
else
  say "starting dockerd (log: $WISP_HOME/dockerd.log) ..."
  mkdir -p "$WISP_HOME"
  # setsid: own session, so ending the caller's job or process group does not stop the engine
  setsid nohup dockerd >>"$WISP_HOME/dockerd.log" 2>&1 </dev/null &
  disown || true
fi

start=$(now_ms)
while [ $(( $(now_ms) - start )) -lt 60000 ]; do
  if docker_ok; then
    say "docker is ready ($(( $(now_ms) - start )) ms)"
    exit 0
  fi
  sleep 0.2
done
tail -n 20 "$WISP_HOME/dockerd.log" 2>/dev/null | sed 's/^/wisp:   | /' >&2 || true
die "dockerd did not answer 'docker info' within 60 s" "see $WISP_HOME/dockerd.log; try: dockerd (in a terminal) to see why"
