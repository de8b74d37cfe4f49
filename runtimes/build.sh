#!/usr/bin/env bash
# Builds the images Wisp's invoker runs actions in, without any container registry:
#   wisp/base:bookworm      Debian bookworm root filesystem (mmdebstrap) + docker import
#   wisp/action-<kind>      from runtimes/<kind>/Dockerfile (FROM ${BASE_IMAGE}), rebuilt only when
#                           its sources or the base change (content hash in label wisp.runtime.hash);
#                           a runtimes/<kind>/extends names a directory of runtimes/ whose files (its
#                           Dockerfile too) the kind builds on, with its own on top (python, blackbox:
#                           python-server); a runtimes/<kind>/prepare.sh completes a copy of the
#                           directory first (Java: javac)
# usage: runtimes/build.sh [--verify] [kind...]   (default: every runtime, a runtimes/<kind>/ with a Dockerfile or
#        an extends file; a directory that others extend is not one)
#   --verify   smoke-test the images even when nothing was rebuilt
# Smoke test: the image runs with the invoker's hardening flags and a WISP_RUNTIME_TOKEN, must refuse an /init
# without "Authorization: Bearer <token>" (401), then gets smoke/init.json (or the output of smoke/init.sh) and
# smoke/run.json with the header, and must answer smoke/expect.json.
# env: WISP_BASE_IMAGE (another base, e.g. from a registry), WISP_BASE_PACKAGES, WISP_DEBIAN_MIRROR
set -euo pipefail
RUNTIMES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$RUNTIMES/../scripts/lib.sh"

BASE_IMAGE="${WISP_BASE_IMAGE:-wisp/base:bookworm}"
BASE_PACKAGES="${WISP_BASE_PACKAGES:-nodejs,python3,unzip,ca-certificates,openjdk-17-jre-headless}"
# how the invoker runs action containers: the smoke test uses the same
HARDENING=(--read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges --pids-limit 256
  --ulimit nofile=1024:1024 --memory 256m --memory-swap 256m)

# The directories whose files make runtimes/<kind>'s image, in the order they are laid over each other: the one
# its extends file names, then its own.
runtime_dirs() {
  if [ -f "$RUNTIMES/$1/extends" ]; then
    local base
    base=$(tr -d '[:space:]' <"$RUNTIMES/$1/extends")
    [ -n "$base" ] && [ -d "$RUNTIMES/$base" ] || die "$RUNTIMES/$1/extends names no directory of $RUNTIMES: '$base'"
    echo "$base"
  fi
  echo "$1"
}

is_runtime() {
  { [ -f "$RUNTIMES/$1/Dockerfile" ] || [ -f "$RUNTIMES/$1/extends" ]; } &&
    ! cat "$RUNTIMES"/*/extends 2>/dev/null | tr -d '[:blank:]' | grep -qx "$1"
}

verify=false
kinds=()
for arg in "$@"; do
  case "$arg" in
    --verify) verify=true ;;
    -*) die "unknown option: $arg" "usage: $0 [--verify] [kind...]" ;;
    *) is_runtime "$arg" || die "no runtime '$arg' (expected $RUNTIMES/$arg/Dockerfile or $RUNTIMES/$arg/extends)"
       kinds+=("$arg") ;;
  esac
done
if [ ${#kinds[@]} = 0 ]; then
  for dir in "$RUNTIMES"/*/; do
    kind=$(basename "$dir")
    if is_runtime "$kind"; then kinds+=("$kind"); fi
  done
fi

# What this script reads of an image: its id and two labels. One `docker image inspect` of every image it looks at
# answers them all (each call of the CLI costs about 50 ms, nine calls were half of a standalone start's set-up);
# when one of the images is missing that call fails, and each answer comes from a call of its own.
INSPECT_FORMAT='{{.Id}}|{{with .Config.Labels}}{{index . "wisp.runtime.hash"}}|{{index . "wisp.base.packages"}}{{else}}|{{end}}'
declare -A INSPECTED=()
inspect_all() {
  local out line names=("$@") i=0
  INSPECTED=()
  out=$(docker image inspect -f "$INSPECT_FORMAT" "$@" 2>/dev/null) || return 0
  while IFS= read -r line; do INSPECTED[${names[i]}]="$line"; i=$((i + 1)); done <<<"$out"
  [ "$i" = $# ] || INSPECTED=()
}
inspect() {
  [ -n "${INSPECTED[$1]:-}" ] && { echo "${INSPECTED[$1]}"; return; }
  docker image inspect -f "$INSPECT_FORMAT" "$1" 2>/dev/null || true
}
image_id() { local line; line=$(inspect "$1"); echo "${line%%|*}"; }
label() {
  local line; line=$(inspect "$1")
  case "$2" in
    wisp.runtime.hash) line="${line#*|}"; echo "${line%%|*}" ;;
    wisp.base.packages) echo "${line##*|}" ;;
    *) die "label: $2 is not read here" ;;
  esac
}

