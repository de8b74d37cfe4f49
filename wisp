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
#   ./wisp action|activation|trigger|rule|package|namespace|property ...   the command line, shaped like
#                                         OpenWhisk's wsk (reads ~/.wskprops); ./wisp action help for its verbs
#   ./wisp settings [--write]             every setting (key, default, allowed values) as the README's table
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export WISP_HOME="${WISP_HOME:-$HOME/.wisp}"

say() { printf 'wisp: %s\n' "$*" >&2; }
die() { printf 'wisp: ERROR: %s\n' "$*" >&2; exit 1; }

# A JDK's major version from its release file (no JVM started: the CLI verbs run this on every call), else -version.
java_major() {
  local release; release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ] && grep -q '^JAVA_VERSION="[0-9]' "$release"; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n1
  else
    "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1
  fi
}

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
CLI_VERBS=" action activation trigger rule package namespace property "
# the CLI verbs need Maven only to build the CLI the first time (run_cli says so then)
case "$CLI_VERBS" in *" ${1:-help} "*) ;; *)
  command -v mvn >/dev/null || die "Maven is missing. Install it with: apt-get install -y maven" ;;
esac

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

# shellcheck source=scripts/aot-cache.sh
. "$ROOT/scripts/aot-cache.sh"
cache_usable() { aot_cache_usable "$1" "${JAVA_CMD[0]}" "${JAVA_CMD[3]}"; }

# Standalone's JVM, and its Kafka broker's (a child JVM), start from caches of what the last run loaded. On JDK 25
# and later an AOT cache (JEP 483/514): the classes loaded and linked, so the start needs less CPU. Not the methods'
# profiles (JEP 515): replaying them made the JIT compile the last run's hot path during the start, which cost 0.3-
# 0.5 s of ready time on two cores and 16 MB of idle memory for a first 1,000 warm invokes 8% faster (issue 17;
# benchmarks/HISTORY.md). The first run after a build records (a training run): when it stops, each JVM
# assembles its cache in a child JVM (Ctrl-C then takes some seconds, once, and the JVM prints what it writes).
# Before JDK 25, a dynamic class data archive written at exit in the same way. The caches live in
# distribution/target/cds (a clean build removes them) under a name from the class path and every jar's time and
# size: the JVM refuses a cache whose jars changed under the same paths, so each build gets a new name. A cache
# left half-written (its .config remains: the JVM was killed while assembling) is thrown away and recorded again.
# A missing cache only costs a slower start. WISP_JVM_LOG=-Xlog:aot (-Xlog:cds before JDK 25) shows why.
#
# Its JIT (standalone.jit): C1 alone unless told c2 (--standalone.jit=c2, WISP_STANDALONE_JIT=c2 or that line in a
# --config file, read here: the JVM's compilers are chosen before it starts; the broker's JVM follows). A start is
# CPU-bound on two cores and C2 was half of the JIT's CPU in it; C1 alone is ready in 2.0 s instead of 3.0-3.2 and
# at its steady speed within a few hundred invokes, where C2 takes tens of thousands; C2's steady state costs about
# 0.6 times the CPU an invoke (issue 17; benchmarks/HISTORY.md).
#
# Its JVM's memory: the serial collector with a 16 MB initial heap that grows as the load needs (G1's default
# starts at 1/64 of the machine's memory, and its remembered sets add tens of MB; 32 MB held 4 MB more at idle for
# the same CPU an invoke under load), and glibc's malloc with two arenas instead of one per thread (the broker's JVM
# and PouchDB inherit that). Serial would rather expand its old generation with promoted garbage than collect it, so
# once a sustained load has grown the heap by 128 MB one full collection hands the excess back, in one step
# (IdleCollection; -XX:-ShrinkHeapInSteps).
run_standalone() {
  build
  java_command distribution
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  local cds="$ROOT/distribution/target/cds" key major cache=() log
  mkdir -p "$cds"
  key="$( { printf '%s\n' "${JAVA_CMD[*]}"; tr ':' '\n' <<< "${JAVA_CMD[3]}" | xargs -r stat -c '%Y %s' 2>/dev/null; } \
    | cksum | cut -d' ' -f1)"
  # other class paths' caches
  find "$cds" -maxdepth 1 -type f ! -name "*-$key.*" -delete 2>/dev/null || true
  major="$(java_major "$JAVA_HOME/bin/java")"
  # One standalone of a build at a time owns its caches (a lock its JVM holds until it exits): the owner throws
  # away a cache whose assembly was cut short and records what is missing. Another one started meanwhile (its own
  # data directory and port) maps the caches that are complete and records nothing: the owner may be recording,
  # and a JVM recording a cache writes its .config the moment it starts.
  local lock owner=true
  exec {lock}>>"$cds/standalone-$key.lock"
  flock -n "$lock" || owner=false
  if [ "$major" -ge 25 ]; then
    log=(-Xlog:aot=off -Xlog:cds=off)
    if $owner; then
      for f in "$cds"/*-"$key".aot.config; do [ -e "$f" ] && rm -f "$f" "${f%.config}" "${f%.config}.ok"; done
    fi
    if cache_usable "$cds/standalone-$key.aot"; then
      cache=(-XX:AOTCache="$cds/standalone-$key.aot")
    elif $owner; then
      cache=(-XX:AOTCacheOutput="$cds/standalone-$key.aot" -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining
        -Dwisp.aot.training=true)
    fi
    if cache_usable "$cds/kafka-$key.aot" || $owner; then
      cache+=(-Dwisp.kafka.cds.archive="$cds/kafka-$key.aot")
    fi
  else # the archives are written at exit by whichever JVM uses them: the owner's alone
    log=(-Xlog:cds=off -Xlog:cds+dynamic=off)
    $owner && cache=(-XX:SharedArchiveFile="$cds/standalone-$key.jsa" -XX:+AutoCreateSharedArchive -Xshare:auto
      -Dwisp.kafka.cds.archive="$cds/kafka-$key.jsa")
  fi
  # standalone.jit as the settings read it: a flag over the environment over a --config file (the last one's line)
  local from_file="" from_flag="" arg line
  for arg in "$@"; do
    case "$arg" in
      --standalone.jit=?*) from_flag="${arg#--standalone.jit=}" ;;
      --config=*)
        line="$(sed -n -E 's/^[[:space:]]*standalone\.jit[[:space:]]*[=:[:space:]][[:space:]]*//p' "${arg#--config=}" \
          2>/dev/null | tail -n 1)"
        [ -n "$line" ] && from_file="${line%%[[:space:]]*}" ;;
    esac
  done
  local jit="${from_flag:-${WISP_STANDALONE_JIT:-${from_file:-c1}}}"
  local compilers=()
  [ "$jit" = c1 ] && compilers=(-XX:TieredStopAtLevel=1)
  local trim=() # JDK 22+: the C heap glibc keeps after start-up and the JIT goes back to the system every 5 s
  [ "$major" -ge 22 ] && trim=(-XX:TrimNativeHeapInterval=5000)
  exec "${JAVA_CMD[0]}" -XX:+UseSerialGC -Xms16m -XX:-ShrinkHeapInSteps "${compilers[@]}" "${trim[@]}" "${cache[@]}" \
    ${WISP_JVM_LOG:-"${log[@]}"} "${JAVA_CMD[@]:1}" dev.wisp.standalone.StandaloneMain "$@"
}

