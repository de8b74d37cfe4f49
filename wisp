#!/usr/bin/env bash
# Wisp's launcher. Finds a JDK >= 21 by itself, sets up what Wisp needs (Docker engine, runtime images,
# PouchDB Server) and runs it.
#
#   ./wisp standalone [--key=value ...]   Wisp in one process on http://127.0.0.1:3233
#   ./wisp test                           every test: unit, integration (real Kafka, ZooKeeper, store, Docker),
#                                         then every benchmark program briefly (bench --smoke)
#   ./wisp setup                          install and start the prerequisites only
#   ./wisp build                          compile and package (skips tests)
#   ./wisp bench [scenario ...] [--smoke] benchmarks on the real components: tables, JSON, PNG under results/
#                                         (--samples=N for invoke, --seconds=N for throughput: a shorter run)
#   ./wisp admin user create NAME | user list | user delete NAME | key rotate NAME | limits set NAME ...
#                                         | catalog install (the /whisk.system packages)
#   ./wisp fleet [list|json|drain invokerN]   invokers (state, capacity, backlog) and controllers; drain one
#                                         (both find a running standalone by themselves; else pass
#                                          --store.url=... / --zookeeper.connect=... / --kafka.bootstrap=...)
#   ./wisp controller|invoker|gateway [--key=value ...]   one component as its own process
#   ./wisp settings [--write]             every setting (key, default, allowed values) as the README's table
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export WISP_HOME="${WISP_HOME:-$HOME/.wisp}"

say() { printf 'wisp: %s\n' "$*" >&2; }
die() { printf 'wisp: ERROR: %s\n' "$*" >&2; exit 1; }

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }

find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

JDK="$(find_jdk)" || die "no JDK >= 21 found (looked at \$JAVA_HOME and /usr/lib/jvm). Install one, e.g.: apt-get install -y openjdk-21-jdk-headless, or set JAVA_HOME."
export JAVA_HOME="$JDK"
export PATH="$JAVA_HOME/bin:$PATH"
command -v mvn >/dev/null || die "Maven is missing. Install it with: apt-get install -y maven"

MVN=(mvn -B -q -Dstyle.color=never)
# Maven itself trips sun.misc.Unsafe warnings on JDK 23 and later; they are harmless noise.
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 23 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
# Every module's runtime class path, as the last build wrote it (the benchmarks' adds theirs and the test harness).
CLASSPATH_FILE="$ROOT/distribution/target/classpath.txt"
BENCH_CLASSPATH_FILE="$ROOT/benchmarks/target/classpath.txt"

build() {
  local stamp="$ROOT/distribution/target/.built"
  if [ -f "$stamp" ] && [ -f "$CLASSPATH_FILE" ] && [ -f "$BENCH_CLASSPATH_FILE" ] && \
     [ -z "$(find "$ROOT" -path '*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.xml' -o -name '*.properties' -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  say "building (mvn install -DskipTests) ..."
  (cd "$ROOT" && "${MVN[@]}" install -DskipTests) || die "the build failed; run: cd $ROOT && mvn install -DskipTests"
  touch "$stamp"
}

# JAVA_CMD: java with the class path of one module (distribution: Wisp; benchmarks: Wisp and the benchmarks).
java_command() {
  local module="${1:-distribution}" cp
  cp="$(cat "$ROOT/$module/target/classpath.txt"):$(ls "$ROOT/$module"/target/wisp-"$module"-*.jar | head -n1)"
  JAVA_CMD=(java --enable-native-access=ALL-UNNAMED -cp "$cp")
}

run_class() {
  local module="$1" main="$2"; shift 2
  build
  java_command "$module"
  exec "${JAVA_CMD[@]}" "$main" "$@"
}

# The benchmarks' external client (wrk, Debian's package) and their set-up.
bench_setup() {
  "$ROOT/scripts/setup.sh"
  command -v wrk >/dev/null || (. "$ROOT/scripts/lib.sh" && apt_install wrk)
  mkdir -p "$ROOT/results"
}

# A running standalone's addresses, as defaults for admin commands (flags given later override them).
standalone_config() {
  local file="${WISP_STANDALONE_DATA:-$WISP_HOME/standalone}/standalone.properties"
  [ -f "$file" ] && echo "--config=$file"
  return 0
}

cmd="${1:-help}"
[ $# -gt 0 ] && shift
case "$cmd" in
  setup)
    "$ROOT/scripts/setup.sh"
    ;;
  build)
    build
    ;;
  java-home)
    echo "$JAVA_HOME"
    ;;
  standalone)
    "$ROOT/scripts/setup.sh"
    run_class distribution dev.wisp.standalone.StandaloneMain "$@"
    ;;
  bench)
    bench_setup
    cd "$ROOT"
    run_class benchmarks dev.wisp.bench.BenchMain "$@"
    ;;
  fleet) run_class distribution dev.wisp.controller.fleet.FleetMain $(standalone_config) "$@" ;;
  admin) run_class distribution dev.wisp.controller.admin.AdminMain $(standalone_config) "$@" ;;
  controller) run_class distribution dev.wisp.controller.ControllerMain "$@" ;;
  invoker) run_class distribution dev.wisp.invoker.InvokerMain "$@" ;;
  gateway) run_class distribution dev.wisp.gateway.GatewayMain "$@" ;;
  settings)
    cd "$ROOT"
    run_class distribution dev.wisp.distribution.SettingsTable "$@"
    ;;
  test)
    "$ROOT/scripts/setup.sh"
    cd "$ROOT"
    say "runtime images: protocol tests (node --test runtimes/) ..."
    node --test runtimes/
    say "cluster images for the container cluster tests (docker/build.sh) ..."
    "$ROOT/docker/build.sh"
    say "every Java test: unit, then integration on the real components (mvn verify) ..."
    mvn -B -Dstyle.color=never verify "$@"
    say "every benchmark program, briefly (./wisp bench --smoke; its figures mean nothing) ..."
    bench_setup
    java_command benchmarks
    "${JAVA_CMD[@]}" -Dwisp.results="$ROOT/benchmarks/target/smoke-results" dev.wisp.bench.BenchMain --smoke
    ;;
  help|-h|--help)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    die "unknown command '$cmd'; see ./wisp help"
    ;;
esac
