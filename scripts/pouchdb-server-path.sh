#!/usr/bin/env bash
# Prints the absolute path of the pouchdb-server executable (installing it first if needed).
# Java code launches it as: <path> --in-memory -p PORT -o 127.0.0.1 -n   (in a scratch working directory)
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/ensure-pouchdb.sh" --print-path
