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
# --ignore-scripts: the only install scripts are sqlite3's (a source build taking ~2 min and a compiler;
# only --sqlite needs it) and leveldown's, whose prebuilt binding loads without its script.

print_path=false verify=false
for arg in "$@"; do
  case "$arg" in
    --print-path) print_path=true ;;
    --verify) verify=true ;;
    *) die "unknown option: $arg" "usage: $0 [--print-path] [--verify]" ;;
  esac
done

# Starts pouchdb-server in a scratch dir (it writes config.json and log.txt in its working directory),
# in memory or on disk (leveldown's native binding), asks GET / and creates a database.
verify_start() {
  local what="$1" scratch port pid answer="" created="" start
  scratch=$(mktemp -d)
  start=$(now_ms)
  local -a storage=(--in-memory)
  [ "$what" = on-disk ] && storage=(-d "$scratch/data/")
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  (cd "$scratch" && mkdir -p data && exec "$BIN" "${storage[@]}" -p "$port" -o 127.0.0.1 -n >"$scratch/out.txt" 2>&1) &
  pid=$!
  for _ in $(seq 1 100); do
    answer=$(curl -fsS "http://127.0.0.1:$port/" 2>/dev/null) && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ "$answer" == *'"version"'* ]] && created=$(curl -sS -X PUT "http://127.0.0.1:$port/wisp_verify" 2>&1 || true)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ "$created" != *'"ok":true'* ]]; then
    sed 's/^/wisp:   | /' "$scratch/out.txt" >&2 || true
    rm -rf "$scratch"
    die "pouchdb-server ($what) did not work on port $port: GET / -> '$answer', PUT /wisp_verify -> '$created'" \
      "fix: rm -rf $DIR && $0   (reinstalls it)"
  fi
  rm -rf "$scratch"
  say "pouchdb-server $VERSION ($what) answered in $(( $(now_ms) - start )) ms"
}

if [ ! -e "$MARKER" ] || [ ! -x "$BIN" ]; then
  take_lock pouchdb
  if [ ! -x "$BIN" ]; then
    command -v npm >/dev/null || die "npm is missing" "fix: apt-get install -y nodejs npm"
    say "installing pouchdb-server@$VERSION (npm, ~30 s) into $DIR ..."
    start=$(now_ms)
    tmp="$DIR.tmp.$$"
    rm -rf "$DIR".tmp.* "$DIR"
    mkdir -p "$tmp"
    logged "$WISP_HOME/logs/npm-pouchdb.log" \
      npm install --prefix "$tmp" --ignore-scripts --no-audit --no-fund --loglevel=error "pouchdb-server@$VERSION"
    mv "$tmp" "$DIR"
    say "installed pouchdb-server in $(( ($(now_ms) - start) / 1000 )) s"
  fi
  if [ ! -e "$MARKER" ]; then
    verify_start in-memory
    verify_start on-disk
    touch "$MARKER"
    verify=false
  fi
fi

if $verify; then verify_start in-memory; verify_start on-disk; fi
$print_path && echo "$BIN"
exit 0
