#!/usr/bin/env bash
# Hostile paths and output targets for `quarry annotate`: missing, dangling and unreadable inputs,
# a folder where a file is expected, an output folder that is a file or read-only, an output
# folder that fills up (a 64 KiB tmpfs, and a file size limit via ulimit -f), a full stdout, and
# two inputs that would write the same output file. Each failure names the path and the reason,
# the exit code is 1 (some inputs failed) or 2 (unusable output folder), every other document is
# still written in full, and no temporary file is left behind.
source "$(dirname "$0")/lib.sh"
in="$TMP/in"; mkdir -p "$in"
printf 'Iran and the Taliban met in 2015.\n' > "$in/good.txt"
no_tmp() { [ -z "$(find "$1" -name '*.tmp.*' 2>/dev/null)" ] && ok || bad "temporary files left in $1"; }
valid_json() {  # valid_json DIR: every JSON file in DIR parses (nothing partial was left)
  /usr/bin/python3 -c 'import json,sys,glob; [json.load(open(f)) for f in glob.glob(sys.argv[1]+"/*.json")]' "$1" \
    && ok || bad "a partial JSON file in $1"
}

# Missing, through a file, dangling symlink.
ln -s "$TMP/nowhere.txt" "$in/dangling.txt"
expect_exit 1 "$QUARRY" annotate -o "$TMP/o1" "$in/good.txt" "$TMP/missing.txt" "$in/good.txt/x.txt" "$in/dangling.txt"
expect_err "missing.txt: no such file or folder"
expect_err "good.txt/x.txt: no such file or folder"
expect_err "dangling.txt: no such file or folder"
expect_err "3 of 4 inputs failed"
expect_file "$TMP/o1/good.json"
rm "$in/dangling.txt"

# Unreadable files. As root chmod cannot make a file unreadable; /proc/self/mem is a file that
# opens but fails to read (EIO) even for root.
if [ "$(id -u)" -ne 0 ]; then
  printf 'secret\n' > "$in/locked.txt"; chmod 000 "$in/locked.txt"
  expect_exit 1 "$QUARRY" annotate -o "$TMP/o2" "$in/good.txt" "$in/locked.txt"
  expect_err "locked.txt: cannot open for reading \(Permission denied\)"
  chmod 644 "$in/locked.txt"; rm "$in/locked.txt"
else
  echo "note: running as root, chmod 000 does not make a file unreadable; using /proc/self/mem"
fi
if [ -r /proc/self/mem ]; then
  expect_exit 1 "$QUARRY" annotate -o "$TMP/o2" "$in/good.txt" /proc/self/mem
  expect_err "/proc/self/mem: read failed \(Input/output error\)"
  expect_file "$TMP/o2/good.json"
fi
# A folder where a file is expected.
mkdir -p "$TMP/adir.jsonl"
expect_exit 1 "$QUARRY" annotate --jsonl "$TMP/adir.jsonl"
expect_err "adir.jsonl: is a folder, not a JSONL file"

# Output folder: a file, or read-only (exit 2, nothing done).
printf 'x' > "$TMP/afile"
expect_exit 2 "$QUARRY" annotate -o "$TMP/afile" "$in/good.txt"
expect_err "cannot create output folder $TMP/afile"
ro="$TMP/ro"; mkdir -p "$ro"
if [ "$(id -u)" -ne 0 ]; then
  chmod 555 "$ro"
  expect_exit 2 "$QUARRY" annotate -o "$ro" "$in/good.txt"
  expect_err "output folder $ro is not writable"
  chmod 755 "$ro"
elif mount -t tmpfs -o ro,size=64k tmpfs "$ro" 2>/dev/null; then
  expect_exit 2 "$QUARRY" annotate -o "$ro" "$in/good.txt"
  expect_err "output folder $ro is not writable"
  umount "$ro"
else
  echo "skip: cannot make a read-only folder (root, and mount is not permitted)"
fi

# Output that fills up. Documents of growing size: the small ones fit, the big ones do not.
/usr/bin/python3 - "$in" <<'PY'
import sys
for i, n in enumerate([1, 2, 4, 200, 400]):
    open(f"{sys.argv[1]}/doc{i}.txt", "w").write("The envoy met Mullah Omar in Kabul in 1998. " * n)
PY
full="$TMP/full"; mkdir -p "$full"
if mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
  expect_exit 1 "$QUARRY" annotate -j 1 -o "$full" "$in"
  expect_err "doc[0-9].txt: .*doc[0-9].json: write failed \(No space left on device\)"
  expect_file "$full/good.json"
  expect_file "$full/doc0.json"
  valid_json "$full"; no_tmp "$full"
  written=$(find "$full" -name '*.json' | wc -l)
  failed=$(grep -c "write failed" "$TMP/err" || true)
  [ $((written + failed)) -eq 6 ] && ok || bad "written $written + failed $failed != 6 documents"
  umount "$full"
else
  echo "skip: cannot mount a small tmpfs (not permitted here); the ulimit -f test still runs"
fi
# A file size limit: write() fails with EFBIG (SIGXFSZ is ignored), reported per file.
set +e
(ulimit -f 64; exec "$QUARRY" annotate -o "$TMP/lim" "$in") >"$TMP/out" 2>"$TMP/err"
code=$?
set -e
[ "$code" -eq 1 ] && ok || bad "ulimit -f: exit $code, expected 1"
expect_err "doc4.txt: .*doc4.json: write failed \(File too large\)"
expect_file "$TMP/lim/good.json"
expect_file "$TMP/lim/doc0.json"
expect_no_file "$TMP/lim/doc4.json"
valid_json "$TMP/lim"; no_tmp "$TMP/lim"
# A full stdout: the lost document is reported, not silently dropped.
if [ -w /dev/full ]; then
  set +e
  "$QUARRY" annotate -q "$in/good.txt" >/dev/full 2>"$TMP/err"
  code=$?
  set -e
  [ "$code" -eq 1 ] && ok || bad "stdout to /dev/full: exit $code, expected 1"
  expect_err "good.txt: cannot write to standard output \(No space left on device\)"
fi

# Two inputs for one output file: the later is refused, the earlier's output is kept intact.
mkdir -p "$TMP/a" "$TMP/b" "$TMP/c"
printf 'Iran is in a.\n' > "$TMP/a/x.txt"; printf 'Kabul is in b.\n' > "$TMP/b/x.txt"
expect_exit 1 "$QUARRY" annotate -o "$TMP/oc" "$TMP/a/x.txt" "$TMP/b/x.txt"
expect_err "b/x.txt: its output $TMP/oc/x.json would overwrite that of $TMP/a/x.txt"
grep -qF "\"id\":\"$TMP/a/x.txt\"" "$TMP/oc/x.json" && ok || bad "x.json is not a/x.txt's"
printf 'One.\n' > "$TMP/c/y.txt"; printf 'Two.\n' > "$TMP/c/y.md"
expect_exit 1 "$QUARRY" annotate -o "$TMP/oc2" "$TMP/c"
expect_err "y.txt: its output $TMP/oc2/y.json would overwrite that of .*y.md"
printf '%s\n' '{"id":"same","text":"First."}' '{"id":"same","text":"Second."}' > "$TMP/dup.jsonl"
expect_exit 1 "$QUARRY" annotate --jsonl "$TMP/dup.jsonl" -o "$TMP/oc3"
expect_err "dup.jsonl:2: its output $TMP/oc3/same.json would overwrite that of .*dup.jsonl:1"
finish
