#!/usr/bin/env bash
# scripts/setup.sh: install what quarry needs on Debian 12 and build it into build/.
#
# Installs the Debian packages that are missing (as root, or through sudo), then configures and
# builds. Safe to run again: it only installs what is missing and rebuilds what changed.
#   QUARRY_BUILD_DIR  build folder (default: build)
#   QUARRY_BUILD_TYPE CMake build type (default: RelWithDebInfo, here -O2 -g1: line tables for
#                     backtraces and profiles; full -g made the build a quarter slower)
#   QUARRY_CMAKE_ARGS extra arguments for cmake
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/packages.sh
ensure_packages setup build-essential cmake ninja-build pkg-config libicu-dev libre2-dev \
  libboost-program-options-dev nlohmann-json3-dev doctest-dev iso-codes wamerican python3 \
  python3-jsonschema python3-pytest python3-dev pybind11-dev python3-dask python3-distributed \
  python3-pandas

build=${QUARRY_BUILD_DIR:-build}
type=${QUARRY_BUILD_TYPE:-RelWithDebInfo}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="$type" \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" ${QUARRY_CMAKE_ARGS:-} >/dev/null
fi
cmake --build "$build" -j "$(nproc)"

# `import quarry` from the build tree: a quarry-build.pth naming build/python in the site folder of
# Debian's python3 (the one the binding is built for) and of the python3 first on PATH when that is
# another interpreter of the same version. Nothing else is changed; remove the file to undo.
if [ -d "$build/python/quarry" ]; then
  pydir=$(cd "$build/python" && pwd)
  for py in /usr/bin/python3 "$(command -v python3 || true)"; do
    [ -x "$py" ] || continue
    same=$("$py" -c 'import sys; print(sys.version_info[:2] == (3, '"$(/usr/bin/python3 -c 'import sys; print(sys.version_info[1])')"'))' 2>/dev/null || echo False)
    [ "$same" = True ] || continue
    site=$("$py" -c 'import site; print(site.getsitepackages()[0])' 2>/dev/null) || continue
    if ! { mkdir -p "$site" && printf '%s\n' "$pydir" > "$site/quarry-build.pth"; } 2>/dev/null; then
      site=$("$py" -c 'import site; print(site.getusersitepackages())')
      mkdir -p "$site" && printf '%s\n' "$pydir" > "$site/quarry-build.pth"
    fi
  done
fi
