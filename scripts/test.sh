#!/usr/bin/env bash
# scripts/test.sh: set up, build, and run every test (unit, API, CLI, evaluation, install).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Headless Chromium for the tests of HTML pages (quarry report); not needed to build or annotate.
source scripts/packages.sh
ensure_packages test chromium
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
