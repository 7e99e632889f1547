# shellcheck shell=bash
# Helpers for .ci/run, sourced (not run). Also usable by hand: `source .ci/lib.sh; need_debian_package jq`.

# Timings of the steps run so far, printed by print_timings (`trap print_timings EXIT`).
CI_TIMINGS=()
CI_START=$EPOCHREALTIME

# step <label> <command> [args...]: runs a command under a banner and records how long it took.
step() {
  local label=$1 start status=0
  shift
  echo
  echo "==> $label"
  start=$EPOCHREALTIME
  "$@" || status=$?
  record "$label$([[ $status -eq 0 ]] || echo "  (FAILED, exit $status)")" "$start"
  return "$status"
}

# record <label> <start>: adds a timing line from <start> (an $EPOCHREALTIME) until now.
record() {
  CI_TIMINGS+=("$(printf '%7.1fs  %s' "$(elapsed_since "$2")" "$1")")
}

elapsed_since() {
  awk -v start="$1" -v now="$EPOCHREALTIME" 'BEGIN { printf "%.1f", now - start }'
}

print_timings() {
  echo
  echo "==> timings"
  local line
  for line in "${CI_TIMINGS[@]}"; do echo "$line"; done
  printf '%7.1fs  %s\n' "$(elapsed_since "$CI_START")" total
}

# need_debian_package <binary> [package]: installs a Debian package with apt-get unless its binary is
# already there, e.g. `need_debian_package redis-server` or `need_debian_package chromium`. The package
# name defaults to the binary's. Works as root, or through `sudo -n` (never prompts: CI has no stdin).
# `apt-get update` runs once per shell, before the first install: a fresh machine may have no package
# lists, or old ones.
need_debian_package() {
  local binary=$1 package=${2:-$1}
  local -a as_root=()
  # sbin folders included: some servers live there and a non-root PATH may lack them.
  if PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" command -v "$binary" >/dev/null 2>&1; then
    return 0
  fi
  if [[ $EUID -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "need_debian_package: $binary is missing, and installing $package needs root or sudo" >&2
      return 1
    fi
    as_root=(sudo -n)
  fi
  echo "need_debian_package: $binary not found, installing Debian package $package"
  if [[ -z ${CI_APT_UPDATED:-} ]]; then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return
    CI_APT_UPDATED=1
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "$package" || return
  if ! PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" command -v "$binary" >/dev/null 2>&1; then
    echo "need_debian_package: installed $package, but there is still no $binary" >&2
    return 1
  fi
}
