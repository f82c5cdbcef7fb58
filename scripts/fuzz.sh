#!/usr/bin/env bash
# scripts/fuzz.sh: build the libFuzzer targets with clang (ASan+UBSan) and run each for a while.
#
#   scripts/fuzz.sh [--smoke] [--time SECONDS] [TARGET...]
#
# TARGET is a fuzzer name (document, tokenizer, pipeline_load, ...; default: all of fuzz/*_fuzz.cc).
# --smoke runs each for $QUARRY_FUZZ_SMOKE_SECONDS (default 20) as CI does; --time sets the time per
# target (default 300). Seeds come from fuzz/corpus/<target>/ (kept small, in the repository); the
# growing corpus is kept in build-fuzz/corpus/<target>/ and crashing inputs go to
# build-fuzz/artifacts/<target>/. Prints one line per target (time, executions, coverage, result)
# and exits 1 when any target found a crash, leak, timeout or out-of-memory.
#   QUARRY_FUZZ_BUILD_DIR  build folder (default: build-fuzz)
#   QUARRY_FUZZ_JOBS       fuzzers run at once (default: the number of cores)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=300
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) seconds=${QUARRY_FUZZ_SMOKE_SECONDS:-20}; shift ;;
    --time) seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

# clang and its runtime libraries (libFuzzer, sanitizers) are only needed here.
source scripts/packages.sh
ensure_packages fuzz.sh clang-14 libclang-rt-14-dev

build=${QUARRY_FUZZ_BUILD_DIR:-build-fuzz}
if [ ! -f "$build/build.ninja" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" \
    -DQUARRY_BUILD_FUZZ=ON -DQUARRY_BUILD_TOOLS=OFF -DQUARRY_BUILD_TESTS=OFF \
    -DQUARRY_BUILD_BENCH=OFF -DQUARRY_INSTALL=OFF >/dev/null
fi
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/*_fuzz.cc; do t=$(basename "$f" _fuzz.cc); targets+=("$t"); done
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# One target: runs its fuzzer and writes its line of the table to $build/fuzz-$t.result (and the
# first lines of a finding to stderr). The targets run $jobs at a time (one per core; each fuzzer
# is single-threaded), and the table is printed in the targets' order once all have ended.
run_target() {
  local t=$1
  local bin="$build/fuzz/fuzz_$t" seeds="fuzz/corpus/$t" work="$build/corpus/$t"
  local art="$build/artifacts/$t" log="$build/fuzz-$t.log"
  mkdir -p "$work" "$art" "$seeds"
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384
              -print_final_stats=1 -artifact_prefix="$art/")
  [ -f "fuzz/dict/$t.dict" ] && args+=(-dict="fuzz/dict/$t.dict")
  local start rc took execs cov n result crash
  start=$(date +%s)
  set +e
  "$bin" "${args[@]}" "$work" "$seeds" >"$log" 2>&1
  rc=$?
  set -e
  took=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)
  n=$(find "$work" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    crash=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
    result="FAILED (exit $rc) ${crash:-see $log}"
    grep -E "ERROR: |invariant failed|runtime error|SUMMARY" "$log" | head -5 | sed "s/^/    $t: /" >&2 || true
  fi
  printf '%-16s %6s %10s %8s %8s  %s\n' "$t" "$took" "${execs:-?}" "${cov:-?}" "$n" "$result" \
    > "$build/fuzz-$t.result"
}

jobs=${QUARRY_FUZZ_JOBS:-$(nproc)}
for t in "${targets[@]}"; do
  rm -f "$build/fuzz-$t.result"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_target "$t" &
done
wait
failed=0
printf '%-16s %6s %10s %8s %8s  %s\n' target seconds execs cov corpus result
for t in "${targets[@]}"; do
  if [ -f "$build/fuzz-$t.result" ]; then
    cat "$build/fuzz-$t.result"
    grep -q '  ok$' "$build/fuzz-$t.result" || failed=1
  else
    printf '%-16s did not report (see %s)\n' "$t" "$build/fuzz-$t.log"; failed=1
  fi
done
exit $failed
