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

source scripts/packages.sh
ensure_packages setup build-essential cmake ninja-build pkg-config libicu-dev libre2-dev \
  libboost-program-options-dev nlohmann-json3-dev doctest-dev iso-codes wamerican python3 \
  python3-jsonschema python3-pytest

build=${QUARRY_BUILD_DIR:-build}
type=${QUARRY_BUILD_TYPE:-RelWithDebInfo}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="$type" ${QUARRY_CMAKE_ARGS:-} >/dev/null
fi
cmake --build "$build" -j "$(nproc)"