# The CLI (cli/, dev.wisp.cli.WispCli) on its own small classpath: no whole-tree build check per call, only its
# own sources against its jar. Class data sharing: the first call that succeeds writes an archive of the classes
# it loaded (cli/target/wisp-cli-*.jsa) and later calls map it, which with C1 only and the serial collector keeps
# a call's JVM start-up to a fraction of a second.
run_cli() {
  local jar="$ROOT/cli/target/wisp-cli.jar" cp="$ROOT/cli/target/classpath.txt"
  if [ ! -f "$jar" ] || [ ! -f "$cp" ] || [ -n "$(find "$ROOT/cli/src/main" "$ROOT/cli/pom.xml" -newer "$jar" -print -quit)" ]; then
    command -v mvn >/dev/null || die "Maven is missing (the CLI is built on first use). Install it with: apt-get install -y maven"
    say "building the command line (mvn install -pl cli) ..."
    (cd "$ROOT" && "${MVN[@]}" install -DskipTests -N && "${MVN[@]}" install -DskipTests -pl cli) >&2 \
      || die "the CLI's build failed; run: cd $ROOT && mvn install -DskipTests -pl cli"
  fi
  # named after the jar's and classpath's time stamps: an archive is only good for the classpath it was made with
  local jsa; jsa="$ROOT/cli/target/wisp-cli-$(stat -c '%Y-%s' "$jar")-$(stat -c '%Y' "$cp").jsa"
  local jvm=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto ${WISP_CLI_JVM_LOG:--Xlog:cds=off -Xlog:cds+dynamic=off})
  local classpath="$jar:$(cat "$cp")"
  # help and property touch no API: an archive of theirs would lack most classes, so they leave it to another call
  if [ -f "$jsa" ] || [ "$1" = property ] || [[ " $* " =~ \ (help|-h|--help)\  ]]; then
    exec "${jvm[@]}" -XX:SharedArchiveFile="$jsa" -cp "$classpath" dev.wisp.cli.WispCli "$@"
  fi
  # no archive yet: this call makes one of the classes it loads, under its own name, and a call that succeeded
  # puts it in place with an atomic rename (calls running at the same time never see a half-written archive)
  local rc=0
  "${jvm[@]}" -XX:ArchiveClassesAtExit="$jsa.$$" -cp "$classpath" dev.wisp.cli.WispCli "$@" || rc=$?
  if [ "$rc" = 0 ] && [ -s "$jsa.$$" ]; then
    find "$ROOT/cli/target" -maxdepth 1 -name 'wisp-cli-*.jsa' ! -name "$(basename "$jsa")" -delete 2>/dev/null || true
    mv -f "$jsa.$$" "$jsa"
  else
    rm -f "$jsa.$$"
  fi
  return "$rc"
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
    run_standalone "$@"
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
  action|activation|trigger|rule|package|namespace|property)
    run_cli "$cmd" "$@"
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
    touch "$ROOT/distribution/target/.built" # what verify packaged is the build (bench standalone runs ./wisp standalone)
    say "every benchmark program, briefly (./wisp bench --smoke; its figures mean nothing) ..."
    bench_setup
    java_command benchmarks
    "${JAVA_CMD[@]}" -Dwisp.results="$ROOT/benchmarks/target/smoke-results" dev.wisp.bench.BenchMain --smoke
    ;;
  help|-h|--help)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    die "unknown command '$cmd'; see ./wisp help"
    ;;
esac
