#!/usr/bin/env bash
# The installed package works: `cmake --install` into a prefix, then the example builds with
# find_package(quarry) against it and runs on the seed commentary.
source "$(dirname "$0")/lib.sh"
build="${QUARRY_BUILD_DIR:?}"
prefix="$TMP/prefix"
if cmake --install "$build" --prefix "$prefix" >"$TMP/install.log" 2>&1; then ok; else bad "cmake --install failed"; cat "$TMP/install.log"; finish; fi
expect_file "$prefix/include/quarry/quarry.h"
expect_file "$prefix/lib/cmake/quarry/quarryConfig.cmake"
expect_file "$prefix/bin/quarry"
if cmake -S examples/annotate_file -B "$TMP/ex" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
     -DCMAKE_BUILD_TYPE=Release >"$TMP/cfg.log" 2>&1 && cmake --build "$TMP/ex" >"$TMP/build.log" 2>&1; then
  ok
else
  bad "example does not build against the installed package"; tail -n 20 "$TMP/cfg.log" "$TMP/build.log"; finish
fi
expect_exit 0 "$TMP/ex/annotate_file" corpus/nabil-iran-alqaeda-taliban.txt --data "$prefix/share/quarry"
grep -qE "corpus/nabil-iran-alqaeda-taliban.txt: [0-9]+ tokens, [0-9]+ sentences" "$TMP/out" && ok || bad "example output"
# The installed CLI finds its installed data.
expect_exit 0 env -u QUARRY_DATA "$prefix/bin/quarry" annotate -q corpus/nabil-iran-alqaeda-taliban.txt
finish
