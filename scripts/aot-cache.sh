# shellcheck shell=bash
# The start-up caches' checks (./wisp standalone). Sourced, not run.

# aot_cache_usable CACHE JAVA CLASSPATH: whether a JVM may start from the AOT cache CACHE. It must be written whole
# (the JVM keeps CACHE.config until its assembly is done) and a JVM must have mapped it once without crashing: a
# cache can be complete and still kill every JVM that maps it (seen on JDK 25.0.3, cause unknown: a broker's cache
# made each of its JVMs die of SIGSEGV in AOTLinkedClassBulkLoader before main, and standalone could not start until
# the cache was deleted by hand). So the first use of each cache maps it in a JVM that only prints its version
# (0.2 s, once a cache; CACHE.ok records the answer), and a cache that crashes it is deleted, to be recorded again.
aot_cache_usable() {
  local cache="$1" java="$2" cp="$3"
  [ -f "$cache" ] && [ ! -e "$cache.config" ] || return 1
  [ -e "$cache.ok" ] && return 0
  # in a subshell of its own, whose report of a crash goes where its output goes
  if ("$java" -XX:+UseSerialGC -XX:AOTCache="$cache" -Xlog:aot=off -Xlog:cds=off -cp "$cp" -version; exit $?) \
      >/dev/null 2>&1; then
    touch "$cache.ok"
    return 0
  fi
  printf 'wisp: the start-up cache %s crashes the JVM that maps it: deleted (a missing cache only costs a slower start)\n' \
    "$cache" >&2
  rm -f "$cache" "$cache.ok"
  return 1
}