# The apt sources for bookworm that this machine uses (deb822 .sources or one-line .list files),
# as one-line entries for mmdebstrap; deb.debian.org when the host has none.
debian_sources() {
  if [ -n "${WISP_DEBIAN_MIRROR:-}" ]; then echo "deb $WISP_DEBIAN_MIRROR bookworm main"; return; fi
  local found
  found=$( { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true; } | awk '
    function emit(uri, suite) { if (suite ~ /^bookworm(-updates|-security)?$/) print "deb " uri " " suite " main" }
    /^deb / { sub(/\[[^]]*\] */, ""); emit($2, $3); next }
    /^Types:/ { deb = / deb( |$)/ }
    /^Enabled:[[:space:]]*no/ { deb = 0 }
    /^URIs:/ { uri = $2 }
    /^Suites:/ { if (deb) for (i = 2; i <= NF; i++) emit(uri, $i) }
    /^[[:space:]]*$/ { deb = 0; uri = "" }' | sort -u)
  echo "${found:-deb http://deb.debian.org/debian bookworm main}"
}

build_base() {
  command -v mmdebstrap >/dev/null || apt_install mmdebstrap
  local work start
  work="$WISP_HOME/tmp/base.$$"
  mkdir -p "$work"
  trap "rm -rf '$work'" EXIT
  start=$(now_ms)
  local -a sources
  mapfile -t sources < <(debian_sources)
  say "building $BASE_IMAGE with mmdebstrap ($BASE_PACKAGES; from ${sources[0]#deb }) ..."
  # the JRE's postinst makes man page links (update-alternatives): their directory must exist
  logged "$WISP_HOME/logs/mmdebstrap.log" mmdebstrap --variant=apt --include="$BASE_PACKAGES" \
    --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
    bookworm "$work/rootfs.tar" "${sources[@]}"
  logged "$WISP_HOME/logs/docker-import.log" docker import \
    --change "LABEL wisp.base.packages=$BASE_PACKAGES" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8' \
    "$work/rootfs.tar" "$BASE_IMAGE"
  rm -rf "$work"
  say "built $BASE_IMAGE in $(( ($(now_ms) - start) / 1000 )) s"
}

# Content hash of what goes into runtimes/<kind>'s image (its directories, see runtime_dirs), plus the base
# image's id. A node_modules/ left in a runtime's directory (an npm install there: prepare.sh makes the image's)
# or Python's __pycache__/ is neither hashed nor copied.
runtime_hash() {
  local dir id
  (for dir in $(runtime_dirs "$1"); do
     (cd "$RUNTIMES/$dir" && find . -type f ! -path './test/*' ! -path './smoke/*' ! -path './node_modules/*' \
       ! -path '*/__pycache__/*' -print0 |
       sort -z | xargs -0 sha256sum)
   done
   id=$(image_id "$BASE_IMAGE"); echo "${id:-$BASE_IMAGE}") | sha256sum | cut -c1-16
}

