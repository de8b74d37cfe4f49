#!/usr/bin/env bash
# Prints the /init body of the Java runtime's smoke test: Smoke.java compiled for Java 8 into a jar.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/../../../scripts/lib.sh"
jdk=$(find_jdk 17) || die "no JDK >= 17 found to compile the smoke test action"
gson=$("$HERE/../prepare.sh" --gson)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
logged "$WISP_HOME/logs/javac-smoke.log" "$jdk/bin/javac" --release 8 -Xlint:-options -cp "$gson" -d "$work/classes" "$HERE/Smoke.java"
logged "$WISP_HOME/logs/javac-smoke.log" "$jdk/bin/jar" --create --file "$work/smoke.jar" -C "$work/classes" .
printf '{"value": {"name": "smoke", "main": "smoke.Smoke", "binary": true, "code": "%s"}}\n' "$(base64 -w0 "$work/smoke.jar")"
