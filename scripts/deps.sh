#!/usr/bin/env bash
# Installs the Debian packages aisle needs that this machine lacks. Nothing else is downloaded.
#   scripts/deps.sh            build + test dependencies
#   scripts/deps.sh bench      + python3-pandas, python3-scipy (the Python references of bench/)
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config zstd
  libsqlite3-dev libpq-dev postgresql libssl-dev
  libzstd-dev zlib1g-dev libtomlplusplus-dev nlohmann-json3-dev libsimdjson-dev libcli11-dev libopenblas-dev
  libcpp-httplib-dev libhnswlib-dev libboost-dev wrk curl
  haproxy  # tests/serve/replicas.sh: serving replicas behind a load balancer
  libopenmpi-dev openmpi-bin  # distributed fits (dist/), optional at build time; the mpirun tests
  libtorch-dev  # the torch plugin (sasrec); CPU build
  libgtest-dev libgmock-dev libbenchmark-dev
  dpkg-dev help2man  # make package: dpkg-shlibdeps computes Depends, help2man writes the man pages
  clang clang-format clang-tidy libclang-rt-14-dev
  chromium  # scripts/check-report-width.sh (the report_width test), the dashboard_browser test
  nodejs npm  # the dashboard (web/): npm ci, tsc, esbuild at build time; the browser test
)
if [[ "${1:-}" == "bench" ]]; then packages+=(python3-pandas python3-scipy); fi

missing=()
for p in "${packages[@]}"; do
  # A node from NodeSource brings its own npm (and conflicts with Debian's npm package).
  if [[ "$p" == npm ]] && command -v npm >/dev/null; then continue; fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi

echo "deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