# Starts the image, sends runtimes/<kind>/smoke/{init,run}.json and compares with smoke/expect.json.
smoke_test() {
  local kind="$1" image="$2" dir="$RUNTIMES/$1/smoke" init cid addr start code="" ms out token refused
  init="$dir/init.json"
  if [ ! -f "$init" ] && [ -x "$dir/init.sh" ]; then
    init="$WISP_HOME/tmp/smoke-init-$kind.json"
    "$dir/init.sh" >"$init" || die "$dir/init.sh failed"
  fi
  if [ ! -f "$init" ]; then say "no smoke test for $kind ($dir/init.json)"; return; fi
  # as the invoker does: a random token in the container's environment, sent with every /init and /run
  token=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  start=$(now_ms)
  cid=$(docker run -d --rm "${HARDENING[@]}" -e "WISP_RUNTIME_TOKEN=$token" -p 127.0.0.1::8080 "$image")
  addr=$(docker port "$cid" 8080/tcp | head -n 1)
  while [ $(( $(now_ms) - start )) -lt 20000 ]; do
    code=$(curl -s -o "$WISP_HOME/tmp/smoke-init.out" -w '%{http_code}' -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $token" --data-binary @"$init" "http://$addr/init" || true)
    [ "$code" != "000" ] && break
    sleep 0.01
  done
  ms=$(( $(now_ms) - start ))
  out=$(curl -s -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
    --data-binary @"$dir/run.json" "http://$addr/run" || true)
  # without the header: refused (after a successful /init a refusal that got past the check would be 403)
  refused=$(curl -s -w ' %{http_code}' -H 'Content-Type: application/json' --data-binary @"$init" "http://$addr/init" || true)
  docker rm -f "$cid" >/dev/null 2>&1 || true
  if [ "$code" != 200 ] || [ "$out" != "$(cat "$dir/expect.json")" ]; then
    die "smoke test of $image failed: /init -> $code $(cat "$WISP_HOME/tmp/smoke-init.out" 2>/dev/null), /run -> $out" \
      "expected /run -> $(cat "$dir/expect.json")" \
      "debug: docker run --rm ${HARDENING[*]} -e WISP_RUNTIME_TOKEN=secret -p 127.0.0.1:8080:8080 $image" \
      "       (send -H 'Authorization: Bearer secret')"
  fi
  if [ "${refused##* }" != 401 ] || [[ "$refused" != '{"error":'*'invoker only.'* ]]; then
    die "smoke test of $image failed: /init without the token's Authorization header -> $refused" \
      "expected 401 {\"error\": \"This action container accepts requests from its invoker only.\"}"
  fi
  say "$image works (docker run to first /init answer: $ms ms)"
}

"$RUNTIMES/../scripts/ensure-docker.sh"
mkdir -p "$WISP_HOME/tmp"
take_lock images
images=("$BASE_IMAGE")
for kind in "${kinds[@]}"; do images+=("wisp/action-$kind:latest"); done
inspect_all "${images[@]}"
if [ "$BASE_IMAGE" = wisp/base:bookworm ] && [ "$(label "$BASE_IMAGE" wisp.base.packages)" != "$BASE_PACKAGES" ]; then
  build_base
  inspect_all "${images[@]}"
fi

for kind in "${kinds[@]}"; do
  image="wisp/action-$kind:latest"
  hash=$(runtime_hash "$kind")
  if [ "$(label "$image" wisp.runtime.hash)" = "$hash" ]; then
    $verify && smoke_test "$kind" "$image"
    continue
  fi
  say "building $image ..."
  start=$(now_ms)
  context="$RUNTIMES/$kind"
  if [ -x "$RUNTIMES/$kind/prepare.sh" ] || [ -f "$RUNTIMES/$kind/extends" ]; then
    context="$WISP_HOME/tmp/context-$kind"
    rm -rf "$context" && mkdir -p "$context"
    for dir in $(runtime_dirs "$kind"); do
      tar -C "$RUNTIMES/$dir" --exclude=./test --exclude=./smoke --exclude=./node_modules --exclude=__pycache__ -cf - . |
        tar -C "$context" -xf -
    done
    if [ -x "$RUNTIMES/$kind/prepare.sh" ]; then
      "$RUNTIMES/$kind/prepare.sh" "$context" || die "preparing the $kind runtime failed (see above)"
    fi
  fi
  # DOCKER_BUILDKIT=0: the classic builder, present in every engine; FROM a local image needs no registry
  DOCKER_BUILDKIT=0 logged "$WISP_HOME/logs/build-$kind.log" docker build --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --label "wisp.runtime.hash=$hash" -t "$image" "$context"
  [ "$context" = "$RUNTIMES/$kind" ] || rm -rf "$context"
  # drop the untagged images this replaced (an old runtime image, and the old base it kept alive)
  docker image prune -f --filter label=wisp.runtime.hash >/dev/null 2>&1 || true
  docker image prune -f --filter label=wisp.base.packages >/dev/null 2>&1 || true
  say "built $image in $(( $(now_ms) - start )) ms"
  smoke_test "$kind" "$image"
done
