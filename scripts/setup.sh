#!/usr/bin/env bash
# scripts/setup.sh: install what quarry needs on Debian 12 and build it into build/.
#
# Installs the Debian packages that are missing (as root, or through sudo), then configures and
# builds. Safe to run again: it only installs what is missing and rebuilds what changed.
#   QUARRY_BUILD_DIR  build folder (default: build)
#   QUARRY_BUILD_TYPE CMake build type (default: RelWithDebInfo)
#   QUARRY_CMAKE_ARGS extra arguments for cmake
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config libicu-dev libre2-dev
          libboost-program-options-dev nlohmann-json3-dev doctest-dev iso-codes
          python3 python3-jsonschema)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build=${QUARRY_BUILD_DIR:-build}
type=${QUARRY_BUILD_TYPE:-RelWithDebInfo}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="$type" ${QUARRY_CMAKE_ARGS:-} >/dev/null
fi
cmake --build "$build" -j "$(nproc)"
