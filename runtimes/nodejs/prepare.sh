#!/usr/bin/env bash
# Completes the Docker build context of the Node.js runtime (runtimes/build.sh calls it with a copy of this
# directory): installs the npm packages of package-lock.json (the openwhisk client that action code may
# require) into CONTEXT_DIR/node_modules on the host, since the image build has no network.
# usage: runtimes/nodejs/prepare.sh CONTEXT_DIR
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$HERE/../../scripts/lib.sh"

ctx="${1:?usage: $0 CONTEXT_DIR}"
command -v npm >/dev/null || die "npm is missing (needed to install the openwhisk client into the nodejs image)" \
  "fix: apt-get install -y npm"
[ -f "$ctx/package-lock.json" ] || die "$ctx/package-lock.json is missing"
# --ignore-scripts: the packages are plain JavaScript; nothing of the host's runs at install time
(cd "$ctx" && logged "$WISP_HOME/logs/npm-runtime.log" npm ci --omit=dev --ignore-scripts --no-audit --no-fund)
[ -f "$ctx/node_modules/openwhisk/package.json" ] || die "npm ci did not install openwhisk into $ctx/node_modules"
