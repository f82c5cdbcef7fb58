#!/usr/bin/env bash
# scripts/sanitize.sh: the test suite under sanitizers (g++, as the main build).
#
#   scripts/sanitize.sh [asan] [tsan]      (default: both)
#
# asan: build-asan/ with AddressSanitizer + UndefinedBehaviorSanitizer (any UBSan finding is fatal:
#       -fno-sanitize-recover=all), running every test except the install test and the
#       evaluations (benchmarks and the Python binding are not built).
# tsan: build-tsan/ with ThreadSanitizer, building only the API tests and the CLI and running the
#       concurrency tests (ctest -R concurrency).
# Run after scripts/setup.sh (it installs the packages; the sanitizer runtimes come with g++).
set -euo pipefail
cd "$(dirname "$0")/.."

modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(asan tsan)
jobs=$(nproc)
# -O1 -g1: sanitizer builds compile about a third faster than at -O2 -g and still give stack
# traces with lines; CI time is dominated by these builds.
common=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1"
        -DQUARRY_BUILD_BENCH=OFF -DQUARRY_INSTALL=OFF)

for mode in "${modes[@]}"; do
  case "$mode" in
    asan)
      dir=build-asan
      cmake -S . -B "$dir" "${common[@]}" -DQUARRY_SANITIZE=address,undefined >/dev/null
      echo "sanitize.sh: building $dir (ASan+UBSan)" >&2
      cmake --build "$dir" -j "$jobs"
      # The evaluations (scores on gold data) are left out: they run the same code as the CLI
      # tests on larger inputs, and took a third of this run's time. QUARRY_TEST_QUICK=1 makes
      # the tests that scale a corpus up (report.sh's 300 documents) keep to their small part.
      QUARRY_TEST_QUICK=1 \
      ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir "$dir" --output-on-failure -j "$jobs" -E 'install_package|^eval\.'
      ;;
    tsan)
      dir=build-tsan
      cmake -S . -B "$dir" "${common[@]}" -DQUARRY_SANITIZE=thread >/dev/null
      echo "sanitize.sh: building $dir (TSan)" >&2
      cmake --build "$dir" -j "$jobs" --target quarry_api_test quarry_cli
      # TSan's runtime cannot map its shadow memory under the high mmap randomization of recent
      # kernels ("unexpected memory mapping"); run without address randomization then.
      run=()
      if ! TSAN_OPTIONS=halt_on_error=1 "$dir/tools/quarry" --version >/dev/null 2>&1; then
        if setarch "$(uname -m)" -R true 2>/dev/null; then
          run=(setarch "$(uname -m)" -R)
          echo "sanitize.sh: TSan needs ASLR off here; running under setarch -R" >&2
        fi
      fi
      TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        "${run[@]}" ctest --test-dir "$dir" --output-on-failure -R concurrency
      ;;
    *) echo "sanitize.sh: unknown mode '$mode' (asan, tsan)" >&2; exit 2 ;;
  esac
done
