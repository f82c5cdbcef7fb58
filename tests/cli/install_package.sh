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
# The installed CLI finds its installed data, from another folder, with the source tree out of
# reach: a copy of the installation is moved elsewhere (the binary records the source tree's
# path at build time, so the clone itself is hidden by running the moved copy from /tmp, where
# only the copy's own share/quarry can be found first).
expect_exit 0 env -u QUARRY_DATA "$prefix/bin/quarry" annotate -q corpus/nabil-iran-alqaeda-taliban.txt
moved="$TMP/moved"
cp -r "$prefix" "$moved"
cp corpus/nabil-iran-alqaeda-taliban.txt "$TMP/seed.txt"
( cd "$TMP" && env -u QUARRY_DATA "$moved/bin/quarry" --version ) > "$TMP/version" 2>&1
grep -qF "data: $moved/share/quarry" "$TMP/version" && ok || { bad "--version does not name the installed data"; cat "$TMP/version"; }
( cd "$TMP" && env -u QUARRY_DATA "$moved/bin/quarry" annotate -q -o "$TMP/movedout" seed.txt ) > "$TMP/moved.log" 2>&1 \
  && ok || { bad "moved installation cannot annotate"; cat "$TMP/moved.log"; }
python3 - "$TMP/movedout/seed.json" <<'PY' && ok || bad "moved installation annotated without its data"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["entities"]) > 100 and len(d["events"]) > 10, (len(d["entities"]), len(d["events"]))
PY
# The installed Python package (when the binding was built): it imports from the prefix and
# finds the prefix's data, wherever the prefix was moved.
pkg=$(cd "$moved" && ls -d lib/python3*/dist-packages/quarry 2>/dev/null | head -n 1 || true)
if [ -n "$pkg" ]; then
  expect_file "$moved/$pkg/_quarry.pyi"
  ( cd "$TMP" && env -u QUARRY_DATA PYTHONPATH="$moved/$(dirname "$pkg")" /usr/bin/python3 - "$moved" ) \
      > "$TMP/py.log" 2>&1 <<'PY' && ok || { bad "the installed Python package"; cat "$TMP/py.log"; }
import sys
import quarry
prefix = sys.argv[1]
assert quarry.__file__.startswith(prefix), quarry.__file__
assert quarry.data_dir() == prefix + "/share/quarry", quarry.data_dir()
doc = quarry.Pipeline().annotate(open("seed.txt", encoding="utf-8").read(), id="seed")
assert len(doc.entities) > 100 and len(doc.events) > 10, doc
PY
fi
# Without any data folder, asking for the defaults is an error that names where it looked.
rm -r "$moved/share/quarry"
( cd "$TMP" && env -u QUARRY_DATA QUARRY_DATA="$TMP/nowhere" "$moved/bin/quarry" annotate -q seed.txt ) > /dev/null 2> "$TMP/nodata.err"
# (the source tree may still be found as the last fallback; only check the message when not)
if ! grep -q "tokens" "$TMP/nodata.err" && [ -s "$TMP/nodata.err" ]; then
  grep -q "no data folder" "$TMP/nodata.err" && ok || { bad "missing data not reported"; cat "$TMP/nodata.err"; }
fi
# The CMake package says where the data is.
mkdir -p "$TMP/datacheck"
cat > "$TMP/datacheck/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(datacheck CXX)
find_package(quarry REQUIRED)
quarry_data_dir(d)
message(STATUS "QUARRYDATA=${d}")
CM
cmake -S "$TMP/datacheck" -B "$TMP/datacheck/b" -DCMAKE_PREFIX_PATH="$prefix" > "$TMP/dc.log" 2>&1 || true
grep -q "QUARRYDATA=$prefix/share/quarry" "$TMP/dc.log" && ok || { bad "quarry_data_dir() does not name the data"; cat "$TMP/dc.log"; }
finish
