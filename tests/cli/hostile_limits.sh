#!/usr/bin/env bash
# Resource limits of `quarry annotate`: a 200 MB document is refused by the default 64 MiB limit
# before it is read (so quickly and in little memory), with a message naming the size, the limit
# and the option; --max-bytes moves the limit (exact at the boundary, for files and JSONL lines);
# --time-budget stops a long document with a message naming the stage, also with --tokens-only;
# in each case the other documents of the batch are annotated.
source "$(dirname "$0")/lib.sh"
in="$TMP/in"; mkdir -p "$in"
printf 'Iran and the Taliban met in 2015.\n' > "$in/good.txt"   # 34 bytes

# 200 MB of real text, generated here (about a second; removed with $TMP).
head -c 209715200 < <(yes 'Iran and the Taliban met in Doha in 2015, and the envoy left.') > "$TMP/big.txt"
start=$(date +%s%N)
if [ -x /usr/bin/time ]; then
  # The pipeline itself (world gazetteers, dictionaries; more under sanitizers) takes memory of
  # its own: compare with the same run without the big file.
  expect_exit 0 /usr/bin/time -f 'maxrss_kb=%M' "$QUARRY" annotate -o "$TMP/o0" "$in/good.txt"
  base=$(sed -n 's/^maxrss_kb=//p' "$TMP/err")
  start=$(date +%s%N)
  expect_exit 1 /usr/bin/time -f 'maxrss_kb=%M' "$QUARRY" annotate -o "$TMP/o" "$TMP/big.txt" "$in/good.txt"
  rss=$(sed -n 's/^maxrss_kb=//p' "$TMP/err")
  [ "${rss:-0}" -lt $(( ${base:-0} + 100000 )) ] && ok \
    || bad "refusing a 200 MB file used ${rss} kB against ${base} kB without it (it should not be read)"
else
  expect_exit 1 "$QUARRY" annotate -o "$TMP/o" "$TMP/big.txt" "$in/good.txt"
fi
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_err "big.txt: file is 209715200 bytes, over the limit of 67108864 bytes \(see --max-bytes\)"
expect_err "1 of 2 inputs failed"
expect_file "$TMP/o/good.json"
expect_no_file "$TMP/o/big.json"
[ "$ms" -lt 20000 ] && ok || bad "refusing the 200 MB file took ${ms} ms"
rm -f "$TMP/big.txt"

# --max-bytes is exact: 34 bytes pass a limit of 34 and fail a limit of 33.
expect_exit 0 "$QUARRY" annotate -q --max-bytes 34 "$in/good.txt"
expect_exit 1 "$QUARRY" annotate -q --max-bytes 33 "$in/good.txt"
expect_err "good.txt: file is 34 bytes, over the limit of 33 bytes \(see --max-bytes\)"
# JSONL texts are held to the same limit (the decoded text's size).
printf '%s\n' '{"id":"small","text":"Short."}' '{"id":"large","text":"This text is longer than twenty bytes."}' > "$TMP/in.jsonl"
expect_exit 1 "$QUARRY" annotate -q --max-bytes 20 --jsonl "$TMP/in.jsonl"
expect_err "in.jsonl:2: large: document is 38 bytes, over the limit of 20 bytes \(see --max-bytes\)"
grep -q '"id":"small"' "$TMP/out" && ok || bad "small JSONL document not annotated"
# Out-of-range limits are usage errors.
expect_exit 2 "$QUARRY" annotate --max-bytes 0 "$in/good.txt"
expect_err "--max-bytes must be between 1 and 1073741824"
expect_exit 2 "$QUARRY" annotate --max-bytes 2000000000 "$in/good.txt"
expect_exit 2 "$QUARRY" annotate --time-budget -1 "$in/good.txt"
expect_err "--time-budget must not be negative"

# A rule may match at most --max-matches-per-rule times in one document; the message names the
# document, the rule and where it is defined.
printf 'In 1990, then 1991, then 1992, then 1993, then 1994, then 1995, then 1996 it grew.\n' > "$in/years.txt"
expect_exit 1 "$QUARRY" annotate --max-matches-per-rule 5 -o "$TMP/mm" "$in/good.txt" "$in/years.txt"
expect_err "years.txt: temporal rule [a-z_]+ \(.*\.qt:[0-9]+\) matched more than 5 times"
expect_file "$TMP/mm/good.json"
expect_no_file "$TMP/mm/years.json"
expect_exit 0 "$QUARRY" annotate -q --max-matches-per-rule 0 "$in/years.txt"
rm "$in/years.txt"

# A time budget stops a long document (20 MB takes well over 50 ms to tokenize, even on a fast
# machine) and leaves the short one alone; the check runs inside the tokenizer's loops, and also
# applies with --tokens-only.
head -c 20000000 < <(yes 'Iran and the Taliban met in Doha in 2015, and the envoy left.') > "$in/long.txt"
for mode in "" --tokens-only; do
  rm -rf "$TMP/t"
  expect_exit 1 "$QUARRY" annotate $mode --time-budget 0.05 -o "$TMP/t" "$in"
  expect_err "long.txt: time budget of 0.050000 s exceeded during (tokenize|sentence split)"
  expect_file "$TMP/t/good.json"
  expect_no_file "$TMP/t/long.json"
done
finish
