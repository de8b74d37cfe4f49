#!/usr/bin/env bash
# Builds the cluster images offline: wisp/wisp (gateway, controller, invoker, Kafka, ZooKeeper) and
# wisp/pouchdb (the store). Needs what ./wisp setup provides (Docker engine, base image, PouchDB Server).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
. "$ROOT/scripts/lib.sh"

"$ROOT/scripts/setup.sh"
"$ROOT/wisp" build
JDK="$("$ROOT/wisp" java-home)"
CTX="$WISP_HOME/docker-context"
rm -rf "$CTX" && mkdir -p "$CTX/lib"
say "making a Java runtime with jlink from $JDK ..."
"$JDK/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.management,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns \
  --strip-debug --no-header-files --no-man-pages --output "$CTX/jre"
# the distribution's runtime class path: every module's jar and their libraries, no benchmarks or test jars
# (the file has no final newline: `|| [ -n "$jar" ]` keeps its last jar)
tr ':' '\n' < "$ROOT/distribution/target/classpath.txt" | while read -r jar || [ -n "$jar" ]; do cp "$jar" "$CTX/lib/"; done
cp "$HERE/wisp-run" "$CTX/"
say "building wisp/wisp:latest ..."
DOCKER_BUILDKIT=0 docker build -q -f "$HERE/Dockerfile.wisp" -t wisp/wisp:latest "$CTX" >/dev/null
mkdir -p "$CTX/pouch" && cp -r "$WISP_HOME/tools/pouchdb-server" "$CTX/pouch/"
cp "$HERE/store-guard.js" "$HERE/store-run" "$CTX/pouch/"
# the store's launcher is standalone's too: one file, in the standalone module's resources
cp "$ROOT/standalone/src/main/resources/dev/wisp/standalone/store/store-server.js" "$CTX/pouch/"
say "building wisp/pouchdb:latest ..."
DOCKER_BUILDKIT=0 docker build -q -f "$HERE/Dockerfile.pouchdb" -t wisp/pouchdb:latest "$CTX/pouch" >/dev/null
rm -rf "$CTX"
say "images ready: wisp/wisp:latest wisp/pouchdb:latest"
