#!/usr/bin/env bash
# Makes sure PouchDB Server (a CouchDB-API server, npm pouchdb-server) is installed under
# $WISP_HOME/tools/pouchdb-server and starts. Progress goes to stderr.
#   --print-path  then print the absolute path of the pouchdb-server executable on stdout
#   --verify      start it once even when it is already installed
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION=4.2.0
DIR="$WISP_HOME/tools/pouchdb-server"
BIN="$DIR/node_modules/.bin/pouchdb-server"
MARKER="$DIR/.wisp-installed-$VERSION"

print_path=false verify=false
for arg in "$@"; do
  case "$arg" in
    --print-path) print_path=true ;;
    --verify) verify=true ;;
    *) die "unknown option: $arg" "usage: $0 [--print-path] [--verify]" ;;
  esac
done

# Starts pouchdb-server in-memory in a scratch dir (it writes config.json and log.txt there) and asks GET /.
verify_start() {
  local scratch port pid answer="" start
  scratch=$(mktemp -d)
  start=$(now_ms)
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  (cd "$scratch" && exec "$BIN" --in-memory -p "$port" -o 127.0.0.1 -n >"$scratch/out.txt" 2>&1) &
  pid=$!
  for _ in $(seq 1 100); do
    answer=$(curl -fsS "http://127.0.0.1:$port/" 2>/dev/null) && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ "$answer" != *'"version"'* ]]; then
    sed 's/^/wisp:   | /' "$scratch/out.txt" >&2 || true
    rm -rf "$scratch"
    die "pouchdb-server did not answer GET / on port $port" \
      "fix: rm -rf $DIR && $0   (reinstalls it)"
  fi
  rm -rf "$scratch"
  say "pouchdb-server $VERSION started and answered GET / in $(( $(now_ms) - start )) ms"
}

if [ ! -e "$MARKER" ] || [ ! -x "$BIN" ]; then
  take_lock pouchdb
  if [ ! -x "$BIN" ]; then
    command -v npm >/dev/null || die "npm is missing" "fix: apt-get install -y nodejs npm"
    say "installing pouchdb-server@$VERSION (npm, 1-2 min) into $DIR ..."
    start=$(now_ms)
    tmp="$DIR.tmp.$$"
    rm -rf "$tmp" "$DIR"
    mkdir -p "$tmp"
    logged "$WISP_HOME/logs/npm-pouchdb.log" \
      npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "pouchdb-server@$VERSION"
    mv "$tmp" "$DIR"
    say "installed pouchdb-server in $(( ($(now_ms) - start) / 1000 )) s"
  fi
  if [ ! -e "$MARKER" ]; then
    verify_start
    touch "$MARKER"
    verify=false
  fi
fi

$verify && verify_start
$print_path && echo "$BIN"
exit 0
