#!/usr/bin/env bash
# scripts/test.sh: set up, build, and run every test (unit, API, CLI, evaluation, install).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
