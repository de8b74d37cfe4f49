#!/usr/bin/env bash
# Completes the Docker build context of the Java runtime (runtimes/build.sh calls it with a copy of this
# directory): compiles src/ with a JDK >= 21 for Java 17 into wisp-runtime.jar and adds Gson as lib/gson.jar.
# usage: runtimes/java/prepare.sh CONTEXT_DIR
#        runtimes/java/prepare.sh --gson      prints the path of the Gson jar (fetched once with Maven)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/../../scripts/lib.sh"
GSON=com.google.code.gson:gson:2.13.1

if [ "${1:-}" = --gson ]; then maven_artifact "$GSON"; exit 0; fi
ctx="${1:?usage: $0 CONTEXT_DIR | --gson}"
jdk=$(find_jdk 21) || die "no JDK >= 21 found to compile the Java runtime (looked at \$JAVA_HOME and /usr/lib/jvm)" \
  "fix: apt-get install -y openjdk-21-jdk-headless, or set JAVA_HOME"
gson=$(maven_artifact "$GSON")
rm -rf "$ctx/classes" && mkdir -p "$ctx/classes" "$ctx/lib"
mapfile -t sources < <(find "$HERE/src" -name '*.java' | sort)
logged "$WISP_HOME/logs/javac-runtime.log" "$jdk/bin/javac" --release 17 -encoding UTF-8 -Xlint:all,-options,-classfile -Werror \
  -cp "$gson" -d "$ctx/classes" "${sources[@]}"
logged "$WISP_HOME/logs/javac-runtime.log" "$jdk/bin/jar" --create --file "$ctx/wisp-runtime.jar" -C "$ctx/classes" .
rm -rf "$ctx/classes"
cp "$gson" "$ctx/lib/gson.jar"
